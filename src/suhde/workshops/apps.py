from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "suhde.workshops"
    label = "workshops"
    verbose_name = _("Meetings and live sessions")

    def ready(self) -> None:
        from suhde.networks.continuum import checklist_register

        from .checklist import meetings_checklist

        checklist_register(3, meetings_checklist)
