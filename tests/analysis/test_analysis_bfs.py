"""Searches from many people at once (analysis/bfs.py) against igraph and NetworkX."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from suhde.analysis import bfs, centrality, structure
from suhde.analysis.graph import build_graph
from tests.analysis.analysis_helpers import by_node


def random_graph(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keys = np.unique(src[src != dst] * n + dst[src != dst])
    g = build_graph(np.arange(n), None, keys // n, keys % n)
    d = nx.DiGraph()
    d.add_nodes_from(range(n))
    d.add_edges_from(zip((keys // n).tolist(), (keys % n).tolist(), strict=True))
    return d, g


def test_harmonic_over_more_than_64_sources_equals_networkx():
    d, g = random_graph(200, 500, seed=1)  # sparse: unreachable people and long paths
    sources = np.arange(0, 200, 2)  # 100 sources: two passes of 64 and 36
    expected = by_node(d, nx.harmonic_centrality(d, sources=sources.tolist()))
    np.testing.assert_allclose(centrality.harmonic_partial(g, sources), expected, atol=1e-12)


def test_levels_are_igraphs_distances():
    _, g = random_graph(120, 300, seed=2)
    sources = np.arange(0, 120, 3)
    dist = np.full((len(sources), g.n), np.inf)
    dist[np.arange(len(sources)), sources] = 0
    for d, new in bfs.levels([g.ties_in], g.n, sources):
        for i in range(len(sources)):
            dist[i, (new >> np.uint64(i)) & np.uint64(1) == 1] = d
    expected = np.asarray(g.ig.distances(source=sources.tolist(), mode="out"), dtype=float)
    np.testing.assert_array_equal(dist, expected)


def test_sampled_distances_equal_the_distance_matrix_of_the_same_sources():
    _, g = random_graph(150, 400, seed=3)
    comps = structure.components(g)
    pivots = np.arange(0, 150, 2)  # 75 people, of whom the first 64 inside are searched
    inside = pivots[comps.membership[pivots] == comps.largest][: structure.DISTANCE_PIVOTS]
    dist = np.asarray(g.undirected.distances(source=inside.tolist()), dtype=float)
    reached = np.isfinite(dist) & (dist > 0)
    row, col = np.unravel_index(np.argmax(np.where(np.isfinite(dist), dist, -1)), dist.shape)
    sweep = np.asarray(g.undirected.distances(source=[int(col)]), dtype=float)
    expected_diameter = int(max(dist[row, col], sweep[np.isfinite(sweep)].max()))
    mean, diameter = structure.distances_sampled(g, comps, pivots)
    assert mean == pytest.approx(dist[reached].mean(), abs=1e-12)
    assert diameter == expected_diameter


def test_levels_refuse_more_than_64_sources():
    _, g = random_graph(100, 200, seed=4)
    with pytest.raises(ValueError, match="at most 64 sources per search, got 65"):
        next(bfs.levels([g.ties_in], g.n, np.arange(65)))
