"""The rings view of the social-work network-map tradition (easyNWK, VennMaker).

One person or organization in the centre; the public, private and third sector as slices of the
circle; strong ties on the inner ring, weak ties on the outer. Drawn as SVG on the server, so it
prints and needs no JavaScript; the same data is listed in a table beside it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .map import NetworkGraph
from .models import Sector, Strength

SLICES = (  # sector, first and last angle in degrees, clockwise from the top
    (Sector.PUBLIC, -90.0, 30.0),
    (Sector.PRIVATE, 30.0, 150.0),
    (Sector.THIRD, 150.0, 270.0),
)
RADIUS = {Strength.STRONG: 150.0, Strength.WEAK: 290.0}
OUTER = 350.0
LABEL_GAP = 14.0


@dataclass
class Alter:
    key: int
    label: str
    detail: str
    sector: str
    strength: str
    count: int = 1
    x: float = 0.0
    y: float = 0.0
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass
class Slice:
    sector: str
    label: str
    path: str
    label_x: float
    label_y: float


@dataclass
class Rings:
    centre_label: str
    centre_detail: str
    centre_sector: str
    alters: list[Alter] = field(default_factory=list)
    slices: list[Slice] = field(default_factory=list)
    unplaced: list[Alter] = field(default_factory=list)
    radius_strong: float = RADIUS[Strength.STRONG]
    radius_weak: float = RADIUS[Strength.WEAK]
    outer: float = OUTER

    def by_sector(self) -> list[tuple[str, list[Alter]]]:
        """Alters grouped by sector, strong first, for the table beside the picture."""
        groups = []
        for sector, *_ in SLICES:
            members = [a for a in self.alters if a.sector == sector]
            members.sort(key=lambda a: (a.strength != Strength.STRONG, a.label.lower()))
            groups.append((sector, members))
        if self.unplaced:
            groups.append(("", sorted(self.unplaced, key=lambda a: a.label.lower())))
        return groups


def _point(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)


def _wedge(start: float, end: float) -> str:
    x1, y1 = _point(OUTER, start)
    x2, y2 = _point(OUTER, end)
    return f"M 0 0 L {x1} {y1} A {OUTER} {OUTER} 0 0 1 {x2} {y2} Z"


def _slices() -> list[Slice]:
    result = []
    for sector, start, end in SLICES:
        lx, ly = _point(OUTER + 24, (start + end) / 2)
        result.append(Slice(sector, Sector(sector).label, _wedge(start, end), lx, ly))
    return result


def _place(alters: list[Alter]) -> None:
    for sector, start, end in SLICES:
        for strength, radius in RADIUS.items():
            ring = [a for a in alters if a.sector == sector and a.strength == strength]
            ring.sort(key=lambda a: a.label.lower())
            step = (end - start) / (len(ring) + 1)
            for i, alter in enumerate(ring, start=1):
                degrees = start + step * i
                alter.x, alter.y = _point(radius, degrees)
                alter.label_x, alter.label_y = _point(radius + LABEL_GAP, degrees)
                alter.anchor = "start" if math.cos(math.radians(degrees)) >= -0.1 else "end"


def _finish(rings: Rings, alters: list[Alter]) -> Rings:
    rings.alters = [a for a in alters if a.sector in Sector.values]
    rings.unplaced = [a for a in alters if a.sector not in Sector.values]
    rings.slices = _slices()
    _place(rings.alters)
    return rings


def person_rings(graph: NetworkGraph, person_id: int) -> Rings:
    """The partners of one person; a tie in either direction counts, the stronger one wins."""
    centre = graph.people[person_id]
    strength: dict[int, str] = {}
    for tie in graph.ties:
        if person_id in (tie.source, tie.target):
            other = tie.target if tie.source == person_id else tie.source
            if strength.get(other) != Strength.STRONG:
                strength[other] = tie.strength
    alters = [
        Alter(
            key=pid,
            label=graph.people[pid].name,
            detail=graph.people[pid].organization,
            sector=graph.people[pid].sector,
            strength=value,
        )
        for pid, value in strength.items()
    ]
    rings = Rings(centre.name, centre.organization, centre.sector)
    return _finish(rings, alters)


def organization_rings(graph: NetworkGraph, organization_id: int) -> Rings | None:
    """Organizations tied to this one through their people, with the number of ties."""
    members = [p for p in graph.people.values() if p.organization_id == organization_id]
    if not members:
        return None
    counts: dict[int, int] = defaultdict(int)
    strong: set[int] = set()
    names: dict[int, tuple[str, str]] = {}
    for tie in graph.ties:
        a, b = graph.people[tie.source], graph.people[tie.target]
        for mine, theirs in ((a, b), (b, a)):
            if mine.organization_id == organization_id and theirs.organization_id not in (
                None,
                organization_id,
            ):
                counts[theirs.organization_id] += 1
                names[theirs.organization_id] = (theirs.organization, theirs.sector)
                if tie.strength == Strength.STRONG:
                    strong.add(theirs.organization_id)
    alters = [
        Alter(
            key=oid,
            label=names[oid][0],
            detail="",
            sector=names[oid][1],
            strength=Strength.STRONG if oid in strong else Strength.WEAK,
            count=count,
        )
        for oid, count in counts.items()
    ]
    first = members[0]
    rings = Rings(first.organization, "", first.sector)
    return _finish(rings, alters)


@dataclass
class SectorPartners:
    sector: str
    label: str
    alters: list[Alter]

    @property
    def ties(self) -> int:
        return sum(alter.count for alter in self.alters)


def partners_by_sector(alters: list[Alter]) -> list[SectorPartners]:
    """An organization's partner organizations grouped by sector (public, private, third, then
    those without one), the most ties first."""
    order = [*Sector.values, ""]
    groups: dict[str, list[Alter]] = defaultdict(list)
    for alter in alters:
        groups[alter.sector if alter.sector in Sector.values else ""].append(alter)
    return [
        SectorPartners(
            sector,
            Sector(sector).label if sector else "",
            sorted(groups[sector], key=lambda a: (-a.count, a.label.lower())),
        )
        for sector in order
        if groups.get(sector)
    ]


@dataclass
class Candidate:
    key: int
    label: str
    detail: str
    sector: str
    strength: str  # the ring they are on now ("" when not a partner yet)


def ring_candidates(graph: NetworkGraph, person_id: int) -> list[Candidate]:
    """Everyone who can be placed on a person's rings, by sector and name, with the ring each is
    on now: the strength of the person's own tie to them (which placing sets)."""
    own = {t.target: t.strength for t in graph.ties if t.source == person_id}
    order = {sector: i for i, (sector, *_rest) in enumerate(SLICES)}
    people = [p for pid, p in graph.people.items() if pid != person_id]
    people.sort(key=lambda p: (order.get(p.sector, 3), p.name.lower(), p.id))
    return [Candidate(p.id, p.name, p.organization, p.sector, own.get(p.id, "")) for p in people]
