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
    kb = cb[before.source] * size + cb[before.target]
    ka = ca[after.source] * size + ca[after.target]
    common, ib, ia = np.intersect1d(kb, ka, assume_unique=True, return_indices=True)
    sb, sa = before.strong[ib], after.strong[ia]
    return {
        "ties_added": int(after.m - len(common)),
        "ties_lost": int(before.m - len(common)),
        "strengthened": int(np.count_nonzero((sb == 0) & (sa == 1))),
        "weakened": int(np.count_nonzero((sb == 1) & (sa == 0))),
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
