from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "suhde.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from suhde.common.schedule import every
        from suhde.networks.continuum import checklist_register
        from suhde.networks.navigation import nav_register
        from suhde.networks.signals import demo_loaded

        from .checklist import clock_checklist
        from .jobs import jobs_register

        checklist_register(3, clock_checklist)
        from .undo import register

        register()
        jobs_register()
        # What `suhde send-digests` does from cron, the worker does by itself.
        every("digests", 3600, "suhde.coordination.digest.anticipation_run")
        demo_loaded.connect(_demo_clock, dispatch_uid="coordination-demo")
        nav_register(
            phase=3,
            label=_("Annual clock"),
            url_name="coordination:clock",
            matches=("coordination:",),
            order=10,
        )
        nav_register(
            phase=3,
            label=_("Contact list"),
            url_name="coordination:contacts",
            matches=("coordination:contacts",),
            order=20,
        )


def _demo_clock(sender, network, **kwargs):
    from .demo import clock_demo_load

    clock_demo_load()
