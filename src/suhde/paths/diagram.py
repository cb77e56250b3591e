"""The path diagram's layout: stages left to right, sector lanes, transitions by gap rating.

Only geometry is computed here; ``paths/_diagram_svg.html`` draws it, so every name is escaped
by the template like any other text (promise 16) and the colours are presentation attributes,
never a ``style`` (promise 17). The page shows the same SVG inline, so each transition is a link
that a keyboard reaches, and the table beside it says everything the drawing says.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from django.urls import reverse

from suhde.networks.models import Sector

from .models import ServicePath, Stage
from .queries import GAP, RATING_SHORT, STRONG, WEAK, Sides, TransitionFigures, columns_of

# Okabe–Ito, as everywhere in Suhde (docs/architecture.md): sectors keep their colours and a
# shape; the ratings take the palette's other colours, and a dash where colour is not enough.
SECTOR_COLOURS: dict[str, str] = {
    Sector.PUBLIC: "#0072B2",
    Sector.PRIVATE: "#E69F00",
    Sector.THIRD: "#009E73",
}
SECTOR_SHAPES: dict[str, str] = {
    Sector.PUBLIC: "circle",
    Sector.PRIVATE: "square",
    Sector.THIRD: "triangle",
}
RATING_STROKES = {
    STRONG: ("#000000", ""),
    WEAK: ("#CC79A7", "8 5"),
    GAP: ("#D55E00", "2 4"),
}
COLUMN, STAGE_W, STAGE_H, GAP_Y, LANE_H, MARGIN = 248, 172, 64, 16, 34, 12
LINE = 24  # characters of a stage's name per line in its box (two lines at most)
HEADER = 24


@dataclass
class Box:
    number: int
    name: str
    x: int
    y: int
    lines: list[dict] = field(default_factory=list)  # {"text", "y"}


@dataclass
class Arrow:
    x1: int
    y1: int
    x2: int
    y2: int
    colour: str
    dash: str
    label: str
    title: str
    url: str
    lx: int = 0
    ly: int = 0
    marker: int = 1


@dataclass
class Chip:
    name: str
    x: int
    y: int
    colour: str
    shape: str


@dataclass
class Lane:
    label: str
    y: int
    colour: str
    height: int = 0


@dataclass
class Diagram:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    stage_w: int = STAGE_W
    stage_h: int = STAGE_H
    lane_h: int = LANE_H
    colours: list[str] = field(default_factory=list)


def diagram_layout(
    path: ServicePath, stages: list[Stage], figures: list[TransitionFigures]
) -> Diagram:
    columns = columns_of(stages)
    rows: dict[int, int] = {}
    place: dict[int, tuple[int, int]] = {}
    for stage in stages:
        column = columns[stage.pk]
        row = rows.get(column, 0)
        rows[column] = row + 1
        place[stage.pk] = (MARGIN + column * COLUMN, HEADER + MARGIN + row * (STAGE_H + GAP_Y))
    top = HEADER + MARGIN + max(rows.values(), default=1) * (STAGE_H + GAP_Y)
    sectors = [
        s
        for s in Sector.values
        if any(o.sector == s for stage in stages for o in stage.organizations.all())
    ]
    width = MARGIN * 2 + (max(columns.values(), default=0) + 1) * COLUMN
    slug = path.network.slug
    diagram = Diagram(width=width, height=top)
    for number, stage in enumerate(stages, start=1):
        x, y = place[stage.pk]
        lines = textwrap.wrap(stage.name, LINE) or [""]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LINE, placeholder="…")]
        placed = [{"text": text, "y": y + 38 + 16 * row} for row, text in enumerate(lines)]
        diagram.boxes.append(Box(number, stage.name, x, y, placed))
    lane_y = top
    for sector in sectors:
        per_column: dict[int, int] = {}
        chips = []
        for stage in stages:
            column = columns[stage.pk]
            for organization in stage.organizations.all():
                if organization.sector != sector:
                    continue
                index = per_column.get(column, 0)
                per_column[column] = index + 1
                chips.append((column, index, organization.name))
        height = max(per_column.values(), default=1) * 22 + 30
        diagram.lanes.append(Lane(str(Sector(sector).label), lane_y, SECTOR_COLOURS[sector]))
        for column, index, name in chips:
            diagram.chips.append(
                Chip(
                    name,
                    MARGIN + column * COLUMN + 8,
                    lane_y + 38 + index * 22,
                    SECTOR_COLOURS[sector],
                    SECTOR_SHAPES[sector],
                )
            )
        diagram.lanes[-1].height = height
        lane_y += height + 4
    diagram.height = lane_y + MARGIN
    for item in figures:
        t = item.transition
        (x1, y1), (x2, y2) = place[t.source_id], place[t.target_id]
        colour, dash = RATING_STROKES[item.rating]
        arrow = Arrow(
            x1 + STAGE_W,
            y1 + STAGE_H // 2,
            x2 - 6,
            y2 + STAGE_H // 2,
            colour,
            dash,
            str(RATING_SHORT[item.rating]),
            f"{t.source.name} → {t.target.name}: {item.rating_label}",
            reverse("paths:transition", args=[slug, t.pk]),
        )
        arrow.lx, arrow.ly = (arrow.x1 + arrow.x2) // 2, (arrow.y1 + arrow.y2) // 2 - 8
        if colour not in diagram.colours:
            diagram.colours.append(colour)
        arrow.marker = diagram.colours.index(colour) + 1
        diagram.arrows.append(arrow)
    return diagram


# --- the map of one transition -----------------------------------------------------------------

SIDE_X, SIDE_ROW, SIDE_W, SIDE_TOP = (0, 520), 26, 340, 40
SIDE_PEOPLE_MAX = 40  # a longer side is listed in the table beside the drawing, not drawn


@dataclass
class Node:
    name: str
    x: int
    y: int
    anchor: str
    colour: str
    shape: str


@dataclass
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    dash: str
    title: str


@dataclass
class SidesMap:
    width: int
    height: int
    headers: list[dict]
    nodes: list[Node]
    edges: list[Edge]
    left_out: int


def sides_layout(sides: Sides) -> SidesMap:
    """The people of the transition's two sides in two columns and the ties across: the map of
    the network narrowed to one transition. Strong ties solid, weak ones dashed, as everywhere."""
    place: dict[tuple[int, int], tuple[int, int]] = {}
    nodes, left_out = [], 0
    for column, side in enumerate((sides.source, sides.target)):
        shown = side.people[:SIDE_PEOPLE_MAX]
        left_out += len(side.people) - len(shown)
        for row, person in enumerate(shown):
            sector = person.organization.sector if person.organization else ""
            x, y = SIDE_X[column], SIDE_TOP + row * SIDE_ROW
            place[(column, person.pk)] = (x + (SIDE_W - 24 if column == 0 else 0), y)
            nodes.append(
                Node(
                    person.name,
                    x + (SIDE_W - 36 if column == 0 else 12),
                    y + 4,
                    "end" if column == 0 else "start",
                    SECTOR_COLOURS.get(sector, "#555555"),
                    SECTOR_SHAPES.get(sector, "circle"),
                )
            )
    edges = []
    for tie in sides.ties:
        a, b = place.get((0, tie["source"].pk)), place.get((1, tie["target"].pk))
        if a and b:
            edges.append(
                Edge(
                    a[0] + 6,
                    a[1],
                    b[0] - 6,
                    b[1],
                    "" if tie["strong"] else "6 4",
                    f"{tie['source'].name} – {tie['target'].name}",
                )
            )
    rows = max(
        len(sides.source.people[:SIDE_PEOPLE_MAX]), len(sides.target.people[:SIDE_PEOPLE_MAX])
    )
    headers = [
        {"text": sides.source.stage.name, "x": SIDE_X[0] + SIDE_W - 36, "anchor": "end"},
        {"text": sides.target.stage.name, "x": SIDE_X[1] + 12, "anchor": "start"},
    ]
    return SidesMap(
        SIDE_X[1] + SIDE_W, SIDE_TOP + max(rows, 1) * SIDE_ROW, headers, nodes, edges, left_out
    )
