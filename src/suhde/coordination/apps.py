from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "suhde.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from suhde.networks.continuum import checklist_register

        from .checklist import clock_checklist

        checklist_register(3, clock_checklist)
