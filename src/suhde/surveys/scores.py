"""The instrument's scores (shared/domain/instrument.md), computed for groups, then suppressed.

Every figure here is about *the people of a group*: how others rate them (their partners'
dyadic answers) and, for commitment, how they rate their own commitment (the self items). Each
group is a ``common.privacy.Cell`` carrying its respondents, so the threshold and the secondary
suppression can be applied before anything leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from suhde.common.privacy import (
    K_MINIMUM,
    Cell,
    cells_suppress,
    figure_allowed,
    in_ratings_allowed,
    partition_suppress,
)

KNOWING = ("k1", "k2", "k3", "k4")
TRUST = ("t1", "t2", "t3", "t4")
NONE_KEY = "-"


@dataclass(frozen=True)
class DyadRow:
    rater: int
    rater_org: str
    rater_sector: str
    partner: int
    partner_org: str
    partner_sector: str
    level: int | None
    knowing: float | None  # the tie's dimension scores on 1–4, None when nothing was answered
    trust: float | None
    commitment: float | None


@dataclass(frozen=True)
class SelfRow:
    rater: int
    org: str
    sector: str
    score: float | None  # mean of the answered self items on 1–5


def tie_score(values) -> float | None:
    """A tie's dimension score: the mean of its answered items; None when none was answered."""
    answered = [value for value in values if value is not None]
    return fmean(answered) if answered else None


def self_score(values) -> float | None:
    return tie_score(values)


def index4(mean: float) -> float:
    return (mean - 1) / 3 * 100


def index5(mean: float) -> float:
    return (mean - 1) / 4 * 100


def _mean_index(values, to_index) -> float | None:
    present = [to_index(value) for value in values if value is not None]
    return round(fmean(present), 1) if present else None


def group_values(
    dyads: list[DyadRow], selves: list[SelfRow], k: int = K_MINIMUM
) -> dict[str, float | None]:
    """The knowing, trust and commitment indices (0–100) of one group.

    The commitment index averages the kept-promises index (C4) and the self-item index with equal
    weight, as the instrument says; with one of them missing it is the other. The self part
    counts only when at least k people gave it, so it cannot carry a smaller group's answers.
    """
    c4 = _mean_index((row.commitment for row in dyads), index4)
    own = None
    if figure_allowed(len({row.rater for row in selves}), k):
        own = _mean_index((row.score for row in selves), index5)
    parts = [value for value in (c4, own) if value is not None]
    return {
        "knowing": _mean_index((row.knowing for row in dyads), index4),
        "trust": _mean_index((row.trust for row in dyads), index4),
        "commitment": round(fmean(parts), 1) if parts else None,
    }


def _cell(key: str, dyads: list[DyadRow], selves: list[SelfRow], k: int) -> Cell:
    """A group's figures; its respondents are the people who rated the group's people, since
    every figure but the self part comes from them alone."""
    return Cell(
        key=key, values=group_values(dyads, selves, k), respondents={row.rater for row in dyads}
    )


def _grouped(dyads, selves, dyad_key, self_key, k) -> list[Cell]:
    by_dyad, by_self = defaultdict(list), defaultdict(list)
    for row in dyads:
        by_dyad[dyad_key(row)].append(row)
    for row in selves:
        by_self[self_key(row)].append(row)
    keys = sorted(set(by_dyad) | set(by_self))
    return [_cell(key, by_dyad[key], by_self[key], k) for key in keys]


def _tie_classes(dyads, same, k) -> list[Cell]:
    within = [row for row in dyads if same(row)]
    across = [row for row in dyads if not same(row)]
    return [_cell("within", within, [], k), _cell("across", across, [], k)]


def wave_figures(dyads: list[DyadRow], selves: list[SelfRow], k: int) -> dict:
    """All group figures of a wave, suppressed, ready to store and show.

    Organizations nest in sectors, so each sector's organizations are also checked as a
    partition of that sector: a hidden organization cannot be recovered from its sector.
    """
    network = _cell("network", dyads, selves, k)
    sectors = _grouped(dyads, selves, lambda r: r.partner_sector, lambda r: r.sector, k)
    organizations = _grouped(dyads, selves, lambda r: r.partner_org, lambda r: r.org, k)
    org_ties = _tie_classes(dyads, lambda r: r.rater_org == r.partner_org != NONE_KEY, k)
    sector_ties = _tie_classes(dyads, lambda r: r.rater_sector == r.partner_sector != NONE_KEY, k)
    cells_suppress(network, [sectors, organizations, org_ties, sector_ties], k)
    _nested_suppress(sectors, organizations, dyads, selves, k)
    matrix = sector_matrix(dyads, k, network=network, sectors=sectors, sector_ties=sector_ties)
    return {
        "network": network.public(),
        "sectors": [cell.public() for cell in sectors],
        "organizations": [cell.public() for cell in organizations],
        "organization_ties": [cell.public() for cell in org_ties],
        "sector_ties": [cell.public() for cell in sector_ties],
        "sector_matrix": [cell.public() for cell in matrix],
    }


MATRIX_SEPARATOR = ">"


def sector_matrix(dyads: list[DyadRow], k: int, *, network, sectors, sector_ties) -> list[Cell]:
    """The sector × sector heat map: how the people of one sector rate those of another.

    Cell ``"public>third"`` holds the ties from public-sector raters to third-sector partners.
    Each column partitions its partner sector's figure, the diagonal partitions the "same
    sector" tie class and the rest the "different sectors" one, so every partition is checked
    against its shown parent until no rule hides anything more.
    """
    by_pair = defaultdict(list)
    for row in dyads:  # people without a sector take part in the partitions, unshown
        by_pair[(row.rater_sector, row.partner_sector)].append(row)
    cells = {
        pair: _cell(f"{pair[0]}{MATRIX_SEPARATOR}{pair[1]}", rows, [], k)
        for pair, rows in sorted(by_pair.items())
    }
    shown_sectors = {cell.key for cell in sectors if not cell.hidden}
    classes = {cell.key: cell for cell in sector_ties}
    groups = [[c for p, c in cells.items() if p[1] == sector.key] for sector in sectors]
    parents = [sector.key in shown_sectors for sector in sectors]
    groups.append([c for p, c in cells.items() if p[0] == p[1] != NONE_KEY])
    parents.append(not classes["within"].hidden)
    groups.append([c for p, c in cells.items() if not p[0] == p[1] != NONE_KEY])
    parents.append(not classes["across"].hidden)
    if network.hidden:
        parents = [False] * len(parents)
    while True:
        before = sum(cell.hidden for cell in cells.values())
        for members, shown in zip(groups, parents, strict=True):
            if shown:
                partition_suppress(members, k)
            else:
                for cell in members:
                    cell.hidden = True
        if sum(cell.hidden for cell in cells.values()) == before:
            return [cell for pair, cell in cells.items() if NONE_KEY not in pair]


def _nested_suppress(sectors, organizations, dyads, selves, k) -> None:
    """Check each sector's organizations as a partition of it, and all of them as one of the
    network, until both rules agree."""
    sector_of = {row.partner_org: row.partner_sector for row in dyads}
    sector_of.update({row.org: row.sector for row in selves})
    while True:
        hidden = {cell.key for cell in organizations if cell.hidden}
        for sector in sectors:
            members = [cell for cell in organizations if sector_of.get(cell.key) == sector.key]
            if sector.hidden:
                for cell in members:
                    cell.hidden = True
            else:
                partition_suppress(members, k)
        partition_suppress(organizations, k)
        if {cell.key for cell in organizations if cell.hidden} == hidden:
            return


def in_ratings(dyads: list[DyadRow]) -> dict[int, dict]:
    """How others rated each person, only for people with at least three raters."""
    by_partner = defaultdict(list)
    for row in dyads:
        by_partner[row.partner].append(row)
    result = {}
    for partner, rows in by_partner.items():
        raters = {row.rater for row in rows}
        if in_ratings_allowed(len(raters)):
            result[partner] = {"raters": len(raters), **group_values(rows, [])}
    return result
