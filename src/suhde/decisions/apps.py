from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "suhde.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from suhde.coordination.digest import digest_register
        from suhde.networks.continuum import checklist_register
        from suhde.networks.signals import demo_loaded

        from .checklist import decision_checklist
        from .digest import review_section

        checklist_register(3, decision_checklist)
        digest_register(review_section)
        demo_loaded.connect(_demo_decisions, dispatch_uid="decisions-demo")


def _demo_decisions(sender, network, **kwargs):
    from .demo import decisions_demo_load

    decisions_demo_load(network)
