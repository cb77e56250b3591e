"""The annual wheel's geometry, computed on the server: the template only draws what is here.

Twelve months clockwise from the top, starting in the clock's first month; one ring per category
from the inside out; an event of two days or more is an arc, a shorter one a dot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import formats

from .models import PALETTE

if TYPE_CHECKING:  # the clock's reads use the wheel; the wheel only names their types
    from .models import Event
    from .queries import Ring, YearWindow
    from .recurrence import Occurrence

SIZE = 800
CENTRE = SIZE / 2
INNER = 120
OUTER = 330
LABEL = 356
MAX_RING = 46


@dataclass(frozen=True)
class Mark:
    occurrence: Occurrence
    arc: bool
    d: str = ""
    cx: float = 0
    cy: float = 0
    r: float = 0
    width: float = 0

    @property
    def event(self) -> Event:
        return self.occurrence.event


@dataclass
class WheelRing:
    label: str
    colour: int
    radius: float
    width: float
    marks: list[Mark]
    label_x: float
    label_y: float

    @property
    def hex(self) -> str:
        return PALETTE[self.colour % len(PALETTE)]


@dataclass(frozen=True)
class MonthSpoke:
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    tx: float
    ty: float


@dataclass
class Wheel:
    size: int
    centre: float
    inner: float
    outer: float
    months: list[MonthSpoke]
    rings: list[WheelRing]
    today: tuple[float, float, float, float] | None


def _point(radius: float, angle: float) -> tuple[float, float]:
    radians = math.radians(angle)
    return round(CENTRE + radius * math.cos(radians), 1), round(
        CENTRE + radius * math.sin(radians), 1
    )


def _angle(moment: datetime, start: datetime, end: datetime) -> float:
    share = (moment - start) / (end - start)
    return -90 + 360 * min(max(share, 0.0), 1.0)


def _arc(radius: float, a1: float, a2: float) -> str:
    a2 = min(a2, a1 + 359.9)
    x1, y1 = _point(radius, a1)
    x2, y2 = _point(radius, a2)
    large = 1 if a2 - a1 > 180 else 0
    return f"M {x1} {y1} A {radius} {radius} 0 {large} 1 {x2} {y2}"


def _mark(occurrence, radius: float, width: float, start: datetime, end: datetime) -> Mark:
    a1 = _angle(max(occurrence.start, start), start, end)
    if occurrence.end - occurrence.start >= timedelta(days=2):
        a2 = _angle(min(occurrence.end, end), start, end)
        return Mark(occurrence, True, d=_arc(radius, a1, a2), width=round(width * 0.55, 1))
    x, y = _point(radius, a1)
    return Mark(occurrence, False, cx=x, cy=y, r=round(min(width * 0.3, 9), 1))


def wheel_for(rings: list[Ring], window: YearWindow, months: list[date], now: datetime) -> Wheel:
    """``rings``: objects with label, colour and occurrences; ``months``: first days, in order."""
    start, end = window.start, window.end
    count = max(len(rings), 1)
    width = min((OUTER - INNER) / count, MAX_RING)
    drawn = []
    for index, ring in enumerate(rings):
        radius = INNER + width * (index + 0.5)
        lx, ly = _point(radius, -90)
        marks = [_mark(o, radius, width, start, end) for o in ring.occurrences]
        drawn.append(WheelRing(ring.label, ring.colour, radius, width, marks, lx + 4, ly))
    outer = INNER + width * count
    spokes = []
    for month in months:
        moment = datetime(month.year, month.month, 1, tzinfo=start.tzinfo)
        angle = _angle(moment, start, end)
        middle = _angle(moment + timedelta(days=15), start, end)
        x1, y1 = _point(INNER, angle)
        x2, y2 = _point(outer + 8, angle)
        tx, ty = _point(LABEL, middle)
        label = formats.date_format(month, "M")
        spokes.append(MonthSpoke(label, x1, y1, x2, y2, tx, ty))
    today = None
    if start <= now < end:
        today = (
            *_point(INNER - 10, _angle(now, start, end)),
            *_point(outer + 14, _angle(now, start, end)),
        )
    return Wheel(SIZE, CENTRE, INNER, outer, spokes, drawn, today)
