"""The network's navigation, grouped by the four phases of the strategic continuum.

Each app adds its pages in its AppConfig.ready() with ``nav_register``, so the navigation shows
every phase's tools without networks importing the apps above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from .continuum import PHASES
from .models import Network


@dataclass(frozen=True)
class NavItem:
    phase: int
    label: Promise
    url_name: str  # takes the network's slug as its only argument
    matches: tuple[str, ...]  # beginnings of the view names that count as this item
    order: int = 100


NAV: list[NavItem] = []


def nav_register(
    *,
    phase: int,
    label: Promise,
    url_name: str,
    matches: Iterable[str] = (),
    order: int = 100,
) -> None:
    if all(item.url_name != url_name for item in NAV):
        NAV.append(NavItem(phase, label, url_name, tuple(matches) or (url_name,), order))
        NAV.sort(key=lambda item: (item.phase, item.order, item.url_name))


def _active(view_name: str) -> NavItem | None:
    """The item with the longest match that begins the current view's name."""
    candidates = [
        (len(match), item) for item in NAV for match in item.matches if view_name.startswith(match)
    ]
    return max(candidates, key=lambda pair: pair[0])[1] if candidates else None


@dataclass
class NavLink:
    label: str
    url: str
    current: bool


@dataclass
class NavPhase:
    number: int
    label: str
    url: str
    current: bool
    links: list[NavLink]


def network_nav(network: Network, view_name: str) -> list[NavPhase]:
    active = _active(view_name)
    phases = []
    for info in PHASES:
        links = []
        for item in (i for i in NAV if i.phase == info.number):
            try:
                url = reverse(item.url_name, args=[network.slug])
            except NoReverseMatch:
                continue
            links.append(NavLink(str(item.label), url, item is active))
        if links:
            current = active is not None and active.phase == info.number
            phases.append(NavPhase(info.number, str(info.label), links[0].url, current, links))
    return phases
