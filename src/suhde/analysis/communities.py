"""Communities: Leiden with a fixed seed, modularity, agreement with organizations."""

from __future__ import annotations

import numpy as np

from suhde.analysis.graph import MISSING, Graph
from suhde.analysis.igraph_support import seeded

DEFAULT_ITERATIONS = 2


def leiden(graph: Graph, *, seed: int, iterations: int = DEFAULT_ITERATIONS) -> np.ndarray:
    """Community of every person: Leiden optimizing modularity on the undirected network.

    A fixed number of ``iterations`` keeps the run time bounded on large
    networks (Leiden to convergence did not finish in 10 minutes at a million
    people); a negative number runs to convergence. Communities are numbered
    by size, largest first, so the numbers are stable and readable.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("abcdef"), None, list("abcdef"), list("bcaefd"))
    >>> leiden(g, seed=1).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    if graph.n == 0:
        return np.zeros(0, dtype=np.int64)
    with seeded(seed):  # the result depends on the seed only
        found = graph.undirected.community_leiden(
            objective_function="modularity", n_iterations=iterations
        )
    return _by_size(np.asarray(found.membership, dtype=np.int64))


def _by_size(membership: np.ndarray) -> np.ndarray:
    sizes = np.bincount(membership)
    first = np.full(len(sizes), len(membership))
    np.minimum.at(first, membership, np.arange(len(membership)))
    order = np.lexsort((first, -sizes))  # largest first; ties by first member
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[order] = np.arange(len(sizes))
    return rank[membership]


def modularity(graph: Graph, membership: np.ndarray) -> float | None:
    """Newman's modularity of a partition on the undirected network.

    Equal to ``networkx.community.modularity(G.to_undirected(), communities)``;
    ``None`` when there are no ties.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("abcd"), None, ["a", "c"], ["b", "d"])
    >>> modularity(g, np.array([0, 0, 1, 1]))
    0.5
    """
    if graph.m == 0:
        return None
    return float(graph.undirected.modularity(membership.tolist()))


def adjusted_rand(first: np.ndarray, second: np.ndarray) -> float | None:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same people.

    1.0 for identical partitions, about 0.0 for chance agreement. Entries with a
    negative label (missing) are left out. ``None`` when fewer than two people
    remain or both partitions are trivial in the same way (undefined 0/0).

    Examples
    --------
    >>> adjusted_rand(np.array([0, 0, 1, 1]), np.array([5, 5, 7, 7]))
    1.0
    """
    keep = (first != MISSING) & (second != MISSING)
    a, b = first[keep], second[keep]
    if len(a) < 2:
        return None
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    cells = np.unique(a.astype(np.int64) * (b.max() + 1) + b, return_counts=True)[1]
    index = _pairs(cells).sum()
    rows, cols = _pairs(np.bincount(a)).sum(), _pairs(np.bincount(b)).sum()
    expected = rows * cols / _pairs(np.array([len(a)]))[0]
    maximum = (rows + cols) / 2
    if maximum == expected:
        return None
    return float((index - expected) / (maximum - expected))


def _pairs(counts: np.ndarray) -> np.ndarray:
    c = counts.astype(float)
    return c * (c - 1) / 2
