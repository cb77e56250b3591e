"""A reproducible synthetic collaboration network (a stochastic block model).

People sit in organizations of 20–50 people; organizations are public,
private or third sector. Each person names about 12 partners: most in their
own organization, fewer in other organizations of the same sector, fewest
across sectors (the block probabilities), and part of the ties are answered.
Ties inside an organization are more often strong and better rated. The same
``seed`` gives the same network, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SECTORS = ("public", "private", "third")
SECTOR_SHARE = (0.45, 0.30, 0.25)
ORG_SIZE = (20, 50)
MEAN_NAMED = 8.6  # first-round ties per person; answering brings the mean to about 12
P_OWN_ORG, P_OWN_SECTOR = 0.55, 0.30  # the rest cross sectors
P_ANSWER = 0.45  # share of first-round ties that the named person answers
MISSING_RATING = 0.1


@dataclass(frozen=True)
class Network:
    """Plain arrays, exactly what :func:`suhde.analysis.graph.build_graph` takes."""

    ids: np.ndarray
    organization: np.ndarray
    sector: np.ndarray
    source: np.ndarray
    target: np.ndarray
    strength: np.ndarray
    knowing: np.ndarray
    trust: np.ndarray
    commitment: np.ndarray


def organizations(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Organization sizes (summing to ``n``) and each organization's sector code."""
    sizes = rng.integers(ORG_SIZE[0], ORG_SIZE[1] + 1, size=n // ORG_SIZE[0] + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    sizes[-1] -= int(sizes.sum()) - n
    sector = np.sort(rng.choice(len(SECTORS), size=len(sizes), p=SECTOR_SHARE))
    return sizes[sizes > 0], sector[sizes > 0]


def generate(n: int, seed: int = 1) -> Network:
    """Generate the network for ``n`` people.

    Organizations are numbered so that each organization, and each sector, is
    a contiguous run of person indices: drawing a random member is one
    ``integers`` call.
    """
    rng = np.random.default_rng(seed)
    sizes, org_sector = organizations(n, rng)
    org_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    org = np.repeat(np.arange(len(sizes)), sizes)
    sector = org_sector[org]
    sector_start = np.searchsorted(sector, np.arange(len(SECTORS)))
    sector_end = np.searchsorted(sector, np.arange(len(SECTORS)), side="right")

    named = rng.poisson(MEAN_NAMED, size=n)
    src = np.repeat(np.arange(n), named)
    kind = rng.choice(3, size=len(src), p=(P_OWN_ORG, P_OWN_SECTOR, 1 - P_OWN_ORG - P_OWN_SECTOR))
    dst = np.empty(len(src), dtype=np.int64)
    own = kind == 0
    o = org[src[own]]
    dst[own] = org_start[o] + rng.integers(0, sizes[o])
    same = kind == 1
    s = sector[src[same]]
    dst[same] = rng.integers(sector_start[s], np.maximum(sector_end[s], sector_start[s] + 1))
    other = kind == 2
    s = (sector[src[other]] + rng.integers(1, len(SECTORS), size=int(other.sum()))) % 3
    dst[other] = rng.integers(sector_start[s], np.maximum(sector_end[s], sector_start[s] + 1))

    answered = rng.random(len(src)) < P_ANSWER
    src, dst = np.concatenate([src, dst[answered]]), np.concatenate([dst, src[answered]])
    keep = src != dst
    keys = np.unique(src[keep] * n + dst[keep])
    src, dst = keys // n, keys % n
    inside = org[src] == org[dst]
    return Network(
        ids=np.arange(n),
        organization=np.char.add("org-", org.astype(str)),
        sector=np.asarray(SECTORS)[sector],
        source=src,
        target=dst,
        strength=rng.random(len(src)) < np.where(inside, 0.6, 0.3),
        knowing=_ratings(rng, inside, 3.2),
        trust=_ratings(rng, inside, 3.0),
        commitment=_ratings(rng, inside, 2.8),
    )


def _ratings(rng: np.random.Generator, inside: np.ndarray, centre: float) -> np.ndarray:
    """Ratings 1–4, half a point lower across organizations, some unanswered."""
    value = np.clip(np.rint(rng.normal(centre - 0.5 * ~inside, 0.8)), 1, 4)
    value[rng.random(len(value)) < MISSING_RATING] = np.nan
    return value
