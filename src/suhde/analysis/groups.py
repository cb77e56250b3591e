"""Ties between groups: E-I index, mixing matrix, Gould–Fernandez brokerage.

A group is a value in a grouping column of the people file (organization,
sector, …). Ties touching a person with no value in that column are left out
of that column's figures.
"""

from __future__ import annotations

import itertools

import numpy as np

from suhde.analysis.graph import MISSING, Graph, distinct

BROKERAGE_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")
_TWO_PATH_CHUNK = 262_144  # two-paths per numpy batch: its arrays stay in cache and get reused


def _known(graph: Graph, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group codes of both ends of every tie, and which ties have both known."""
    code = graph.groups[column]
    gs, gt = code[graph.source], code[graph.target]
    return gs, gt, (gs != MISSING) & (gt != MISSING)


def ei_index(graph: Graph, column: str) -> float | None:
    """Krackhardt and Stern's E-I index of a grouping: ``(E − I) / (E + I)``.

    E counts ties between different groups, I ties inside a group. −1 means all
    ties stay inside groups, +1 that all cross. ``None`` without counted ties.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], {"org": ["x", "x", "y"]}, ["a", "a"], ["b", "c"])
    >>> ei_index(g, "org")
    0.0
    """
    gs, gt, known = _known(graph, column)
    total = int(np.count_nonzero(known))
    if total == 0:
        return None
    external = int(np.count_nonzero(known & (gs != gt)))
    return (2 * external - total) / total


def mixing(graph: Graph, column: str) -> dict[str, dict[str, int]]:
    """Tie counts from each group to each group (rows: naming, columns: named).

    The nonzero cells equal ``networkx.attribute_mixing_dict(G, column)``.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b"], {"sector": ["public", "third"]}, ["a"], ["b"])
    >>> mixing(g, "sector")
    {'public': {'public': 0, 'third': 1}, 'third': {'public': 0, 'third': 0}}
    """
    labels = graph.labels[column]
    k = len(labels)
    gs, gt, known = _known(graph, column)
    counts = np.bincount(gs[known] * k + gt[known], minlength=k * k).reshape(k, k)
    return {a: {b: int(counts[i, j]) for j, b in enumerate(labels)} for i, a in enumerate(labels)}


def brokerage(graph: Graph, column: str = "organization") -> np.ndarray:
    """Gould–Fernandez brokerage role counts, shape ``(5, n)`` in ``BROKERAGE_ROLES`` order.

    Person ``b`` brokers on every open two-path ``a → b → c``: ``a ≠ c`` and no
    tie ``a → c``. The role depends on the groups of ``a``, ``b`` and ``c``:
    coordinator (all one group), gatekeeper (``a`` outside, ``b`` and ``c``
    together), representative (``a`` and ``b`` together, ``c`` outside),
    consultant (``a`` and ``c`` together, ``b`` outside), liaison (all three
    different). Two-paths touching a person with no group are not counted.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], {"org": ["x", "y", "y"]}, ["a", "b"], ["b", "c"])
    >>> brokerage(g, "org")[:, 1].tolist()
    [0, 1, 0, 0, 0]
    """
    n = graph.n
    counts = np.zeros(len(BROKERAGE_ROLES) * n, dtype=np.int64)
    if graph.m == 0:
        return counts.reshape(len(BROKERAGE_ROLES), n)
    code = graph.groups[column]
    out_order = np.argsort(graph.source, kind="stable")
    out_ptr = np.concatenate([[0], np.cumsum(graph.out_degree)])
    out_nbr = graph.target[out_order]
    out_code = code[out_nbr]  # read in runs below: cheaper than a random gather per two-path
    in_order = np.argsort(graph.target, kind="stable")
    ties = TieSet(graph.keys)
    for lo, hi in _chunks(graph, _TWO_PATH_CHUNK):
        edges = in_order[lo:hi]  # in-ties of a run of middle people
        a_in, b_in = graph.source[edges], graph.target[edges]
        reps = out_ptr[b_in + 1] - out_ptr[b_in]
        pick = _out_positions(b_in, reps, out_ptr)  # b → c for every in-tie a → b
        a, b, c = np.repeat(a_in, reps), np.repeat(b_in, reps), out_nbr[pick]
        ga, gb, gc = np.repeat(code[a_in], reps), np.repeat(code[b_in], reps), out_code[pick]
        keep = (a != c) & (ga != MISSING) & (gb != MISSING) & (gc != MISSING)
        keep &= ~ties.contains(a * n + c)
        pattern = (ga == gb).view(np.int8) * 4 + (gb == gc).view(np.int8) * 2
        pattern += (ga == gc).view(np.int8)
        role = _ROLE_OF_PATTERN[pattern[keep]]
        counts += np.bincount(role * n + b[keep], minlength=len(counts))
    return counts.reshape(len(BROKERAGE_ROLES), n)


# (a and b together) * 4 + (b and c together) * 2 + (a and c together) → role index; the
# patterns 3, 5 and 6 are impossible (two pairs together make the third pair together).
_ROLE_OF_PATTERN = np.array([4, 3, 1, -1, 2, -1, -1, 0], dtype=np.int64)


def _out_positions(b_in: np.ndarray, reps: np.ndarray, out_ptr: np.ndarray) -> np.ndarray:
    """Positions in the out-tie list of every ``b → c``, ``reps[i]`` of them for in-tie ``i``."""
    first = np.cumsum(reps) - reps
    total = int(first[-1] + reps[-1]) if len(reps) else 0
    return np.arange(total) - np.repeat(first - out_ptr[b_in], reps)


def _chunks(graph: Graph, limit: int) -> list[tuple[int, int]]:
    """Ranges of in-ties (sorted by target) whose two-paths total about ``limit``.

    A range always covers whole middle people, so a person's counts are
    finished in one batch.
    """
    per_person = np.cumsum(graph.in_degree * graph.out_degree)
    total = int(per_person[-1]) if len(per_person) else 0
    if total == 0:
        return []
    cuts = np.searchsorted(per_person, np.arange(limit, total, limit), side="right")
    people = distinct(np.concatenate([[0], cuts, [graph.n]]))
    in_ptr = np.concatenate([[0], np.cumsum(graph.in_degree)])
    offsets = in_ptr[people].tolist()
    return list(itertools.pairwise(offsets))


_EMPTY = np.int64(-1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads consecutive keys


class TieSet:
    """A set of non-negative int64 keys with a vectorised membership test.

    An open-addressing hash table (linear probing, at most half full) in one numpy array.
    Brokerage asks whether a → c exists for every two-path a → b → c, tens of millions of
    questions; a binary search over the sorted keys makes about twenty dependent reads from
    memory per question, the table one or two independent ones, several times faster.

    Examples
    --------
    >>> TieSet(np.array([3, 10, 12])).contains(np.array([10, 11, 3])).tolist()
    [True, False, True]
    """

    def __init__(self, keys: np.ndarray) -> None:
        keys = distinct(np.asarray(keys, dtype=np.int64))
        bits = max(4, int(2 * max(len(keys), 1) - 1).bit_length())
        self._shift = np.uint64(64 - bits)
        home = self._slot(keys)
        order = np.argsort(home, kind="stable")
        home, keys = home[order], keys[order]
        # Inserted in order of their home slot, key i lands at max(home_i, place_{i-1} + 1):
        # a running maximum, so no insertion loop. The table does not wrap around; the last
        # run may spill past 2**bits, and one empty slot always ends the table.
        step = np.arange(len(keys))
        place = step + np.maximum.accumulate(home - step) if len(keys) else step
        size = max(1 << bits, int(place[-1]) + 1 if len(keys) else 0) + 1
        self._table = np.full(size, _EMPTY, dtype=np.int64)
        self._table[place] = keys

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _GOLDEN) >> self._shift).astype(np.int64)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """Whether each of ``keys`` is in the set."""
        found = np.zeros(len(keys), dtype=bool)
        ask = np.arange(len(keys))
        slot = self._slot(keys)
        while len(ask):  # follow each probe chain until the key or an empty slot
            held = self._table[slot]
            hit = held == keys[ask]
            found[ask[hit]] = True
            more = ~hit & (held != _EMPTY)
            ask, slot = ask[more], slot[more] + 1
        return found
