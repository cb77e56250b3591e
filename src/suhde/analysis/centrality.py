"""Person-level positions: degree, betweenness, harmonic, coreness, constraint.

Betweenness and harmonic centrality need a breadth-first search from every
person, which is fine up to a few thousand people. Above ``EXACT_LIMIT`` they
are estimated from ``k`` pivots (random sources, fixed by the seed) and scaled
the way NetworkX scales ``betweenness_centrality(G, k=...)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from suhde.analysis import bfs
from suhde.analysis.graph import Graph

try:  # the C kernel of the path searches (setup.py); optional, see docs/analysis.md
    from suhde.analysis import _sweep
except ImportError:  # built without a C compiler: igraph's searches, the same figures
    _sweep = None  # type: ignore[assignment]

EXACT_LIMIT = 5_000
# Sampled values are within ERROR of the exact ones with probability CONFIDENCE, for each person
# (Hoeffding's inequality; see pivots_for and docs/analysis.md, "Exact and sampled computations").
ERROR = 0.1
CONFIDENCE = 0.95


def pivots_for(error: float, confidence: float) -> int:
    """Pivots that bound each person's sampling error by ``error`` with ``confidence``.

    A pivot ``s`` contributes ``X_s = δ_s(v) / (n − 2)`` to person ``v``'s normalised
    betweenness and ``1 / d(s, v)`` to their harmonic centrality over ``n − 1``; both lie in
    [0, 1], and the estimate is the mean over pivots drawn without replacement. Hoeffding's
    inequality (1963, which holds for drawing without replacement too) gives
    ``P(|mean − exact| ≥ ε) ≤ 2 exp(−2 k' ε²)`` for ``k'`` pivots other than ``v``; a pivot
    is not its own source, so ``k' = k − 1`` in the worst case.

    Examples
    --------
    >>> pivots_for(0.1, 0.95)
    186
    """
    return 1 + math.ceil(math.log(2 / (1 - confidence)) / (2 * error**2))


def sampling_error(pivots: int, confidence: float) -> float:
    """The Hoeffding bound ε of :func:`pivots_for` that ``pivots`` pivots give (normalised).

    Examples
    --------
    >>> round(sampling_error(186, 0.95), 4)
    0.0998
    """
    return math.sqrt(math.log(2 / (1 - confidence)) / (2 * (pivots - 1)))


DEFAULT_PIVOTS = pivots_for(ERROR, CONFIDENCE)


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

    Equal to ``networkx.harmonic_centrality(G, sources=sources)``. The searches run 64 at a
    time over numpy arrays (:mod:`suhde.analysis.bfs`): igraph would hand back every
    distance as a Python float.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"])
    >>> harmonic_partial(g, np.array([0])).tolist()
    [0.0, 1.0, 0.5]
    """
    return bfs.harmonic_sums([graph.ties_in], graph.n, np.asarray(sources))


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

    Both are sums over sources, so the sources are split into chunks that any of
    ``workers`` processes may take; the chunk sums are added in chunk order, so
    the result is the same whoever computed which chunk.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(["a", "b", "c"], None, ["a", "b"], ["b", "c"])
    >>> [v.tolist() for v in path_measures(g)]
    [[0.0, 0.5, 0.0], [0.0, 1.0, 1.5]]
    """
    with PathJob(graph, pivots=pivots, processes=workers - 1) as job:
        return job.result()


CHUNKS = 16  # betweenness sources are split into this many chunks that any process may take


@dataclass(frozen=True)
class Extra:
    """Another per-person figure for a :class:`PathJob` to compute in its pool of tasks.

    ``compute(graph)`` returns an array of ``shape`` and ``dtype``; it must depend on the graph
    (and values it closes over) only, so that any process may compute it.
    """

    compute: Callable[[Graph], np.ndarray]
    shape: tuple[int, ...]
    dtype: type


class PathJob:
    """Betweenness and harmonic centrality, computed while the caller does other work.

    The work is a list of tasks. With the C kernel (``_sweep``), each task is one sweep of up to
    64 of the sources (every person, or the pivots): their searches run together and give both
    measures at once (docs/analysis.md, "How the searches run"). Without it: betweenness from
    each of :data:`CHUNKS` interleaved chunks of the sources (igraph), and harmonic centrality
    from the same chunks (exact: igraph, for the chunk's own people) or from batches of 64
    pivots searched together (sampled: :mod:`suhde.analysis.bfs`). ``processes`` forked
    workers start taking tasks at
    once; the caller takes tasks too when it asks for :meth:`result`, so two cores stay busy
    until the last one (work sharing, not a fixed split). Each task's sums land in a row of a
    shared-memory array and are added in row order: the same report whatever the number of
    processes.

    With pivots, :attr:`error` holds the Hoeffding bound of :func:`sampling_error` for
    betweenness and harmonic centrality, in the units of the values.

    ``extra`` names other figures (communities, constraint, brokerage: :class:`Extra`) that join
    the pool ahead of the searches, largest first, so that a worker takes them while the
    caller computes the rest; :meth:`value` gives each one after :meth:`result`.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        pivots: np.ndarray | None,
        processes: int,
        extra: Mapping[str, Extra] | None = None,
    ) -> None:
        self.graph, self.pivots = graph, pivots
        self.error: dict[str, float] | None = None
        sources = np.arange(graph.n) if pivots is None else np.asarray(pivots)
        count = min(CHUNKS, len(sources)) if graph.n >= 3 else 0
        self.tasks: list[tuple[str, np.ndarray]]
        if _sweep is not None:
            # built before forking, so that the workers share their pages
            self._out = (np.concatenate([[0], np.cumsum(graph.out_degree)]), graph.ties_out.tails)
            batches = range(0, len(sources), bfs.WIDTH) if count else range(0)
            self.tasks = [("sweep", sources[i : i + bfs.WIDTH].astype(np.int64)) for i in batches]
        else:
            chunks = [sources[i::count] for i in range(count)]
            if pivots is None:
                harmonic = [("harmonic_exact", c) for c in chunks]
            else:
                _ = graph.ties_in  # built before forking, so that the workers share its pages
                batches = range(0, len(sources), bfs.WIDTH) if count else range(0)
                harmonic = [("harmonic", sources[i : i + bfs.WIDTH]) for i in batches]
            # the cheap searches first: a worker that starts late still finds betweenness to do
            self.tasks = [*harmonic, *(("betweenness", c) for c in chunks)]
        self._procs: list = []
        # a row of betweenness sums and a row of harmonic sums per task
        self._sums = _shared(np.float64, (2 * len(self.tasks), graph.n), processes > 0)
        self._extra = dict(extra or {})
        self._values = {
            name: _shared(e.dtype, e.shape, processes > 0) for name, e in self._extra.items()
        }
        self._all: list[tuple[str, Any]] = [("extra", name) for name in self._extra]
        self._all += [("paths", i) for i in range(len(self.tasks))]
        self._done = _shared(np.int8, (len(self._all),), processes > 0)
        self._next = None
        self._finished = False
        if processes > 0 and len(self._all) > 1:
            import multiprocessing  # imported here: most callers never fork

            context = multiprocessing.get_context("fork")
            self._next = context.Value("i", 0)
            global _FORKED_JOB
            _FORKED_JOB = self
            try:
                for _ in range(processes):
                    proc = context.Process(target=_work, daemon=True)
                    proc.start()
                    self._procs.append(proc)
            finally:
                _FORKED_JOB = None  # the children have their copy; the parent keeps no global

    def _take(self) -> int | None:
        if self._next is None:
            index = int(np.argmin(self._done)) if len(self._done) else 0
            return None if len(self._done) == 0 or self._done[index] else index
        with self._next.get_lock():
            index = self._next.value
            self._next.value += 1
        return index if index < len(self._all) else None

    def work(self) -> None:
        """Take and compute tasks until none is left."""
        while (index := self._take()) is not None:
            kind, key = self._all[index]
            if kind == "extra":
                self._values[key][...] = self._extra[key].compute(self.graph)
            else:
                self._paths(key)
            self._done[index] = 1

    def _paths(self, index: int) -> None:
        graph = self.graph
        kind, sources = self.tasks[index]
        between, harmonic = self._sums[2 * index], self._sums[2 * index + 1]
        if kind == "sweep":
            assert _sweep is not None
            _sweep.sweep(*self._out, sources, between, harmonic)
        elif kind == "betweenness":
            between[:] = graph.ig.betweenness(directed=True, sources=sources.tolist())
        elif kind == "harmonic":
            harmonic[:] = harmonic_partial(graph, sources)
        else:  # exact: these people's own harmonic sums, in C
            values = graph.ig.harmonic_centrality(sources.tolist(), mode="in", normalized=False)
            harmonic[sources] = values

    def finish(self) -> None:
        """Compute what is left here, and wait for the workers."""
        if self._finished:
            return
        self.work()
        for proc in self._procs:
            proc.join()
        self._procs = []
        self._next = None
        self.work()  # a worker that died left its task undone: finish it here
        self._finished = True

    def value(self, name: str) -> np.ndarray:
        """The figure ``extra[name]`` (computed here if no worker has)."""
        self.finish()
        return self._values[name]

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """Normalised betweenness and harmonic centrality of every person."""
        self.finish()
        n = self.graph.n
        if n < 3:
            return betweenness(self.graph), harmonic(self.graph)
        raw_between = self._sums[0::2].sum(axis=0)
        raw_harmonic = self._sums[1::2].sum(axis=0)
        scale = np.ones(n) if self.pivots is None else _sample_scale(n, self.pivots)
        if self.pivots is not None and len(self.pivots) > 1:
            error = sampling_error(len(self.pivots), CONFIDENCE)
            self.error = {"betweenness": error, "harmonic": error * (n - 1)}
        return raw_between * scale / ((n - 1) * (n - 2)), raw_harmonic * scale

    def __enter__(self) -> PathJob:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self._procs:
            proc.kill()
            proc.join()


_FORKED_JOB: PathJob | None = None  # read by forked workers (copy-on-write, no pickling)


def _work() -> None:
    job = _FORKED_JOB
    assert job is not None
    job.work()


def _shared(dtype: type, shape: tuple[int, ...], shared: bool) -> np.ndarray:
    """A zeroed array; in memory shared with forked children when ``shared``."""
    if not shared or 0 in shape:
        return np.zeros(shape, dtype=dtype)
    import mmap

    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype).reshape(shape)
