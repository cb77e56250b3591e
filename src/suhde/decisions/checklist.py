from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network
from suhde.workshops.models import DecisionMode


def decision_checklist(network: Network) -> list[ChecklistItem]:
    """Phase 3: are joint decisions made and written down?"""
    decisions = network.decisions.all()
    total = decisions.count()
    facilitated = decisions.filter(mode=DecisionMode.FACILITATED).count()
    return [
        ChecklistItem(
            _("Decisions recorded in the log"),
            total > 0,
            ngettext("%(count)d decision", "%(count)d decisions", total) % {"count": total},
            reverse("decisions:decisions", args=[network.slug]),
        ),
        ChecklistItem(
            _("Decisions made together"),
            facilitated > 0,
            ngettext(
                "%(count)d facilitated decision", "%(count)d facilitated decisions", facilitated
            )
            % {"count": facilitated},
            reverse("decisions:decisions", args=[network.slug]),
        ),
    ]
