from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "suhde.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from suhde.common.links import link_register
        from suhde.coordination.digest import digest_register
        from suhde.networks.continuum import ANY_PHASE, checklist_register
        from suhde.networks.navigation import nav_register

        from .checklist import dashboard_checklist, todo_checklist, todo_digest
        from .jobs import jobs_register

        # Accepted suggestions are the next round's to-dos, open on the home whatever the phase.
        checklist_register(4, dashboard_checklist)
        checklist_register(ANY_PHASE, todo_checklist)
        digest_register(todo_digest)
        jobs_register()
        # A closed wave's pages (surveys, a floor below) link to its dashboard.
        link_register(part="wave_dashboard", url_name="evaluation:dashboard")
        nav_register(
            phase=4,
            label=_("Dashboard"),
            url_name="evaluation:latest",
            matches=("evaluation:",),
            order=20,
        )
        nav_register(
            phase=4,
            label=_("Round and report"),
            url_name="evaluation:rounds",
            matches=("evaluation:round", "evaluation:goal_result", "evaluation:indicator_value"),
            order=30,
        )
