from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "suhde.charter"
    label = "charter"
    verbose_name = _("Charter and goals")

    def ready(self) -> None:
        from suhde.networks.continuum import checklist_register
        from suhde.networks.navigation import nav_register
        from suhde.networks.signals import demo_loaded

        from .checklist import charter_checklist
        from .jobs import jobs_register

        checklist_register(2, charter_checklist)
        jobs_register()
        nav_register(
            phase=2,
            label=_("Charter"),
            url_name="charter:charter",
            matches=("charter:charter",),
            order=10,
        )
        nav_register(
            phase=2,
            label=_("Goals"),
            url_name="charter:goals",
            matches=("charter:goal", "charter:progress", "charter:indicator"),
            order=20,
        )
        nav_register(
            phase=2, label=_("Roles"), url_name="charter:roles", matches=("charter:role",), order=30
        )
        demo_loaded.connect(_demo_charter, dispatch_uid="charter-demo")


def _demo_charter(sender, network, **kwargs):
    from .demo import charter_demo_load

    charter_demo_load(network)
