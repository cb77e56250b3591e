"""Building the analysis graph from plain arrays.

The web app reads arrays from the database, the command line reads CSV files,
the benchmark generates them; all three end here. A :class:`Graph` keeps the
igraph graph for the C algorithms and the same ties as numpy arrays, because
counting over arrays is much faster than walking igraph's edge list from Python.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from suhde.analysis.bfs import Incoming, incoming
from suhde.analysis.errors import InputError
from suhde.analysis.igraph_support import ig

DIMENSIONS = ("knowing", "trust", "commitment")
MISSING = -1  # group code of a person with no value in a grouping column
RATING_RANGE = (1.0, 4.0)

# A column of values: a list as callers build it, or an array as the readers give it.
Column = Sequence[object] | np.ndarray


@dataclass(frozen=True, eq=False)
class Graph:
    """A directed, simple network of people with groups and tie weights.

    Vertex ``i`` is the person ``ids[i]``; tie ``e`` runs from ``source[e]`` to
    ``target[e]`` (vertex indices). ``groups[col][i]`` is the code of person
    ``i`` in a grouping column and ``labels[col][code]`` its value; the code is
    ``-1`` where the value is missing. ``strong`` is 1.0 for a strong tie, 0.0 for
    a weak one and NaN when unknown; the three ratings are NaN when unknown.

    Build it with :func:`build_graph`, not directly.
    """

    ids: np.ndarray
    groups: dict[str, np.ndarray]
    labels: dict[str, tuple[str, ...]]
    source: np.ndarray
    target: np.ndarray
    strong: np.ndarray
    ratings: dict[str, np.ndarray]
    ig: ig.Graph = field(repr=False)

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of (directed) ties."""
        return len(self.source)

    @cached_property
    def undirected(self) -> ig.Graph:
        """The undirected simple graph: A—B exists when A→B or B→A does."""
        return self.ig.as_undirected(mode="collapse")

    @cached_property
    def keys(self) -> np.ndarray:
        """One int64 key per tie, ``source * n + target``, for set operations."""
        return self.source.astype(np.int64) * self.n + self.target

    @cached_property
    def reverse_index(self) -> np.ndarray:
        """For each tie A→B the index of B→A, or -1 when the tie is one-sided.

        The reversed keys are looked up in sorted order: a binary search per tie in the order
        of the ties jumps across the whole key array (at a million people, ten times slower).
        """
        order = np.argsort(self.keys, kind="stable")
        sorted_keys = self.keys[order]
        rev = self.target.astype(np.int64) * self.n + self.source
        rev_order = np.argsort(rev, kind="stable")
        wanted = rev[rev_order]
        pos = np.minimum(np.searchsorted(sorted_keys, wanted), max(self.m - 1, 0))
        found = sorted_keys[pos] == wanted if self.m else np.zeros(0, bool)
        out = np.full(self.m, -1, dtype=np.int64)
        out[rev_order[found]] = order[pos[found]]
        return out

    @cached_property
    def in_degree(self) -> np.ndarray:
        """In-degree of every person (ties naming them)."""
        return np.bincount(self.target, minlength=self.n)

    @cached_property
    def out_degree(self) -> np.ndarray:
        """Out-degree of every person (ties they named)."""
        return np.bincount(self.source, minlength=self.n)

    @cached_property
    def ties_in(self) -> Incoming:
        """The ties grouped by the person named, for searches along the ties."""
        return incoming(self.source, self.target, self.n)

    @cached_property
    def ties_out(self) -> Incoming:
        """The ties grouped by the person naming, for searches against the ties."""
        return incoming(self.target, self.source, self.n)

    def index_of(self, person_id: object) -> int:
        """Vertex index of a person id (raises ``KeyError`` when unknown)."""
        return self._index[person_id]

    @cached_property
    def _index(self) -> dict[object, int]:
        return {pid: i for i, pid in enumerate(self.ids.tolist())}


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an array: ``np.unique`` without its slowness.

    numpy 2.3 and later answer a bare ``np.unique`` with a hash table that is some twenty
    times slower than sorting for a million distinct values (1.4 s against 0.07 s here);
    with ``return_inverse`` or ``return_counts`` it still sorts.

    Examples
    --------
    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def build_graph(
    node_ids: Column,
    groups: Mapping[str, Column] | None,
    sources: Column,
    targets: Column,
    strength: Column | None = None,
    knowing: Column | None = None,
    trust: Column | None = None,
    commitment: Column | None = None,
) -> Graph:
    """Build a :class:`Graph` from node ids, group columns and a tie list.

    Parameters
    ----------
    node_ids : sequence
        Unique person ids (strings or integers).
    groups : mapping of str to sequence
        Grouping columns (``organization``, ``sector``, …), one value per person;
        ``None`` or ``""`` means missing.
    sources, targets : sequence
        Person ids of each tie's two ends; the tie is ``source → target``.
    strength : sequence, optional
        Per tie: ``"strong"``/``"weak"``, ``True``/``False`` or 1/0; ``None``,
        ``""`` or NaN means unknown.
    knowing, trust, commitment : sequence of float, optional
        Per tie ratings on 1–4; NaN means not answered.

    Returns
    -------
    Graph

    Raises
    ------
    InputError
        Duplicate person ids, ties naming unknown people, self-ties, the same tie
        twice, a strength that is not weak or strong, or ratings outside 1–4;
        ``index`` is the position of the first offending item.

    Examples
    --------
    >>> g = build_graph(["a", "b"], {"organization": ["x", "y"]}, ["a"], ["b"])
    >>> (g.n, g.m)
    (2, 1)
    """
    ids = _node_ids(node_ids)
    src = _lookup(ids, sources, "source")
    dst = _lookup(ids, targets, "target")
    _check_ties(ids, src, dst)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building from many Python objects is several times faster without gc
    try:
        graph = ig.Graph(n=len(ids), edges=np.column_stack([src, dst]), directed=True)
    finally:
        if gc_was_enabled:
            gc.enable()
    codes, labels = _groups(groups or {}, len(ids))
    ratings = {
        name: _ratings(values, len(src), name)
        for name, values in zip(DIMENSIONS, (knowing, trust, commitment), strict=True)
    }
    return Graph(ids, codes, labels, src, dst, _strength(strength, len(src)), ratings, graph)


def _as_array(values: Column) -> np.ndarray:
    """A 1-d numpy array that keeps each value's type (mixed types become objects)."""
    if isinstance(values, np.ndarray):
        return values
    if len({type(v) for v in values}) == 1:
        arr = np.asarray(values)
        if arr.ndim == 1:
            return arr
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _node_ids(node_ids: Column) -> np.ndarray:
    ids = _as_array(node_ids)
    if ids.dtype.kind in "iuU" and len(distinct(ids)) == len(ids):
        return ids  # the common case, vectorized
    seen: dict[object, int] = {}
    for i, pid in enumerate(ids.tolist()):  # slow path only to name the duplicate
        if pid in seen:
            raise InputError(f"person '{pid}' appears twice", column="id", index=i)
        seen[pid] = i
    return ids


def _lookup(ids: np.ndarray, values: Column, column: str) -> np.ndarray:
    """Vertex index of every tie end, vectorized: sort the ids once, binary-search."""
    vals = _as_array(values) if len(values) else np.zeros(0, dtype=np.int64)
    if len(vals) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(ids) == 0:
        raise InputError(f"unknown person '{vals[0]}'", column=column, index=0)
    if ids.dtype.kind not in "iuU" or ids.dtype.kind != vals.dtype.kind:
        return _lookup_slow(ids, vals, column)
    order = np.argsort(ids, kind="stable")
    pos = np.minimum(np.searchsorted(ids[order], vals), len(ids) - 1)
    idx = order[pos]
    bad = np.flatnonzero(ids[idx] != vals)
    if len(bad):
        raise InputError(f"unknown person '{vals[bad[0]]}'", column=column, index=int(bad[0]))
    return idx.astype(np.int64)


def _lookup_slow(ids: np.ndarray, vals: np.ndarray, column: str) -> np.ndarray:
    index = {pid: i for i, pid in enumerate(ids.tolist())}
    out = np.empty(len(vals), dtype=np.int64)
    for pos, value in enumerate(vals.tolist()):
        if value not in index:
            raise InputError(f"unknown person '{value}'", column=column, index=pos)
        out[pos] = index[value]
    return out


def _check_ties(ids: np.ndarray, src: np.ndarray, dst: np.ndarray) -> None:
    if len(src) != len(dst):
        raise InputError("sources and targets differ in length")
    loops = np.flatnonzero(src == dst)
    if len(loops):
        who = ids[src[loops[0]]]
        raise InputError(f"'{who}' names themselves", column="target", index=int(loops[0]))
    keys = src * len(ids) + dst
    order = np.argsort(keys, kind="stable")
    same = np.flatnonzero(keys[order][1:] == keys[order][:-1])
    if len(same):
        later = order[same + 1]
        dup = int(later.min())
        pair = f"'{ids[src[dup]]}' → '{ids[dst[dup]]}'"
        raise InputError(f"the tie {pair} appears twice", column="target", index=dup)


def _groups(
    groups: Mapping[str, Column], n: int
) -> tuple[dict[str, np.ndarray], dict[str, tuple[str, ...]]]:
    codes: dict[str, np.ndarray] = {}
    labels: dict[str, tuple[str, ...]] = {}
    for name, values in groups.items():
        if isinstance(values, np.ndarray) and values.dtype.kind == "U":
            vals = values  # already text: skip a million Python objects
        else:
            vals = np.array(["" if _blank(v) else str(v) for v in values], dtype=str)
        if len(vals) != n:
            raise InputError(f"has {len(vals)} values for {n} people", column=name)
        present = vals != ""
        uniq, inverse = np.unique(vals[present], return_inverse=True)
        code = np.full(n, MISSING, dtype=np.int64)
        code[present] = inverse
        codes[name] = code
        labels[name] = tuple(uniq.tolist())
    return codes, labels


def _strength(values: Column | None, m: int) -> np.ndarray:
    if values is None:
        return np.full(m, np.nan)
    arr = np.asarray(values)
    if arr.dtype.kind in "biuf":
        out = arr.astype(float)
        bad = np.flatnonzero(~np.isnan(out) & (out != 0) & (out != 1))
    else:
        lookup = {"strong": 1.0, "weak": 0.0, "": np.nan}
        text = ["" if _blank(v) else str(v).strip().lower() for v in arr.tolist()]
        out = np.array([lookup.get(t, -1.0) for t in text], dtype=float)
        bad = np.flatnonzero(out == -1.0)
    if len(out) != m:
        raise InputError(f"has {len(out)} values for {m} ties", column="strength")
    if len(bad):
        raise InputError(
            f"'{arr[bad[0]]}' is not weak or strong", column="strength", index=int(bad[0])
        )
    return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _ratings(values: Column | None, m: int, name: str) -> np.ndarray:
    if values is None:
        return np.full(m, np.nan)
    out = np.asarray(values, dtype=float)
    if len(out) != m:
        raise InputError(f"has {len(out)} values for {m} ties", column=name)
    low, high = RATING_RANGE
    bad = np.flatnonzero(~np.isnan(out) & ((out < low) | (out > high)))
    if len(bad):
        raise InputError(
            f"{out[bad[0]]:g} is outside {low:g}–{high:g}", column=name, index=int(bad[0])
        )
    return out
