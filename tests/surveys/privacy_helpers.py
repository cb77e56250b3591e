"""The attacker of issue 13, written independently of ``scores`` and ``common.privacy``.

Given a wave's raw answers and what was published, the attacker knows every shown figure and
its count, so every shown figure is a known sum of the answers behind it. ``attack`` tries what
the issue asks: every pair of shown figures, every figure against the whole, every partition,
and then the full linear algebra (exact, over a large prime field) for every single respondent
and every single rated person. It returns what it could learn; a safe publication gives [].
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import strategies as st

from suhde.surveys import scores

SECTOR = {"o1": "public", "o2": "public", "o3": "third", "o4": "private", "-": "-"}
THEMES = ("youth", "housing")
PRIME = (1 << 61) - 1

# (rater, partner, rater org, partner org, value or None for "can't say" to everything)
rows = st.lists(
    st.tuples(
        st.integers(0, 14),
        st.integers(0, 14),
        st.sampled_from(["o1", "o2", "o3", "o4", "-"]),
        st.sampled_from(["o1", "o2", "o3", "o4", "-"]),
        st.one_of(st.none(), st.integers(1, 4)),
    ),
    max_size=80,
)


def _themes(person: int) -> frozenset:
    """A fixed, overlapping theme membership: youth for even people, housing for multiples of 3."""
    return frozenset(
        t for t, member in zip(THEMES, (person % 2 == 0, person % 3 == 0), strict=True) if member
    )


def _rows(raw):
    """Dyads and self rows from raw tuples; one person keeps one organization (the first)."""
    org_of: dict[int, str] = {}
    for r, p, ro, po, _v in raw:
        org_of.setdefault(r, ro)
        org_of.setdefault(p, po)
    seen, dyads = set(), []
    for r, p, _ro, _po, v in raw:
        if r == p or (r, p) in seen:
            continue
        seen.add((r, p))
        dyads.append(
            scores.DyadRow(
                rater=r,
                rater_org=org_of[r],
                rater_sector=SECTOR[org_of[r]],
                partner=p,
                partner_org=org_of[p],
                partner_sector=SECTOR[org_of[p]],
                level=3,
                knowing=v,
                trust=v if v is None or v > 1 else None,  # some "can't say" only on trust
                commitment=v,
                rater_themes=_themes(r),
                partner_themes=_themes(p),
            )
        )
    raters = sorted({d.rater for d in dyads})
    selves = [
        scores.SelfRow(
            rater=r,
            org=org_of[r],
            sector=SECTOR[org_of[r]],
            score=None if r % 4 == 0 else 2.0 + r % 3,
            themes=_themes(r),
        )
        for r in raters[::2]
    ]
    return dyads, selves


# --- what each published cell is made of, recounted from the raw rows ------------------------


def _dyad_in(section: str, direction: str, key: str, d) -> bool:
    if section == "network":
        return True
    if section in ("sectors", "organizations"):
        attr = "sector" if section == "sectors" else "org"
        side = "partner" if direction == "received" else "rater"
        return getattr(d, f"{side}_{attr}") == key
    if section == "theme_networks":
        return key in (d.partner_themes if direction == "received" else d.rater_themes)
    if section in ("organization_ties", "sector_ties"):
        attr = "org" if section == "organization_ties" else "sector"
        same = getattr(d, f"rater_{attr}") == getattr(d, f"partner_{attr}") != "-"
        return same == (key == "within")
    if section == "sector_matrix":
        rater, _sep, partner = key.partition(">")
        return (d.rater_sector, d.partner_sector) == (rater, partner)
    if section == "organization_pairs":  # ties between two organizations, either way
        first, _sep, second = key.partition(" ↔ ")
        return d.rater_org != d.partner_org and {d.rater_org, d.partner_org} == {first, second}
    raise AssertionError(section)


def _self_in(section: str, direction: str, key: str, s) -> bool:
    if section == "network":
        return True
    if direction != "given":
        return False
    if section == "sectors":
        return s.sector == key
    if section == "organizations":
        return s.org == key
    if section == "theme_networks":
        return key in s.themes
    return False


def contributions(dyads, selves, section, direction, key, family) -> frozenset:
    """The answers behind one family of one cell: (respondent, rated person or None)."""
    if family == "self":
        return frozenset(
            (s.rater, None)
            for s in selves
            if s.score is not None and _self_in(section, direction, key, s)
        )
    return frozenset(
        (d.rater, d.partner)
        for d in dyads
        if getattr(d, family) is not None and _dyad_in(section, direction, key, d)
    )


def whole(dyads, selves, family) -> frozenset:
    return contributions(dyads, selves, "network", "all", "network", family)


def shown_cells(figures: dict):
    """(section, direction, key, family, published cell) for every family shown."""
    for section, cells in figures.items():
        if section == "audit":
            continue
        for cell in [cells] if isinstance(cells, dict) else cells:
            for family in cell.get("counts") or {}:
                yield section, cell.get("direction", "all"), cell["key"], family, cell


def _people(answers) -> tuple[set, set]:
    return {r for r, _s in answers}, {s for _r, s in answers if s is not None}


def _small(answers, k) -> bool:
    respondents, subjects = _people(answers)
    return any(0 < len(group) < k for group in (respondents, subjects))


# --- exact linear algebra -------------------------------------------------------------------


def _rank(matrix: list[list[int]]) -> int:
    rows = [list(row) for row in matrix if any(row)]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] % PRIME), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inverse = pow(rows[rank][column], PRIME - 2, PRIME)
        rows[rank] = [value * inverse % PRIME for value in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][column]:
                factor = rows[i][column]
                rows[i] = [
                    (a - factor * b) % PRIME for a, b in zip(rows[i], rows[rank], strict=True)
                ]
        rank += 1
    return rank


def solvable_people(sets: list[frozenset]) -> list[tuple[str, object]]:
    """People for whom some combination of the known sums is made of their answers alone."""
    columns = sorted(set().union(*sets), key=repr) if sets else []
    if not columns:
        return []
    matrix = [[1 if c in s else 0 for c in columns] for s in sets]
    full = _rank(matrix)
    found = []
    for side, position in (("respondent", 0), ("rated", 1)):
        for person in sorted({c[position] for c in columns if c[position] is not None}):
            others = [i for i, c in enumerate(columns) if c[position] != person]
            reduced = [[row[i] for i in others] for row in matrix]
            if _rank(reduced) < full:
                found.append((side, person))
    return found


DISJOINT = {
    "sectors/received",
    "sectors/given",
    "organizations/received",
    "organizations/given",
    "organization_ties/between",
    "sector_ties/between",
    "sector_matrix/between",
}


def _partitions(cells, everything, k) -> list[str]:
    """A figure minus the shown figures of one partition inside it."""
    learned = []
    parents = [("whole", everything), *cells]
    for parent_name, parent in parents:
        for group in DISJOINT:
            inside = [
                answers
                for name, answers in cells
                if name.startswith(group + "/") and name != parent_name and answers <= parent
            ]
            rest = parent.difference(*inside) if inside else parent
            if inside and rest != parent and _small(rest, k):
                learned.append(f"{parent_name} minus the shown {group}")
    return learned


# --- the attack ----------------------------------------------------------------------------


def attack(figures: dict, dyads, selves, k: int) -> list[str]:
    """Everything the attacker of issue 13 learns from the published figures; [] when safe."""
    learned = []
    by_family: dict[str, list[tuple[str, frozenset]]] = defaultdict(list)
    for section, direction, key, family, cell in shown_cells(figures):
        answers = contributions(dyads, selves, section, direction, key, family)
        name = f"{section}/{direction}/{key}/{family}"
        respondents, subjects = _people(answers)
        if cell["counts"][family] != len(respondents):
            learned.append(f"{name}: count {cell['counts'][family]} != {len(respondents)}")
        if len(respondents) < k or (family != "self" and len(subjects) < k):
            learned.append(f"{name}: shown with {len(respondents)}/{len(subjects)} people")
        by_family[family].append((name, answers))
    for family, cells in by_family.items():
        everything = whole(dyads, selves, family)
        for position, (name, answers) in enumerate(cells):
            if _small(everything - answers, k):
                learned.append(f"whole minus {name}")
            for other_name, other in cells[position + 1 :]:
                if _small(answers ^ other, k):
                    learned.append(f"{name} vs {other_name}")
        learned += _partitions(cells, everything, k)
        for side, person in solvable_people([everything, *(answers for _n, answers in cells)]):
            learned.append(f"{family}: solved the answers of {side} {person}")
    return learned
