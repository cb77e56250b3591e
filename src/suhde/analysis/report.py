"""The network health report: every figure in one dataclass, and its JSON.

The key names are a contract with the web app, the API and scripts; see
``docs/analysis.md`` for each figure's formula and meaning.
"""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from suhde.analysis import centrality, change, communities, groups, structure, suggestions
from suhde.analysis.dimensions import dimensions_report
from suhde.analysis.graph import Graph, distinct
from suhde.analysis.igraph_support import ig

DEFAULT_SEED = 20240601


@dataclass
class NodeTable:
    """Per-person figures as columns (a million small dicts would cost gigabytes)."""

    ids: np.ndarray
    in_degree: np.ndarray
    out_degree: np.ndarray
    betweenness: np.ndarray
    harmonic: np.ndarray
    coreness: np.ndarray
    constraint: np.ndarray
    community: np.ndarray
    brokerage: np.ndarray | None  # (5, n) role counts, or None without organizations

    def rows(self, start: int = 0, stop: int | None = None) -> list[dict]:
        """One dict per person (those from ``start`` to ``stop``), in vertex order, as in JSON."""
        part = slice(start, stop)
        cols = [
            self.ids[part].tolist(),
            self.in_degree[part].tolist(),
            self.out_degree[part].tolist(),
            _floats(self.betweenness[part]),
            _floats(self.harmonic[part]),
            self.coreness[part].tolist(),
            _floats(self.constraint[part]),
            self.community[part].tolist(),
        ]
        names: tuple[str, ...] = ("id", "in_degree", "out_degree", "betweenness", "harmonic")
        names += ("coreness",)
        names += ("constraint", "community")
        rows = [dict(zip(names, values, strict=True)) for values in zip(*cols, strict=True)]
        if self.brokerage is not None:
            roles = groups.BROKERAGE_ROLES
            counts = self.brokerage[:, part].T.tolist()
            for row, person in zip(rows, counts, strict=True):
                row["brokerage"] = dict(zip(roles, person, strict=True))
        return rows


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


@dataclass
class Report:
    """The full report; ``to_dict``/``to_json`` give the contract's shape."""

    network: dict
    nodes: NodeTable
    groups: dict
    dimensions: dict
    suggestions: list[dict]
    meta: dict
    change: dict | None = None

    def to_dict(self, *, nodes: bool = True) -> dict:
        """Plain Python values only (NaN becomes ``None``); ``nodes=False``: that key's value
        is left as ``None`` (:meth:`json_pieces` encodes the rows in parts)."""
        out = {
            "network": self.network,
            "nodes": self.nodes.rows() if nodes else None,
            "groups": self.groups,
            "dimensions": self.dimensions,
            "suggestions": self.suggestions,
            "meta": self.meta,
        }
        if self.change is not None:
            out["change"] = self.change
        return out

    def to_json(self, indent: int | None = None) -> str:
        """The report as JSON text (strict: no NaN); :meth:`json_pieces` joined."""
        return "".join(self.json_pieces(indent))

    def json_pieces(self, indent: int | None = None) -> Iterator[str]:
        """The report's JSON text in pieces, to write one after another (strict: no NaN).

        The people's rows are made and encoded :data:`ROWS_AT_ONCE` at a time: a million rows
        as dicts at once would take gigabytes. Without ``indent`` the text is exactly
        ``json.dumps(self.to_dict())``. With ``indent`` the sections are indented and each
        person's row is one line: readable, and far faster than indenting every value (Python's
        C encoder only runs without indentation). The rows are encoded together and broken
        into lines where one row ends and the next begins: ``}, {"id": `` occurs nowhere else,
        because every row starts with its ``id``, only the last value of a row is an object,
        and a quote inside a JSON string is escaped.
        """
        data = self.to_dict(nodes=False)
        pad = "" if indent is None else " " * indent
        between = ", " if indent is None else f",\n{pad * 2}"
        yield "{" if indent is None else "{\n"
        for position, (key, value) in enumerate(data.items()):
            if position:
                yield ", " if indent is None else ",\n"
            yield f"{pad}{_dumps(key)}: "
            if key != "nodes":
                if indent is None:
                    yield _dumps(value)
                else:  # JSON text holds no raw line breaks, so this only re-indents lines
                    text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
                    yield text.replace("\n", "\n" + pad)
                continue
            n = len(self.nodes.ids)
            if n == 0:
                yield "[]"
                continue
            yield "[" if indent is None else f"[\n{pad * 2}"
            for start in range(0, n, ROWS_AT_ONCE):
                rows = _dumps(self.nodes.rows(start, start + ROWS_AT_ONCE))[1:-1]
                if start:
                    yield between
                yield rows if indent is None else rows.replace(_ROW_BREAK, f'}}{between}{{"id": ')
            yield "]" if indent is None else f"\n{pad}]"
        yield "}" if indent is None else "\n}"


_ROW_BREAK = '}, {"id": '
ROWS_AT_ONCE = 20_000  # people's rows made and encoded together


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def network_figures(graph: Graph, *, pivots: np.ndarray | None = None) -> dict:
    """The ``network`` section: whole-network figures.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> network_figures(build_graph(["a", "b"], None, ["a"], ["b"]))["density"]
    0.5
    """
    comps = structure.components(graph)
    if pivots is None:
        mean_distance, diameter = structure.distances_exact(graph, comps)
    else:
        mean_distance, diameter = structure.distances_sampled(graph, comps, pivots)
    return {
        "nodes": graph.n,
        "ties": graph.m,
        "density": structure.density(graph),
        "reciprocity": structure.reciprocity(graph),
        "components": comps.count,
        "largest_component_share": comps.largest_share,
        "isolates": structure.isolates(graph),
        "transitivity": structure.transitivity(graph),
        "degree_centralization_in": structure.degree_centralization(graph, "in"),
        "degree_centralization_out": structure.degree_centralization(graph, "out"),
        "mean_distance": mean_distance,
        "diameter": diameter,
        "strong_tie_share": structure.strong_tie_share(graph),
    }


def group_figures(graph: Graph, membership: np.ndarray) -> dict:
    """The ``groups`` section: E-I per column, sector mixing, communities."""
    section: dict = {"ei_index": {c: groups.ei_index(graph, c) for c in graph.groups}}
    if "sector" in graph.groups:
        section["mixing"] = groups.mixing(graph, "sector")
    org = graph.groups.get("organization")
    section["communities"] = {
        "count": len(distinct(membership)),
        "modularity": communities.modularity(graph, membership),
        "method": "leiden",
        "ari_organization": None if org is None else communities.adjusted_rand(membership, org),
    }
    return section


def node_table(graph: Graph, *, paths: centrality.PathJob) -> NodeTable:
    """Per-person figures (``nodes`` section); all but degrees and coreness come from ``paths``.

    ``paths`` is the job of :func:`network_report`, with the extra figures of :func:`extras`.
    """
    coreness = centrality.coreness(graph)
    between, harmonic = paths.result()
    constraint, membership = paths.value("constraint"), paths.value("community")
    brokerage = paths.value("brokerage") if "organization" in graph.groups else None
    return NodeTable(
        ids=graph.ids,
        in_degree=graph.in_degree,
        out_degree=graph.out_degree,
        betweenness=between,
        harmonic=harmonic,
        coreness=coreness,
        constraint=constraint,
        community=membership,
        brokerage=brokerage,
    )


def network_report(
    graph: Graph,
    *,
    seed: int = DEFAULT_SEED,
    before: Graph | None = None,
    pivots: int = centrality.DEFAULT_PIVOTS,
    iterations: int = communities.DEFAULT_ITERATIONS,
    workers: int = 1,
    suggestion_limit: int = 10,
) -> Report:
    """Compute the full network health report.

    Parameters
    ----------
    graph : Graph
        The network (see :func:`suhde.analysis.graph.build_graph`).
    seed : int
        Seeds pivot sampling, Leiden and suggestion sampling: same seed, same report.
    before : Graph, optional
        The previous wave; adds the ``change`` section and newcomers.
    pivots : int
        Pivots for sampled path measures above ``centrality.EXACT_LIMIT`` people.
    iterations : int
        Leiden iterations (negative: until stable).
    workers : int
        Processes in all: 1 computes everything here; with 2 or more, ``workers - 1`` forked
        processes compute betweenness and harmonic centrality while this one computes the rest.
    suggestion_limit : int
        Suggestions kept per kind.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("abc"), {"organization": list("xxy")}, ["a", "b"], ["b", "c"])
    >>> network_report(g).network["ties"]
    2
    """
    chosen = centrality.choose_pivots(graph, seed=seed, k=pivots)
    _ = graph.undirected  # built before forking, so that the workers share its pages
    job = centrality.PathJob(
        graph,
        pivots=chosen,
        processes=workers - 1,
        extra=extras(graph, seed=seed, iterations=iterations),
    )
    with job as paths:
        network = network_figures(graph, pivots=chosen)
        fresh = None if before is None else change.newcomers(before, graph)
        found = suggestions.suggest(graph, seed=seed, newcomers=fresh, limit=suggestion_limit)
        nodes = node_table(graph, paths=paths)
        figures = group_figures(graph, nodes.community)
    report = Report(
        network=network,
        nodes=nodes,
        groups=figures,
        dimensions=dimensions_report(graph),
        suggestions=found,
        meta=_meta(graph, seed=seed, pivots=chosen, iterations=iterations, error=paths.error),
    )
    if before is not None:
        report.change = wave_change(before, graph, after_network=network, seed=seed)
    return report


def extras(graph: Graph, *, seed: int, iterations: int) -> dict[str, centrality.Extra]:
    """The figures besides the path measures that a worker may take: the largest first.

    Communities, brokerage and constraint are, after the searches, the report's largest steps
    at 100,000 people and more; each depends on the graph alone, so whichever process is free
    computes it.
    """
    n = graph.n
    out = {
        "community": centrality.Extra(
            lambda g: communities.leiden(g, seed=seed, iterations=iterations), (n,), np.int64
        ),
    }
    if "organization" in graph.groups:
        out["brokerage"] = centrality.Extra(
            groups.brokerage, (len(groups.BROKERAGE_ROLES), n), np.int64
        )
    out["constraint"] = centrality.Extra(centrality.constraint, (n,), np.float64)
    return out


def wave_change(before: Graph, after: Graph, *, after_network: dict, seed: int) -> dict:
    """The ``change`` section: tie changes and every network figure before and after."""
    chosen = centrality.choose_pivots(before, seed=seed)
    return {
        **change.tie_changes(before, after),
        "network": change.figure_changes(network_figures(before, pivots=chosen), after_network),
    }


def _meta(
    graph: Graph,
    *,
    seed: int,
    pivots: np.ndarray | None,
    iterations: int,
    error: dict[str, float] | None,
) -> dict:
    path: dict[str, object] = {"method": "exact"}
    distance = path
    if pivots is not None:
        path = {"method": "sampled", "pivots": len(pivots)}
        distance = {"method": "sampled", "pivots": min(len(pivots), structure.DISTANCE_PIVOTS)}
    between, harmonic = path, path
    if error is not None:  # Hoeffding: each person's value within `error` with `confidence`
        bound = {"confidence": centrality.CONFIDENCE, "bound": "hoeffding"}
        between = {**path, **bound, "error": error["betweenness"]}
        harmonic = {**path, **bound, "error": error["harmonic"]}
    introduce_sample = graph.n > suggestions.CANDIDATE_SAMPLE
    return {
        "seed": seed,
        "exact_limit": centrality.EXACT_LIMIT,
        "computations": {
            "betweenness": between,
            "harmonic": harmonic,
            "mean_distance": distance,
            "diameter": {**distance, "bound": "lower"} if pivots is not None else distance,
            "communities": {"method": "leiden", "iterations": iterations},
            "suggestions_introduce": (
                {"method": "sampled", "people": suggestions.CANDIDATE_SAMPLE}
                if introduce_sample
                else {"method": "exact"}
            ),
        },
        "versions": {
            "python": platform.python_version(),
            "igraph": ig.__version__,
            "numpy": np.__version__,
        },
    }
