"""The report's metrics computed with NetworkX, the way a NetworkX user would.

Used by ``bench/run.py`` at the smallest size to give the speed ratio. Path
measures are sampled exactly as the analysis core samples them (186 pivots,
64 of them for distances), so both sides do the same amount of work.
"""

from __future__ import annotations

import csv
import gc
import json
import sys
import time
from itertools import product

import networkx as nx
import numpy as np

# the analysis core's centrality.DEFAULT_PIVOTS (bench/run.py checks); not imported, so that
# this process loads nothing of Suhde or igraph
PIVOTS, DISTANCE_PIVOTS = 186, 64


def run_networkx(net, *, seed: int, graph: nx.DiGraph | None = None) -> dict:
    steps: dict[str, float] = {}

    def timed(name, fn):
        t = time.perf_counter()
        value = fn()
        steps[name] = time.perf_counter() - t
        return value

    d = graph if graph is not None else timed("build DiGraph", lambda: build(net))
    u = timed("undirected copy", d.to_undirected)
    pivots = np.sort(np.random.default_rng(seed).choice(d.number_of_nodes(), PIVOTS, replace=False))
    timed("density, reciprocity, components, isolates", lambda: whole(d))
    timed("transitivity", lambda: nx.transitivity(u))
    timed("degree centralization", lambda: centralization(d))
    timed("mean distance, diameter (64 pivots)", lambda: distances(u, pivots[:DISTANCE_PIVOTS]))
    timed(f"betweenness (k = {PIVOTS})", lambda: nx.betweenness_centrality(d, k=PIVOTS, seed=seed))
    sources = pivots.tolist()
    timed(f"harmonic ({PIVOTS} sources)", lambda: nx.harmonic_centrality(d, sources=sources))
    timed("core number", lambda: nx.core_number(u))
    timed("constraint", lambda: nx.constraint(d))
    parts = timed("Louvain communities", lambda: nx.community.louvain_communities(u, seed=seed))
    timed("modularity", lambda: nx.community.modularity(u, parts))
    timed("E-I index, mixing", lambda: groups(d))
    timed("brokerage", lambda: brokerage(d))
    timed("dimensions", lambda: dimensions(d))
    return {"ties": d.number_of_edges(), "steps": steps, "total_s": sum(steps.values())}


def build(net) -> nx.DiGraph:
    gc.disable()
    try:
        d = nx.DiGraph()
        for i, org, sector in zip(
            net.ids.tolist(), net.organization.tolist(), net.sector.tolist(), strict=True
        ):
            d.add_node(i, organization=org, sector=sector)
        rows = zip(
            net.source.tolist(),
            net.target.tolist(),
            net.strength.tolist(),
            net.knowing.tolist(),
            net.trust.tolist(),
            net.commitment.tolist(),
            strict=True,
        )
        d.add_edges_from(
            (s, t, {"strong": st, "knowing": k, "trust": tr, "commitment": c})
            for s, t, st, k, tr, c in rows
        )
    finally:
        gc.enable()
    return d


def whole(d: nx.DiGraph) -> tuple:
    return (
        nx.density(d),
        nx.overall_reciprocity(d),
        nx.number_weakly_connected_components(d),
        nx.number_of_isolates(d),
    )


def centralization(d: nx.DiGraph) -> tuple[float, float]:
    n = d.number_of_nodes()
    out = []
    for degree in (d.in_degree, d.out_degree):
        values = [k for _, k in degree]
        top = max(values)
        out.append(sum(top - k for k in values) / (n - 1) ** 2)
    return out[0], out[1]


def distances(u: nx.Graph, pivots) -> tuple[float, int]:
    lcc = max(nx.connected_components(u), key=len)
    total = pairs = diameter = 0
    far = None
    for p in (int(v) for v in pivots if int(v) in lcc):
        dist = nx.single_source_shortest_path_length(u, p)
        total += sum(dist.values())
        pairs += len(dist) - 1
        node, value = max(dist.items(), key=lambda kv: kv[1])
        if value > diameter:
            diameter, far = value, node
    if far is not None:
        diameter = max(diameter, max(nx.single_source_shortest_path_length(u, far).values()))
    return total / pairs, diameter


def groups(d: nx.DiGraph) -> dict:
    out = {}
    for column in ("organization", "sector"):
        attr = nx.get_node_attributes(d, column)
        external = sum(attr[a] != attr[b] for a, b in d.edges())
        m = d.number_of_edges()
        out[column] = (2 * external - m) / m
    out["mixing"] = nx.attribute_mixing_dict(d, "sector")
    return out


def brokerage(d: nx.DiGraph) -> dict:
    org = nx.get_node_attributes(d, "organization")
    roles = {v: [0] * 5 for v in d}
    for b in d:
        gb = org[b]
        for a, c in product(d.predecessors(b), d.successors(b)):
            if a == c or d.has_edge(a, c):
                continue
            ga, gc = org[a], org[c]
            if ga == gb == gc:
                role = 0
            elif gb == gc:
                role = 1
            elif ga == gb:
                role = 2
            elif ga == gc:
                role = 3
            else:
                role = 4
            roles[b][role] += 1
    return roles


def dimensions(d: nx.DiGraph) -> dict:
    org = nx.get_node_attributes(d, "organization")
    out = {}
    for name in ("knowing", "trust", "commitment"):
        within, across = [], []
        for a, b, value in d.edges(data=name):
            if value == value:  # not NaN
                (within if org[a] == org[b] else across).append(value)
        gaps = [
            abs(v - d[b][a][name])
            for a, b, v in d.edges(data=name)
            if a < b and d.has_edge(b, a) and v == v and d[b][a][name] == d[b][a][name]
        ]
        out[name] = (np.mean(within + across), np.mean(within), np.mean(across), np.mean(gaps))
    return out


def read_csv(people_path: str, ties_path: str) -> nx.DiGraph:
    """The two CSV files as a NetworkX user reads them: the csv module into a DiGraph."""
    d = nx.DiGraph()
    with open(people_path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            d.add_node(int(row["id"]), organization=row["organization"], sector=row["sector"])
    with open(ties_path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ratings = {k: float(row[k]) if row[k] else float("nan") for k in RATINGS}
            d.add_edge(int(row["source"]), int(row["target"]), strong=row["strength"], **ratings)
    return d


RATINGS = ("knowing", "trust", "commitment")


def main(argv: list[str]) -> int:
    """``python bench/nx_reference.py PEOPLE.csv TIES.csv``: the whole run, as a process."""
    graph = read_csv(argv[0], argv[1])
    result = run_networkx(None, seed=int(argv[2]) if len(argv) > 2 else 1, graph=graph)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
