"""The instrument's scores (docs/instrument.md), computed for groups, then audited.

Every group figure says which way it runs:

- *received*: the answers about the group's people (how their partners rate them);
- *given*: the answers from the group's people (how they rate their partners, and for the self
  items how they rate their own commitment);
- *between*: ties of a class (within or across organizations and sectors, sector → sector).

Each item family — knowing (K1–K4), trust (T1–T4), commitment (C4, kept promises) and self
(C1–C3, one's own commitment) — is a separate figure with its own respondents: the people who
gave at least one substantive answer (not "can't say") to that family's items. All figures of a
wave pass ``common.privacy.publication_audit`` together before anything is stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from statistics import fmean

from suhde.common.privacy import (
    AuditCell,
    Published,
    change_allowed,
    in_ratings_allowed,
    publication_audit,
)

NONE_KEY = "-"
DYADIC_FAMILIES = ("knowing", "trust", "commitment")
FAMILIES = (*DYADIC_FAMILIES, "self")
SECTIONS = (
    "sectors",
    "organizations",
    "theme_networks",
    "organization_ties",
    "sector_ties",
    "sector_matrix",
    "organization_pairs",
)
MATRIX_SEPARATOR = ">"
PAIR_SEPARATOR = " ↔ "
# Ties between two organizations, both ways, for the transitions of service paths (the paths
# app reads them). They were added after the others, so they are audited after them: they may be
# hidden to protect anyone, but never change what the survey showed before they existed.
LATER = {"organization_pairs"}
# Cells of one of these never share an answer: the auditor checks each as a partition.
DISJOINT = {
    "sectors",
    "organizations",
    "organization_ties",
    "sector_ties",
    "sector_matrix",
    "organization_pairs",
}


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
    rater_themes: frozenset = frozenset()  # the theme networks (slugs) each end belongs to
    partner_themes: frozenset = frozenset()


@dataclass(frozen=True)
class SelfRow:
    rater: int
    org: str
    sector: str
    score: float | None  # mean of the answered self items on 1–5
    themes: frozenset = frozenset()


def item_mean(values: Iterable[float | None]) -> float | None:
    """A tie's dimension score, or one's own commitment: the mean of the answered items; None
    when none was answered."""
    answered = [value for value in values if value is not None]
    return fmean(answered) if answered else None


def index4(mean: float) -> float:
    return (mean - 1) / 3 * 100


def index5(mean: float) -> float:
    return (mean - 1) / 4 * 100


def _mean_index(values, to_index) -> float | None:
    present = [to_index(value) for value in values if value is not None]
    return round(fmean(present), 1) if present else None


# --- which cells an answer belongs to -------------------------------------------------------

CellId = tuple[str, str, str]  # (section, direction, key)


def _same(a: str, b: str) -> str:
    return "within" if a == b != NONE_KEY else "across"


def pair_key(first: str, second: str) -> str:
    """The key of the figure about the ties between two organizations, in either direction."""
    return PAIR_SEPARATOR.join(sorted((first, second)))


def dyad_cells(row: DyadRow) -> Iterator[CellId]:
    yield ("network", "all", "network")
    yield ("sectors", "received", row.partner_sector)
    yield ("sectors", "given", row.rater_sector)
    yield ("organizations", "received", row.partner_org)
    yield ("organizations", "given", row.rater_org)
    for theme in row.partner_themes:
        yield ("theme_networks", "received", theme)
    for theme in row.rater_themes:
        yield ("theme_networks", "given", theme)
    yield ("organization_ties", "between", _same(row.rater_org, row.partner_org))
    yield ("sector_ties", "between", _same(row.rater_sector, row.partner_sector))
    yield (
        "sector_matrix",
        "between",
        f"{row.rater_sector}{MATRIX_SEPARATOR}{row.partner_sector}",
    )
    if NONE_KEY not in (row.rater_org, row.partner_org) and row.rater_org != row.partner_org:
        yield ("organization_pairs", "between", pair_key(row.rater_org, row.partner_org))


def self_cells(row: SelfRow) -> Iterator[CellId]:
    yield ("network", "all", "network")
    yield ("sectors", "given", row.sector)
    yield ("organizations", "given", row.org)
    for theme in row.themes:
        yield ("theme_networks", "given", theme)


@dataclass
class Cells:
    """A wave's cells before the audit: for each cell and family, its answers and values."""

    answers: dict[tuple[CellId, str], dict]  # (cell, family) -> {(respondent, subject): value}

    def audit_cells(self) -> dict[tuple[CellId, str], AuditCell]:
        return {
            (cell, family): AuditCell(
                key="/".join(cell),
                family=family,
                contributions=frozenset(values),
                group=f"{cell[0]}/{cell[1]}" if cell[0] in DISJOINT else None,
            )
            for (cell, family), values in self.answers.items()
        }


def cells_build(dyads: list[DyadRow], selves: list[SelfRow]) -> Cells:
    answers: dict = defaultdict(dict)
    for row in dyads:
        for family in DYADIC_FAMILIES:
            value = getattr(row, family)
            if value is None:
                continue  # "can't say" to every item of the family: not an answer to it
            for cell in dyad_cells(row):
                answers[(cell, family)][(row.rater, row.partner)] = index4(value)
    for own in selves:
        if own.score is None:
            continue
        for cell in self_cells(own):
            answers[(cell, "self")][(own.rater, None)] = index5(own.score)
    return Cells(answers=dict(answers))


# --- the wave's figures ---------------------------------------------------------------------


def _families(direction: str) -> tuple[str, ...]:
    return FAMILIES if direction in ("all", "given") else DYADIC_FAMILIES


def wave_figures(
    dyads: list[DyadRow], selves: list[SelfRow], k: int
) -> tuple[dict, dict[tuple[CellId, str], AuditCell]]:
    """All group figures of a wave, audited, ready to store and show; with the audit cells, so
    that a later wave can check its changes against this one."""
    cells = cells_build(dyads, selves)
    audited = cells.audit_cells()
    first = [cell for (cell_id, _f), cell in audited.items() if cell_id[0] not in LATER]
    publication_audit(first, k=k)
    later = [cell for (cell_id, _f), cell in audited.items() if cell_id[0] in LATER]
    publication_audit(later, k=k, fixed=first)
    published: dict[CellId, Published] = {}
    for (cell, family), audit_cell in audited.items():
        entry = published.setdefault(cell, Published(key=cell[2], direction=cell[1]))
        if not audit_cell.hidden:
            values = cells.answers[(cell, family)].values()
            entry.values[family] = round(fmean(values), 1)
            entry.counts[family] = len(audit_cell.respondents)
    figures: dict = {"network": None, **{section: [] for section in SECTIONS}}
    for cell in sorted(published):
        entry = published[cell]
        for family in _families(cell[1]):
            entry.values.setdefault(family, None)
        if cell[0] == "network":
            figures["network"] = entry.public()
        elif cell[0] != "sector_matrix" or NONE_KEY not in cell[2].split(MATRIX_SEPARATOR):
            figures[cell[0]].append(entry.public())
    if figures["network"] is None:
        figures["network"] = Published(key="network", direction="all").public()
    return figures, audited


def in_ratings(dyads: list[DyadRow]) -> dict[int, dict]:
    """How others rated each person, family by family, each only with three or more raters who
    gave that family a substantive answer. Shown to that person alone."""
    by_partner: dict = defaultdict(lambda: defaultdict(dict))
    for row in dyads:
        for family in DYADIC_FAMILIES:
            value = getattr(row, family)
            if value is not None:
                by_partner[row.partner][family][row.rater] = value
    result = {}
    for partner, families in by_partner.items():
        shown = {
            family: raters for family, raters in families.items() if in_ratings_allowed(len(raters))
        }
        if shown:
            result[partner] = {
                "raters": {family: len(raters) for family, raters in shown.items()},
                **{family: None for family in DYADIC_FAMILIES},
                **{
                    family: _mean_index(raters.values(), index4) for family, raters in shown.items()
                },
            }
    return result


def change_ids(
    before: Cells, after: Cells, before_figures: dict, after_figures: dict, k: int
) -> list[list[str]]:
    """The figures whose change between two waves may be shown (``common.privacy``'s rule):
    as ``[section, direction, key, family]``."""

    def shown(figures: dict) -> set:
        out = set()
        for section, cells in figures.items():
            cells = [cells] if isinstance(cells, dict) else cells
            if not isinstance(cells, list):
                continue
            for cell in cells:
                for family in (cell.get("counts") or {}) if isinstance(cell, dict) else ():
                    out.add((section, cell.get("direction", "all"), cell["key"], family))
        return out

    allowed = []
    for section, direction, key, family in sorted(shown(before_figures) & shown(after_figures)):
        cell = (section, direction, key)
        old = before.answers.get((cell, family))
        new = after.answers.get((cell, family))
        if old is None or new is None:
            continue
        if change_allowed(
            AuditCell(key=key, family=family, contributions=frozenset(old)),
            AuditCell(key=key, family=family, contributions=frozenset(new)),
            k,
        ):
            allowed.append([section, direction, key, family])
    return allowed
