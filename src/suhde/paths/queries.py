"""Reads of service paths, and the relationships under each transition phase.

For every transition, two sides: the people of the stage before and of the stage after (the
people named responsible, and the current members of the organizations named). Under it:

- the ties between the two sides from the registry (or from a closed wave's tie list): how many
  pairs of people are tied, how many of those ties are strong and how many reciprocated;
- the knowing, trust and commitment figures of each pair of organizations across it, **only as
  the survey published them** (``organization_pairs`` in the wave's snapshot, read through
  ``common.privacy.figures_public``), else ``suppressed``; raw answers are never read here;
- a gap rating with its reasons in plain words.

``transitions_with_figures(network, wave)`` is the one entry for other apps (the evaluation's
round report): every transition of every path of the network, with its figures, in a fixed
number of queries however many paths there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suhde.common.privacy import figures_public
from suhde.networks import access
from suhde.networks.models import Network, Person
from suhde.surveys.models import Status as WaveStatus
from suhde.surveys.models import Wave
from suhde.surveys.scores import pair_key
from suhde.surveys.snapshot import snapshot_of

from .models import HandoffStatus, ServicePath, Stage, Transition

# A published trust index (0–100) below this is "low trust across the pair": below the middle of
# the scale, the partners on average lean to distrust rather than trust (docs/instrument.md).
LOW_TRUST = 50
FAMILIES = ("knowing", "trust", "commitment")
PAIR_SECTION = "organization_pairs"

STRONG, WEAK, GAP = "strong", "weak", "gap"
RATING_LABELS = {
    STRONG: gettext_lazy("strong handoff"),
    WEAK: gettext_lazy("weak handoff"),
    GAP: gettext_lazy("gap"),
}
# The diagram's label on the arrow itself, where only a word fits.
RATING_SHORT = {
    STRONG: gettext_lazy("strong"),
    WEAK: gettext_lazy("weak"),
    GAP: gettext_lazy("gap"),
}
RATING_RANK = {STRONG: 0, WEAK: 1, GAP: 2}
FAMILY_LABELS = {
    "knowing": gettext_lazy("knowing"),
    "trust": gettext_lazy("trust"),
    "commitment": gettext_lazy("commitment"),
}


def paths_of(network: Network) -> QuerySet[ServicePath]:
    return ServicePath.objects.filter(network=network).order_by("name", "id")


def path_in(network: Network, path_id: int) -> ServicePath:
    return get_object_or_404(ServicePath.objects, network=network, pk=path_id)


def transition_in(network: Network, transition_id: int) -> Transition:
    return get_object_or_404(
        Transition.objects.select_related("path", "source", "target"),
        path__network=network,
        pk=transition_id,
    )


def stages_of(path: ServicePath) -> list[Stage]:
    """The stages in their listed order, with organizations, people and what they follow."""
    return list(
        path.stages.prefetch_related(
            "organizations", Prefetch("people", queryset=Person.objects.order_by("name")), "after"
        ).order_by("position", "id")
    )


def responsible_choices(network: Network) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The organizations and the people a stage or a handoff may name, by name."""
    organizations = list(
        access.organizations_in(network).order_by("name").values_list("pk", "name")
    )
    people = list(access.people_in(network).order_by("name").values_list("pk", "name"))
    return organizations, people


def stage_names(path: ServicePath) -> dict[str, str]:
    """The path's stages' names by key."""
    return dict(path.stages.values_list("key", "name"))


def columns_of(stages: list[Stage]) -> dict[int, int]:
    """Each stage's column in the diagram: the longest run of stages before it (branches
    stand side by side, a rejoining stage comes after both)."""
    column: dict[int, int] = {}
    by_id = {stage.pk: stage for stage in stages}

    def depth(stage: Stage, seen: frozenset = frozenset()) -> int:
        if stage.pk not in column:
            before = [by_id[s.pk] for s in stage.after.all() if s.pk in by_id and s.pk not in seen]
            column[stage.pk] = 1 + max((depth(b, seen | {stage.pk}) for b in before), default=-1)
        return column[stage.pk]

    for stage in stages:
        depth(stage)
    return column


# --- the relationships under a transition -------------------------------------------------------


@dataclass
class Reason:
    code: str
    text: str


@dataclass
class PairFigures:
    source: str
    target: str
    suppressed: bool
    knowing: float | None = None
    trust: float | None = None
    commitment: float | None = None


@dataclass
class TransitionFigures:
    transition: Transition
    source_people: int
    target_people: int
    ties: int  # pairs of people across the transition tied in either direction
    strong: int
    reciprocated: int
    carriers: list[str]  # who alone carries every tie on one side (a single point of failure)
    pairs: list[PairFigures]
    wave: Wave | None
    rating: str = STRONG
    reasons: list[Reason] = field(default_factory=list)
    carrier_ids: list[int] = field(default_factory=list)
    side_ids: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))  # by name

    @property
    def strong_share(self) -> float | None:
        return round(self.strong / self.ties * 100, 1) if self.ties else None

    @property
    def reciprocated_share(self) -> float | None:
        return round(self.reciprocated / self.ties * 100, 1) if self.ties else None

    @property
    def rating_label(self) -> str:
        return str(RATING_LABELS[self.rating])

    @property
    def severity(self) -> tuple[int, int, int]:
        return (RATING_RANK[self.rating], len(self.reasons), -self.ties)


def latest_wave(network: Network) -> Wave | None:
    """The latest closed wave with a snapshot: the survey's published figures."""
    return (
        Wave.objects.filter(network=network, status=WaveStatus.CLOSED, snapshot__isnull=False)
        .order_by("-closed_at", "-pk")
        .first()
    )


def closed_waves(network: Network) -> list[Wave]:
    return list(
        Wave.objects.filter(network=network, status=WaveStatus.CLOSED, snapshot__isnull=False)
        .order_by("-closed_at", "-pk")
        .only("pk", "title", "k", "closed_at", "snapshot", "network_id")
    )


def published_pairs(wave: Wave | None) -> dict[str, dict[str, object]]:
    """The wave's organization-pair figures as published, by pair key; re-checked on read."""
    if wave is None:
        return {}
    snapshot = snapshot_of(wave)
    if snapshot is None:
        return {}
    cells = figures_public(snapshot.figures, wave.k).get(PAIR_SECTION) or []
    return {cell["key"]: cell for cell in cells if isinstance(cell, dict)}


def _pair(source: str, target: str, published: dict[str, dict[str, object]]) -> PairFigures:
    cell = published.get(pair_key(source, target))
    if cell is None or cell.get("suppressed"):
        return PairFigures(source, target, suppressed=True)
    knowing, trust, commitment = (_figure(cell.get(family)) for family in FAMILIES)
    return PairFigures(source, target, False, knowing, trust, commitment)


def _figure(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _sides(
    transitions: list[Transition], network: Network, names: dict[int, str] | None = None
) -> dict[int, set[int]]:
    """Each stage's people: those named, and the current members of the organizations named.
    ``names`` (when given) is filled with everyone's name, at no extra query."""
    names = {} if names is None else names
    stage_ids = {t.source_id for t in transitions} | {t.target_id for t in transitions}
    stages = Stage.objects.filter(pk__in=stage_ids).prefetch_related("organizations", "people")
    org_of_stage = {s.pk: {o.pk for o in s.organizations.all()} for s in stages}
    sides = {s.pk: {p.pk for p in s.people.all()} for s in stages}
    names.update({p.pk: p.name for s in stages for p in s.people.all()})
    org_ids = set().union(*org_of_stage.values()) if org_of_stage else set()
    members = access.people_in(network).filter(organization_id__in=org_ids)
    by_org: dict[int, set[int]] = {}
    for person_id, org_id, name in members.values_list("pk", "organization_id", "name"):
        by_org.setdefault(org_id, set()).add(person_id)
        names[person_id] = name
    for stage_id, orgs in org_of_stage.items():
        for org_id in orgs:
            sides[stage_id] |= by_org.get(org_id, set())
    return sides


def _ties(network: Network, people: set[int], wave: Wave | None) -> dict[tuple[int, int], bool]:
    """Directed ties among these people → strong; from the registry, or from a wave's list."""
    if wave is not None:
        snapshot = snapshot_of(wave)
        listed = (snapshot.ties or []) if snapshot else []
        return {(s, t): bool(strong) for s, t, strong in listed if s in people and t in people}
    rows = (
        access.ties_in(network)
        .filter(source_id__in=people, target_id__in=people)
        .values_list("source_id", "target_id", "strength")
    )
    return {(s, t): strength == "strong" for s, t, strength in rows}


def _across(
    source: set[int], target: set[int], ties: dict[tuple[int, int], bool]
) -> tuple[int, int, int, list[set[int]]]:
    pairs: dict[frozenset[int], list[bool]] = {}
    ends_source: set[int] = set()
    ends_target: set[int] = set()
    for (a, b), is_strong in ties.items():
        if a == b:
            continue
        for x, y in ((a, b), (b, a)):
            if x in source and y in target and not (x in target and y in source):
                pairs.setdefault(frozenset((a, b)), []).append(is_strong)
                ends_source.add(x)
                ends_target.add(y)
                break
    count = len(pairs)
    strong = sum(1 for kinds in pairs.values() if any(kinds))
    reciprocated = sum(1 for kinds in pairs.values() if len(kinds) == 2)
    return count, strong, reciprocated, [ends_source, ends_target]


def transitions_with_figures(
    network: Network,
    wave: Wave | None = None,
    *,
    path: ServicePath | None = None,
    ties_from: str | None = None,
) -> list[TransitionFigures]:
    """Every transition of the network's paths (or of one ``path``) with its relationships.

    ``wave``: the closed wave whose published pair figures are read (default: the latest).
    ``ties_from``: ``"wave"`` to count the ties of that wave's tie list instead of the
    registry's current ties (the comparison of two waves does). A fixed number of queries.
    """
    if wave is None:
        wave = latest_wave(network)
    transitions = list(
        Transition.objects.filter(path__network=network, **({"path": path} if path else {}))
        .select_related("path", "source", "target", "handed_by", "received_by")
        .prefetch_related("source__organizations", "target__organizations")
        .order_by("path__name", "path_id", "source__position", "target__position", "id")
    )
    if not transitions:
        return []
    names: dict[int, str] = {}
    sides = _sides(transitions, network, names)
    everyone = set().union(*sides.values())
    ties = _ties(network, everyone, wave if ties_from == "wave" else None)
    published = published_pairs(wave)
    results: list[TransitionFigures] = []
    carrier_ids: dict[int, list[int]] = {}
    for transition in transitions:
        source, target = (
            sides.get(transition.source_id, set()),
            sides.get(transition.target_id, set()),
        )
        count, strong, reciprocated, ends = _across(source, target, ties)
        pairs = [
            _pair(a.name, b.name, published)
            for a in transition.source.organizations.all()
            for b in transition.target.organizations.all()
            if a.pk != b.pk
        ]
        figures = TransitionFigures(
            transition, len(source), len(target), count, strong, reciprocated, [], pairs, wave
        )
        carrier_ids[transition.pk] = [
            next(iter(end)) for end in ends if count >= 1 and len(end) == 1
        ]
        results.append(figures)
    for figures in results:
        t = figures.transition
        figures.carrier_ids = list(dict.fromkeys(carrier_ids[t.pk]))
        figures.carriers = [names.get(pid, "") for pid in figures.carrier_ids]
        source_ids, target_ids = (
            sorted(sides.get(stage_id, set()), key=lambda pid: (names.get(pid, ""), pid))
            for stage_id in (t.source_id, t.target_id)
        )
        figures.side_ids = (source_ids, target_ids)
        gap_rate(figures)
    return results


def handoff_suggestions(network: Network) -> list[dict[str, object]]:
    """Weaving suggestions from the gaps of the network's service paths, in the form of
    ``suhde.analysis.suggestions`` (the evaluation's dashboard words and ranks them): introduce
    the two sides of a handoff nobody bridges, or a colleague of the one person who carries it.
    From the registry's ties now, so they follow the work done since the wave."""
    out: list[dict[str, object]] = []
    for figures in transitions_with_figures(network):
        t, (source, target) = figures.transition, figures.side_ids
        groups = [t.source.name, t.target.name]
        numbers = {"transition": t.pk, "path": t.path_id}
        if figures.ties == 0 and source and target:
            a = t.handed_by_id if t.handed_by_id in source else source[0]
            b = t.received_by_id if t.received_by_id in target else target[0]
            out.append({"kind": "handoff", "people": [str(a), str(b)], "groups": groups,
                        "numbers": {**numbers, "carrier": 0}})  # fmt: skip
        for carrier in figures.carrier_ids:
            side = source if carrier in source else target
            colleague = next((pid for pid in side if pid != carrier), None)
            if colleague is not None and figures.ties > 0:
                out.append({"kind": "handoff", "people": [str(carrier), str(colleague)],
                            "groups": groups, "numbers": {**numbers, "carrier": 1}})  # fmt: skip
    for rank, suggestion in enumerate(out, start=1):
        suggestion["rank"] = rank
    return out


def path_figures(path: ServicePath, wave: Wave | None = None) -> list[TransitionFigures]:
    return transitions_with_figures(path.network, wave, path=path)


# --- the gap rating --------------------------------------------------------------------------


def _number(value: float) -> str:
    return number_format(value, 0)


def gap_rate(figures: TransitionFigures) -> TransitionFigures:
    """Rate the handoff and say why in plain words. A gap: nobody knows anybody across it, or
    no handoff is agreed at all. Weak: it holds, but something makes it fragile."""
    transition, reasons = figures.transition, []
    source, target = transition.source.name, transition.target.name
    if figures.ties == 0:
        reasons.append(
            Reason(
                "no_tie",
                _("Nobody at “%(source)s” has a tie with anybody at “%(target)s”.")
                % {"source": source, "target": target},
            )
        )
    elif figures.strong == 0:
        reasons.append(
            Reason(
                "only_weak",
                ngettext(
                    "%(count)d tie crosses the handoff, and it is weak.",
                    "%(count)d ties cross the handoff, all of them weak.",
                    figures.ties,
                )
                % {"count": figures.ties},
            )
        )
    for name in figures.carriers:
        reasons.append(
            Reason(
                "one_person",
                _(
                    "%(name)s carries the whole handoff on their side: every tie across it runs "
                    "through them. When they are away, the client is bounced."
                )
                % {"name": name},
            )
        )
    if transition.status == HandoffStatus.MISSING:
        reasons.append(
            Reason("no_agreement", _("No agreed handoff: nobody has agreed how the client passes."))
        )
    elif transition.status == HandoffStatus.INFORMAL:
        reasons.append(
            Reason(
                "informal",
                _(
                    "The handoff is only informal: it rests on people remembering, not on an "
                    "agreement."
                ),
            )
        )
    for pair in figures.pairs:
        if not pair.suppressed and pair.trust is not None and pair.trust < LOW_TRUST:
            reasons.append(
                Reason(
                    "low_trust",
                    _("Trust between “%(a)s” and “%(b)s” is low in the survey: %(value)s of 100.")
                    % {"a": pair.source, "b": pair.target, "value": _number(pair.trust)},
                )
            )
    figures.reasons = reasons
    codes = {reason.code for reason in reasons}
    figures.rating = GAP if codes & {"no_tie", "no_agreement"} else WEAK if reasons else STRONG
    return figures


def weakest(results: list[TransitionFigures]) -> TransitionFigures | None:
    """The handoff that most needs work: the worst rating, then the most reasons."""
    candidates = [r for r in results if r.rating != STRONG]
    return max(candidates, key=lambda r: r.severity) if candidates else None


# --- two waves side by side ------------------------------------------------------------------


class PairChange(TypedDict):
    """One organization pair's figure of one family in two waves, or why it is not shown."""

    pair: str
    family: str
    label: str
    before: float | None
    after: float | None
    shown: bool


@dataclass
class Change:
    transition: Transition
    before: TransitionFigures
    after: TransitionFigures
    pairs: list[PairChange]


def _change_shown(before: Wave, after: Wave, key: str, family: str) -> bool:
    """A change of a pair figure is shown only where the survey's audit allowed it."""
    snapshot = snapshot_of(after)
    allowed = (snapshot.changes if snapshot else {}).get(str(before.pk)) or []
    return [PAIR_SECTION, "between", key, family] in [list(item) for item in allowed]


def transitions_change(path: ServicePath, before: Wave, after: Wave) -> list[Change]:
    """How each transition changed between two closed waves: the ties of each wave's list, and
    the pair figures whose change the survey's audit lets be shown (``change_allowed``)."""
    first = {
        f.transition.pk: f
        for f in transitions_with_figures(path.network, before, path=path, ties_from="wave")
    }
    changes = []
    for figures in transitions_with_figures(path.network, after, path=path, ties_from="wave"):
        old = first[figures.transition.pk]
        rows: list[PairChange] = []
        for new_pair, old_pair in zip(figures.pairs, old.pairs, strict=True):
            key = pair_key(new_pair.source, new_pair.target)
            for family in FAMILIES:
                shown = (
                    not new_pair.suppressed
                    and not old_pair.suppressed
                    and _change_shown(before, after, key, family)
                )
                rows.append(
                    {
                        "pair": f"{new_pair.source} – {new_pair.target}",
                        "family": family,
                        "label": str(FAMILY_LABELS[family]),
                        "before": getattr(old_pair, family) if shown else None,
                        "after": getattr(new_pair, family) if shown else None,
                        "shown": shown,
                    }
                )
        changes.append(Change(figures.transition, old, figures, rows))
    return changes


class SideTie(TypedDict):
    """A tie across a transition, from the side that hands over."""

    source: Person
    target: Person
    strong: bool
    reciprocated: bool


@dataclass
class Side:
    stage: Stage
    people: list[Person]


@dataclass
class Sides:
    source: Side
    target: Side
    ties: list[SideTie]  # the transition's map


def sides_people(network: Network, transition: Transition) -> Sides:
    """The people of the transition's two sides and the ties across it: the map of the
    network filtered to this transition (names and ties are what the map shows anyway)."""
    sides = _sides([transition], network)
    source_ids = sides.get(transition.source_id, set())
    target_ids = sides.get(transition.target_id, set())
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=source_ids | target_ids)
        .select_related("organization")
        .order_by("name")
    }
    ties = _ties(network, source_ids | target_ids, None)
    rows: list[SideTie] = []
    seen: set[tuple[int, int]] = set()
    for a, b in sorted(ties):
        if b in source_ids and a in target_ids and a not in source_ids:
            a, b = b, a  # shown from the side that hands over
        inside = a in target_ids and b in source_ids
        if not (a in source_ids and b in target_ids) or inside or (a, b) in seen:
            continue
        seen.add((a, b))
        there, back = ties.get((a, b)), ties.get((b, a))
        rows.append(
            {
                "source": people[a],
                "target": people[b],
                "strong": bool(there) or bool(back),
                "reciprocated": there is not None and back is not None,
            }
        )
    order = sorted(people.values(), key=lambda p: p.name)
    return Sides(
        Side(transition.source, [p for p in order if p.pk in source_ids]),
        Side(transition.target, [p for p in order if p.pk in target_ids]),
        rows,
    )


def person_roles(
    person: Person, *, network_ids: list[int] | None, own: bool
) -> dict[str, list[dict[str, object]]]:
    """Where a person is named on a service path (``common.personal``'s download): the stages
    they are responsible for and the handoffs they make or receive."""
    stages = Stage.objects.filter(people=person).select_related("path")
    transitions = Transition.objects.filter(
        Q(handed_by=person) | Q(received_by=person)
    ).select_related("path", "source", "target")
    if network_ids is not None:
        stages = stages.filter(path__network__in=network_ids)
        transitions = transitions.filter(path__network__in=network_ids)
    return {
        "service_path_stages": [
            {"path": s.path.name, "stage": s.name} for s in stages.order_by("path_id", "position")
        ],
        "service_path_handoffs": [
            {
                "path": t.path.name,
                "from": t.source.name,
                "to": t.target.name,
                "hands_over": t.handed_by_id == person.pk,
                "receives": t.received_by_id == person.pk,
            }
            for t in transitions.order_by("path_id", "pk")
        ],
    }
