"""Person-level positions: degree, betweenness, harmonic, coreness, constraint.

Betweenness and harmonic centrality need a breadth-first search from every
person, which is fine up to a few thousand people. Above ``EXACT_LIMIT`` they
are estimated from ``k`` pivots (random sources, fixed by the seed) and scaled
the way NetworkX scales ``betweenness_centrality(G, k=...)``.
"""

from __future__ import annotations

import numpy as np

from suhde.analysis.graph import Graph

EXACT_LIMIT = 5_000
DEFAULT_PIVOTS = 200  # ~1.4 s per pivot at a million people; see docs/benchmarks.md
BATCH = 8  # sources per igraph distances() call: fewer calls, bounded memory


def choose_pivots(graph: Graph, *, seed: int, k: int = DEFAULT_PIVOTS) -> np.ndarray | None:
    """Pivots for sampled path measures, or ``None`` when exact is affordable.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> choose_pivots(build_graph(["a", "b"], None, [], []), seed=1) is None
    True
    """
    if graph.n <= EXACT_LIMIT:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(graph.n, size=min(k, graph.n), replace=False))


def _sample_scale(n: int, pivots: np.ndarray) -> np.ndarray:
    """Per-person factor from a pivot sum to a full-sum estimate (NetworkX's rule).

    A pivot cannot be a source of paths to itself, so its sum covers ``k − 1``
    sources; everyone else's covers ``k``.
    """
    k = len(pivots)
    scale = np.full(n, 1.0 / k)
    scale[pivots] = 1.0 / (k - 1) if k > 1 else np.nan
    return scale * (n - 1)


def betweenness(graph: Graph, *, pivots: np.ndarray | None = None) -> np.ndarray:
    """Directed, unweighted, normalized betweenness of every person.

    Equal to ``networkx.betweenness_centrality(G)``; with ``pivots`` equal to
    ``networkx.betweenness_centrality(G, k=len(pivots))`` when NetworkX samples
    the same nodes.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"])
    >>> betweenness(g).tolist()
    [0.0, 0.5, 0.0]
    """
    n = graph.n
    if n == 0:
        return np.zeros(0)
    sources = None if pivots is None else pivots.tolist()
    raw = np.asarray(graph.ig.betweenness(directed=True, sources=sources), dtype=float)
    if n <= 2:
        return raw
    if pivots is None:
        return raw / ((n - 1) * (n - 2))
    return raw * _sample_scale(n, pivots) / ((n - 1) * (n - 2))


def harmonic(graph: Graph, *, pivots: np.ndarray | None = None) -> np.ndarray:
    """Harmonic centrality: the sum of ``1 / d(v, u)`` over everyone ``v`` who reaches ``u``.

    Equal to ``networkx.harmonic_centrality(G)`` (distances *to* the person,
    not normalized). With ``pivots`` only those sources are searched and the sum
    is scaled up as in :func:`betweenness`.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"])
    >>> harmonic(g).tolist()
    [0.0, 1.0, 1.5]
    """
    if graph.n == 0:
        return np.zeros(0)
    if pivots is None:
        values = graph.ig.harmonic_centrality(mode="in", normalized=False)
        return np.asarray(values, dtype=float)
    return harmonic_partial(graph, pivots) * _sample_scale(graph.n, pivots)


def harmonic_partial(graph: Graph, sources: np.ndarray) -> np.ndarray:
    """Sum of ``1 / d(v, u)`` over the given sources ``v`` only (no scaling).

    Equal to ``networkx.harmonic_centrality(G, sources=sources)``.
    """
    total = np.zeros(graph.n)
    sources = np.asarray(sources)
    for start in range(0, len(sources), BATCH):
        batch = sources[start : start + BATCH].tolist()
        dist = np.asarray(graph.ig.distances(source=batch, mode="out"), dtype=float)
        with np.errstate(divide="ignore"):
            inverse = 1.0 / dist  # unreachable: 1/inf = 0; the source itself: 1/0 = inf
        inverse[np.isinf(inverse)] = 0.0
        total += inverse.sum(axis=0)
    return total


def coreness(graph: Graph) -> np.ndarray:
    """k-core number of every person on the undirected network.

    Equal to ``networkx.core_number(G.to_undirected())``.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c", "d"], None, ["a", "b", "c", "a"], ["b", "c", "a", "d"])
    >>> coreness(g).tolist()
    [2, 2, 2, 1]
    """
    if graph.n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(graph.undirected.coreness(), dtype=np.int64)


def constraint(graph: Graph) -> np.ndarray:
    """Burt's constraint of every person; NaN for isolates.

    ``p_ij`` is the share of i's ties (both directions counted) that link i and j;
    constraint is ``Σ_j (p_ij + Σ_q p_iq p_qj)²`` over i's contacts j. Equal to
    ``networkx.constraint(G)``.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "a"], ["b", "c"])
    >>> constraint(g).tolist()
    [0.5, 1.0, 1.0]
    """
    if graph.n == 0:
        return np.zeros(0)
    values = np.asarray(graph.ig.constraint(), dtype=float)
    isolated = (graph.in_degree + graph.out_degree) == 0
    values[isolated] = np.nan
    return values


def path_measures(
    graph: Graph, *, pivots: np.ndarray | None = None, workers: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness and harmonic centrality together, optionally over several processes.

    Both are sums over sources, so the sources can be split among ``workers``
    forked processes and the partial sums added up; the result equals the
    single-process one up to floating-point rounding.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"])
    >>> [v.tolist() for v in path_measures(g)]
    [[0.0, 0.5, 0.0], [0.0, 1.0, 1.5]]
    """
    with PathJob(graph, pivots=pivots, processes=workers if workers > 1 else 0) as job:
        return job.result()


class PathJob:
    """Betweenness and harmonic centrality, computed while the caller does other work.

    With ``processes=0`` the work happens in :meth:`result`, in this process. With one or more
    processes it starts at once in forked workers (they share the graph copy-on-write, nothing
    is pickled), so the report can compute everything else meanwhile: on two cores the path
    measures and the rest of the report overlap instead of adding up. Use as a context
    manager, so the workers are stopped whatever happens.
    """

    def __init__(self, graph: Graph, *, pivots: np.ndarray | None, processes: int) -> None:
        self.graph, self.pivots, self._pool, self._pending = graph, pivots, None, None
        if processes <= 0 or graph.n < 3:
            return
        import multiprocessing  # imported here: most callers never fork

        sources = np.arange(graph.n) if pivots is None else pivots
        # Interleaved chunks balance the work: neighbouring sources cost about the same.
        chunks = [sources[i::processes] for i in range(processes)]
        global _FORKED_GRAPH
        _FORKED_GRAPH = graph
        try:
            self._pool = multiprocessing.get_context("fork").Pool(processes)
            self._pending = self._pool.map_async(_partial_sums, chunks)
        finally:
            _FORKED_GRAPH = None  # the children have their copy; the parent keeps no global

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """Normalised betweenness and harmonic centrality of every person."""
        graph, pivots = self.graph, self.pivots
        if self._pending is None:
            return betweenness(graph, pivots=pivots), harmonic(graph, pivots=pivots)
        parts = self._pending.get()
        raw_between = sum(p[0] for p in parts)
        raw_harmonic = sum(p[1] for p in parts)
        n = graph.n
        scale = np.ones(n) if pivots is None else _sample_scale(n, pivots)
        return raw_between * scale / ((n - 1) * (n - 2)), raw_harmonic * scale

    def __enter__(self) -> PathJob:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


_FORKED_GRAPH: Graph | None = None  # read by forked workers (copy-on-write, no pickling)


def _partial_sums(chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    graph = _FORKED_GRAPH
    assert graph is not None
    raw = np.asarray(graph.ig.betweenness(directed=True, sources=chunk.tolist()), dtype=float)
    return raw, harmonic_partial(graph, chunk)
