"""The anonymity threshold shared by every figure shown from survey answers.

A group figure from fewer than k distinct respondents is never shown (promise 9). The threshold
defaults to 5 and can never be set below 3. Secondary suppression keeps one shown figure from
being subtracted from another to reveal a smaller group: inside every partition of a group, the
hidden cells together are either empty or hold at least k respondents.

This module depends on no app. Survey scores pass through ``cells_suppress`` before they are
stored, and every reader passes them through ``figures_public`` before they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

K_DEFAULT = 5
K_MINIMUM = 3
IN_RATINGS_MINIMUM = 3


def k_valid(k: int) -> bool:
    return k >= K_MINIMUM


def figure_allowed(respondents: int, k: int) -> bool:
    return respondents >= max(k, K_MINIMUM)


def in_ratings_allowed(raters: int) -> bool:
    """How others rated one person may be shown (to that person alone) with enough raters."""
    return raters >= IN_RATINGS_MINIMUM


def change_allowed(old: dict | None, new: dict | None) -> bool:
    """A change between two waves is itself a figure: only when both waves show the group."""
    return bool(old and new and not old.get("suppressed") and not new.get("suppressed"))


@dataclass
class Cell:
    """A group's figures, with the respondents behind them (kept in memory only)."""

    key: str
    values: dict[str, float | None]
    respondents: set = field(default_factory=set)
    hidden: bool = False

    def public(self) -> dict:
        """What may leave the process: no respondent ids, no figure when hidden."""
        if self.hidden:
            return {"key": self.key, "suppressed": True}
        return {
            "key": self.key,
            "suppressed": False,
            "respondents": len(self.respondents),
            **self.values,
        }


def _hidden_union(cells: Iterable[Cell]) -> set:
    union: set = set()
    for cell in cells:
        if cell.hidden:
            union |= cell.respondents
    return union


def partition_suppress(cells: list[Cell], k: int) -> None:
    """Hide small cells, then hide more until the hidden ones cannot be recovered by subtraction.

    The cells partition one parent group. If the hidden cells together hold between 1 and k − 1
    respondents, the parent minus the shown cells would reveal them, so the smallest shown cell
    is hidden too, and so on.
    """
    k = max(k, K_MINIMUM)
    for cell in cells:
        if len(cell.respondents) < k:
            cell.hidden = True
    while 0 < len(_hidden_union(cells)) < k:
        shown = [cell for cell in cells if not cell.hidden]
        if not shown:
            break
        min(shown, key=lambda cell: (len(cell.respondents), cell.key)).hidden = True


def cells_suppress(parent: Cell, partitions: Iterable[list[Cell]], k: int) -> None:
    """Apply the threshold to a parent group and to each partition of it."""
    k = max(k, K_MINIMUM)
    parent.hidden = len(parent.respondents) < k
    for cells in partitions:
        if parent.hidden:
            for cell in cells:
                cell.hidden = True
        else:
            partition_suppress(cells, k)


def figures_public(figures: dict | list, k: int):
    """Re-check stored figures before showing them: defence in depth for every reader.

    Any cell that claims fewer than k respondents loses its values, whatever it says.
    """
    if isinstance(figures, list):
        return [figures_public(item, k) for item in figures]
    if not isinstance(figures, dict):
        return figures
    if "suppressed" in figures and "key" in figures:
        if figures["suppressed"] or figures.get("respondents", 0) < max(k, K_MINIMUM):
            return {"key": figures["key"], "suppressed": True}
        return dict(figures)
    return {name: figures_public(value, k) for name, value in figures.items()}
