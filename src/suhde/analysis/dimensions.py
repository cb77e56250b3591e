"""The deck's three relationship dimensions over ties: knowing, trust, commitment.

Each tie carries the rating its naming person gave (1–4, missing allowed).
Means are shown for all ties and for the "crossing silos" classes, each with
its counts, because the web app hides figures from fewer than k respondents.
"""

from __future__ import annotations

import numpy as np

from suhde.analysis.graph import DIMENSIONS, MISSING, Graph


def tie_classes(graph: Graph) -> dict[str, np.ndarray]:
    """Boolean masks over ties: all, within/across organizations, across sectors.

    A class needs the group of both ends; ties with a missing group fall in
    ``all`` only.
    """
    masks = {"all": np.ones(graph.m, dtype=bool)}
    for column, within, across in (
        ("organization", "within_organization", "across_organization"),
        ("sector", None, "across_sector"),
    ):
        if column not in graph.groups:
            continue
        code = graph.groups[column]
        gs, gt = code[graph.source], code[graph.target]
        known = (gs != MISSING) & (gt != MISSING)
        if within:
            masks[within] = known & (gs == gt)
        masks[across] = known & (gs != gt)
    return masks


def summary(graph: Graph, values: np.ndarray, mask: np.ndarray) -> dict[str, float | int | None]:
    """Mean of the answered ratings under ``mask``, with tie and respondent counts.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("abc"), None, ["a", "a", "b"], ["b", "c", "c"], trust=[4, 2, np.nan])
    >>> summary(g, g.ratings["trust"], np.ones(3, bool))
    {'mean': 3.0, 'ties': 2, 'respondents': 1}
    """
    answered = mask & ~np.isnan(values)
    count = int(np.count_nonzero(answered))
    return {
        "mean": float(values[answered].mean()) if count else None,
        "ties": count,
        # bincount, not unique: no sort of millions of ties
        "respondents": int(np.count_nonzero(np.bincount(graph.source[answered], minlength=1))),
    }


def rating_gaps(graph: Graph, values: np.ndarray) -> dict[str, float | int | None]:
    """Mean and largest ``|A→B − B→A|`` over reciprocal pairs where both answered.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("ab"), None, ["a", "b"], ["b", "a"], trust=[4, 1])
    >>> rating_gaps(g, g.ratings["trust"])
    {'mean': 3.0, 'max': 3.0, 'pairs': 1}
    """
    rev = graph.reverse_index
    idx = np.flatnonzero(rev > np.arange(graph.m))  # each mutual pair once
    gaps = np.abs(values[idx] - values[rev[idx]])
    gaps = gaps[~np.isnan(gaps)]
    if len(gaps) == 0:
        return {"mean": None, "max": None, "pairs": 0}
    return {"mean": float(gaps.mean()), "max": float(gaps.max()), "pairs": len(gaps)}


def dimensions_report(graph: Graph) -> dict[str, dict]:
    """All dimension figures: per dimension, per tie class, plus reciprocal gaps."""
    masks = tie_classes(graph)
    report = {}
    for name in DIMENSIONS:
        values = graph.ratings[name]
        report[name] = {cls: summary(graph, values, mask) for cls, mask in masks.items()}
        report[name]["reciprocal_gap"] = rating_gaps(graph, values)
    return report
