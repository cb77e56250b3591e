"""Map positions, computed on the server with igraph so the browser never runs a layout.

People are pulled towards an invisible node for their organization, so each organization forms a
visible group; strong ties pull harder than weak ones. The seed is fixed, so the same network
always gets the same picture.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import numpy as np

from suhde.analysis.igraph_support import ig, seeded

ORGANIZATION_PULL = 8.0
STRONG_PULL = 2.0
WEAK_PULL = 1.0
LAYOUT_VERSION = b"2"  # change when the drawing changes, so that cached positions are renewed
SPACING = 45.0  # pixels per node along the side of the picture: about one node width apart


def digest(parts: Sequence[object]) -> str:
    """A short, stable hash of what a layout depends on."""
    hasher = hashlib.sha256(LAYOUT_VERSION)
    for part in parts:
        hasher.update(repr(part).encode())
        hasher.update(b"\x00")
    return hasher.hexdigest()[:40]


def _seed(count: int) -> list[list[float]]:
    # Spread like igraph's own start; squeezing every vertex into a unit square made the
    # layout of 2,000 people take seconds instead of a fraction of one.
    rng = np.random.default_rng(2026)
    return (rng.uniform(-1, 1, size=(count, 2)) * math.sqrt(count) / 2).tolist()


def _scaled(coords: np.ndarray, count: int, spacing: float = SPACING) -> np.ndarray:
    """Centre the picture on 0, 0 and give it a side that grows with the square root of its size."""
    if len(coords) == 0:
        return coords
    coords = coords - coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    side = max(300.0, spacing * math.sqrt(count) * 2)
    return np.round(coords / extent * side / 2, 1)


def force_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float],
    groups: Sequence[int] | None = None,
    spacing: float = SPACING,
) -> list[tuple[float, float]]:
    """Positions for ``count`` vertices; ``groups[i]`` (or -1) pulls members of a group together.

    >>> len(force_layout(3, [(0, 1), (1, 2)], [1.0, 1.0]))
    3
    """
    if count == 0:
        return []
    all_edges = list(edges)
    all_weights = list(weights)
    group_ids = sorted({g for g in groups or [] if g >= 0})
    index = {group: count + i for i, group in enumerate(group_ids)}
    for vertex, group in enumerate(groups or []):
        if group >= 0:
            all_edges.append((vertex, index[group]))
            all_weights.append(ORGANIZATION_PULL)
    total = count + len(group_ids)
    graph = ig.Graph(n=total, edges=all_edges)
    with seeded(2026):  # a fixed seed: the same network always gets the same picture
        coords = graph.layout_fruchterman_reingold(
            weights=all_weights or None, seed=_seed(total), niter=500
        )
    result = _scaled(np.asarray(coords.coords[:count], dtype=float), count, spacing)
    return [(float(x), float(y)) for x, y in result]


def radial_layout(rings: Sequence[Sequence[int]]) -> dict[int, tuple[float, float]]:
    """The ego view: ring 0 is the centre; ring k holds the people k steps away, in order."""
    positions: dict[int, tuple[float, float]] = {}
    for distance, members in enumerate(rings):
        if distance == 0:
            for member in members:
                positions[member] = (0.0, 0.0)
            continue
        radius = max(distance * 220.0, len(members) * SPACING / (2 * math.pi))
        for i, member in enumerate(members):
            angle = 2 * math.pi * i / max(len(members), 1) - math.pi / 2
            positions[member] = (
                round(radius * math.cos(angle), 1),
                round(radius * math.sin(angle), 1),
            )
    return positions
