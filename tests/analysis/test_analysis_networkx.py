"""Every figure NetworkX also computes, compared with NetworkX on its own data sets."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from suhde.analysis import centrality, communities, groups, structure
from tests.analysis.analysis_helpers import by_node, largest_undirected_component

TOL = 1e-9


def test_density_equals_networkx(dataset):
    d, g = dataset
    assert structure.density(g) == pytest.approx(nx.density(d), abs=TOL)


def test_reciprocity_equals_networkx_overall_reciprocity(dataset):
    d, g = dataset
    assert structure.reciprocity(g) == pytest.approx(nx.overall_reciprocity(d), abs=TOL)


def test_components_equal_networkx_weak_components(dataset):
    d, g = dataset
    comps = structure.components(g)
    largest = max(len(c) for c in nx.weakly_connected_components(d))
    assert comps.count == nx.number_weakly_connected_components(d)
    assert comps.largest_share == pytest.approx(largest / d.number_of_nodes(), abs=TOL)


def test_isolates_equal_networkx(dataset):
    d, g = dataset
    assert structure.isolates(g) == nx.number_of_isolates(d)


def test_transitivity_equals_networkx_on_undirected(dataset):
    d, g = dataset
    assert structure.transitivity(g) == pytest.approx(nx.transitivity(d.to_undirected()), abs=TOL)


def test_distances_equal_networkx_on_largest_component(dataset):
    d, g = dataset
    lcc = largest_undirected_component(d)
    mean, diameter = structure.distances_exact(g, structure.components(g))
    assert mean == pytest.approx(nx.average_shortest_path_length(lcc), abs=TOL)
    assert diameter == nx.diameter(lcc)


def test_degrees_equal_networkx(dataset):
    d, g = dataset
    assert g.in_degree.tolist() == [d.in_degree(v) for v in d]
    assert g.out_degree.tolist() == [d.out_degree(v) for v in d]


def test_betweenness_equals_networkx(dataset):
    d, g = dataset
    expected = by_node(d, nx.betweenness_centrality(d))
    np.testing.assert_allclose(centrality.betweenness(g), expected, rtol=0, atol=TOL)


def test_betweenness_sampled_equals_networkx_with_same_pivots(dataset):
    d, g = dataset
    k, seed = 10, 7
    # NetworkX draws its k pivots with random.Random(seed).sample(list(G), k).
    chosen = random.Random(seed).sample(list(d), k)
    pivots = np.sort([list(d).index(v) for v in chosen])
    expected = by_node(d, nx.betweenness_centrality(d, k=k, seed=seed))
    np.testing.assert_allclose(centrality.betweenness(g, pivots=pivots), expected, atol=TOL)


def test_harmonic_equals_networkx(dataset):
    d, g = dataset
    expected = by_node(d, nx.harmonic_centrality(d))
    np.testing.assert_allclose(centrality.harmonic(g), expected, rtol=0, atol=TOL)


def test_harmonic_partial_equals_networkx_with_sources(dataset):
    d, g = dataset
    pivots = np.arange(0, g.n, 3)
    expected = by_node(d, nx.harmonic_centrality(d, sources=[list(d)[i] for i in pivots]))
    np.testing.assert_allclose(centrality.harmonic_partial(g, pivots), expected, atol=TOL)


def test_harmonic_sampled_scales_partial_sums(dataset):
    _d, g = dataset
    pivots = np.arange(0, g.n, 4)
    k, n = len(pivots), g.n
    partial = centrality.harmonic_partial(g, pivots)
    scale = np.full(n, (n - 1) / k)
    scale[pivots] = (n - 1) / (k - 1)
    np.testing.assert_allclose(centrality.harmonic(g, pivots=pivots), partial * scale, atol=TOL)


def test_coreness_equals_networkx_core_number_on_undirected(dataset):
    d, g = dataset
    expected = by_node(d, nx.core_number(d.to_undirected()))
    assert centrality.coreness(g).tolist() == expected.astype(int).tolist()


def test_constraint_equals_networkx(dataset):
    d, g = dataset
    expected = by_node(d, nx.constraint(d))
    np.testing.assert_allclose(centrality.constraint(g), expected, rtol=0, atol=TOL)


def test_modularity_equals_networkx_for_leiden_partition(dataset):
    d, g = dataset
    membership = communities.leiden(g, seed=3)
    nodes = list(d)
    parts = [{nodes[i] for i in np.flatnonzero(membership == c)} for c in np.unique(membership)]
    expected = nx.community.modularity(d.to_undirected(), parts, weight=None)
    assert communities.modularity(g, membership) == pytest.approx(expected, abs=TOL)


def test_mixing_equals_networkx_attribute_mixing_dict(dataset):
    d, g = dataset
    ours = groups.mixing(g, "sector")
    theirs = nx.attribute_mixing_dict(d, "sector")
    assert _nonzero(ours) == _nonzero(theirs)
    assert sum(map(sum, (row.values() for row in ours.values()))) == d.number_of_edges()


def _nonzero(mixing: dict) -> dict:
    return {(a, b): c for a, row in mixing.items() for b, c in row.items() if c}


def test_adjusted_rand_equals_igraph_compare_communities(dataset):
    _, g = dataset
    membership = communities.leiden(g, seed=5)
    org = g.groups["organization"]
    expected = ig.compare_communities(membership.tolist(), org.tolist(), method="adjusted_rand")
    assert communities.adjusted_rand(membership, org) == pytest.approx(expected, abs=TOL)


def test_degree_centralization_follows_freeman_formula(dataset):
    d, g = dataset
    n = d.number_of_nodes()
    for mode, degree in (("in", d.in_degree), ("out", d.out_degree)):
        values = [k for _, k in degree]
        expected = sum(max(values) - k for k in values) / (n - 1) ** 2
        assert structure.degree_centralization(g, mode) == pytest.approx(expected, abs=TOL)
