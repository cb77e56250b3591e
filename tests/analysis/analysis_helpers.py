"""Shared helpers for the analysis tests: NetworkX data sets as directed networks.

The analysis works on directed networks; NetworkX's classic data sets are
undirected. Each is used in two directed versions: ``mutual`` (every edge both
ways, what ``G.to_directed()`` gives) and ``oriented`` (each edge one way,
every third edge answered, plus one isolated person), so that one-sided ties,
isolates and direction all get exercised.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

from suhde.analysis.graph import Graph, build_graph

SECTORS = ("public", "private", "third")


def davis_women() -> nx.Graph:
    """Davis Southern Women projected onto the women (ties: shared events)."""
    b = nx.davis_southern_women_graph()
    women = [v for v, side in b.nodes(data="bipartite") if side == 0]
    return bipartite.weighted_projected_graph(b, women)


DATASETS = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "davis": davis_women,
    "lesmis": nx.les_miserables_graph,
}


def oriented(g: nx.Graph) -> nx.DiGraph:
    """Each edge one way (alternating by edge order), every third edge answered."""
    d = nx.DiGraph()
    d.add_nodes_from(g)
    for i, (u, v) in enumerate(g.edges()):
        a, b = (u, v) if i % 2 == 0 else (v, u)
        d.add_edge(a, b)
        if i % 3 == 0:
            d.add_edge(b, a)
    d.add_node("isolated person")
    return d


def with_groups(d: nx.DiGraph) -> nx.DiGraph:
    """Give every person an organization and a sector (as node attributes)."""
    for i, v in enumerate(d.nodes):
        club = d.nodes[v].get("club")
        d.nodes[v]["organization"] = club if club else f"org {i % 5}"
        d.nodes[v]["sector"] = SECTORS[(i // 2) % 3]
    return d


def directed_versions(name: str) -> dict[str, nx.DiGraph]:
    """Both directed versions of a named data set, with groups."""
    g = DATASETS[name]()
    return {"mutual": with_groups(g.to_directed()), "oriented": with_groups(oriented(g))}


def to_graph(d: nx.DiGraph, *, ratings: bool = True) -> Graph:
    """Our Graph for a NetworkX DiGraph, with node order = ``list(d)``.

    Ratings and strength are a deterministic function of the tie's position, so
    tests can recompute any figure by hand.
    """
    nodes = list(d)
    edges = list(d.edges())
    groups = {c: [d.nodes[v].get(c) for v in nodes] for c in ("organization", "sector")}
    m = len(edges)
    kwargs = {}
    if ratings:
        kwargs = {
            "strength": ["strong" if i % 3 else "weak" for i in range(m)],
            "knowing": [float(1 + i % 4) for i in range(m)],
            "trust": [np.nan if i % 5 == 0 else float(1 + (i * 7) % 4) for i in range(m)],
            "commitment": [1.0 + (i % 7) / 2 for i in range(m)],
        }
    return build_graph(nodes, groups, [u for u, _ in edges], [v for _, v in edges], **kwargs)


def dataset_params() -> list:
    return [
        pytest.param((name, version), id=f"{name}-{version}")
        for name in DATASETS
        for version in ("mutual", "oriented")
    ]


def by_node(d: nx.DiGraph, values: dict) -> np.ndarray:
    """NetworkX's per-node dict as an array in our vertex order."""
    return np.array([values[v] for v in d], dtype=float)


def largest_undirected_component(d: nx.DiGraph) -> nx.Graph:
    u = d.to_undirected()
    return u.subgraph(max(nx.connected_components(u), key=len)).copy()
