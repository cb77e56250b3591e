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
LAYOUT_VERSION = b"4"  # change when the drawing changes, so that cached positions are renewed
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


def pinned_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float],
    start: Sequence[tuple[float, float]],
    pinned: Sequence[bool],
    niter: int = 200,
) -> list[tuple[float, float]]:
    """Re-run the force layout from ``start`` keeping every ``pinned`` vertex where it is.

    igraph's Fruchterman–Reingold takes bounds per vertex; a pinned vertex gets a box of size
    zero at its own position, so only the others move.

    >>> pinned_layout(2, [(0, 1)], [1.0], [(0.0, 0.0), (50.0, 0.0)], [True, False])[0]
    (0.0, 0.0)
    """
    if count == 0:
        return []
    xs = [float(x) for x, _ in start]
    ys = [float(y) for _, y in start]
    span = max(300.0, SPACING * math.sqrt(count) * 2)
    free = 4 * span
    minx = [x if fixed else -free for x, fixed in zip(xs, pinned, strict=True)]
    maxx = [x if fixed else free for x, fixed in zip(xs, pinned, strict=True)]
    miny = [y if fixed else -free for y, fixed in zip(ys, pinned, strict=True)]
    maxy = [y if fixed else free for y, fixed in zip(ys, pinned, strict=True)]
    graph = ig.Graph(n=count, edges=list(edges))
    with seeded(2026):
        coords = graph.layout_fruchterman_reingold(
            weights=list(weights) or None,
            seed=[list(p) for p in zip(xs, ys, strict=True)],
            niter=niter,
            start_temp=span / 20,
            minx=minx,
            maxx=maxx,
            miny=miny,
            maxy=maxy,
        )
    return [
        (x, y) if fixed else (round(float(cx), 1), round(float(cy), 1))
        for (cx, cy), x, y, fixed in zip(coords.coords, xs, ys, pinned, strict=True)
    ]


def circle_layout(order: Sequence[int], spacing: float = SPACING) -> dict[int, tuple[float, float]]:
    """Everyone on one circle in the given order (the caller sorts by sector and organization).

    >>> circle_layout([7])[7]
    (0.0, -300.0)
    """
    radius = max(300.0, len(order) * spacing / (2 * math.pi))
    return _on_circle(order, radius, 0.0, 0.0, -math.pi / 2, 2 * math.pi)


def _on_circle(order, radius, cx, cy, first, sweep) -> dict[int, tuple[float, float]]:
    positions = {}
    for i, member in enumerate(order):
        angle = first + sweep * i / max(len(order), 1)
        positions[member] = (
            round(cx + radius * math.cos(angle), 1),
            round(cy + radius * math.sin(angle), 1),
        )
    return positions


def concentric_layout(
    values: Sequence[float], spacing: float = SPACING
) -> list[tuple[float, float]]:
    """The highest ``values`` in the centre, lower ones on rings further out: about one ring
    per fifth of the range, each ring sorted so that equal values sit together.

    >>> concentric_layout([3.0, 1.0, 1.0])[0]
    (0.0, 0.0)
    """
    count = len(values)
    if count == 0:
        return []
    array = np.asarray(values, dtype=float)
    top, bottom = float(array.max()), float(array.min())
    band = (top - bottom) / 5 or 1.0
    level = np.minimum(((top - array) / band).astype(int), 5)
    result: list[tuple[float, float]] = [(0.0, 0.0)] * count
    radius = 0.0
    for ring in range(6):
        members = [int(i) for i in np.flatnonzero(level == ring)]
        if not members:
            continue
        if ring == 0 and len(members) == 1:
            result[members[0]] = (0.0, 0.0)
            continue
        radius = max(radius + spacing * 2.5, len(members) * spacing / (2 * math.pi))
        for member, xy in _on_circle(members, radius, 0.0, 0.0, -math.pi / 2, 2 * math.pi).items():
            result[member] = xy
    return result


def sector_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float],
    regions: Sequence[int],
    groups: Sequence[int] | None = None,
) -> list[tuple[float, float]]:
    """Three regions side by side (``regions[i]`` is 0, 1, 2, or 3 for none), each with its own
    force layout of the ties inside it, so the sectors read as places on the picture.

    >>> len(sector_layout(3, [(0, 1)], [1.0], [0, 0, 2]))
    3
    """
    result: list[tuple[float, float]] = [(0.0, 0.0)] * count
    offset = 0.0
    for region in range(4):
        members = [i for i in range(count) if regions[i] == region]
        if not members:
            continue
        local = {vertex: i for i, vertex in enumerate(members)}
        inner = [(local[a], local[b]) for a, b in edges if a in local and b in local]
        inner_weights = [
            w for (a, b), w in zip(edges, weights, strict=True) if a in local and b in local
        ]
        inner_groups = [groups[v] for v in members] if groups else None
        coords = force_layout(len(members), inner, inner_weights, inner_groups)
        width = max(300.0, SPACING * math.sqrt(len(members)) * 2)
        for vertex, (x, y) in zip(members, coords, strict=True):
            result[vertex] = (round(x + offset + width / 2, 1), y)
        offset += width + SPACING * 4
    shift = offset / 2
    return [(round(x - shift, 1), y) for x, y in result]


GROUP_GAP = 40.0  # pixels between two organizations' boxes (their names sit above them)


def _local_layout(count: int, edges: list[tuple[int, int]], radius: float) -> np.ndarray:
    """One group's own picture, centred on 0, 0 and fitted inside ``radius``."""
    if count == 1:
        return np.zeros((1, 2))
    graph = ig.Graph(n=count, edges=edges)
    with seeded(2026):
        coords = np.asarray(graph.layout_fruchterman_reingold(niter=200).coords, dtype=float)
    coords -= coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    return coords / extent * (radius - SPACING * 0.4)


def _separate(centres: np.ndarray, radii: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Push overlapping boxes (squares of half-side ``radii``, as the map draws organizations)
    apart along the axis where they overlap least, until none overlap or the rounds run out."""
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        need = radii[:, None] + radii[None, :] + GROUP_GAP
        over_x = need - np.abs(delta[..., 0])
        over_y = need - np.abs(delta[..., 1])
        clash = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        along_x = clash & (over_x <= over_y)
        along_y = clash & ~along_x
        sign_x = np.where(delta[..., 0] >= 0, 1.0, -1.0)
        sign_y = np.where(delta[..., 1] >= 0, 1.0, -1.0)
        push = np.zeros_like(centres)
        push[:, 0] = (np.where(along_x, over_x * sign_x, 0.0) / 2).sum(axis=1)
        push[:, 1] = (np.where(along_y, over_y * sign_y, 0.0) / 2).sum(axis=1)
        centres = centres + push * 0.6  # a little less than all: many pushes add up
    return centres


def grouped_layout(
    count: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float],
    groups: Sequence[int],
    spacing: float = SPACING,
) -> list[tuple[float, float]]:
    """Organizations as boxes that do not overlap: each group (``groups[i]``, -1 for none) is
    laid out on its own inside a circle that grows with its size, and the circles are placed by
    a force layout of the ties between groups, then pushed apart where they would overlap.

    >>> a, b, c = grouped_layout(3, [(0, 1)], [1.0], [5, 5, -1])
    >>> round(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5) <= 2 * SPACING
    True
    """
    if count == 0:
        return []
    keys = [group if group >= 0 else -(i + 1) for i, group in enumerate(groups)]
    order = sorted(set(keys))
    index = {key: i for i, key in enumerate(order)}
    members: list[list[int]] = [[] for _ in order]
    for vertex, key in enumerate(keys):
        members[index[key]].append(vertex)
    # Half the side of each group's box: room for its people's shapes and names.
    radii = np.array([spacing * (0.4 + 0.5 * math.sqrt(len(m))) for m in members])
    between: dict[tuple[int, int], float] = {}
    inner: list[list[tuple[int, int]]] = [[] for _ in order]
    local = {}
    for m in members:
        for i, vertex in enumerate(m):
            local[vertex] = i
    for (a, b), weight in zip(edges, weights, strict=True):
        ga, gb = index[keys[a]], index[keys[b]]
        if ga == gb:
            inner[ga].append((local[a], local[b]))
        else:
            pair = (min(ga, gb), max(ga, gb))
            between[pair] = between.get(pair, 0.0) + weight
    centres = np.asarray(
        force_layout(len(order), list(between), list(between.values()), spacing=spacing * 2),
        dtype=float,
    )
    centres = _separate(centres, radii) if len(order) <= 2000 else centres
    result = np.zeros((count, 2))
    for g, m in enumerate(members):
        result[m] = centres[g] + _local_layout(len(m), inner[g], radii[g])
    result -= result.mean(axis=0)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in result]
