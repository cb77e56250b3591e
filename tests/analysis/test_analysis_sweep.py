"""The C kernel of the path searches (analysis/_sweep.c) against igraph, NetworkX and itself."""

from __future__ import annotations

import shutil

import networkx as nx
import numpy as np
import pytest

from suhde.analysis import centrality
from suhde.analysis.graph import build_graph
from tests.analysis.analysis_helpers import by_node

needs_kernel = pytest.mark.skipif(centrality._sweep is None, reason="C kernel not built")


def test_the_kernel_is_built_where_a_c_compiler_is():
    # setup.py marks the extension optional: a failed build must not pass unnoticed here
    if shutil.which("cc") or shutil.which("gcc"):
        assert centrality._sweep is not None, "C kernel missing: run `make install`"


def graph_of(n: int, src: np.ndarray, dst: np.ndarray):
    keys = np.unique(src[src != dst] * n + dst[src != dst])
    return build_graph(np.arange(n), None, keys // n, keys % n)


def random_graph(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    return graph_of(n, rng.integers(0, n, m), rng.integers(0, n, m))


def sweep(g, sources):
    """Raw betweenness and harmonic sums from ``sources``, 64 at a time, through the kernel."""
    between, harmonic = np.zeros(g.n), np.zeros(g.n)
    ptr = np.concatenate([[0], np.cumsum(g.out_degree)]).astype(np.int64)
    for i in range(0, len(sources), 64):
        chunk = np.asarray(sources[i : i + 64], dtype=np.int64)
        centrality._sweep.sweep(ptr, g.ties_out.tails, chunk, between, harmonic)
    return between, harmonic


def grid(side: int):
    """A directed grid, ties right and down: paths counts grow as binomial coefficients."""
    v = np.arange(side * side).reshape(side, side)
    src = np.concatenate([v[:, :-1].ravel(), v[:-1, :].ravel()])
    dst = np.concatenate([v[:, 1:].ravel(), v[1:, :].ravel()])
    return graph_of(side * side, src, dst)


@needs_kernel
@pytest.mark.parametrize(
    "g",
    [
        random_graph(300, 600, seed=1),  # sparse: unreachable people, long paths
        random_graph(150, 3000, seed=2),  # dense: many shortest paths of length 2
        grid(12),  # up to C(22, 11) = 705,432 shortest paths between two corners
        graph_of(2000, np.arange(1999), np.arange(1, 2000)),  # a chain: 1,999 levels
    ],
    ids=["sparse", "dense", "grid", "chain"],
)
def test_sweep_equals_igraph_from_every_source(g):
    sources = np.arange(g.n)  # every batch of 64, the last one short
    between, harmonic = sweep(g, sources)
    expected = np.asarray(g.ig.betweenness(directed=True), dtype=float)
    np.testing.assert_allclose(between, expected, rtol=1e-12, atol=1e-9)
    expected = np.asarray(g.ig.harmonic_centrality(mode="in", normalized=False), dtype=float)
    np.testing.assert_allclose(harmonic, expected, rtol=1e-12, atol=1e-12)


@needs_kernel
def test_sweep_from_some_sources_equals_networkx():
    g = random_graph(250, 900, seed=3)
    d = nx.DiGraph()
    d.add_nodes_from(range(g.n))
    d.add_edges_from(zip(g.source.tolist(), g.target.tolist(), strict=True))
    sources = np.sort(np.random.default_rng(4).choice(g.n, size=90, replace=False))
    between, harmonic = sweep(g, sources)
    subset = nx.betweenness_centrality_subset(d, sources.tolist(), list(d), normalized=False)
    np.testing.assert_allclose(between, by_node(d, subset), atol=1e-9)
    expected = by_node(d, nx.harmonic_centrality(d, sources=sources.tolist()))
    np.testing.assert_allclose(harmonic, expected, atol=1e-12)


@needs_kernel
def test_sweep_adds_to_the_arrays_it_is_given_and_handles_no_ties_and_no_sources():
    g = random_graph(50, 200, seed=5)
    once = sweep(g, np.arange(10))
    between, harmonic = np.ones(g.n), np.ones(g.n)
    ptr = np.concatenate([[0], np.cumsum(g.out_degree)]).astype(np.int64)
    centrality._sweep.sweep(ptr, g.ties_out.tails, np.arange(10), between, harmonic)
    np.testing.assert_allclose(between, once[0] + 1)
    np.testing.assert_allclose(harmonic, once[1] + 1)
    centrality._sweep.sweep(ptr, g.ties_out.tails, np.zeros(0, np.int64), between, harmonic)
    np.testing.assert_allclose(between, once[0] + 1)
    lonely = build_graph(np.arange(3), None, [], [])
    assert [v.tolist() for v in sweep(lonely, np.arange(3))] == [[0.0] * 3, [0.0] * 3]


@needs_kernel
@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"sources": np.arange(65)}, ValueError, "at most 64 sources per sweep, got 65"),
        ({"sources": np.array([5])}, ValueError, "an unknown source"),
        ({"sources": np.array([-1])}, ValueError, "an unknown source"),
        ({"adj": np.array([0, 9], np.int32)}, ValueError, "adj names an unknown person"),
        ({"ptr": np.array([0, 2, 1, 2, 2, 2])}, ValueError, "ptr must not decrease"),
        ({"ptr": np.array([0, 1, 2])}, ValueError, "must describe n people"),
        ({"adj": np.array([1, 2])}, TypeError, "adj: expected a 1-d array of format 'i'"),
        ({"between": np.zeros(5, np.float32)}, TypeError, "between: expected a 1-d array"),
        ({"harmonic": np.zeros(5)[::-1]}, ValueError, "contiguous"),
    ],
)
def test_sweep_refuses_arrays_that_do_not_fit(change, error, message):
    args = {
        "ptr": np.array([0, 1, 2, 2, 2, 2]),
        "adj": np.array([1, 2], np.int32),
        "sources": np.array([0]),
        "between": np.zeros(5),
        "harmonic": np.zeros(5),
    }
    args.update(change)
    with pytest.raises(error, match=message):
        centrality._sweep.sweep(*args.values())
    assert args["between"].sum() == 0  # nothing was added


@pytest.mark.parametrize("sampled", [False, True])
def test_path_job_gives_the_same_figures_with_the_kernel_and_with_igraph(monkeypatch, sampled):
    g = random_graph(400, 1600, seed=6)
    pivots = np.sort(np.random.default_rng(7).choice(g.n, size=150, replace=False))
    chosen = pivots if sampled else None
    with centrality.PathJob(g, pivots=chosen, processes=0) as job:
        kernel = job.result()
    monkeypatch.setattr(centrality, "_sweep", None)
    with centrality.PathJob(g, pivots=chosen, processes=0) as job:
        assert {kind for kind, _ in job.tasks} >= {"betweenness"}
        fallback = job.result()
    np.testing.assert_allclose(kernel[0], fallback[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(kernel[1], fallback[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("processes", [0, 1, 2])
def test_extra_figures_in_the_pool_equal_direct_calls(processes):
    g = random_graph(300, 1500, seed=8)
    calls = {
        "constraint": centrality.Extra(centrality.constraint, (g.n,), np.float64),
        "coreness": centrality.Extra(centrality.coreness, (g.n,), np.int64),
    }
    with centrality.PathJob(g, pivots=None, processes=processes, extra=calls) as job:
        assert [kind for kind, _ in job._all[:2]] == ["extra", "extra"]  # ahead of the searches
        between, _ = job.result()
        constraint, coreness = job.value("constraint"), job.value("coreness")
    np.testing.assert_array_equal(constraint, centrality.constraint(g))
    np.testing.assert_array_equal(coreness, centrality.coreness(g))
    np.testing.assert_allclose(between, centrality.betweenness(g), atol=1e-12)
