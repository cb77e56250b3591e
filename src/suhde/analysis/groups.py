"""Ties between groups: E-I index, mixing matrix, Gould–Fernandez brokerage.

A group is a value in a grouping column of the people file (organization,
sector, …). Ties touching a person with no value in that column are left out
of that column's figures.
"""

from __future__ import annotations

import itertools

import numpy as np

from suhde.analysis.graph import MISSING, Graph

BROKERAGE_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")
_TWO_PATH_CHUNK = 4_000_000  # two-paths per numpy batch: bounds memory at ~0.5 GB


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
    in_order = np.argsort(graph.target, kind="stable")
    sorted_keys = np.sort(graph.keys)
    for lo, hi in _chunks(graph, _TWO_PATH_CHUNK):
        edges = in_order[lo:hi]  # in-ties of a run of middle people
        a, b, c = _expand_two_paths(graph.source[edges], graph.target[edges], out_ptr, out_nbr)
        keep = (a != c) & ~_contains(sorted_keys, a * n + c)
        ga, gb, gc = code[a[keep]], code[b[keep]], code[c[keep]]
        role = _roles(ga, gb, gc)
        valid = (ga != MISSING) & (gb != MISSING) & (gc != MISSING)
        counts += np.bincount(role[valid] * n + b[keep][valid], minlength=len(counts))
    return counts.reshape(len(BROKERAGE_ROLES), n)


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
    people = np.unique(np.concatenate([[0], cuts, [graph.n]]))
    in_ptr = np.concatenate([[0], np.cumsum(graph.in_degree)])
    offsets = in_ptr[people].tolist()
    return list(itertools.pairwise(offsets))


def _expand_two_paths(
    a_in: np.ndarray, b_in: np.ndarray, out_ptr: np.ndarray, out_nbr: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair every in-tie ``a → b`` with every out-tie ``b → c``."""
    reps = out_ptr[b_in + 1] - out_ptr[b_in]
    a = np.repeat(a_in, reps)
    b = np.repeat(b_in, reps)
    starts = np.repeat(np.cumsum(reps) - reps, reps)
    offset = np.arange(len(a)) - starts
    return a, b, out_nbr[out_ptr[b] + offset]


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def _roles(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Role index per two-path, following ``BROKERAGE_ROLES``."""
    role = np.full(len(ga), 4, dtype=np.int64)  # liaison unless a pair matches
    role[(ga == gb) & (gb == gc)] = 0
    role[(ga != gb) & (gb == gc)] = 1
    role[(ga == gb) & (gb != gc)] = 2
    role[(ga == gc) & (ga != gb)] = 3
    return role
