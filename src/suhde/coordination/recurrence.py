"""Repeating events: RFC 5545 rules, checked before they are saved and expanded with a cap.

A rule is expanded in the event's own time zone, so "every second Tuesday at 17:00" stays at
17:00 Helsinki time on both sides of a daylight-saving change, as calendar programs do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suhde.common.validators import day_check

from .models import Event

# However a rule is written, no expansion ever yields more than this many occurrences, and a
# rule with an end (COUNT or UNTIL) may not have more than this many in all.
MAX_OCCURRENCES = 1000
MAX_INTERVAL = 366
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
RULE_MAX = 300


def zone(name: str) -> ZoneInfo:
    if not name or name not in _zones():
        raise ValidationError({"timezone": _("Unknown time zone.")})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError({"timezone": _("Unknown time zone.")}) from error


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def _invalid(message: str) -> ValidationError:
    return ValidationError({"rrule": message})


def _parts(text: str) -> dict[str, str]:
    parts = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not key or not value.strip():
            raise _invalid(_("The repeat rule is not valid: write it like FREQ=MONTHLY;BYDAY=2TU."))
        if key not in PARTS:
            raise _invalid(
                _("The repeat rule part %(part)s is not supported here.") % {"part": key}
            )
        parts[key] = value.strip().upper()
    return parts


def _until_utc(value: str, tz: tzinfo | None) -> str:
    """UNTIL must be UTC when the start has a time zone (RFC 5545); a plain date means its end."""
    if len(value) == 8 and value.isdigit():
        local = datetime(int(value[:4]), int(value[4:6]), int(value[6:]), 23, 59, 59, tzinfo=tz)
        return local.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return value


def rule_clean(text: str, *, start: datetime) -> str:
    """Check a rule against its (time-zone aware) start; return it normalized, or raise."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:].strip()
    if not text:
        return ""
    if len(text) > RULE_MAX:
        raise _invalid(_("The repeat rule is too long."))
    parts = _parts(text)
    if parts.get("FREQ") not in FREQUENCIES:
        raise _invalid(_("The rule must repeat daily, weekly, monthly or yearly (FREQ)."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid(_("Give either COUNT or UNTIL, not both."))
    _check_number(parts, "INTERVAL", MAX_INTERVAL)
    _check_number(parts, "COUNT", MAX_OCCURRENCES)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_utc(parts["UNTIL"], start.tzinfo)
    normalized = ";".join(f"{key}={value}" for key, value in parts.items())
    rule = _rule(normalized, start)
    _check_size(rule, parts, start)
    return normalized


def _check_number(parts: dict, key: str, maximum: int) -> None:
    if key not in parts:
        return
    value = parts[key]
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise _invalid(
            _("%(part)s must be a whole number from 1 to %(max)d.") % {"part": key, "max": maximum}
        )


def _rule(text: str, start: datetime):
    try:
        return rrulestr("RRULE:" + text, dtstart=start)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as error:
        raise _invalid(
            _("The repeat rule is not valid: write it like FREQ=MONTHLY;BYDAY=2TU.")
        ) from error


# Days, weeks, months and years in one 400-year Gregorian cycle: after it, weekdays and dates
# repeat exactly.
CYCLE = {"DAILY": 146_097, "WEEKLY": 20_871, "MONTHLY": 4_800, "YEARLY": 400}


def _never(parts: dict, start: datetime) -> bool:
    """Whether the rule's pattern can never happen (February 30th), decided quickly.

    dateutil looks for a first occurrence until the year 9999, which takes seconds for a daily
    rule that never matches. Moved by whole cycles to the last 400 years before 9999, the same
    pattern is searched within one cycle, which holds every case there is.
    """
    if CYCLE[parts["FREQ"]] % int(parts.get("INTERVAL", "1")):
        return False  # the moved rule would fall on other days; let the full search decide
    shift = max(0, (9599 - start.year) // 400 * 400)
    pattern = ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    probe = rrulestr("RRULE:" + pattern, dtstart=start.replace(year=start.year + shift))
    return next(iter(probe), None) is None


def _check_size(rule, parts: dict, start: datetime) -> None:
    if _never(parts, start):
        raise _invalid(_("The repeat rule never happens."))
    try:
        first = list(islice(iter(rule), MAX_OCCURRENCES + 1 if "UNTIL" in parts else 1))
    except (ValueError, OverflowError) as error:
        raise _invalid(_("The repeat rule is not valid.")) from error
    if not first:
        raise _invalid(_("The repeat rule never happens."))
    if len(first) > MAX_OCCURRENCES:
        raise _invalid(
            _("The rule repeats too often: at most %(max)d times in all.")
            % {"max": MAX_OCCURRENCES}
        )


def first_occurrence(rule_text: str, start: datetime) -> datetime:
    """Where a checked rule really begins: a start that the rule skips is not an occurrence."""
    if not rule_text:
        return start
    return next(iter(rrulestr("RRULE:" + rule_text, dtstart=start)))


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: datetime
    end: datetime

    @property
    def multi_day(self) -> bool:
        return (self.end - self.start) > timedelta(days=1)

    @property
    def last(self) -> datetime:
        """The last moment inside the occurrence: an all-day event ends before its midnight."""
        return self.end - timedelta(seconds=1) if self.event.all_day else self.end


def occurrences(event: Event, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """The event's occurrences that overlap [window_start, window_end), at most MAX_OCCURRENCES."""
    tz = ZoneInfo(event.time_zone)
    start = event.start.astimezone(tz)
    duration = event.end - event.start
    if not event.rrule:
        end = start + duration
        if start < window_end and (end > window_start or start >= window_start):
            return [Occurrence(event, start, end)]
        return []
    skipped = set(event.exdates or [])
    rule = rrulestr("RRULE:" + event.rrule, dtstart=start)
    found = []
    for begin in islice(rule.xafter(window_start - duration, inc=True), MAX_OCCURRENCES):
        if begin >= window_end:
            break
        if begin.date().isoformat() not in skipped:
            found.append(Occurrence(event, begin, begin + duration))
    return found


def occurrences_of(
    events: Iterable[Event], window_start: datetime, window_end: datetime
) -> list[Occurrence]:
    found = [o for event in events for o in occurrences(event, window_start, window_end)]
    found.sort(key=lambda o: (o.start, o.event.title, o.event.pk))
    return found


def exdates_clean(values: str | Iterable[object] | None) -> list[str]:
    """Exception dates as ISO dates, from a list or text with one date per line or comma."""
    if isinstance(values, str):
        values = values.replace(",", "\n").split()
    cleaned = []
    for value in values or []:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        except ValueError as error:
            raise ValidationError(
                {"exdates": _("Write exception dates as YYYY-MM-DD, one per line.")}
            ) from error
        if isinstance(day, datetime):
            day = day.date()
        day_check(day, "exdates")
        cleaned.append(day.isoformat())
    if len(cleaned) > MAX_OCCURRENCES:
        raise ValidationError({"exdates": _("Too many exception dates.")})
    return sorted(set(cleaned))
