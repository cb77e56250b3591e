"""Closing a wave: the answers become the network's ties, a structural report and group figures.

The snapshot stored on the wave holds only what may be shown: suppressed group figures
(``scores.wave_figures`` through ``common.privacy``), the structural analysis of the ties (built
without any rating, so no answer can leak through it), and in-ratings for people with at least
three raters, shown to that person alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.analysis.graph import build_graph
from suhde.analysis.report import network_report
from suhde.common.privacy import AUDIT_VERSION
from suhde.networks.domain import ties_survey_record
from suhde.networks.models import Membership, Network, Person, Strength

from . import scores
from .domain import wave_on_clock
from .models import PartnerAnswer, Response, Status, Wave, WaveTie
from .queries import response_rate
from .snapshot import FigureChanges, Snapshot, SnapshotFigures, Structure, snapshot_of

STRONG_LEVEL = 3  # Levels of Collaboration 3–5 make a strong tie, 1–2 a weak one


def _strength(row: scores.DyadRow) -> Strength:
    """The one place a survey answer's level becomes a tie's strength."""
    return Strength.STRONG if (row.level or 0) >= STRONG_LEVEL else Strength.WEAK


def _themes(wave: Wave) -> tuple[dict[int, frozenset], dict[str, str]]:
    """Each person's theme networks (the wave's network's descendants, by slug), and names."""
    children: dict[int, list] = {}
    for network_id, parent_id, slug, name in Network.objects.filter(
        parent__isnull=False, archived_at__isnull=True
    ).values_list("id", "parent_id", "slug", "name"):
        children.setdefault(parent_id, []).append((network_id, slug, name))
    themes, stack = {}, [wave.network_id]
    while stack:
        for network_id, slug, name in children.get(stack.pop(), []):
            if network_id not in themes:
                themes[network_id] = (slug, name)
                stack.append(network_id)
    people: dict[int, set] = {}
    for person_id, network_id in Membership.objects.filter(
        network_id__in=list(themes), left_on__isnull=True
    ).values_list("person_id", "network_id"):
        people.setdefault(person_id, set()).add(themes[network_id][0])
    return (
        {pid: frozenset(slugs) for pid, slugs in people.items()},
        dict(sorted(themes.values())),
    )


def _dyads(wave: Wave, themes: dict[int, frozenset]) -> list[scores.DyadRow]:
    rows = PartnerAnswer.objects.filter(
        response__wave=wave, response__submitted_at__isnull=False
    ).values_list(
        "response__respondent_id",
        "response__respondent__organization__name",
        "response__respondent__organization__sector",
        "partner_id",
        "partner__organization__name",
        "partner__organization__sector",
        "level",
        "k1",
        "k2",
        "k3",
        "k4",
        "t1",
        "t2",
        "t3",
        "t4",
        "c4",
    )
    none, nobody = scores.NONE_KEY, frozenset[str]()
    return [
        scores.DyadRow(
            rater=r[0],
            rater_org=r[1] or none,
            rater_sector=r[2] or none,
            partner=r[3],
            partner_org=r[4] or none,
            partner_sector=r[5] or none,
            level=r[6],
            knowing=scores.item_mean(r[7:11]),
            trust=scores.item_mean(r[11:15]),
            commitment=r[15],
            rater_themes=themes.get(r[0], nobody),
            partner_themes=themes.get(r[3], nobody),
        )
        for r in rows
    ]


def _selves(wave: Wave, themes: dict[int, frozenset]) -> list[scores.SelfRow]:
    rows = Response.objects.filter(wave=wave, submitted_at__isnull=False).values_list(
        "respondent_id",
        "respondent__organization__name",
        "respondent__organization__sector",
        "c1",
        "c2",
        "c3",
    )
    none = scores.NONE_KEY
    return [
        scores.SelfRow(
            rater=r[0],
            org=r[1] or none,
            sector=r[2] or none,
            score=scores.item_mean(r[3:6]),
            themes=themes.get(r[0], frozenset()),
        )
        for r in rows
    ]


def _answers(wave: Wave) -> tuple[list, list, dict[str, str]]:
    themes, names = _themes(wave)
    return _dyads(wave, themes), _selves(wave, themes), names


def _changes(wave: Wave, cells: scores.Cells, figures: dict) -> FigureChanges:
    """For each earlier closed wave of the network: the figures whose change may be shown.

    The earlier wave's answers are grouped again as they are today, so both sides of a change
    are the same groups; its shown figures are the ones it stored.
    """
    changes: FigureChanges = {}
    earlier = Wave.objects.filter(network=wave.network_id, status=Status.CLOSED).exclude(pk=wave.pk)
    for before in earlier:
        stored = snapshot_of(before)
        if stored is None or stored.figures.get("audit") != AUDIT_VERSION:
            continue
        dyads, selves, _names = _answers(before)
        changes[str(before.pk)] = scores.change_ids(
            scores.cells_build(dyads, selves),
            cells,
            stored.figures,
            figures,
            max(before.k, wave.k),
        )
    return changes


def snapshot_figures(
    wave: Wave,
    dyads: list[scores.DyadRow],
    selves: list[scores.SelfRow],
    names: dict[str, str],
) -> SnapshotFigures:
    """The audited part of a wave's snapshot: group figures, in-ratings, changes."""
    figures, _audited = scores.wave_figures(dyads, selves, wave.k)
    figures["audit"] = AUDIT_VERSION
    return {
        "k": wave.k,
        "figures": figures,
        "theme_names": names,
        "in_ratings": {str(pid): v for pid, v in scores.in_ratings(dyads).items()},
        "changes": _changes(wave, scores.cells_build(dyads, selves), figures),
    }


def _ties_record(wave: Wave, dyads: list[scores.DyadRow], at: datetime) -> None:
    """The wave's answers become survey origins of the network's ties, one tie per pair: a pair
    already known (entered, imported, an earlier wave) gains this wave as a source. The
    respondents' earlier waves become history. The origin carries the wave, not a date."""
    respondents = set(
        wave.responses.filter(submitted_at__isnull=False).values_list("respondent_id", flat=True)
    )
    origins = ties_survey_record(
        network=wave.network,
        label=wave.title,
        at=at,
        respondents=respondents,
        ties=[(row.rater, row.partner, _strength(row)) for row in dyads],
    )
    WaveTie.objects.bulk_create(WaveTie(wave=wave, origin=origin) for origin in origins)


def _member_ids(wave: Wave) -> list[tuple]:
    return list(
        Person.objects.filter(memberships__network=wave.network, memberships__left_on__isnull=True)
        .distinct()
        .values_list("id", "organization__name", "organization__sector")
    )


def _member_edges(dyads: list[scores.DyadRow], people: list[tuple]) -> list[scores.DyadRow]:
    ids = {pid for pid, _, _ in people}
    return [row for row in dyads if row.rater in ids and row.partner in ids]


def _tie_list(edges: list[scores.DyadRow]) -> list[list[int]]:
    """The wave's ties as [source, target, strong]: existence and strength only, which may be
    shown; the dashboard compares waves tie by tie with it."""
    return sorted([row.rater, row.partner, int(_strength(row) == Strength.STRONG)] for row in edges)


def _structure(wave: Wave, people: list[tuple], edges: list[scores.DyadRow]) -> Structure:
    graph = build_graph(
        [pid for pid, _, _ in people],
        {"organization": [org for _, org, _ in people], "sector": [sec for _, _, sec in people]},
        [row.rater for row in edges],
        [row.partner for row in edges],
        strength=[_strength(row) for row in edges],
    )
    report = network_report(graph, seed=wave.pk, before=_previous_graph(wave)).to_dict()
    # Not the report's ``dimensions``: no ratings went in; group figures come from scores.
    structure: Structure = {
        "network": report["network"],
        "nodes": report["nodes"],
        "groups": report["groups"],
        "suggestions": report["suggestions"],
        "meta": report["meta"],
    }
    if "change" in report:
        structure["change"] = report["change"]
    return structure


def _previous_graph(wave: Wave):
    """The network's latest earlier closed wave as a graph (people and ties as stored), so the
    report can name newcomers and count tie changes; None for the first wave."""
    previous = (
        Wave.objects.filter(network=wave.network_id, status=Status.CLOSED)
        .exclude(pk=wave.pk)
        .order_by("-closed_at", "-pk")
        .first()
    )
    before = snapshot_of(previous) if previous else None
    if before is None or not before.structure["nodes"] or before.ties is None:
        return None
    ids = [node["id"] for node in before.structure["nodes"]]
    known = set(ids)
    ties = [t for t in before.ties if t[0] in known and t[1] in known]
    return build_graph(
        ids,
        None,
        [t[0] for t in ties],
        [t[1] for t in ties],
        strength=[Strength.STRONG if t[2] else Strength.WEAK for t in ties],
    )


@transaction.atomic
def wave_close(*, wave: Wave, at: datetime | None = None) -> Wave:
    """Close the wave for good: compute and store its snapshot, update the network's ties."""
    wave = Wave.objects.select_for_update().select_related("network").get(pk=wave.pk)
    if wave.status == Status.CLOSED:
        raise ValidationError(_("This wave is already closed."))
    dyads, selves, names = _answers(wave)
    closed_at = at or timezone.now()  # ``at``: a wave that closed in the past (the demo)
    _ties_record(wave, dyads, closed_at)
    people = _member_ids(wave)
    edges = _member_edges(dyads, people)
    wave.snapshot = Snapshot(
        responses=response_rate(wave),
        **snapshot_figures(wave, dyads, selves, names),
        structure=_structure(wave, people, edges),
        ties=_tie_list(edges),
    ).to_json()
    wave.status = Status.CLOSED
    wave.closed_at = closed_at
    if wave.opens_at < wave.closed_at < wave.closes_at:
        wave.closes_at = wave.closed_at  # closed early: the record says when it really closed
    wave.save()
    wave_on_clock(wave=wave)
    return wave


def waves_refigure(*, force: bool = False) -> int:
    """Compute the audited figures again for closed waves stored before the auditor (or all,
    with ``force``), from their stored answers, oldest first; returns how many. The structure
    and the ties stay as they were."""
    count = 0
    for wave in Wave.objects.filter(status=Status.CLOSED).order_by("closed_at", "pk"):
        stored = snapshot_of(wave)
        if stored is None or (stored.figures.get("audit") == AUDIT_VERSION and not force):
            continue
        with transaction.atomic():
            wave = Wave.objects.select_for_update().get(pk=wave.pk)
            dyads, selves, names = _answers(wave)
            # Read through the typed reader: drops what nothing may show (out_ratings) and
            # writes the current version.
            old = snapshot_of(wave)
            if old is None:  # emptied since the loop read it
                continue
            wave.snapshot = replace(old, **snapshot_figures(wave, dyads, selves, names)).to_json()
            wave.save(update_fields=["snapshot"])
        count += 1
    return count
