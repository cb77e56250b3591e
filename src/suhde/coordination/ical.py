"""iCalendar in and out: subscription feeds, single-event downloads, and importing .ics files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.common import readers

from .models import DEFAULT_TIME_ZONE, Event

PRODID = "-//Suhde//Annual clock//EN"
IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_EVENTS = 500
# What an import reads from a VEVENT, and the bookkeeping it may drop without saying so.
USED = {"SUMMARY", "DESCRIPTION", "LOCATION", "URL", "DTSTART", "DTEND", "DURATION", "RRULE"}
USED |= {"EXDATE"}
SILENT = {"UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE"}
CONTAINERS = {"VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT"}


def _local(event) -> tuple[datetime, datetime]:
    tz = ZoneInfo(event.time_zone)
    return event.start.astimezone(tz), event.end.astimezone(tz)


def _rule_for(event) -> icalendar.vRecur:
    recur = icalendar.vRecur.from_ical(event.rrule)
    if event.all_day and "UNTIL" in recur:
        # An all-day series ends on a DATE, as its DTSTART is one (RFC 5545 §3.3.10).
        until = recur["UNTIL"][0]
        if isinstance(until, datetime):
            recur["UNTIL"] = [until.astimezone(ZoneInfo(event.time_zone)).date()]
    return recur


def event_component(event: Event, *, url: str = "") -> icalendar.Event:
    component = icalendar.Event()
    start, end = _local(event)
    component.add("uid", event.uid)
    component.add("dtstamp", event.updated_at or timezone.now())
    component.add("summary", event.title)
    if event.all_day:
        component.add("dtstart", start.date())
        component.add("dtend", end.date())
    else:
        component.add("dtstart", start)
        component.add("dtend", end)
    if event.description:
        component.add("description", event.description)
    if event.place:
        component.add("location", event.place)
    if event.online_url or url:
        component.add("url", event.online_url or url)
    component.add("categories", [event.category.label])
    if event.rrule:
        component.add("rrule", _rule_for(event))
        if event.exdates:
            component.add("exdate", [_exdate(event, day, start) for day in event.exdates])
    return component


def _exdate(event, day: str, start: datetime):
    value = date.fromisoformat(day)
    if event.all_day:
        return value
    return datetime.combine(value, start.timetz()).replace(tzinfo=start.tzinfo)


def calendar_bytes(
    events: Iterable[Event], *, name: str, url_for: Callable[[Event], str] | None = None
) -> bytes:
    """A whole VCALENDAR with the time zones its events use; Outlook, Google and Apple read it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # A name is one line in a calendar's list; icalendar leaves X- properties unescaped, and a
    # line break in a network's or event's name made the whole feed fail (issue 14).
    calendar.add("x-wr-calname", icalendar.vText(" ".join(name.split())))
    calendar.add("x-wr-timezone", DEFAULT_TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        calendar.add_component(event_component(event, url=url_for(event) if url_for else ""))
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportedEvent:
    fields: dict


@dataclass
class ImportResult:
    events: list[ImportedEvent] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _bad(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _calendar(data: bytes):
    if len(data) > IMPORT_MAX_BYTES:
        raise _bad(_("The file is too large: at most 1 MB."))
    try:
        readers.ics_check(data, readers.Limits(bytes=IMPORT_MAX_BYTES))
    except readers.ReadRefused as refused:
        raise _bad(refused.message) from refused
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError) as error:
        raise _bad(_("This is not a valid iCalendar (.ics) file.")) from error
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise _bad(_("This is not a valid iCalendar (.ics) file."))
    return calendar


def ics_parse(data: bytes) -> ImportResult:
    """Read the events of an .ics file; report what was skipped. Raises at the ``file`` field."""
    calendar = _calendar(data)
    result = ImportResult()
    skipped: set[str] = set()
    for component in calendar.walk():
        if component.name == "VEVENT":
            result.events.append(ImportedEvent(_event_fields(component, len(result.events) + 1)))
            skipped.update(
                f"VEVENT {key}" for key in component if key not in USED and key not in SILENT
            )
        elif component.name not in CONTAINERS:
            skipped.add(component.name)
    if not result.events:
        raise _bad(_("The file has no events."))
    if len(result.events) > IMPORT_MAX_EVENTS:
        raise _bad(_("At most %(max)d events per file.") % {"max": IMPORT_MAX_EVENTS})
    result.skipped = sorted(skipped)
    return result


def _text(component, key: str, limit: int) -> str:
    value = component.get(key)
    return str(value)[:limit] if value is not None else ""


def _event_fields(component, number: int) -> dict:
    errors = getattr(component, "errors", [])
    if errors:
        raise _bad(
            _("Event %(number)d has an unreadable property %(name)s.")
            % {"number": number, "name": errors[0][0]}
        )
    start_prop = component.get("DTSTART")
    if start_prop is None:
        raise _bad(_("Event %(number)d has no start (DTSTART).") % {"number": number})
    start, all_day, zone_name = _moment(start_prop.dt)
    end = _end(component, start, all_day)
    rule = component.get("RRULE")
    return {
        "title": _text(component, "SUMMARY", 200) or _("(untitled)"),
        "description": _text(component, "DESCRIPTION", 5000),
        "place": _text(component, "LOCATION", 200),
        "online_url": _url(_text(component, "URL", 500)),
        "start": start,
        "end": end,
        "all_day": all_day,
        "timezone": zone_name,
        "rrule": rule.to_ical().decode() if rule is not None else "",
        "exdates": _exdates(component.get("EXDATE"), ZoneInfo(zone_name)),
    }


def _url(value: str) -> str:
    return value if value.startswith(("https://", "http://")) else ""


def _moment(value) -> tuple[datetime, bool, str]:
    """A DTSTART as an aware datetime, whether it is a whole day, and its time zone's name."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating time: read as Helsinki wall-clock time
            return value.replace(tzinfo=ZoneInfo(DEFAULT_TIME_ZONE)), False, DEFAULT_TIME_ZONE
        name = getattr(value.tzinfo, "key", None)
        if name:
            return value, False, name
        return value.astimezone(ZoneInfo(DEFAULT_TIME_ZONE)), False, DEFAULT_TIME_ZONE
    if isinstance(value, date):
        tz = ZoneInfo(DEFAULT_TIME_ZONE)
        return datetime.combine(value, time(0), tzinfo=tz), True, DEFAULT_TIME_ZONE
    raise _bad(_("An event's start is not a date or a time."))


def _end(component, start: datetime, all_day: bool) -> datetime:
    end_prop = component.get("DTEND")
    if end_prop is not None:
        end, _all_day, _zone = _moment(end_prop.dt)
        return end
    duration = component.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta):
        return start + duration.dt
    return start + (timedelta(days=1) if all_day else timedelta(0))


def _exdates(value, tz: ZoneInfo) -> list[str]:
    if value is None:
        return []
    days = []
    for item in value if isinstance(value, list) else [value]:
        for moment in getattr(item, "dts", []):
            dt = moment.dt
            if isinstance(dt, datetime):
                dt = (dt.astimezone(tz) if dt.tzinfo else dt).date()
            days.append(dt.isoformat())
    return days
