from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "suhde.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from suhde.common.links import link_register
        from suhde.common.personal import personal_register
        from suhde.coordination.digest import digest_register
        from suhde.networks.attention import attention_register
        from suhde.networks.continuum import checklist_register
        from suhde.networks.navigation import nav_register
        from suhde.networks.signals import demo_loaded

        from .checklist import decision_checklist
        from .digest import needs_my_vote_lines, polls_section, review_section
        from .domain import person_ballots_erase
        from .jobs import jobs_register
        from .queries import person_ballots

        checklist_register(3, decision_checklist)
        personal_register(key="decisions", read=person_ballots, erase=person_ballots_erase)
        jobs_register()
        nav_register(
            phase=3,
            label=_("Decisions"),
            url_name="decisions:decisions",
            matches=("decisions:",),
            order=40,
        )
        digest_register(review_section)
        digest_register(polls_section)
        attention_register(needs_my_vote_lines)
        # The charter (a floor below) links the decision that agreed a version.
        link_register(part="decision", url_name="decisions:decision")
        demo_loaded.connect(_demo_decisions, dispatch_uid="decisions-demo")


def _demo_decisions(sender, network, **kwargs):
    from .demo import decisions_demo_load

    decisions_demo_load(network)
