"""A closed wave's snapshot: one typed, versioned structure and one reader.

Closing a wave stores what its pages may ever show (audited figures, the structure report, the
tie list) as JSON on the wave. Every reader — results, dashboard, comparison, charts, the PDF and
the exports — goes through :func:`snapshot_of`, so a renamed or missing key fails here, loudly and
once, instead of blanking a page somewhere else. Old snapshots are migrated on read, never
rewritten in place: a wave closed years ago still reads.

Versions:
  1  (no ``version`` key) everything stored before this module; may still hold ``out_ratings``
     from before the auditor, which nothing may show and the reader drops.
  2  ``version`` added; same keys otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

if TYPE_CHECKING:
    from .models import Wave

VERSION = 2


class SnapshotError(ValueError):
    """A stored snapshot this code cannot read (written by a newer Suhde, or damaged)."""


class Responses(TypedDict):
    invited: int
    answered: int
    rate: float | None  # percent, one decimal; None when nobody was invited


# For each earlier wave (its id): the figures whose change may be shown, each as
# ``[section, direction, key, family]`` (``scores.change_ids``).
FigureChanges = dict[str, list[list[str]]]


class Structure(TypedDict):
    """The analysis report of the wave's tie network (``suhde.analysis.report``), without the
    rating dimensions: ``network`` figures, ``nodes`` (one row per person), ``groups``,
    ``suggestions``, ``meta`` and, from the second wave on, ``change``."""

    network: dict[str, Any]
    nodes: list[dict[str, Any]]
    groups: dict[str, Any]
    suggestions: list[dict[str, Any]]
    meta: dict[str, Any]
    change: NotRequired[dict[str, Any]]


class SnapshotFigures(TypedDict):
    """The audited part of a snapshot (``closing.snapshot_figures``): computed again, from the
    stored answers, when the auditor changes."""

    k: int
    figures: dict[str, Any]
    theme_names: dict[str, str]
    in_ratings: dict[str, dict[str, Any]]
    changes: FigureChanges


@dataclass(frozen=True)
class Snapshot:
    responses: Responses
    k: int
    figures: dict[str, Any]  # audited group figures; read them through common.privacy
    structure: Structure
    ties: list[list[int]] | None  # [source, target, strong]; None in snapshots that lack it
    theme_names: dict[str, str] = field(default_factory=dict)
    in_ratings: dict[str, dict[str, Any]] = field(default_factory=dict)
    changes: FigureChanges = field(default_factory=dict)
    version: int = VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "responses": self.responses,
            "k": self.k,
            "figures": self.figures,
            "structure": self.structure,
            "ties": self.ties,
            "theme_names": self.theme_names,
            "in_ratings": self.in_ratings,
            "changes": self.changes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, k: int) -> Snapshot:
        """Read a stored snapshot of any known version; ``k`` is the wave's own (version 1
        snapshots stored before the auditor did not keep it)."""
        if not isinstance(data, dict):
            raise SnapshotError("A wave snapshot must be a JSON object.")
        version = data.get("version", 1)
        if not isinstance(version, int) or version < 1:
            raise SnapshotError(f"Unknown snapshot version {version!r}.")
        if version > VERSION:
            raise SnapshotError(
                f"This snapshot was written by a newer Suhde (version {version}; this one reads "
                f"up to {VERSION})."
            )
        try:
            stored = data["structure"]
            structure: Structure = {
                "network": stored["network"],
                "nodes": stored["nodes"],
                "groups": stored.get("groups", {}),
                "suggestions": stored.get("suggestions", []),
                "meta": stored.get("meta", {}),
            }
            if "change" in stored:
                structure["change"] = stored["change"]
            return cls(
                responses=data["responses"],
                k=int(data.get("k", k)),
                figures=data.get("figures") or {},
                structure=structure,
                ties=data.get("ties"),
                theme_names=data.get("theme_names") or {},
                in_ratings=data.get("in_ratings") or {},
                changes=data.get("changes") or {},
            )
        except (KeyError, TypeError) as error:
            raise SnapshotError(f"The wave snapshot lacks {error}.") from error


def snapshot_closed(wave: Wave) -> Snapshot:
    """The snapshot of a wave its caller has found closed and readable (the dashboard's
    ``wave_closed``): a wave without one here is a damaged record, and says so."""
    snapshot = snapshot_of(wave)
    if snapshot is None:
        raise SnapshotError("This closed wave has no snapshot.")
    return snapshot


def snapshot_of(wave: Wave) -> Snapshot | None:
    """The wave's snapshot, read once per wave object; None while the wave has none."""
    if not wave.snapshot:
        return None
    cached = wave.__dict__.get("_snapshot_read")
    if cached is None or cached[0] is not wave.snapshot:
        cached = (wave.snapshot, Snapshot.from_json(wave.snapshot, k=wave.k))
        wave.__dict__["_snapshot_read"] = cached
    return cached[1]
