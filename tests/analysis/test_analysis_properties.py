"""Random networks from hypothesis: every shared figure equals NetworkX or a brute force."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suhde.analysis import centrality, communities, dimensions, groups, structure
from suhde.analysis.graph import build_graph
from tests.analysis.analysis_helpers import by_node, largest_undirected_component

TOL = 1e-9
ORGS = ("a", "b", "c", "")  # "" = no organization given
SECTORS = ("public", "private", "third")


@st.composite
def networks(draw, max_people: int = 16):
    """A random directed simple network with groups and ratings, and its NetworkX twin."""
    n = draw(st.integers(0, max_people))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=60)) if pairs else []
    orgs = draw(st.lists(st.sampled_from(ORGS), min_size=n, max_size=n))
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=n, max_size=n))
    rating = st.one_of(st.just(float("nan")), st.sampled_from([1.0, 2.0, 2.5, 3.0, 4.0]))
    trust = draw(st.lists(rating, min_size=len(edges), max_size=len(edges)))
    strong = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    ids = [f"p{i}" for i in range(n)]
    g = build_graph(
        ids,
        {"organization": orgs, "sector": sectors},
        [ids[i] for i, _ in edges],
        [ids[j] for _, j in edges],
        strength=strong,
        trust=trust,
    )
    d = nx.DiGraph()
    for i, pid in enumerate(ids):
        d.add_node(pid, organization=orgs[i], sector=sectors[i])
    d.add_edges_from((ids[i], ids[j]) for i, j in edges)
    return d, g


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(networks())
def test_whole_network_figures_equal_networkx(net):
    d, g = net
    n, m = g.n, g.m
    assert structure.density(g) == pytest.approx(nx.density(d) if n else 0.0, abs=TOL)
    expected_recip = nx.overall_reciprocity(d) if m else None
    assert structure.reciprocity(g) == pytest.approx(expected_recip, abs=TOL)
    assert structure.isolates(g) == nx.number_of_isolates(d)
    assert structure.components(g).count == (nx.number_weakly_connected_components(d) if n else 0)
    u = d.to_undirected()
    assert structure.transitivity(g) == pytest.approx(nx.transitivity(u), abs=TOL)


@FAST
@given(networks())
def test_distances_equal_networkx_and_sampling_with_everyone_is_exact(net):
    d, g = net
    if g.n == 0:
        assert structure.distances_exact(g, structure.components(g)) == (None, None)
        return
    lcc = largest_undirected_component(d)
    comps = structure.components(g)
    mean, diameter = structure.distances_exact(g, comps)
    assert mean == pytest.approx(nx.average_shortest_path_length(lcc), abs=TOL)
    assert diameter == nx.diameter(lcc)
    assert structure.distances_sampled(g, comps, np.arange(g.n)) == (
        pytest.approx(mean, abs=TOL),
        diameter,
    )


@FAST
@given(networks())
def test_person_figures_equal_networkx(net):
    d, g = net
    if g.n == 0:
        return
    np.testing.assert_allclose(
        centrality.betweenness(g), by_node(d, nx.betweenness_centrality(d)), atol=TOL
    )
    np.testing.assert_allclose(
        centrality.harmonic(g), by_node(d, nx.harmonic_centrality(d)), atol=TOL
    )
    core = by_node(d, nx.core_number(d.to_undirected()))
    assert centrality.coreness(g).tolist() == core.astype(int).tolist()
    np.testing.assert_allclose(centrality.constraint(g), by_node(d, nx.constraint(d)), atol=TOL)


@FAST
@given(networks(), st.integers(0, 2**16))
def test_modularity_and_mixing_equal_networkx(net, seed):
    d, g = net
    if g.m == 0:
        assert communities.modularity(g, communities.leiden(g, seed=seed)) is None
        return
    membership = communities.leiden(g, seed=seed)
    nodes = list(d)
    parts = [{nodes[i] for i in np.flatnonzero(membership == c)} for c in np.unique(membership)]
    expected = nx.community.modularity(d.to_undirected(), parts, weight=None)
    assert communities.modularity(g, membership) == pytest.approx(expected, abs=TOL)
    mixing = groups.mixing(g, "sector")
    assert nonzero_cells(mixing) == nonzero_cells(nx.attribute_mixing_dict(d, "sector"))


def nonzero_cells(mixing: dict) -> dict:
    return {(a, b): c for a, row in mixing.items() for b, c in row.items() if c}


def brute_force_brokerage(d: nx.DiGraph, column: str) -> dict[str, list[int]]:
    """Gould–Fernandez role counts by walking every open two-path a → b → c."""
    roles = {v: [0] * 5 for v in d}
    for b in d:
        for a, c in itertools.product(d.predecessors(b), d.successors(b)):
            if a == c or d.has_edge(a, c):
                continue
            ga, gb, gc = (d.nodes[x][column] for x in (a, b, c))
            if "" in (ga, gb, gc):
                continue
            if ga == gb == gc:
                role = 0
            elif ga != gb and gb == gc:
                role = 1
            elif ga == gb and gb != gc:
                role = 2
            elif ga == gc:
                role = 3
            else:
                role = 4
            roles[b][role] += 1
    return roles


@FAST
@given(networks())
def test_brokerage_equals_brute_force(net):
    d, g = net
    counts = groups.brokerage(g, "organization")
    expected = brute_force_brokerage(d, "organization")
    assert counts.T.tolist() == [expected[v] for v in d]


@FAST
@given(networks())
def test_ei_index_equals_brute_force(net):
    d, g = net
    org = nx.get_node_attributes(d, "organization")
    counted = [(org[u], org[v]) for u, v in d.edges() if org[u] and org[v]]
    external = sum(a != b for a, b in counted)
    expected = (2 * external - len(counted)) / len(counted) if counted else None
    assert groups.ei_index(g, "organization") == pytest.approx(expected, abs=TOL)


@FAST
@given(networks())
def test_trust_summary_and_gaps_equal_brute_force(net):
    _d, g = net
    trust = g.ratings["trust"]
    edges = list(zip(g.source.tolist(), g.target.tolist(), strict=True))
    rated = [(s, t, r) for (s, t), r in zip(edges, trust.tolist(), strict=True) if r == r]
    summary = dimensions.summary(g, trust, np.ones(g.m, dtype=bool))
    assert summary["ties"] == len(rated)
    assert summary["respondents"] == len({s for s, _, _ in rated})
    assert summary["mean"] == pytest.approx(
        float(np.mean([r for *_, r in rated])) if rated else None, abs=TOL
    )
    value = {(s, t): r for s, t, r in rated}
    gaps = [abs(value[s, t] - value[t, s]) for s, t in value if s < t and (t, s) in value]
    result = dimensions.rating_gaps(g, trust)
    assert result["pairs"] == len(gaps)
    assert result["mean"] == pytest.approx(float(np.mean(gaps)) if gaps else None, abs=TOL)


@FAST
@given(networks(), st.integers(0, 1000))
def test_leiden_is_deterministic_for_a_seed(net, seed):
    _, g = net
    first = communities.leiden(g, seed=seed)
    assert communities.leiden(g, seed=seed).tolist() == first.tolist()
