from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "suhde.charter"
    label = "charter"
    verbose_name = _("Charter and goals")

    def ready(self) -> None:
        from suhde.networks.continuum import checklist_register
        from suhde.networks.signals import demo_loaded

        from .checklist import charter_checklist

        checklist_register(2, charter_checklist)
        demo_loaded.connect(_demo_charter, dispatch_uid="charter-demo")


def _demo_charter(sender, network, **kwargs):
    from .demo import charter_demo_load

    charter_demo_load(network)
