"""Whole-network structure: density, reciprocity, components, distances.

Figures that NetworkX also computes follow its definitions (see
``docs/analysis.md``); where NetworkX raises on an empty graph we return
``None`` ("not defined") instead, so a report never fails on a small network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from suhde.analysis import bfs
from suhde.analysis.graph import Graph


def density(graph: Graph) -> float:
    """Share of possible directed ties that exist, ``m / (n (n - 1))``.

    Same as ``networkx.density`` on a ``DiGraph``; 0.0 below two people.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> density(build_graph(["a", "b"], None, ["a"], ["b"]))
    0.5
    """
    n = graph.n
    return graph.m / (n * (n - 1)) if n > 1 else 0.0


def reciprocity(graph: Graph) -> float | None:
    """Share of ties that are answered, NetworkX's ``overall_reciprocity``.

    ``None`` when there are no ties (NetworkX raises).

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> reciprocity(build_graph(["a", "b", "c"], None, ["a", "b", "a"], ["b", "a", "c"]))
    0.6666666666666666
    """
    if graph.m == 0:
        return None
    return float(np.count_nonzero(graph.reverse_index >= 0)) / graph.m


def isolates(graph: Graph) -> int:
    """Number of people with no tie in either direction.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> isolates(build_graph(["a", "b", "c"], None, ["a"], ["b"]))
    1
    """
    return int(np.count_nonzero((graph.in_degree + graph.out_degree) == 0))


@dataclass(frozen=True)
class Components:
    """Weakly connected components: how many, the largest one's share and members."""

    count: int
    largest_share: float | None
    membership: np.ndarray
    largest: int


def components(graph: Graph) -> Components:
    """Weakly connected components (ties taken in either direction).

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> c = components(build_graph(["a", "b", "c"], None, ["a"], ["b"]))
    >>> (c.count, c.largest_share)
    (2, 0.6666666666666666)
    """
    if graph.n == 0:
        return Components(0, None, np.zeros(0, dtype=np.int64), -1)
    membership = np.asarray(graph.ig.connected_components(mode="weak").membership)
    sizes = np.bincount(membership)
    largest = int(np.argmax(sizes))  # ties go to the lowest id, so the choice is stable
    return Components(len(sizes), float(sizes[largest] / graph.n), membership, largest)


def transitivity(graph: Graph) -> float:
    """Share of connected triples that are closed, on the undirected network.

    ``networkx.transitivity(G.to_undirected())``: 3 × triangles / connected
    triples, 0.0 when there is no connected triple.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> transitivity(build_graph(["a", "b", "c"], None, ["a", "b", "c"], ["b", "c", "a"]))
    1.0
    """
    value = graph.undirected.transitivity_undirected(mode="zero")
    return 0.0 if np.isnan(value) else float(value)


def degree_centralization(graph: Graph, mode: str) -> float | None:
    """Freeman's degree centralization, ``Σ (max d − d_i) / (n − 1)²``.

    ``mode`` is ``"in"`` or ``"out"``. 1.0 for a star whose centre every tie
    touches, 0.0 when everyone has the same degree; ``None`` below two people.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["b", "c"], ["a", "a"])
    >>> degree_centralization(g, "in")
    1.0
    """
    n = graph.n
    if n < 2:
        return None
    degree = graph.in_degree if mode == "in" else graph.out_degree
    return float((n * degree.max() - degree.sum()) / (n - 1) ** 2)


def largest_component_vertices(graph: Graph, comps: Components) -> np.ndarray:
    """Vertex indices of the largest weak component, in ascending order."""
    return np.flatnonzero(comps.membership == comps.largest)


def distances_exact(graph: Graph, comps: Components) -> tuple[float | None, int | None]:
    """Mean distance and diameter of the largest component, ties undirected.

    As ``networkx.average_shortest_path_length`` and ``networkx.diameter`` on the
    undirected largest weak component; ``(None, None)`` for an empty network and
    ``(0.0, 0)`` for a component of one person.
    """
    if graph.n == 0:
        return None, None
    sub = graph.undirected.induced_subgraph(largest_component_vertices(graph, comps))
    if sub.vcount() == 1:
        return 0.0, 0
    return float(sub.average_path_length(directed=False)), int(sub.diameter(directed=False))


DISTANCE_PIVOTS = 64  # mean distance over 64 × n pairs is already stable


def distances_sampled(
    graph: Graph, comps: Components, pivots: np.ndarray
) -> tuple[float | None, int | None]:
    """Estimate mean distance and diameter from searches at (up to 64 of) the ``pivots``.

    The mean is over all distances from those pivots inside the largest
    component; the diameter is a lower bound: the largest distance seen, improved
    by one more search from the farthest person found (a "double sweep").
    """
    if graph.n == 0:
        return None, None
    vertices = largest_component_vertices(graph, comps)
    inside = pivots[np.isin(pivots, vertices)][:DISTANCE_PIVOTS]
    if len(inside) == 0:
        inside = vertices[:1]
    # searches along ties in either direction: the undirected network without building it
    steps = [graph.ties_in, graph.ties_out]
    seen = bfs.distance_sums(steps, graph.n, inside)
    # one search alone costs a 64-wide pass over every tie per level; igraph's is cheaper
    sweep = np.asarray(graph.undirected.distances(source=[seen.farthest]), dtype=float)
    mean = seen.total / seen.pairs if seen.pairs else 0.0
    return mean, max(seen.depth, int(sweep[np.isfinite(sweep)].max()))


def strong_tie_share(graph: Graph) -> float | None:
    """Share of ties with a known strength that are strong; ``None`` if none is known.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"], strength=["strong", "weak"])
    >>> strong_tie_share(g)
    0.5
    """
    known = graph.strong[~np.isnan(graph.strong)]
    return float(known.mean()) if len(known) else None
