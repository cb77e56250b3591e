from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from .queries import answered_count, charter_current, roles_of
from .questions import QUESTIONS


def charter_checklist(network: Network) -> list[ChecklistItem]:
    """Phase 2: is the charter answered and agreed, do the goals have indicators, roles held?"""
    current = charter_current(network)
    answered = answered_count(current)
    goals = network.goals.all()
    goal_count = goals.count()
    with_indicators = goals.filter(indicators__isnull=False).distinct().count()
    vacant = [row.role.label for row in roles_of(network) if row.vacant]
    charter_url = reverse("charter:charter", args=[network.slug])
    return [
        ChecklistItem(
            _("Charter questions answered"),
            answered == len(QUESTIONS),
            _("%(answered)d/%(total)d") % {"answered": answered, "total": len(QUESTIONS)},
            charter_url,
        ),
        ChecklistItem(
            _("Charter agreed on"),
            current is not None and current.agreed_on is not None,
            _("version %(number)d agreed") % {"number": current.number}
            if current is not None and current.agreed_on
            else _("the current version is not agreed on yet"),
            charter_url,
        ),
        ChecklistItem(
            _("Goals with indicators"),
            goal_count > 0 and with_indicators == goal_count,
            _("%(done)d/%(total)d") % {"done": with_indicators, "total": goal_count},
            reverse("charter:goals", args=[network.slug]),
        ),
        ChecklistItem(
            _("Every role the charter names has someone"),
            not vacant,
            _("nobody holds: %(roles)s") % {"roles": ", ".join(str(v) for v in vacant)}
            if vacant
            else "",
            reverse("charter:roles", args=[network.slug]),
        ),
    ]
