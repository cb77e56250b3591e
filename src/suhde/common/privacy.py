"""The anonymity threshold, and the one auditor every published survey figure passes.

A group figure from fewer than k distinct respondents is never shown (promise 9). The threshold
defaults to 5 and can never be set below 3.

Thresholds alone do not protect: two figures that are each above k can be subtracted, and the
difference can be one person's answers. So before a wave's figures are stored, *all* of them —
every partition, direction, tie class, the sector matrix, theme networks — go through
``publication_audit`` together. It treats each figure as the set of answers it is computed from
(each answer belongs to a respondent and, for an answer about a partner, to the person rated),
and hides figures until nothing an attacker can compute from the shown ones singles out a group
of 1 to k − 1 respondents, or of 1 to k − 1 rated people:

1. every shown figure has at least k respondents and is about at least k rated people;
2. no two shown figures, and no shown figure and the whole, differ by 1 to k − 1 people;
3. a figure minus the shown figures of a partition inside it (organizations in a sector, the
   cells of the sector matrix in a column) leaves nobody or at least k people;
4. no linear combination of the shown figures (they are sums once their counts are known) is
   made of the answers of one respondent, of answers about one rated person, or of the answers
   behind a hidden figure alone — checked exactly with the row space of the figures.

Changes between two waves are checked the same way (``change_allowed``). This module depends on
no app; ``figures_public`` checks stored figures again whenever they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

K_DEFAULT = 5
K_MINIMUM = 3
IN_RATINGS_MINIMUM = 3
AUDIT_VERSION = 2  # stored with every audited snapshot; older figures are shown as suppressed
FAMILIES = ("knowing", "trust", "commitment", "self")  # counted and suppressed one by one


def figure_allowed(respondents: int, k: int) -> bool:
    return respondents >= max(k, K_MINIMUM)


POLL_K = K_MINIMUM


def poll_result_allowed(*, anonymous: bool, closed: bool, ballots: int) -> bool:
    """An anonymous poll's answers are shown once, after it has closed, and only from k voters.

    Shown while it runs, a coordinator who reads the tally before and after one name appears in
    the voter list learns that person's answer (the known-ballot subtraction Loomio documents);
    after closing nothing changes any more, so there is no "before" to subtract. With fewer than
    k voters the distribution itself may be one or two people's answers (docs/privacy.md).
    """
    if not anonymous:
        return True
    return closed and ballots >= POLL_K


POSITION_K = K_DEFAULT


def position_aggregate_allowed(*, people: int, closed: bool) -> bool:
    """The network's picture of its leaders' self-reflections on their position (issue 22).

    Shown only once the round has closed, so that no answer can be added or changed after it is
    shown: two pictures of the same round that differ by one person would otherwise give that
    person's answer away (the same subtraction as an anonymous poll read before and after one
    more vote). And only from ``POSITION_K`` people, each counted once, whatever the network's
    survey threshold.
    """
    return closed and people >= max(POSITION_K, K_MINIMUM)


def in_ratings_allowed(raters: int) -> bool:
    """How others rated one person may be shown (to that person alone) with enough raters."""
    return raters >= IN_RATINGS_MINIMUM


# --- the auditor --------------------------------------------------------------------------------


@dataclass(eq=False)
class AuditCell:
    """One figure that would be published: one item family of one group, in one direction.

    ``contributions`` are the answers it is computed from, each ``(respondent, subject)`` where
    the subject is the person rated (None for an answer about oneself). Cells of one ``group``
    never share an answer (the organizations of a wave, the cells of the sector matrix).
    """

    key: str
    family: str
    contributions: frozenset
    group: str | None = None
    hidden: bool = False
    # A cell already published by an earlier audit: its state stays, only the others may hide.
    fixed: bool = False

    @property
    def respondents(self) -> set:
        return {respondent for respondent, _subject in self.contributions}

    @property
    def subjects(self) -> set:
        return {subject for _respondent, subject in self.contributions if subject is not None}


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _mask(atoms: list[int], size: int) -> int:
    flags = np.zeros(size, dtype=bool)
    flags[atoms] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _union(owners: list[int], atoms: list[int]) -> int:
    union = 0
    for atom in atoms:
        union |= owners[atom]
    return union


class _Family:
    """The cells of one item family, over atoms: answers that lie in exactly the same cells.

    Answers in the same atom can never be told apart by any combination of cells, so every rule
    is decided on atoms, each carrying the people (respondents, rated) behind it as bit sets.
    """

    def __init__(self, cells: list[AuditCell], k: int):
        self.cells, self.k = cells, k
        where: dict = {}
        for index, cell in enumerate(cells):
            bit = 1 << index
            for contribution in cell.contributions:
                where[contribution] = where.get(contribution, 0) | bit
        people: dict = {}
        atoms: dict[int, int] = {}
        self.respondents: list[int] = []
        self.subjects: list[int] = []
        members: list[list[int]] = [[] for _cell in cells]
        for (respondent, subject), signature in where.items():
            atom = atoms.get(signature)
            if atom is None:
                atom = atoms[signature] = len(self.respondents)
                self.respondents.append(0)
                self.subjects.append(0)
                for index in _bits(signature):
                    members[index].append(atom)
            self.respondents[atom] |= 1 << people.setdefault(("r", respondent), len(people))
            if subject is not None:
                self.subjects[atom] |= 1 << people.setdefault(("s", subject), len(people))
        self.columns = [np.asarray(atoms_of, dtype=np.intp) for atoms_of in members]
        self.masks = [_mask(atoms_of, len(self.respondents)) for atoms_of in members]
        self.reach = [_union(self.respondents, atoms_of) for atoms_of in members]
        self.about = [_union(self.subjects, atoms_of) for atoms_of in members]
        self.whole = (1 << len(self.respondents)) - 1
        self.groups: dict[str, list[int]] = {}
        for index, cell in enumerate(cells):
            if cell.group is not None:
                self.groups.setdefault(cell.group, []).append(index)

    def people(self, mask: int, owners: list[int]) -> int:
        union = 0
        for atom in _bits(mask):
            union |= owners[atom]
        return union

    def small(self, mask: int) -> bool:
        """Do the answers in ``mask`` single out 1 to k − 1 respondents or rated people?"""
        for owners in (self.respondents, self.subjects):
            union = 0
            for atom in _bits(mask):
                union |= owners[atom]
                if union.bit_count() >= self.k:
                    break
            else:
                if union:
                    return True
        return False

    def shown(self) -> list[int]:
        return [index for index, cell in enumerate(self.cells) if not cell.hidden]

    def hide_smallest(self, candidates: Iterable[int]) -> bool:
        candidates = [
            index
            for index in candidates
            if not self.cells[index].hidden and not self.cells[index].fixed
        ]
        if not candidates:
            return False
        self.cells[min(candidates, key=self._size)].hidden = True
        return True

    def _size(self, index: int) -> tuple:
        return (self.reach[index].bit_count(), self.cells[index].key)

    # the four rules ----------------------------------------------------------------------

    def threshold(self) -> None:
        for index, cell in enumerate(self.cells):
            subjects = self.about[index]
            if cell.fixed:
                continue
            if self.reach[index].bit_count() < self.k or (
                subjects and subjects.bit_count() < self.k
            ):
                cell.hidden = True

    def partitions(self) -> bool:
        """A parent minus the shown cells of a group inside it must not single anyone out."""
        changed = False
        parents = [*self.shown(), None]
        for parent in parents:
            if parent is not None and self.cells[parent].hidden:
                continue
            outer = self.whole if parent is None else self.masks[parent]
            for members in self.groups.values():
                if self._settled(parent, members):
                    continue
                inside = [m for m in members if m != parent and not self.masks[m] & ~outer]
                shown = [m for m in inside if not self.cells[m].hidden]
                rest = outer
                for member in shown:
                    rest &= ~self.masks[member]
                if rest and rest != outer and self.small(rest):
                    changed |= self.hide_smallest(shown)
        return changed

    def _settled(self, parent: int | None, members: list[int]) -> bool:
        """A parent and a group that were all published before: their audit answered for them."""
        fixed = parent is None or self.cells[parent].fixed
        return fixed and all(self.cells[m].fixed for m in members)

    def pairs(self) -> bool:
        """No two shown cells, and no shown cell and the whole, differ by 1 to k − 1 people."""
        changed = False
        shown = self.shown()
        reach, about = self.reach, self.about
        for position, first in enumerate(shown):
            for second in [*shown[position + 1 :], None]:
                if self.cells[first].hidden or (second is not None and self.cells[second].hidden):
                    continue
                if self.cells[first].fixed and (second is None or self.cells[second].fixed):
                    continue  # settled by the audit that published them
                other = self.whole if second is None else self.masks[second]
                difference = self.masks[first] ^ other
                if not difference:
                    continue
                if second is not None and self._far(reach, about, first, second):
                    continue
                if self.small(difference):
                    candidates = [first] if second is None else [first, second]
                    changed |= self.hide_smallest(candidates)
        return changed

    def _far(self, reach: list, about: list, first: int, second: int) -> bool:
        """Cheap sufficient test: everyone in exactly one of the two cells has an answer in
        their difference, so k such people on each side mean it singles nobody out."""
        subjects = about[first] ^ about[second]
        return (reach[first] ^ reach[second]).bit_count() >= self.k and (
            subjects.bit_count() >= self.k or not (about[first] | about[second])
        )

    def span(self) -> bool:
        """No combination of shown cells is made of one person's answers (or a hidden cell's).

        With Q an orthonormal basis of the shown cells' row space, a nonzero combination lies
        on the atoms S alone exactly when the largest singular value of Q[:, S] is 1.
        """
        shown = self.shown()
        if not shown:
            return False
        rows = np.zeros((len(shown) + 1, len(self.respondents)))
        for row, index in enumerate(shown):
            rows[row, self.columns[index]] = 1.0
        rows[-1, :] = 1.0  # the whole
        basis = _row_basis(rows)
        leverage = np.einsum("ij,ij->j", basis, basis)  # each atom's squared share in the span
        for columns in self._suspects():
            # The largest eigenvalue of Q_SᵀQ_S is at most its trace: most groups stop here.
            if leverage[columns].sum() < 1 - 1e-8:
                continue
            part = basis[:, columns]
            if np.linalg.eigvalsh(part.T @ part)[-1] > 1 - 1e-8:
                involved = [shown[i] for i in _combination(rows, columns)]
                if self.hide_smallest(involved):
                    return True
                if not any(self.cells[index].fixed for index in involved):
                    return False
                # Only fixed cells combine to this: the earlier audit answered for them.
        return False

    def _suspects(self) -> Iterator[list[int]]:
        """The atoms made only of answers of each single person, and of the people behind each
        hidden cell under k: the groups no combination may isolate."""
        for owners in (self.respondents, self.subjects):
            by_person: dict[int, list[int]] = {}
            for atom, people in enumerate(owners):
                for person in _bits(people):
                    by_person.setdefault(person, []).append(atom)
            groups = {1 << person for person in by_person}
            cells_people = self.reach if owners is self.respondents else self.about
            for index, cell in enumerate(self.cells):
                people = cells_people[index]
                if cell.hidden and 1 < people.bit_count() < self.k:
                    groups.add(people)
            for group in sorted(groups):
                candidates = {atom for person in _bits(group) for atom in by_person[person]}
                columns = sorted(a for a in candidates if not owners[a] & ~group)
                if columns:
                    yield columns

    def run(self) -> None:
        self.threshold()
        while self.partitions() or self.pairs() or self.span():
            pass


def _row_basis(rows: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the rows' span, from the small Gram matrix (cells × cells):
    the cells are few and the atoms many, so this is far cheaper than an SVD of the rows."""
    values, vectors = np.linalg.eigh(rows @ rows.T)
    keep = values > values.max() * 1e-12
    return (vectors[:, keep].T @ rows) / np.sqrt(values[keep])[:, None]


def _combination(rows: np.ndarray, columns: list[int]) -> list[int]:
    """The rows (not the whole, the last) of one combination that lies on ``columns`` alone.

    Such combinations y satisfy yᵀ·rows[:, others] = 0: the left null space of the other
    columns. Of its basis vectors, the one that moves ``columns`` most is taken.
    """
    others = np.ones(rows.shape[1], dtype=bool)
    others[columns] = False
    rest = rows[:, others]
    values, vectors = np.linalg.eigh(rest @ rest.T)  # yᵀ·rest = 0  ⇔  (rest·restᵀ)·y = 0
    null = vectors[:, values <= max(values.max(), 1.0) * 1e-10].T
    if not len(null):
        return []
    effect = np.linalg.norm(null @ rows[:, columns], axis=1)
    y = null[int(np.argmax(effect))]
    return [int(i) for i in np.flatnonzero(np.abs(y) > 1e-9 * np.abs(y).max()) if i < len(rows) - 1]


def publication_audit(cells: list[AuditCell], *, k: int, fixed: Iterable[AuditCell] = ()) -> None:
    """Hide cells until the shown ones cannot single out fewer than k people (module doc).

    Works family by family: answers to different items are different unknowns, so no
    combination across families can solve for one of them. ``fixed`` cells were audited before
    and are published as they are: they count in every rule, but only ``cells`` may be hidden,
    so a figure added later (a service path's organization pairs) never changes what the
    survey already showed.
    """
    k = max(k, K_MINIMUM)
    fixed = list(fixed)
    families: dict[str, list[AuditCell]] = {}
    for cell in cells:
        cell.hidden = False
        cell.fixed = False
        families.setdefault(cell.family, []).append(cell)
    for cell in fixed:
        cell.fixed = True
        if cell.family in families:  # a family with nothing new was settled before
            families[cell.family].append(cell)
    for members in families.values():
        _Family(members, k).run()
    for cell in fixed:
        cell.fixed = False


def change_allowed(before: AuditCell | None, after: AuditCell | None, k: int) -> bool:
    """A change between two waves is a figure too: both must be shown, and the answers behind
    them (who rated whom) may differ by nobody or by at least k people on each side."""
    if before is None or after is None or before.hidden or after.hidden:
        return False
    k = max(k, K_MINIMUM)
    difference = before.contributions ^ after.contributions
    respondents = {respondent for respondent, _ in difference}
    subjects = {subject for _, subject in difference if subject is not None}
    return all(len(people) == 0 or len(people) >= k for people in (respondents, subjects))


# --- reading stored figures ---------------------------------------------------------------------


def _commitment_index(values: dict, shown: set) -> float | None:
    """The instrument's commitment index: kept promises (C4) and one's own commitment (C1–C3)
    with equal weight, only where both are shown (so it adds nothing to what is shown)."""
    if {"commitment", "self"} <= shown:
        return round((values["commitment"] + values["self"]) / 2, 1)
    return None


@dataclass
class Published:
    """What may leave the process of one group in one direction: values of the shown families
    with their respondent counts; never respondent ids."""

    key: str
    direction: str
    values: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def public(self) -> dict:
        cell: dict[str, object] = {
            "key": self.key,
            "direction": self.direction,
            "counts": dict(self.counts),
        }
        for family, value in self.values.items():
            cell[family] = value if family in self.counts else None
        return _finish(cell)


def _finish(cell: dict) -> dict:
    shown = set(cell["counts"])
    if not shown:  # a wholly hidden group carries no value, not even an empty one
        return {"key": cell["key"], "direction": cell["direction"], "suppressed": True}
    cell["commitment_index"] = _commitment_index(cell, shown)
    cell["suppressed"] = not shown
    if shown:
        cell["respondents"] = max(cell["counts"].values())
    return cell


def _cell_public(cell: dict, k: int) -> dict:
    counts = {
        family: n
        for family, n in (cell.get("counts") or {}).items()
        if isinstance(n, int) and n >= max(k, K_MINIMUM) and cell.get(family) is not None
    }
    out = {"key": cell["key"], "direction": cell.get("direction", ""), "counts": counts}
    for name in FAMILIES:
        if name in cell:
            out[name] = cell[name] if name in counts else None
    return _finish(out)


def figures_public(figures: object, k: int) -> dict[str, Any]:
    """Re-check stored figures before showing them: defence in depth for every reader.

    A family that claims fewer than k respondents loses its value, whatever the cell says, and
    figures stored before the auditor existed are shown as suppressed altogether.
    """
    if not isinstance(figures, dict) or figures.get("audit") != AUDIT_VERSION:
        return {"audit": AUDIT_VERSION, "network": {"key": "network", "suppressed": True}}
    out: dict[str, Any] = {"audit": AUDIT_VERSION}
    for section, value in figures.items():
        if isinstance(value, dict) and "key" in value:
            out[section] = _cell_public(value, k)
        elif isinstance(value, list):
            out[section] = [_cell_public(c, k) for c in value if isinstance(c, dict) and "key" in c]
    return out
