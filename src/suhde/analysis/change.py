"""Change between two survey waves of the same network.

People are matched by id. A tie is the same tie when it has the same two
people in the same direction.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from suhde.analysis.graph import Graph


def _shared_codes(before: Graph, after: Graph) -> tuple[np.ndarray, np.ndarray, int]:
    """Codes for both waves' people in one numbering (same id, same code)."""
    both = np.concatenate([before.ids.astype(object), after.ids.astype(object)])
    index: dict[object, int] = {}
    codes = np.fromiter((index.setdefault(pid, len(index)) for pid in both.tolist()), np.int64)
    return codes[: before.n], codes[before.n :], len(index)


def tie_diff(
    before_keys: np.ndarray,
    before_strong: np.ndarray,
    after_keys: np.ndarray,
    after_strong: np.ndarray,
) -> dict[str, np.ndarray]:
    """Ties gained, lost, strengthened (weak → strong) and weakened, as sorted keys.

    A key names one directed tie (any int64 coding of source and target, unique per wave);
    strength arrays are aligned with their keys: 1 strong, 0 weak, NaN unknown (a tie of unknown
    strength is neither strengthened nor weakened). The one comparison of two
    waves' ties: the report's ``change`` section counts these, the dashboard lists them.

    Examples
    --------
    >>> d = tie_diff(np.array([1, 2]), np.array([0, 1]), np.array([1, 3]), np.array([1, 0]))
    >>> {name: keys.tolist() for name, keys in d.items()}
    {'gained': [3], 'lost': [2], 'strengthened': [1], 'weakened': []}
    """
    order_b, order_a = np.argsort(before_keys), np.argsort(after_keys)
    kb, sb = before_keys[order_b], np.asarray(before_strong, dtype=np.float64)[order_b]
    ka, sa = after_keys[order_a], np.asarray(after_strong, dtype=np.float64)[order_a]
    common, ib, ia = np.intersect1d(kb, ka, assume_unique=True, return_indices=True)
    return {
        "gained": np.setdiff1d(ka, kb, assume_unique=True),
        "lost": np.setdiff1d(kb, ka, assume_unique=True),
        "strengthened": common[(sb[ib] == 0) & (sa[ia] == 1)],
        "weakened": common[(sb[ib] == 1) & (sa[ia] == 0)],
    }


def tie_changes(before: Graph, after: Graph) -> dict[str, int]:
    """Counts of ties added, lost, strengthened (weak → strong) and weakened.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> b = build_graph(list("abc"), None, ["a", "b"], ["b", "c"], strength=["weak", "strong"])
    >>> a = build_graph(list("abc"), None, ["a", "c"], ["b", "a"], strength=["strong", "weak"])
    >>> tie_changes(b, a)["strengthened"]
    1
    """
    cb, ca, size = _shared_codes(before, after)
    diff = tie_diff(
        cb[before.source] * size + cb[before.target],
        before.strong,
        ca[after.source] * size + ca[after.target],
        after.strong,
    )
    return {
        "ties_added": len(diff["gained"]),
        "ties_lost": len(diff["lost"]),
        "strengthened": len(diff["strengthened"]),
        "weakened": len(diff["weakened"]),
        "people_added": len(np.setdiff1d(ca, cb)),
        "people_left": len(np.setdiff1d(cb, ca)),
    }


def newcomers(before: Graph, after: Graph) -> np.ndarray:
    """Vertex indices (in ``after``) of people who were not in ``before``."""
    cb, ca, _ = _shared_codes(before, after)
    return np.flatnonzero(~np.isin(ca, cb))


def figure_changes(
    before: Mapping[str, float | int | None], after: Mapping[str, float | int | None]
) -> dict[str, dict[str, float | int | None]]:
    """``{figure: {before, after, change}}``; the change is ``None`` if either is.

    Examples
    --------
    >>> figure_changes({"ties": 3}, {"ties": 5})
    {'ties': {'before': 3, 'after': 5, 'change': 2}}
    """
    out = {}
    for key, new in after.items():
        old = before.get(key)
        delta = None if old is None or new is None else new - old
        out[key] = {"before": old, "after": new, "change": delta}
    return out
