"""Rounds of the continuum: reads (the writes are in ``domain``).

A round runs from a start in phase 1 to the next return to phase 1. Round 1 starts when the
network was created; every phase change *to* phase 1 from another phase ends the round in
progress and starts the next. Spans are derived from ``networks.PhaseChange`` every time and
never stored, so there is nothing to keep in step: moving the network between phases is the
only way a round opens or closes, and a closed round stays closed (phase changes are history;
nothing in Suhde removes one). A ``Round`` row holds what people wrote about the round and is
made on the first write.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.common.privacy import position_aggregate_allowed
from suhde.networks.models import Network, Person, Phase, PhaseChange

from .models import Position, PositionReflection, Round, Working

# The narrative a coordinator writes around the figures of the report, section by section.
NARRATIVE_SECTIONS: dict[str, object] = {
    "summary": _("The round in brief"),
    "goals": _("Goals and results"),
    "health": _("The network's health"),
    "paths": _("Service paths"),
    "participation": _("Participation"),
    "decisions": _("Decisions"),
    "learning": _("What we learned"),
    "next_focus": _("The next round's focus"),
}
NARRATIVE_MAX = 5000


@dataclass(frozen=True)
class RoundSpan:
    """One round: its number, when it started and (once closed) ended."""

    number: int
    starts_at: datetime
    ends_at: datetime | None  # None: the round in progress

    @property
    def closed(self) -> bool:
        return self.ends_at is not None

    @property
    def starts_on(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def ends_on(self) -> date | None:
        return timezone.localdate(self.ends_at) if self.ends_at else None

    def holds(self, moment: datetime | None) -> bool:
        """Whether a moment falls in the round (its start included, its end not)."""
        if moment is None:
            return False
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)

    @property
    def first_day(self) -> date:
        """The first day whose dated records (a progress update, a decision, a membership) count
        in this round: the day a round changed belongs to the round that ended on it."""
        return self.starts_on if self.number == 1 else self.starts_on + timedelta(days=1)

    def holds_day(self, day: date | None) -> bool:
        if day is None:
            return False
        return self.first_day <= day and (self.ends_on is None or day <= self.ends_on)


def rounds_of(network: Network) -> list[RoundSpan]:
    """Every round of the network, the first first; the last is the one in progress. One query."""
    returns = (
        PhaseChange.objects.filter(network=network, to_phase=Phase.SEE)
        .exclude(from_phase=Phase.SEE)
        .order_by("changed_at", "id")
        .values_list("changed_at", flat=True)
    )
    starts = [network.created_at]
    ends: list[datetime | None] = []
    for moment in returns:
        if moment <= starts[-1]:
            continue  # a change recorded before the network's own creation (an import)
        ends.append(moment)
        starts.append(moment)
    ends.append(None)
    return [
        RoundSpan(number=n, starts_at=start, ends_at=end)
        for n, (start, end) in enumerate(zip(starts, ends, strict=True), start=1)
    ]


def round_span(network: Network, number: int) -> RoundSpan:
    """One round of the network by its number: 404 for a round that has not begun."""
    spans = rounds_of(network)
    if not 1 <= number <= len(spans):
        raise Http404("round")
    return spans[number - 1]


def round_current(network: Network) -> RoundSpan:
    return rounds_of(network)[-1]


def round_row(network: Network, number: int) -> Round | None:
    """The written part of a round, if anyone has written anything yet."""
    return Round.objects.filter(network=network, number=number).first()


def round_for_report(network: Network, spans: list[RoundSpan]) -> RoundSpan:
    """The round a report is usually wanted for: the one in progress while the network is in
    phase 4, else the last closed one (or the one in progress when none has closed)."""
    if network.phase == Phase.REFLECT or len(spans) == 1:
        return spans[-1]
    return spans[-2]


# --- leading positions (issue 22, point 4) ------------------------------------------------------


@dataclass
class PositionShare:
    key: str
    label: str
    people: int


@dataclass
class PositionPicture:
    """The network's leaders' self-reflections of one round, one answer per person, or why
    there is none to show."""

    people: int
    shown: bool
    positions: list[PositionShare]
    working: list[PositionShare]


def reflections_mine(network: Network, number: int, person: Person | None) -> list:
    """The caller's own self-reflections of the round: nobody else's, ever."""
    if person is None:
        return []
    return list(
        PositionReflection.objects.filter(
            round__network=network, round__number=number, person=person
        ).select_related("meeting")
    )


def position_picture(network: Network, span: RoundSpan) -> PositionPicture:
    """Each person's reflection counted once (for the round, else their latest of a meeting);
    shown only when ``common.privacy.position_aggregate_allowed`` lets it (the round closed,
    enough people)."""
    rows = PositionReflection.objects.filter(round__network=network, round__number=span.number)
    chosen: dict[int, tuple] = {}
    for person_id, meeting_id, position, working, updated in rows.values_list(
        "person_id", "meeting_id", "position", "working", "updated_at"
    ):
        rank = (meeting_id is None, updated)
        if person_id not in chosen or rank > chosen[person_id][0]:
            chosen[person_id] = (rank, position, working)
    people = len(chosen)
    if not position_aggregate_allowed(people=people, closed=span.closed):
        return PositionPicture(people=people, shown=False, positions=[], working=[])
    positions = Counter(p for _rank, p, _w in chosen.values())
    ways = Counter(w for _rank, _p, w in chosen.values())
    return PositionPicture(
        people=people,
        shown=True,
        positions=[PositionShare(c.value, str(c.label), positions[c.value]) for c in Position],
        working=[PositionShare(c.value, str(c.label), ways[c.value]) for c in Working],
    )
