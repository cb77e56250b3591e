"""What a round leaves behind (issue 22, point 7), for the page that confirms a return from
phase 4 to phase 1. ``networks`` shows it through its registry (``round_end_register``); this
floor sees every app below it, so it gathers the apps' open ends in one place."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.coordination.models import Event
from suhde.decisions.models import Decision
from suhde.decisions.models import Status as DecisionStatus
from suhde.evaluation.report import goal_rows
from suhde.evaluation.rounds import round_current, round_row, rounds_of
from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network


def round_leftovers(network: Network) -> list[ChecklistItem]:
    span = round_current(network)
    goals = goal_rows(network, span, round_row(network, span.number))
    open_goals = sum(1 for goal in goals if goal.verdict is None)
    proposed = Decision.objects.filter(network=network, status=DecisionStatus.PROPOSED).count()
    coming = Event.objects.filter(network=network, start__gte=timezone.now()).count()
    slug = network.slug
    report = reverse("evaluation:round_report", args=[slug, span.number])
    return [
        ChecklistItem(_("The round's report"), True, "", report),
        ChecklistItem(
            _("Every goal has an agreed result"),
            open_goals == 0,
            ngettext(
                "%(count)d goal without a result", "%(count)d goals without a result", open_goals
            )
            % {"count": open_goals},
            reverse("charter:goals", args=[slug]),
        ),
        ChecklistItem(
            _("No decision waits to be made"),
            proposed == 0,
            ngettext("%(count)d proposed decision", "%(count)d proposed decisions", proposed)
            % {"count": proposed},
            reverse("decisions:decisions", args=[slug]),
        ),
        ChecklistItem(
            _("Events ahead on the annual clock"),
            True,
            ngettext("%(count)d event still to come", "%(count)d events still to come", coming)
            % {"count": coming},
            reverse("coordination:clock", args=[slug]),
        ),
        ChecklistItem(
            _("The round's public summary"),
            True,
            "",
            reverse("publish:settings", args=[slug]),
        ),
    ]


def previous_round(network: Network) -> list[ChecklistItem]:
    """Phase 1 of a new round starts from the last round's picture: its report, one click away."""
    spans = rounds_of(network)
    if len(spans) < 2:
        return []
    number = spans[-2].number
    return [
        ChecklistItem(
            _("The last round's report"),
            True,
            _("round %(number)d") % {"number": number},
            reverse("evaluation:round_report", args=[network.slug, number]),
        )
    ]
