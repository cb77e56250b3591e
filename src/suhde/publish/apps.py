from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishConfig(AppConfig):
    name = "suhde.publish"
    label = "publish"
    verbose_name = _("Spreading")

    def ready(self) -> None:
        from suhde.common.links import link_register
        from suhde.networks.continuum import checklist_register, round_end_register
        from suhde.networks.navigation import nav_register

        from .continuum import previous_round, round_leftovers

        round_end_register(round_leftovers)
        checklist_register(1, previous_round)

        # The round report (evaluation, a floor below) links to the page that publishes it.
        link_register(part="public_summary_settings", url_name="publish:settings")
        nav_register(
            phase=4,
            label=_("Public summary"),
            url_name="publish:settings",
            matches=("publish:",),
            order=60,
        )
