"""The full report: shape, determinism, sampling in meta, arrays API, no Django."""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import suhde.analysis
from suhde.analysis import centrality, communities
from suhde.analysis.errors import InputError
from suhde.analysis.graph import build_graph
from suhde.analysis.report import network_report
from tests.analysis.analysis_helpers import directed_versions, to_graph

NETWORK_KEYS = {
    "nodes",
    "ties",
    "density",
    "reciprocity",
    "components",
    "largest_component_share",
    "isolates",
    "transitivity",
    "degree_centralization_in",
    "degree_centralization_out",
    "mean_distance",
    "diameter",
    "strong_tie_share",
}
NODE_KEYS = {
    "id",
    "in_degree",
    "out_degree",
    "betweenness",
    "harmonic",
    "coreness",
    "constraint",
    "community",
    "brokerage",
}
MODULES = sorted(
    f"suhde.analysis.{m.name}"
    for m in pkgutil.iter_modules(suhde.analysis.__path__)
    if m.name != "__main__"
)


@pytest.fixture(scope="module")
def lesmis():
    return to_graph(directed_versions("lesmis")["oriented"])


def test_report_has_contract_keys(lesmis):
    data = network_report(lesmis).to_dict()
    assert set(data["network"]) == NETWORK_KEYS
    assert all(set(row) == NODE_KEYS for row in data["nodes"])
    assert set(data["groups"]) == {"ei_index", "mixing", "communities"}
    assert set(data["groups"]["ei_index"]) == {"organization", "sector"}
    assert {"count", "modularity", "ari_organization"} <= set(data["groups"]["communities"])
    assert set(data["dimensions"]) == {"knowing", "trust", "commitment"}
    assert set(data["dimensions"]["trust"]) == {
        "all",
        "within_organization",
        "across_organization",
        "across_sector",
        "reciprocal_gap",
    }
    assert {"seed", "computations", "versions"} <= set(data["meta"])


def test_report_is_deterministic_for_a_seed(lesmis):
    assert network_report(lesmis, seed=4).to_json() == network_report(lesmis, seed=4).to_json()


def test_report_json_is_strict_and_maps_nan_to_null(lesmis):
    text = network_report(lesmis).to_json()
    isolated = json.loads(text)["nodes"][-1]
    assert isolated["id"] == "isolated person" and isolated["constraint"] is None
    assert "NaN" not in text


def test_report_indented_json_is_the_same_data_with_one_line_per_person(lesmis):
    report = network_report(lesmis, seed=4)
    text = report.to_json(indent=2)
    assert json.loads(text) == json.loads(report.to_json()) == report.to_dict()
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1].startswith('  "network": {') and lines[-1] == "}"
    node_lines = [line for line in lines if line.startswith('    {"id": ')]
    assert len(node_lines) == lesmis.n
    sections = ["network", "nodes", "groups", "dimensions", "suggestions", "meta"]
    assert list(json.loads(text)) == sections


@pytest.mark.parametrize("at_once", [1, 3, 10_000])
def test_report_json_made_in_parts_is_the_whole_dicts_json(lesmis, monkeypatch, at_once):
    import suhde.analysis.report as report_module

    report = network_report(lesmis, seed=4)
    whole = json.dumps(report.to_dict(), ensure_ascii=False, allow_nan=False)
    indented = report.to_json(indent=2)
    monkeypatch.setattr(report_module, "ROWS_AT_ONCE", at_once)
    assert report.to_json() == whole  # byte for byte
    assert report.to_json(indent=2) == indented
    lines = indented.splitlines()
    assert len([line for line in lines if line.startswith('    {"id": ')]) == lesmis.n
    empty = network_report(build_graph([], None, [], [])).to_json(indent=2)
    assert json.loads(empty)["nodes"] == []


def test_report_indented_json_keeps_an_id_that_looks_like_a_row_break_on_one_line():
    tricky = 'x}, {"id": "y'
    g = build_graph([tricky, "b"], {"organization": ["o", "p"]}, [tricky], ["b"])
    text = network_report(g).to_json(indent=2)
    rows = [line for line in text.splitlines() if line.startswith('    {"id": ')]
    assert [json.loads(row.rstrip(","))["id"] for row in rows] == [tricky, "b"]
    assert json.loads(text) == network_report(g).to_dict()


def test_report_nodes_match_figures_in_vertex_order(lesmis):
    nodes = network_report(lesmis).to_dict()["nodes"]
    between = centrality.betweenness(lesmis)
    assert [row["betweenness"] for row in nodes] == pytest.approx(between.tolist(), abs=1e-12)
    assert [row["in_degree"] for row in nodes] == lesmis.in_degree.tolist()


def test_report_meta_says_exact_for_small_networks(lesmis):
    meta = network_report(lesmis).meta
    assert meta["computations"]["betweenness"] == {"method": "exact"}
    assert meta["computations"]["harmonic"] == {"method": "exact"}


def test_report_samples_paths_above_exact_limit_and_says_so(lesmis, monkeypatch):
    monkeypatch.setattr(centrality, "EXACT_LIMIT", 50)
    r = network_report(lesmis, pivots=20, seed=9)
    stated = r.meta["computations"]["betweenness"]
    assert set(stated) == {"method", "pivots", "confidence", "error", "bound"}
    assert stated["bound"] == "hoeffding"
    assert (stated["method"], stated["pivots"], stated["confidence"]) == ("sampled", 20, 0.95)
    assert r.meta["computations"]["mean_distance"] == {"method": "sampled", "pivots": 20}
    assert r.meta["computations"]["diameter"]["bound"] == "lower"
    pivots = centrality.choose_pivots(lesmis, seed=9, k=20)
    expected = centrality.betweenness(lesmis, pivots=pivots)
    np.testing.assert_allclose(r.nodes.betweenness, expected, atol=1e-12)


def test_pivots_for_an_error_are_the_fewest_whose_hoeffding_bound_holds():
    k = centrality.pivots_for(0.1, 0.95)
    assert k == 186
    assert centrality.sampling_error(k, 0.95) <= 0.1 < centrality.sampling_error(k - 1, 0.95)
    assert k == centrality.DEFAULT_PIVOTS


@pytest.mark.parametrize("seed", range(5))
def test_sampled_error_bound_is_hoeffdings_and_covers_the_exact_values(seed):
    rng = np.random.default_rng(seed)
    n = 300  # a random network with a few strong brokers: the worst case for sampling
    src = np.concatenate([rng.integers(0, n, 1500), rng.integers(0, 5, 400)])
    dst = np.concatenate([rng.integers(0, n, 1500), rng.integers(0, n, 400)])
    keys = np.unique(src[src != dst] * n + dst[src != dst])
    g = build_graph(np.arange(n), None, keys // n, keys % n)
    exact_between, exact_harmonic = centrality.path_measures(g)
    pivots = np.sort(rng.choice(n, size=40, replace=False))
    with centrality.PathJob(g, pivots=pivots, processes=0) as job:
        between, harmonic = job.result()
    bound = np.sqrt(np.log(2 / 0.05) / (2 * 39))
    assert job.error == pytest.approx({"betweenness": bound, "harmonic": bound * (n - 1)})
    assert 0 < np.abs(between - exact_between).max() <= job.error["betweenness"]
    assert 0 < np.abs(harmonic - exact_harmonic).max() <= job.error["harmonic"]


def test_path_measures_in_two_processes_equal_one_process(lesmis):
    pivots = np.arange(0, lesmis.n, 2)
    one = centrality.path_measures(lesmis, pivots=pivots, workers=1)
    two = centrality.path_measures(lesmis, pivots=pivots, workers=2)
    np.testing.assert_allclose(two[0], one[0], atol=1e-12)
    np.testing.assert_allclose(two[1], one[1], atol=1e-12)


def test_path_measures_exact_in_forked_workers_equal_one_process(lesmis):
    one = centrality.path_measures(lesmis, pivots=None, workers=1)
    three = centrality.path_measures(lesmis, pivots=None, workers=3)
    np.testing.assert_allclose(three[0], one[0], atol=1e-12)
    np.testing.assert_allclose(three[1], one[1], atol=1e-12)


@pytest.mark.parametrize("sampled", [False, True])
def test_report_with_two_workers_equals_report_in_one_process(lesmis, monkeypatch, sampled):
    if sampled:
        monkeypatch.setattr(centrality, "EXACT_LIMIT", 50)
    one = network_report(lesmis, pivots=20, seed=3, workers=1).to_dict()
    two = network_report(lesmis, pivots=20, seed=3, workers=2).to_dict()
    for a, b in zip(one["nodes"], two["nodes"], strict=True):
        assert a.keys() == b.keys()
        for key in a:
            assert b[key] == pytest.approx(a[key], abs=1e-12), key
    one.pop("nodes"), two.pop("nodes")
    assert two == one


def test_report_communities_separate_two_cliques():
    people = [f"p{i}" for i in range(8)]
    pairs = [(a, b) for a in range(4) for b in range(4) if a != b]
    pairs += [(a + 4, b + 4) for a, b in pairs] + [(0, 4)]
    org = ["x"] * 4 + ["y"] * 4
    g = build_graph(
        people, {"organization": org}, [people[a] for a, _ in pairs], [people[b] for _, b in pairs]
    )
    groups = network_report(g).groups["communities"]
    assert groups["count"] == 2
    assert groups["ari_organization"] == 1.0
    assert communities.leiden(g, seed=1).tolist() == [0, 0, 0, 0, 1, 1, 1, 1]


def test_report_accepts_integer_ids_from_arrays():
    g = build_graph(
        np.arange(4),
        {"organization": ["a", "a", "b", "b"], "sector": ["public"] * 2 + ["third"] * 2},
        np.array([0, 1, 2]),
        np.array([1, 2, 3]),
        strength=np.array([True, False, True]),
        trust=np.array([4.0, np.nan, 1.0]),
    )
    data = network_report(g).to_dict()
    assert [row["id"] for row in data["nodes"]] == [0, 1, 2, 3]
    assert data["network"]["strong_tie_share"] == pytest.approx(2 / 3)
    assert data["dimensions"]["trust"]["all"] == {"mean": 2.5, "ties": 2, "respondents": 2}


@pytest.mark.parametrize(
    ("sources", "targets", "kwargs", "column", "index"),
    [
        (["a", "q"], ["b", "a"], {}, "source", 1),
        (["a", "b"], ["b", "b"], {}, "target", 1),
        (["a", "b", "a"], ["b", "a", "b"], {}, "target", 2),
        (["a"], ["b"], {"trust": [5.0]}, "trust", 0),
        (["a"], ["b"], {"strength": ["medium"]}, "strength", 0),
    ],
)
def test_build_graph_locates_bad_input(sources, targets, kwargs, column, index):
    with pytest.raises(InputError) as caught:
        build_graph(["a", "b"], None, sources, targets, **kwargs)
    assert (caught.value.column, caught.value.index) == (column, index)


def test_build_graph_rejects_duplicate_person():
    with pytest.raises(InputError) as caught:
        build_graph(["a", "b", "a"], None, [], [])
    assert (caught.value.column, caught.value.index) == ("id", 2)


def test_report_wave_change_counts_match_sets():
    d = directed_versions("karate")["oriented"]
    after = to_graph(d)
    edges = list(d.edges())
    dropped = edges[::4]
    d0 = d.copy()
    d0.remove_edges_from(dropped)
    d0.add_edge("newcomer in wave 0", 0)
    before = to_graph(d0)
    change = network_report(after, before=before).change
    assert change["ties_added"] == len(dropped)
    assert change["ties_lost"] == 1
    assert change["people_left"] == 1
    assert change["network"]["ties"]["change"] == len(dropped) - 1
    strengths = {e: after.strong[i] for i, e in enumerate(edges)}
    old = {e: before.strong[i] for i, e in enumerate(d0.edges())}
    shared = set(strengths) & set(old)
    assert change["strengthened"] == sum(old[e] == 0 and strengths[e] == 1 for e in shared)
    assert change["weakened"] == sum(old[e] == 1 and strengths[e] == 0 for e in shared)


def test_every_docstring_example_runs():
    failures = 0
    for name in MODULES:
        failures += doctest.testmod(importlib.import_module(name)).failed
    assert failures == 0


def test_analysis_imports_and_runs_without_django():
    script = textwrap.dedent(
        f"""
        import sys, importlib.abc

        class NoDjango(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "django" or name.startswith("django."):
                    raise ImportError("django is blocked in this test")
                return None

        sys.meta_path.insert(0, NoDjango())
        for name in {MODULES!r}:
            importlib.import_module(name)
        from suhde.analysis.graph import build_graph
        from suhde.analysis.report import network_report
        g = build_graph(["a", "b"], {{"organization": ["x", "y"]}}, ["a"], ["b"])
        network_report(g).to_json()
        assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
