"""Reads for the network health dashboard and the comparison of two waves.

Every figure comes from a closed wave's snapshot through ``common.privacy.figures_public`` (via
``surveys.queries``): group figures of fewer than k respondents are absent before anything here
sees them. A change between waves is shown only when both waves show the figure, so a difference
always stands on at least k respondents in each wave. The rest is structure: ties and their
strength, which may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from suhde.analysis.change import figure_changes, tie_diff
from suhde.common.privacy import figures_public
from suhde.common.schemas import ID_MAX
from suhde.networks.models import Network, Person, Sector
from suhde.paths.queries import handoff_suggestions
from suhde.surveys import queries as survey_queries
from suhde.surveys.models import Status, Wave
from suhde.surveys.snapshot import (
    Responses,
    SnapshotError,
    Structure,
    snapshot_closed,
    snapshot_of,
)

from . import reading, weaving
from .models import Decision, SuggestionDecision

DIMENSIONS = ("knowing", "trust", "commitment")
SECTIONS = (
    "network",
    "sectors",
    "organizations",
    "theme_networks",
    "organization_ties",
    "sector_ties",
)
CHANGE_SECTIONS = (*SECTIONS, "sector_matrix")
FAMILIES = ("knowing", "trust", "commitment", "self")
SECTORS = tuple(Sector.values)
BROKERS_SHOWN = 10
TIES_LISTED = 200
NETWORK_FIGURES = (
    "nodes",
    "ties",
    "density",
    "reciprocity",
    "strong_tie_share",
    "isolates",
    "components",
    "largest_component_share",
    "mean_distance",
    "transitivity",
)


def waves_in(network: Network) -> QuerySet[Wave]:
    """The network's waves without the survey list's response counts: counting invitations and
    responses in one join costs invitations × responses rows (250,000 at 500 members), and the
    snapshot already holds the counts."""
    return network.waves.select_related("network")


def wave_of(network: Network, wave_id: int) -> Wave:
    return get_object_or_404(waves_in(network), pk=wave_id)


def waves_closed(network: Network) -> QuerySet[Wave]:
    """Closed waves for lists and links; the snapshot (megabytes at 500 members) stays unread."""
    return (
        network.waves.filter(status=Status.CLOSED).defer("snapshot").order_by("-closes_at", "-id")
    )


def waves_closed_besides(network: Network, wave: Wave) -> QuerySet[Wave]:
    """The network's other closed waves: what a wave may be compared with."""
    return waves_closed(network).exclude(pk=wave.pk)


def wave_closed(wave: Wave | None) -> Wave:
    """The wave, if it can have a dashboard; otherwise a clear ValidationError."""
    if wave is None:
        raise ValidationError(_("No such survey wave in this network."), code="missing")
    try:
        readable = snapshot_of(wave) is not None
    except SnapshotError:
        raise ValidationError(
            _(
                "This wave's stored results cannot be read by this version of Suhde. Ask the "
                "administrator to check the installation's version."
            ),
            code="unreadable",
        ) from None
    if wave.status != Status.CLOSED or not readable:
        raise ValidationError(
            _("This wave is still open. Its dashboard appears when the wave closes."),
            code="open",
        )
    return wave


def names_of(network: Network) -> dict[str, dict]:
    """Everyone who has ever been a member, by id as the snapshot writes it: one query."""
    rows = (
        Person.objects.filter(memberships__network=network)
        .values_list("id", "name", "organization__name", "organization__sector")
        .distinct()
    )
    return {
        str(pid): {"id": pid, "name": name, "organization": org or "", "sector": sector or ""}
        for pid, name, org, sector in rows
    }


def _name(people: dict, pid) -> str:
    person = people.get(str(pid))
    return person["name"] if person else _("a former member")


@dataclass
class Dashboard:
    wave: Wave
    k: int
    responses: Responses
    figures: dict
    network: dict
    readings: list
    form_hint: dict
    brokers: list
    isolates: list
    communities: dict
    heatmap: dict
    suggestions: list
    mine: dict | None
    any_figure: bool
    theme_names: dict = field(default_factory=dict)
    people: dict = field(repr=False, default_factory=dict)


def _brokers(nodes: list[dict], people: dict) -> list[dict]:
    ranked = sorted(
        (n for n in nodes if (n.get("betweenness") or 0) > 0),
        key=lambda n: (-(n["betweenness"] or 0), n["id"]),
    )[:BROKERS_SHOWN]
    return [
        {
            "id": n["id"],
            "name": _name(people, n["id"]),
            "organization": people.get(str(n["id"]), {}).get("organization", ""),
            "betweenness": n["betweenness"],
            "brokerage": sum((n.get("brokerage") or {}).values()),
        }
        for n in ranked
    ]


def _isolates(nodes: list[dict], people: dict) -> list[dict]:
    return sorted(
        (
            {"id": n["id"], "name": _name(people, n["id"])}
            for n in nodes
            if n["in_degree"] + n["out_degree"] == 0
        ),
        key=lambda p: (p["name"], p["id"]),
    )


def _communities(structure: Structure, people: dict) -> dict:
    """Each community with its largest organization: do the communities follow the silos?"""
    members: dict[int, list] = {}
    for n in structure["nodes"]:
        members.setdefault(n["community"], []).append(n["id"])
    rows: list[dict[str, Any]] = []
    for community, ids in members.items():
        orgs: dict[str, int] = {}
        for pid in ids:
            org = people.get(str(pid), {}).get("organization") or _("No home organization")
            orgs[org] = orgs.get(org, 0) + 1
        top, count = min(orgs.items(), key=lambda item: (-item[1], item[0]))
        rows.append(
            {
                "community": community,
                "size": len(ids),
                "organizations": len(orgs),
                "largest": top,
                "largest_share": count / len(ids),
            }
        )
    rows.sort(key=lambda r: (-r["size"], r["community"]))
    info = structure.get("groups", {}).get("communities", {})
    return {
        "count": info.get("count"),
        "modularity": info.get("modularity"),
        "ari_organization": info.get("ari_organization"),
        "rows": [r for r in rows if r["size"] > 1],
        "singletons": sum(1 for r in rows if r["size"] == 1),
    }


def _heatmap(figures: dict, structure: Structure) -> dict:
    """Sector × sector: tie counts (structure) beside the rated indices (suppressed cells)."""
    mixing = structure.get("groups", {}).get("mixing", {})
    cells = {c["key"]: c for c in figures.get("sector_matrix", [])}
    rows = []
    for rater in SECTORS:
        row = []
        for partner in SECTORS:
            cell = cells.get(f"{rater}>{partner}")
            row.append(
                {
                    "rater": rater,
                    "partner": partner,
                    "ties": mixing.get(rater, {}).get(partner, 0),
                    "figure": cell,
                }
            )
        rows.append({"sector": rater, "cells": row})
    return {"sectors": list(SECTORS), "rows": rows, "rated": bool(cells)}


def _any_figure(figures: dict) -> bool:
    for section in SECTIONS:
        cells = figures.get(section)
        cells = [cells] if isinstance(cells, dict) else cells or []
        if any(c.get("counts") for c in cells):
            return True
    return False


def suggestions_of(wave: Wave, people: dict | None = None) -> list[dict]:
    """The wave's weaving suggestions, worded for the reader, each with its decision."""
    people = names_of(wave.network) if people is None else people
    names = {pid: p["name"] for pid, p in people.items()}
    decided = {d.key: d for d in SuggestionDecision.objects.filter(wave=wave)}
    result = []
    for suggestion in _all_suggestions(wave):
        key = weaving.suggestion_key(suggestion)
        decision = decided.get(key)
        result.append(
            {
                "key": key,
                "rank": suggestion["rank"],
                "kind": suggestion["kind"],
                "label": weaving.kind_label(suggestion["kind"]),
                "reason": weaving.reason(suggestion, names),
                "numbers": suggestion.get("numbers", {}),
                "people": [_name(people, pid) for pid in suggestion["people"]],
                "groups": suggestion["groups"],
                "status": decision.status if decision else "open",
            }
        )
    return result


SUGGESTIONS_SHOWN = 3


def suggestions_grouped(suggestions: list[dict], shown: int = SUGGESTIONS_SHOWN) -> list[dict]:
    """The suggestions by kind, most urgent kind first: a few shown, the rest folded away."""
    groups: dict[str, list] = {}
    for suggestion in suggestions:
        groups.setdefault(suggestion["kind"], []).append(suggestion)
    return [
        {"kind": kind, "label": items[0]["label"], "shown": items[:shown], "more": items[shown:]}
        for kind, items in groups.items()
    ]


def _all_suggestions(wave: Wave) -> list[dict]:
    """The wave's structural suggestions, then the gaps of the network's service paths."""
    return [*snapshot_closed(wave).structure["suggestions"], *handoff_suggestions(wave.network)]


def suggestion_find(wave: Wave, key: str) -> dict | None:
    for suggestion in _all_suggestions(wave):
        if weaving.suggestion_key(suggestion) == key:
            return suggestion
    return None


def ego(wave: Wave, person: Person | None, people: dict) -> list[dict]:
    """The viewer's own ties in this wave: who they named and who named them, and strength."""
    if person is None:
        return []
    mine: dict[int, dict] = {}
    for source, target, strong in snapshot_closed(wave).ties or []:
        if person.pk not in (source, target):
            continue
        other = target if source == person.pk else source
        entry = mine.setdefault(other, {"id": other, "named": False, "named_by": False})
        entry["named" if source == person.pk else "named_by"] = True
        entry["strong"] = entry.get("strong", False) or bool(strong)
    for entry in mine.values():
        entry["name"] = _name(people, entry["id"])
        entry["organization"] = people.get(str(entry["id"]), {}).get("organization", "")
    return sorted(mine.values(), key=lambda e: (e["name"], e["id"]))


def dashboard(wave: Wave, viewer: Person | None) -> Dashboard:
    """Everything the dashboard shows of one closed wave, suppressed: a fixed few queries."""
    wave = wave_closed(wave)
    results = survey_queries.wave_results(wave, viewer)
    if results is None:  # wave_closed has found it closed and readable
        raise SnapshotError("This closed wave has no results.")
    structure = snapshot_closed(wave).structure
    people = names_of(wave.network)
    figures = results.figures
    mine = None
    if viewer is not None:
        mine = {"ratings": results.mine, "ego": ego(wave, viewer, people)}
    return Dashboard(
        wave=wave,
        k=wave.k,
        responses=results.responses,
        figures=figures,
        network=structure["network"],
        readings=reading.readings(structure),
        form_hint=reading.form_hint(structure),
        brokers=_brokers(structure["nodes"], people),
        isolates=_isolates(structure["nodes"], people),
        communities=_communities(structure, people),
        heatmap=_heatmap(figures, structure),
        suggestions=suggestions_of(wave, people),
        mine=mine if mine and (mine["ratings"] or mine["ego"]) else None,
        any_figure=_any_figure(figures),
        theme_names=results.theme_names,
        people=people,
    )


def dashboard_dict(board: Dashboard) -> dict:
    """The dashboard as plain data, for the API and the Excel file."""
    return {
        "wave": board.wave.pk,
        "title": board.wave.title,
        "k": board.k,
        "responses": board.responses,
        "any_figure": board.any_figure,
        "figures": board.figures,
        "network": board.network,
        "readings": [
            {"title": r.title, "figure": r.figure, "text": r.text} for r in board.readings
        ],
        "form_hint": board.form_hint,
        "brokers": board.brokers,
        "isolates": board.isolates,
        "communities": board.communities,
        "heatmap": board.heatmap,
        "suggestions": board.suggestions,
        "mine": board.mine,
        "theme_names": board.theme_names,
    }


# --- comparing two waves ----------------------------------------------------------------------


def wave_previous(network: Network, wave: Wave) -> Wave | None:
    """The closed wave of the same network just before ``wave``: what a comparison starts from."""
    earlier = Q(closes_at__lt=wave.closes_at) | Q(closes_at=wave.closes_at, pk__lt=wave.pk)
    return waves_closed(network).filter(earlier).exclude(pk=wave.pk).first()


def invited_difference(before: Wave, after: Wave) -> dict | None:
    """How many people only one of the two waves invited, or None when both invited the same
    people: a change between waves that asked different people may be who was asked."""
    first = set(before.invitations.values_list("person_id", flat=True))
    second = set(after.invitations.values_list("person_id", flat=True))
    if first == second:
        return None
    return {"only_before": len(first - second), "only_after": len(second - first)}


def waves_for_compare(
    network: Network, wave_id: int, before_id: str | int | None
) -> tuple[Wave, Wave]:
    """Both waves through the same network, both closed, the earlier one first.

    A wave of another network is simply not found here, which gives the same clear message
    whether or not it exists (promise 1).
    """
    after = wave_closed(waves_in(network).filter(pk=wave_id).first())
    try:
        before_pk = int(str(before_id))
    except ValueError:
        before_pk = 0
    if not 0 < before_pk <= ID_MAX:  # beyond any id: the database would refuse the number
        raise ValidationError(_("Choose a wave to compare with."), code="before")
    before = network.waves.filter(pk=before_pk).first()
    if before is None:
        raise ValidationError(
            _("Both waves must belong to this network. Choose another wave to compare with."),
            code="network",
        )
    before = wave_closed(before)
    if before.pk == after.pk:
        raise ValidationError(_("Choose two different waves."), code="same")
    if (before.closes_at, before.pk) > (after.closes_at, after.pk):
        before, after = after, before
    return before, after


def _cell_change(old: dict | None, new: dict | None, allowed: set, key: tuple) -> dict:
    """Before, after and change of each family that both waves show and the auditor allowed
    (the answers behind the two differ by nobody or by at least k people)."""
    families = {}
    for family in FAMILIES:
        if (*key, family) not in allowed:
            continue
        a, b = (old or {}).get(family), (new or {}).get(family)
        if a is None or b is None:
            continue
        families[family] = {"before": a, "after": b, "change": round(b - a, 1)}
    if not families:
        return {"suppressed": True}
    return {
        "suppressed": False,
        "respondents": [(old or {}).get("respondents"), (new or {}).get("respondents")],
        **{family: families.get(family) for family in FAMILIES},
    }


def _allowed_changes(before: Wave, after: Wave) -> set:
    ids = snapshot_closed(after).changes.get(str(before.pk))
    if ids is None:
        ids = snapshot_closed(before).changes.get(str(after.pk), [])
    return {tuple(item) for item in ids}


def index_changes(before: dict, after: dict, allowed: set) -> dict:
    out = {}
    for section in CHANGE_SECTIONS:
        old, new = before.get(section), after.get(section)
        if isinstance(new, dict) or isinstance(old, dict):
            key = (section, "all", "network")
            out[section] = [
                {"key": "network", "direction": "all", **_cell_change(old, new, allowed, key)}
            ]
            continue
        old_cells = {(c["key"], c.get("direction", "")): c for c in old or []}
        new_cells = {(c["key"], c.get("direction", "")): c for c in new or []}
        out[section] = [
            {
                "key": key,
                "direction": direction,
                **_cell_change(
                    old_cells.get((key, direction)),
                    new_cells.get((key, direction)),
                    allowed,
                    (section, direction, key),
                ),
            }
            for key, direction in sorted(set(old_cells) | set(new_cells))
        ]
    return out


def _tie_keys(wave: Wave) -> tuple[np.ndarray, np.ndarray] | None:
    """The wave's ties as int64 keys (source << 32 | target) and their strength."""
    ties = snapshot_closed(wave).ties
    if ties is None:
        return None
    table = np.asarray(ties, dtype=np.int64).reshape(-1, 3)
    return (table[:, 0] << 32) | table[:, 1], table[:, 2].astype(bool)


def _pairs(keys: np.ndarray) -> list[tuple[int, int]]:
    return [(int(k >> 32), int(k & 0xFFFFFFFF)) for k in keys[:TIES_LISTED]]


def tie_changes(before: Wave, after: Wave, people: dict) -> dict | None:
    """Ties gained, lost, strengthened and weakened, tie by tie (existence and strength only)."""
    old, new = _tie_keys(before), _tie_keys(after)
    if old is None or new is None:
        return None
    diff = tie_diff(*old, *new)
    strong_now = set(new[0][new[1]].tolist())
    in_after = {"gained": True, "lost": False, "strengthened": True, "weakened": False}
    return {
        name: {
            "count": len(keys),
            "ties": [
                {
                    "source": _name(people, s),
                    "target": _name(people, t),
                    "strong": ((s << 32) | t) in strong_now if in_after[name] else None,
                }
                for s, t in _pairs(keys)
            ],
        }
        for name, keys in diff.items()
    }


def _top_brokers(wave: Wave) -> dict[int, float]:
    nodes = snapshot_closed(wave).structure["nodes"]
    ranked = sorted(
        (n for n in nodes if (n.get("betweenness") or 0) > 0),
        key=lambda n: (-(n["betweenness"] or 0), n["id"]),
    )[:BROKERS_SHOWN]
    return {n["id"]: n["betweenness"] for n in ranked}


def broker_changes(before: Wave, after: Wave, people: dict) -> dict:
    old, new = _top_brokers(before), _top_brokers(after)

    def named(ids):
        return sorted((_name(people, pid) for pid in ids), key=str.lower)

    return {
        "new": named(set(new) - set(old)),
        "lost": named(set(old) - set(new)),
        "kept": named(set(old) & set(new)),
    }


@dataclass
class Comparison:
    before: Wave
    after: Wave
    network: dict
    indices: dict
    ties: dict | None
    brokers: dict
    any_change: bool
    theme_names: dict


def compare(before: Wave, after: Wave) -> Comparison:
    people = names_of(after.network)
    old = figures_public(snapshot_closed(before).figures, before.k)
    new = figures_public(snapshot_closed(after).figures, after.k)
    old_net = {k: snapshot_closed(before).structure["network"].get(k) for k in NETWORK_FIGURES}
    new_net = {k: snapshot_closed(after).structure["network"].get(k) for k in NETWORK_FIGURES}
    indices = index_changes(old, new, _allowed_changes(before, after))
    return Comparison(
        before=before,
        after=after,
        network=figure_changes(old_net, new_net),
        indices=indices,
        ties=tie_changes(before, after, people),
        brokers=broker_changes(before, after, people),
        any_change=any(not cell["suppressed"] for cells in indices.values() for cell in cells),
        theme_names=snapshot_closed(after).theme_names,
    )


def comparison_dict(comparison: Comparison) -> dict:
    return {
        "before": comparison.before.pk,
        "after": comparison.after.pk,
        "network": comparison.network,
        "indices": comparison.indices,
        "ties": comparison.ties,
        "brokers": comparison.brokers,
        "any_change": comparison.any_change,
    }


# --- to-dos for the network -------------------------------------------------------------------


def todos(network: Network) -> QuerySet[SuggestionDecision]:
    return SuggestionDecision.objects.filter(
        network=network, status__in=[Decision.ACCEPTED, Decision.DONE]
    ).order_by("status", "-decided_at", "-id")
