"""Events and clocks for the tests, made through the domain as a user would."""

from datetime import datetime
from zoneinfo import ZoneInfo

from suhde.coordination import domain
from suhde.coordination.models import Category, Event

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=HELSINKI)


def category(network, key="meetings") -> Category:
    domain.clock_ensure(network=network)
    return Category.objects.get(network=network, key=key)


def event(network, title="Network meeting", **fields) -> Event:
    fields.setdefault("category", category(network))
    fields.setdefault("start", at(2026, 3, 10, 17))
    fields.setdefault("end", at(2026, 3, 10, 18))
    return domain.event_create(network=network, title=title, **fields)


def world_event(world) -> Event:
    """One event in the core network, made once per test (for the access matrix)."""
    found = Event.objects.filter(network=world.network, title="Matrix meeting").first()
    return found or event(world.network, "Matrix meeting")


def other_event(world) -> Event:
    found = Event.objects.filter(network=world.other, title="Other meeting").first()
    return found or event(world.other, "Other meeting")


def world_category(world) -> Category:
    return category(world.network, "budget")


def other_category(world) -> Category:
    return category(world.other, "budget")
