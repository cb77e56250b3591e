"""Reads for the decision log and the polls' results (fixed query counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from suhde.networks.models import Network
from suhde.workshops.methods import GRADIENTS
from suhde.workshops.models import LiveSession, Meeting, Vote

from .models import FORMAL_DISAGREEMENT, POINTS, Decision, Poll, Status

REVIEW_DAYS_AHEAD = 14


def decisions_of(network: Network) -> QuerySet[Decision]:
    return network.decisions.select_related("meeting", "poll").order_by(
        "-decided_on", "-created_at", "-id"
    )


def decision_in(network: Network, decision_id: int) -> Decision:
    decision = decisions_of(network).filter(pk=decision_id).first()
    if decision is None:
        raise Http404("decision")
    return decision


def poll_of(decision: Decision) -> Poll | None:
    try:
        return decision.poll
    except Poll.DoesNotExist:
        return None


@dataclass
class PointRow:
    number: int
    label: str
    count: int
    percent: int


@dataclass
class Disagreement:
    point: int
    name: str  # empty unless the voter chose to be named
    reason: str


@dataclass
class PollResult:
    poll: Poll
    rows: list[PointRow]
    total: int
    live: int
    disagreements: list[Disagreement] = field(default_factory=list)
    unnamed_live_disagreements: int = 0


def poll_result(poll: Poll) -> PollResult:
    """The distribution over the eight points (ballots and the live prompt's votes together)."""
    ballots = list(poll.ballots.select_related("person").order_by("point", "created_at", "pk"))
    live_values = []
    if poll.live_prompt_id:
        live_values = [
            value
            for value in Vote.objects.filter(prompt_id=poll.live_prompt_id).values_list(
                "value", flat=True
            )
            if isinstance(value, int) and 1 <= value <= POINTS
        ]
    counts = Counter(ballot.point for ballot in ballots) + Counter(live_values)
    total = sum(counts.values())
    rows = [
        PointRow(
            n, str(GRADIENTS[n - 1]), counts[n], round(100 * counts[n] / total) if total else 0
        )
        for n in range(1, POINTS + 1)
    ]
    disagreements = [
        Disagreement(b.point, b.person.name if b.named else "", b.reason)
        for b in ballots
        if b.point in FORMAL_DISAGREEMENT
    ]
    live_disagreements = sum(1 for v in live_values if v in FORMAL_DISAGREEMENT)
    return PollResult(poll, rows, total, len(live_values), disagreements, live_disagreements)


def meetings_for_choice(network: Network) -> QuerySet[Meeting]:
    return Meeting.objects.filter(network=network).order_by("-starts_at", "-pk")


def sessions_for_choice(network: Network) -> QuerySet[LiveSession]:
    return LiveSession.objects.filter(network=network, state="open").order_by("-created_at")


def reviews_due(network: Network, *, today: date) -> list[Decision]:
    """Decisions whose review date is past or within the next two weeks, not yet revised."""
    return list(
        network.decisions.filter(
            review_on__isnull=False, review_on__lte=today + timedelta(days=REVIEW_DAYS_AHEAD)
        )
        .exclude(status=Status.REVISED)
        .order_by("review_on", "pk")
    )


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else _("unknown")


def charter_versions_approved(decision: Decision) -> list[int]:
    return list(
        decision.network.charter_versions.filter(
            agreed_ref_kind="decision", agreed_ref_id=decision.pk
        ).values_list("number", flat=True)
    )
