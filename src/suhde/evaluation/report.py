"""The round report: what a round achieved, as one typed structure (issue 22, point 5).

``round_report(network, number)`` is the one read behind the report's page, its PDF and the API's
``round_report_get``. Figures always come from the system: goals and their results, the survey's
*published* figures (through ``common.privacy.figures_public`` and the waves' audited changes),
the service paths' transitions, participation, decisions and learning outcomes. The only text a
person writes is the narrative around them (``Round.narrative``).

Nothing here names a person: the report goes to home organizations and funders. Who joined in
the round is counted by sector; the round page shows the names separately, to whom the registry
is open (``new_actors_named``). A fixed number of queries, however many goals, paths or decisions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from suhde.charter.models import Goal, Indicator, Progress
from suhde.common.privacy import figures_public
from suhde.decisions.models import Decision
from suhde.decisions.models import Status as DecisionStatus
from suhde.networks.models import GoalKind, Membership, Network, Sector
from suhde.paths.queries import TransitionFigures, transitions_with_figures
from suhde.surveys.models import Status as WaveStatus
from suhde.surveys.models import Wave
from suhde.surveys.snapshot import SnapshotError, snapshot_of
from suhde.workshops.models import Attendee, Meeting, Post, PromptKind

from .models import (
    GoalResult,
    IndicatorValue,
    LearningOutcome,
    OutcomeKind,
    Round,
    Verdict,
)
from .rounds import NARRATIVE_SECTIONS, RoundSpan, round_row, round_span

DECIDED = (DecisionStatus.DECIDED, DecisionStatus.CARRIED_OUT, DecisionStatus.REVISED)
HIGHLIGHTS_SHOWN = 60


@dataclass
class ValueRow:
    """One value of an indicator: measured in the round (``source`` given) or a progress update
    of the charter (``source`` is its note). ``corrected_by`` is set on a value a later one
    corrected: it stays as history."""

    id: int
    value: Decimal
    measured_on: date
    source: str
    corrects: int | None = None
    correction_reason: str = ""
    corrected_by: int | None = None

    @property
    def current(self) -> bool:
        return self.corrected_by is None


@dataclass
class IndicatorRow:
    id: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    values: list[ValueRow]  # the round's measured values with their history, oldest first
    progress: list[ValueRow]  # the charter's progress updates dated inside the round

    @property
    def latest(self) -> ValueRow | None:
        current = [v for v in self.values if v.current]
        return current[-1] if current else None


@dataclass
class Link:
    id: int
    title: str


@dataclass
class GoalRow:
    id: int
    title: str
    kind: str
    kind_label: str
    indicators: list[IndicatorRow]
    verdict: str | None = None  # Verdict value; None while not agreed yet
    verdict_label: str = ""
    reason: str = ""
    meeting: Link | None = None
    decision: Link | None = None


@dataclass
class KindSummary:
    """The goals of one of the material's four kinds and how they went."""

    kind: str
    label: str
    goals: int
    reached: int
    partly: int
    not_reached: int
    open: int


@dataclass
class Health:
    """The survey's published network figures for the round's wave, and their change since the
    previous wave where the survey's audit allows it; counts beside every figure."""

    wave: Link | None
    previous: Link | None
    k: int | None
    respondents: int | None
    figures: dict[str, float | None]  # knowing, trust, commitment, self: None when not shown
    counts: dict[str, int]
    change: dict[str, dict] | None  # family → before, after, change; None: no comparison
    change_respondents: list[int | None] | None = None


@dataclass
class TransitionRow:
    path: str
    transition: str
    rating: str
    rating_label: str
    ties: int
    strong: int
    ties_before: int | None = None
    rating_before: str | None = None
    rating_before_label: str = ""


@dataclass
class OrganizationRow:
    name: str
    sector: str
    sector_label: str
    meetings: int
    attendances: int


@dataclass
class SectorCount:
    sector: str
    label: str
    count: int


@dataclass
class Participation:
    meetings: int
    organizations: list[OrganizationRow]
    sectors: list[SectorCount]  # attendances per sector


@dataclass
class DecisionRow:
    id: int
    title: str
    decided_on: date | None
    mode: str
    mode_label: str


@dataclass
class OutcomeRow:
    id: int
    kind: str
    example: str
    evidence: str
    created_at: datetime


@dataclass
class OutcomeGroup:
    kind: str
    label: str
    examples: list[OutcomeRow]


@dataclass
class NewActors:
    """The third learning outcome from the registry: who joined in the round, by sector."""

    total: int
    sectors: list[SectorCount]


@dataclass
class Section:
    key: str
    label: str
    text: str


@dataclass
class RoundReport:
    network: Network
    span: RoundSpan
    goals: list[GoalRow]
    kinds: list[KindSummary]
    health: Health
    transitions: list[TransitionRow]
    participation: Participation
    decisions: list[DecisionRow]
    outcomes: list[OutcomeGroup]
    new_actors: NewActors
    highlights: list[str]
    narrative: list[Section]
    written: Round | None = field(default=None, repr=False)

    def text(self, key: str) -> str:
        return next((s.text for s in self.narrative if s.key == key), "")


# --- goals --------------------------------------------------------------------------------------


def _goals_in_round(network: Network, span: RoundSpan):
    goals = network.goals.all()
    if span.ends_at is not None:
        goals = goals.filter(created_at__lt=span.ends_at)
    progress = Progress.objects.filter(recorded_on__gte=span.first_day)
    if span.ends_on is not None:
        progress = progress.filter(recorded_on__lte=span.ends_on)
    return goals.prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch("progress", queryset=progress.order_by("recorded_on", "id"))
            ),
        )
    ).order_by("due_on", "title", "id")


def _values(written: Round | None) -> dict[int, list[ValueRow]]:
    if written is None:
        return {}
    rows = IndicatorValue.objects.filter(round=written).order_by("measured_on", "id")
    corrected = {
        corrects: pk
        for pk, corrects in rows.filter(corrects__isnull=False).values_list("pk", "corrects_id")
    }
    out: dict[int, list[ValueRow]] = {}
    for value in rows:
        out.setdefault(value.indicator_id, []).append(
            ValueRow(
                id=value.pk,
                value=value.value,
                measured_on=value.measured_on,
                source=value.source,
                corrects=value.corrects_id,
                correction_reason=value.correction_reason,
                corrected_by=corrected.get(value.pk),
            )
        )
    return out


def _results(written: Round | None) -> dict[int, GoalResult]:
    if written is None:
        return {}
    rows = GoalResult.objects.filter(round=written).select_related("meeting", "decision")
    return {row.goal_id: row for row in rows}


def _indicator(indicator: Indicator, values: dict[int, list[ValueRow]]) -> IndicatorRow:
    return IndicatorRow(
        id=indicator.pk,
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline,
        target=indicator.target,
        values=values.get(indicator.pk, []),
        progress=[
            ValueRow(id=p.pk, value=p.value, measured_on=p.recorded_on, source=p.note)
            for p in indicator.progress.all()
        ],
    )


def _goal(goal: Goal, result: GoalResult | None, values: dict) -> GoalRow:
    row = GoalRow(
        id=goal.pk,
        title=goal.title,
        kind=goal.kind,
        kind_label=str(GoalKind(goal.kind).label),
        indicators=[_indicator(i, values) for i in goal.indicators.all()],
    )
    if result is not None:
        row.verdict = result.verdict
        row.verdict_label = str(Verdict(result.verdict).label)
        row.reason = result.reason
        row.meeting = Link(result.meeting.pk, result.meeting.title) if result.meeting else None
        row.decision = Link(result.decision.pk, result.decision.title) if result.decision else None
    return row


def goal_rows(network: Network, span: RoundSpan, written: Round | None) -> list[GoalRow]:
    """The round's goals (those set before it ended) with their indicators and verdicts."""
    values, results = _values(written), _results(written)
    return [_goal(g, results.get(g.pk), values) for g in _goals_in_round(network, span)]


def kinds_summary(goals: list[GoalRow]) -> list[KindSummary]:
    """The four goal kinds of the material, each with how many goals and how they went."""
    out = []
    for kind in GoalKind:
        verdicts = Counter(g.verdict for g in goals if g.kind == kind.value)
        out.append(
            KindSummary(
                kind=kind.value,
                label=str(kind.label),
                goals=sum(verdicts.values()),
                reached=verdicts[Verdict.REACHED],
                partly=verdicts[Verdict.PARTLY],
                not_reached=verdicts[Verdict.NOT],
                open=verdicts[None],
            )
        )
    return out


# --- the survey's published figures ---------------------------------------------------------------


def _waves_closed_in(network: Network, span: RoundSpan) -> list[Wave]:
    """The closed waves up to the round's end, newest first: the round's wave and the one
    before it, whichever round that one closed in."""
    waves = Wave.objects.filter(
        network=network, status=WaveStatus.CLOSED, snapshot__isnull=False
    ).order_by("-closed_at", "-pk")
    if span.ends_at is not None:
        waves = waves.filter(closed_at__lt=span.ends_at)
    return list(waves[:2])


def _no_health(wave: Wave | None = None) -> Health:
    link = Link(wave.pk, wave.title) if wave is not None else None
    return Health(link, None, None, None, {}, {}, None)


def health(network: Network, span: RoundSpan) -> Health:
    """The network's health at the round's wave (the last closed in the round) and its change
    since the wave before; only what the survey published, with the counts it stands on."""
    waves = _waves_closed_in(network, span)
    if not waves or not span.holds(waves[0].closed_at):
        return _no_health()
    wave = waves[0]
    try:
        snapshot = snapshot_of(wave)
    except SnapshotError:
        snapshot = None
    if snapshot is None:
        return _no_health(wave)
    cell = figures_public(snapshot.figures, wave.k).get("network") or {}
    counts = dict(cell.get("counts") or {})
    figures = {f: cell.get(f) if f in counts else None for f in FAMILIES}
    out = Health(
        wave=Link(wave.pk, wave.title),
        previous=None,
        k=wave.k,
        respondents=cell.get("respondents"),
        figures=figures,
        counts=counts,
        change=None,
    )
    if len(waves) > 1:
        _health_change(out, waves[1], wave)
    return out


FAMILIES = ("knowing", "trust", "commitment", "self")


def _health_change(out: Health, before: Wave, after: Wave) -> None:
    from .queries import compare  # the dashboard's comparison: the audited changes only

    try:
        cells = compare(before, after).indices.get("network") or []
    except SnapshotError:
        return
    out.previous = Link(before.pk, before.title)
    cell = cells[0] if cells else {"suppressed": True}
    if cell.get("suppressed"):
        out.change = {}
        return
    out.change = {f: cell[f] for f in FAMILIES if cell.get(f)}
    out.change_respondents = cell.get("respondents")


# --- service paths ------------------------------------------------------------------------------


def transition_rows(network: Network, health: Health) -> list[TransitionRow]:
    """Each transition's handoff rating at the round's wave, and the one before (counted from
    each wave's tie list, as the comparison of waves does). Never who carries a handoff."""
    if health.wave is None:
        now = transitions_with_figures(network)
        before: dict[int, TransitionFigures] = {}
    else:
        wave = Wave.objects.get(pk=health.wave.id)
        now = transitions_with_figures(network, wave, ties_from="wave")
        if health.previous is not None:
            old = Wave.objects.get(pk=health.previous.id)
            before = {
                f.transition.pk: f for f in transitions_with_figures(network, old, ties_from="wave")
            }
    rows = []
    for figures in now:
        transition = figures.transition
        earlier = before.get(transition.pk)
        rows.append(
            TransitionRow(
                path=transition.path.name,
                transition=f"{transition.source.name} → {transition.target.name}",
                rating=figures.rating,
                rating_label=figures.rating_label,
                ties=figures.ties,
                strong=figures.strong,
                ties_before=earlier.ties if earlier else None,
                rating_before=earlier.rating if earlier else None,
                rating_before_label=earlier.rating_label if earlier else "",
            )
        )
    return rows


# --- participation, decisions, learning ---------------------------------------------------------


def _sector_label(sector: str) -> str:
    return str(Sector(sector).label) if sector in Sector.values else _("no organization")


def participation(network: Network, span: RoundSpan) -> Participation:
    """Attendances at the network's meetings in the round, by organization and by sector."""
    rows = Attendee.objects.filter(meeting__network=network, meeting__starts_at__gte=span.starts_at)
    if span.ends_at is not None:
        rows = rows.filter(meeting__starts_at__lt=span.ends_at)
    organizations: dict[str, dict] = {}
    sectors: Counter = Counter()
    meetings: set[int] = set()
    for meeting_id, name, sector in rows.values_list(
        "meeting_id", "organization__name", "organization__sector"
    ):
        meetings.add(meeting_id)
        sectors[sector or ""] += 1
        entry = organizations.setdefault(name or "", {"sector": sector or "", "m": set(), "n": 0})
        entry["m"].add(meeting_id)
        entry["n"] += 1
    return Participation(
        meetings=len(meetings),
        organizations=sorted(
            (
                OrganizationRow(
                    name=name or _("no organization"),
                    sector=e["sector"],
                    sector_label=_sector_label(e["sector"]) if e["sector"] else "",
                    meetings=len(e["m"]),
                    attendances=e["n"],
                )
                for name, e in organizations.items()
            ),
            key=lambda r: (-r.meetings, -r.attendances, r.name.lower()),
        ),
        sectors=_sector_counts(sectors),
    )


def _sector_counts(counts: Counter) -> list[SectorCount]:
    return [
        SectorCount(sector=key, label=_sector_label(key), count=counts[key])
        for key in [*Sector.values, ""]
        if counts[key]
    ]


def decision_rows(network: Network, span: RoundSpan) -> list[DecisionRow]:
    """Decisions made in the round: decided (or carried out, or revised since) on a day in it."""
    rows = Decision.objects.filter(
        network=network, status__in=DECIDED, decided_on__gte=span.first_day
    )
    if span.ends_on is not None:
        rows = rows.filter(decided_on__lte=span.ends_on)
    return [
        DecisionRow(
            id=d.pk,
            title=d.title,
            decided_on=d.decided_on,
            mode=d.mode,
            mode_label=str(d.get_mode_display()),
        )
        for d in rows.order_by("decided_on", "id")
    ]


def outcome_groups(written: Round | None) -> list[OutcomeGroup]:
    rows = [] if written is None else list(LearningOutcome.objects.filter(round=written))
    return [
        OutcomeGroup(
            kind=kind.value,
            label=str(kind.label),
            examples=[
                OutcomeRow(r.pk, r.kind, r.example, r.evidence, r.created_at)
                for r in rows
                if r.kind == kind.value
            ],
        )
        for kind in OutcomeKind
    ]


def _joined(network: Network, span: RoundSpan):
    """Memberships that began in the round (a person who was already a member does not count
    again for a new membership in the same network)."""
    rows = Membership.objects.filter(network=network, joined_on__gte=span.first_day)
    if span.ends_on is not None:
        rows = rows.filter(joined_on__lte=span.ends_on)
    earlier = Membership.objects.filter(
        network=network, person=OuterRef("person"), joined_on__lt=span.first_day
    )
    return rows.exclude(Exists(earlier))


def new_actors(network: Network, span: RoundSpan) -> NewActors:
    counts: Counter = Counter()
    people: set[int] = set()
    for person_id, sector in _joined(network, span).values_list(
        "person_id", "person__organization__sector"
    ):
        if person_id not in people:
            people.add(person_id)
            counts[sector or ""] += 1
    return NewActors(total=len(people), sectors=_sector_counts(counts))


@dataclass
class Joiner:
    name: str
    organization: str
    sector_label: str
    joined_on: date


def new_actors_named(network: Network, span: RoundSpan) -> list[Joiner]:
    """Who joined in the round, by name: for the round page, to roles the registry is open to
    (``access.registry_names_visible``); never in the report or its PDF."""
    rows = _joined(network, span).select_related("person", "person__organization")
    seen: set[int] = set()
    out = []
    for m in rows.order_by("joined_on", "person__name", "id"):
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        organization = m.person.organization
        out.append(
            Joiner(
                name=m.person.name,
                organization=organization.name if organization else "",
                sector_label=_sector_label(organization.sector) if organization else "",
                joined_on=m.joined_on,
            )
        )
    return out


def highlights(written: Round | None) -> list[str]:
    """The visible highlights of the round's reflection session: what the room posted and the
    facilitator left on the wall (hidden, held and merged posts are not)."""
    if written is None or written.reflection_session_id is None:
        return []
    rows = Post.objects.filter(
        prompt__session_id=written.reflection_session_id,
        prompt__kind=PromptKind.HIGHLIGHTS,
        hidden=False,
        held=False,
        merged_into__isnull=True,
    ).order_by("prompt__order", "-pinned", "pk")
    return list(rows.values_list("text", flat=True)[:HIGHLIGHTS_SHOWN])


def narrative(written: Round | None) -> list[Section]:
    texts = written.narrative if written is not None else {}
    return [
        Section(key=key, label=str(label), text=str(texts.get(key) or ""))
        for key, label in NARRATIVE_SECTIONS.items()
    ]


def round_report(network: Network, number: int) -> RoundReport:
    """Everything the report of round ``number`` shows (404 for a round not begun)."""
    span = round_span(network, number)
    written = round_row(network, number)
    goals = goal_rows(network, span, written)
    state = health(network, span)
    return RoundReport(
        network=network,
        span=span,
        goals=goals,
        kinds=kinds_summary(goals),
        health=state,
        transitions=transition_rows(network, state),
        participation=participation(network, span),
        decisions=decision_rows(network, span),
        outcomes=outcome_groups(written),
        new_actors=new_actors(network, span),
        highlights=highlights(written),
        narrative=narrative(written),
        written=written,
    )


def report_dict(report: RoundReport) -> dict:
    """The report as plain data (the API's ``round_report_get``): figures and narrative."""
    span = report.span
    return {
        "network": report.network.slug,
        "round": {
            "number": span.number,
            "starts_on": span.starts_on,
            "ends_on": span.ends_on,
            "closed": span.closed,
        },
        "goals": [asdict(goal) for goal in report.goals],
        "kinds": [asdict(kind) for kind in report.kinds],
        "health": asdict(report.health),
        "transitions": [asdict(row) for row in report.transitions],
        "participation": asdict(report.participation),
        "decisions": [asdict(row) for row in report.decisions],
        "outcomes": [asdict(group) for group in report.outcomes],
        "new_actors": asdict(report.new_actors),
        "highlights": list(report.highlights),
        "narrative": [asdict(section) for section in report.narrative],
    }


def outcome_dict(outcome: LearningOutcome) -> dict:
    return {
        "id": outcome.pk,
        "kind": outcome.kind,
        "label": str(OutcomeKind(outcome.kind).label),
        "example": outcome.example,
        "evidence": outcome.evidence,
        "created_at": outcome.created_at,
    }


def outcomes_of(network: Network, number: int) -> list[LearningOutcome]:
    """The round's learning outcomes, oldest first within each kind (404 for a round not
    begun; an empty list for a round nobody has written about yet)."""
    round_span(network, number)
    order = list(OutcomeKind.values)
    rows = LearningOutcome.objects.filter(round__network=network, round__number=number)
    return sorted(rows.order_by("created_at", "id"), key=lambda row: order.index(row.kind))


def meetings_in_round(network: Network, span: RoundSpan) -> list[Meeting]:
    """The network's meetings of the round, to name where a verdict was agreed."""
    rows = Meeting.objects.filter(network=network, starts_at__gte=span.starts_at)
    if span.ends_at is not None:
        rows = rows.filter(starts_at__lt=span.ends_at)
    return list(rows.order_by("-starts_at", "-id").only("id", "title", "starts_at"))


def decisions_to_link(network: Network) -> list[Decision]:
    """The decision log's decisions, newest first, to name the one that agreed a verdict."""
    return list(
        Decision.objects.filter(network=network)
        .order_by("-decided_on", "-id")
        .only("id", "title", "decided_on")[:200]
    )


def value_in(
    network: Network, number: int, indicator: Indicator, value_id: object
) -> IndicatorValue:
    """A recorded value of this indicator in this round of this network; 404 otherwise."""
    try:
        pk = int(str(value_id))
    except (TypeError, ValueError):
        raise Http404("value") from None
    value = (
        IndicatorValue.objects.select_related("round", "round__network")
        .filter(round__network=network, round__number=number, indicator=indicator, pk=pk)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if value is None:
        raise Http404("value")
    return value
