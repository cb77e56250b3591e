"""Reads for the clock, the feeds and the contact list; each costs a fixed number of queries."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from suhde.networks.access import network_roles
from suhde.networks.models import Membership, Network, Person
from suhde.networks.queries import memberships_of

from .models import Category, Event
from .recurrence import Occurrence, occurrences_of

WEEKS_AHEAD = 3
# Theme networks' rings: black and yellow, the colours the default categories leave free.
THEME_COLOURS = [7, 6, 5, 3]


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def events_of(network_ids: Iterable[int]) -> QuerySet[Event]:
    """The events of these networks' clocks: their own and those other networks share with them."""
    ids = list(network_ids)
    shared = Event.shared_with.through.objects.filter(network_id__in=ids).values("event_id")
    return (
        Event.objects.filter(Q(network_id__in=ids) | Q(pk__in=shared))
        .select_related("category", "network", "responsible")
        .prefetch_related("shared_with")
        .order_by("start", "id")
    )


def event_in(network_ids: Iterable[int], event_id: int) -> Event:
    return get_object_or_404(events_of(network_ids), pk=event_id)


def events_own(network: Network) -> QuerySet[Event]:
    """The network's own events, not those shared with it: what its roles may change."""
    return events_of([network.pk]).filter(network=network)


def event_own_in(network: Network, event_id: int) -> Event:
    """An event of this network's own clock: the only place it can be changed."""
    return get_object_or_404(events_own(network), pk=event_id)


def category_in(network: Network, category_id: int) -> Category:
    return get_object_or_404(categories_in(network), pk=category_id)


def category_named(network: Network, value: str) -> Category | None:
    """A category by its key ("meetings") or its id, as a script may give either; None when
    the network's clock has no such category (the caller says so at the field)."""
    found = categories_in(network).filter(key=value).first()
    if found is None and value.isdigit():
        found = categories_in(network).filter(pk=int(value)).first()
    return found


def categories_in(network: Network) -> QuerySet[Category]:
    return Category.objects.filter(network=network).order_by("order", "id")


def networks_to_share_with(network_ids: list[int], network: Network) -> QuerySet[Network]:
    """Of these networks (those the user facilitates), the active ones other than ``network``."""
    others = Network.objects.filter(pk__in=network_ids, archived_at__isnull=True)
    return others.exclude(pk=network.pk).order_by("name")


def shared_beyond(event: Event, choosable: QuerySet[Network]) -> list[Network]:
    """The networks the event is shared with that the editor cannot choose: an edit keeps them."""
    ids = set(choosable.values_list("pk", flat=True))
    return [other for other in event.shared_with.all() if other.pk not in ids]


def categories_of(network: Network) -> list[Category]:
    return list(Category.objects.filter(network=network).order_by("order", "id"))


@dataclass(frozen=True)
class YearWindow:
    year: int
    start_month: int

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.start_month, 1, tzinfo=local_zone())

    @property
    def end(self) -> datetime:
        if self.start_month == 1:
            return datetime(self.year + 1, 1, 1, tzinfo=local_zone())
        return datetime(self.year + 1, self.start_month, 1, tzinfo=local_zone())

    @property
    def label(self) -> str:
        return str(self.year) if self.start_month == 1 else f"{self.year}–{self.year + 1}"

    def months(self) -> list[date]:
        return [
            date(
                self.year + (self.start_month - 1 + i) // 12, (self.start_month - 1 + i) % 12 + 1, 1
            )
            for i in range(12)
        ]


def year_for(start_month: int, requested: str | None, today: date | None = None) -> YearWindow:
    """The clock year asked for (?year=2026), or the one that holds today."""
    today = today or timezone.localdate()
    default = today.year if today.month >= start_month else today.year - 1
    try:
        year = int(requested) if requested else default
    except (TypeError, ValueError):
        year = default
    return YearWindow(year=min(max(year, 1971), 2100), start_month=start_month)


@dataclass
class Ring:
    label: str
    colour: int
    occurrences: list[Occurrence] = field(default_factory=list)
    network: Network | None = None


def rings_for(
    network: Network,
    categories: list[Category],
    occurrences: list[Occurrence],
    extra: list[Network],
) -> list[Ring]:
    """One ring per category of the network, then one per theme network shown."""
    by_category = {category.pk: Ring(category.label, category.colour) for category in categories}
    by_key = {category.key: by_category[category.pk] for category in categories}
    theme_rings = {
        child.pk: Ring(child.name, THEME_COLOURS[i % len(THEME_COLOURS)], network=child)
        for i, child in enumerate(extra)
    }
    for occurrence in occurrences:
        event = occurrence.event
        if event.network_id == network.pk:
            by_category[event.category_id].occurrences.append(occurrence)
        elif event.network_id in theme_rings:
            theme_rings[event.network_id].occurrences.append(occurrence)
        elif categories:  # shared by another network: the ring of the same kind, or the first
            by_key.get(event.category.key, by_category[categories[0].pk]).occurrences.append(
                occurrence
            )
    return list(by_category.values()) + list(theme_rings.values())


def theme_networks(user: User, network: Network) -> list[Network]:
    roles = network_roles(user)
    return list(network.children.filter(pk__in=list(roles)).order_by("name", "id"))


def year_occurrences(network_ids: Iterable[int], window: YearWindow) -> list[Occurrence]:
    events = events_of(network_ids).filter(
        Q(start__lt=window.end) & (Q(end__gte=window.start) | ~Q(rrule=""))
    )
    return occurrences_of(events, window.start, window.end)


@dataclass
class MonthDay:
    day: date
    in_month: bool
    occurrences: list[Occurrence]


def month_weeks(month: date, occurrences: list[Occurrence]) -> list[list[MonthDay]]:
    """A month as weeks from Monday to Sunday, each day with the occurrences that touch it."""
    tz = local_zone()
    by_day: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences:
        first = occurrence.start.astimezone(tz).date()
        last = (occurrence.end.astimezone(tz) - timedelta(seconds=1)).date()
        day = first
        while day <= max(first, last) and (day - first).days < 62:
            by_day.setdefault(day, []).append(occurrence)
            day += timedelta(days=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [MonthDay(day, day.month == month.month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def month_for(requested: str | None, window: YearWindow) -> date:
    months = window.months()
    try:
        year, month = (int(part) for part in (requested or "").split("-"))
        chosen = date(year, month, 1)
    except (TypeError, ValueError):
        today = timezone.localdate().replace(day=1)
        chosen = today if today in months else months[0]
    return chosen if chosen in months else months[0]


def upcoming(
    network_ids: Iterable[int], *, days: int, today: date | None = None
) -> list[Occurrence]:
    today = today or timezone.localdate()
    start = datetime.combine(today, time(0), tzinfo=local_zone())
    end = start + timedelta(days=days)
    events = events_of(network_ids).filter(Q(start__lt=end) & (Q(end__gte=start) | ~Q(rrule="")))
    return occurrences_of(events, start, end)


# --- contacts -------------------------------------------------------------------------------


def stale_before(stale_months: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=round(stale_months * 30.44))


@dataclass
class Contact:
    membership: Membership
    stale: bool

    @property
    def person(self) -> Person:
        return self.membership.person


def contacts_of(network: Network, stale_months: int, text: str = "") -> list[Contact]:
    """Current members by sector and organization, each marked stale or not."""
    limit = stale_before(stale_months)
    return [
        Contact(m, m.person.confirmed_at is None or m.person.confirmed_at < limit)
        for m in memberships_of(network, text)
    ]


def stale_people(network: Network, stale_months: int) -> list[Person]:
    limit = stale_before(stale_months)
    return [
        m.person
        for m in memberships_of(network)
        if m.person.confirmed_at is None or m.person.confirmed_at < limit
    ]
