"""Breadth-first searches from up to 64 people at once, over numpy arrays.

igraph's ``distances`` answers one row per source as Python lists: at 100,000 people, 200
rows are 20 million Python floats, most of the harmonic centrality's time. Here the searches
run together as the bits of one ``uint64`` per person (a multi-source search; Then et al.,
"The more the merrier", PVLDB 8(4), 2014): one level of all of them is one gather over the ties and
one OR-reduction per person, and only counts per person leave numpy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

WIDTH = 64  # searches per pass: the bits of a uint64


@dataclass(frozen=True)
class Incoming:
    """Ties grouped by the person they lead to: who can step onto each person.

    ``tails[starts[i]:starts[i + 1]]`` (the last run ends at the array's end) are the
    people with a tie into ``heads[i]``; people nobody steps onto are left out, because
    ``np.bitwise_or.reduceat`` cannot reduce an empty run.
    """

    heads: np.ndarray
    starts: np.ndarray
    tails: np.ndarray


def incoming(tails: np.ndarray, heads: np.ndarray, n: int) -> Incoming:
    """Group the ties ``tails[e] → heads[e]`` by head.

    Examples
    --------
    >>> inc = incoming(np.array([0, 1, 2]), np.array([1, 2, 1]), 3)
    >>> inc.heads.tolist(), inc.starts.tolist(), inc.tails.tolist()
    ([1, 2], [0, 2], [0, 2, 1])
    """
    order = np.argsort(heads, kind="stable")
    counts = np.bincount(heads, minlength=n)
    ptr = np.concatenate([[0], np.cumsum(counts)])
    present = np.flatnonzero(counts)
    index = np.int32 if n < 2**31 else np.int64  # half the memory of the gather's indices
    return Incoming(present, ptr[present], tails[order].astype(index))


def levels(
    steps: Sequence[Incoming], n: int, sources: np.ndarray
) -> Iterator[tuple[int, np.ndarray]]:
    """Search from each of ``sources`` (at most 64) at once, level by level.

    Yields ``(d, new)`` for d = 1, 2, …: bit ``i`` of ``new[v]`` is set when ``v`` is at
    distance exactly ``d`` from ``sources[i]``. A step may follow any of ``steps`` (two for
    the undirected network: ties in and out). Stops when no search reaches anyone new.

    Examples
    --------
    >>> inc = incoming(np.array([0, 1]), np.array([1, 2]), 3)
    >>> [(d, new.tolist()) for d, new in levels([inc], 3, np.array([0, 1]))]
    [(1, [0, 1, 2]), (2, [0, 0, 1])]
    """
    if len(sources) > WIDTH:
        raise ValueError(f"at most {WIDTH} sources per search, got {len(sources)}")
    frontier = np.zeros(n, dtype=np.uint64)
    frontier[sources] = np.left_shift(np.uint64(1), np.arange(len(sources), dtype=np.uint64))
    visited = frontier.copy()
    d = 0
    while True:
        d += 1
        reach = np.zeros(n, dtype=np.uint64)
        for step in steps:
            if len(step.heads):
                reach[step.heads] |= np.bitwise_or.reduceat(frontier[step.tails], step.starts)
        new = reach & ~visited
        if not new.any():
            return
        visited |= new
        frontier = new
        yield d, new


def harmonic_sums(steps: Sequence[Incoming], n: int, sources: np.ndarray) -> np.ndarray:
    """``Σ 1 / d(s, v)`` over ``sources`` for every person ``v`` (unreachable: 0).

    Examples
    --------
    >>> inc = incoming(np.array([0, 1]), np.array([1, 2]), 3)
    >>> harmonic_sums([inc], 3, np.array([0, 1])).tolist()
    [0.0, 1.0, 1.5]
    """
    total = np.zeros(n)
    for start in range(0, len(sources), WIDTH):
        for d, new in levels(steps, n, sources[start : start + WIDTH]):
            total += np.bitwise_count(new) / d
    return total


@dataclass(frozen=True)
class DistanceSums:
    """What searches from some sources saw: distances summed, pairs, farthest reached."""

    total: int
    pairs: int
    depth: int
    farthest: int  # a person at ``depth`` from the first source that reaches that far


def distance_sums(steps: Sequence[Incoming], n: int, sources: np.ndarray) -> DistanceSums:
    """Sum of distances from ``sources`` to everyone they reach, and the farthest person.

    ``farthest`` is the lowest-numbered person at the greatest distance from the earliest
    source (in the order given) that reaches that distance: the same person a row-by-row
    scan of a distance matrix finds first.

    Examples
    --------
    >>> inc = incoming(np.array([0, 1]), np.array([1, 2]), 3)
    >>> distance_sums([inc], 3, np.array([0]))
    DistanceSums(total=3, pairs=2, depth=2, farthest=2)
    """
    total = pairs = depth = 0
    farthest = int(sources[0])
    for start in range(0, len(sources), WIDTH):
        last = None
        for d, new in levels(steps, n, sources[start : start + WIDTH]):
            count = int(np.bitwise_count(new).sum(dtype=np.int64))
            total, pairs, last = total + d * count, pairs + count, (d, new)
        if last is not None and last[0] > depth:
            depth, farthest = last[0], _first_reached(last[1])
    return DistanceSums(total, pairs, depth, farthest)


def _first_reached(new: np.ndarray) -> int:
    """The lowest person holding the lowest bit set anywhere in ``new``."""
    holders = np.flatnonzero(new)
    low = new[holders] & (~new[holders] + np.uint64(1))  # each holder's lowest bit
    return int(holders[np.flatnonzero(low == low.min())[0]])
