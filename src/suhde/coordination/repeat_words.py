"""A repeat rule in words: "kuukauden toinen tiistai", "varannan vecka på tisdagar".

The rules are RFC 5545 RRULEs (``recurrence.py``); nobody should have to read
``FREQ=MONTHLY;BYDAY=2TU``. The common shapes — the ones the event form offers and most calendar
programs write — are put into words here, in the reader's language. A rule of another shape
says so in words, and the form still shows the rule itself to whoever edits it.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NTH_DAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _weekdays_plural(code: str) -> str:
    """The weekday as in "every week on Tuesdays" (fi "tiistaisin", sv "tisdagar")."""
    return {
        "MO": pgettext("every week on …", "Mondays"),
        "TU": pgettext("every week on …", "Tuesdays"),
        "WE": pgettext("every week on …", "Wednesdays"),
        "TH": pgettext("every week on …", "Thursdays"),
        "FR": pgettext("every week on …", "Fridays"),
        "SA": pgettext("every week on …", "Saturdays"),
        "SU": pgettext("every week on …", "Sundays"),
    }[code]


def _weekday(code: str) -> str:
    """The weekday as in "the second Tuesday of every month" (fi "tiistai", sv "tisdagen")."""
    return {
        "MO": pgettext("the second … of every month", "Monday"),
        "TU": pgettext("the second … of every month", "Tuesday"),
        "WE": pgettext("the second … of every month", "Wednesday"),
        "TH": pgettext("the second … of every month", "Thursday"),
        "FR": pgettext("the second … of every month", "Friday"),
        "SA": pgettext("the second … of every month", "Saturday"),
        "SU": pgettext("the second … of every month", "Sunday"),
    }[code]


def _ordinal(number: int) -> str | None:
    return {
        1: pgettext("the … Tuesday of every month", "first"),
        2: pgettext("the … Tuesday of every month", "second"),
        3: pgettext("the … Tuesday of every month", "third"),
        4: pgettext("the … Tuesday of every month", "fourth"),
        5: pgettext("the … Tuesday of every month", "fifth"),
        -1: pgettext("the … Tuesday of every month", "last"),
        -2: pgettext("the … Tuesday of every month", "second to last"),
    }.get(number)


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _every(interval: int, one: str, other: str, many: str) -> str:
    """The wording for every time, every other time or every n-th time; the caller fills it."""
    if interval == 1:
        return one
    if interval == 2:
        return other
    return many


def _daily(interval: int, parts: dict, start: datetime) -> str | None:
    if set(parts) - {"FREQ", "INTERVAL"}:
        return None
    return _every(interval, _("every day"), _("every other day"), _("every %(n)s days")) % {
        "n": interval
    }


def _weekly(interval: int, parts: dict, start: datetime) -> str | None:
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY"}:
        return None
    codes = parts["BYDAY"].split(",") if "BYDAY" in parts else [DAYS[start.weekday()]]
    if not all(code in DAYS for code in codes):
        return None
    days = _and([_weekdays_plural(code) for code in sorted(codes, key=DAYS.index)])
    return _every(
        interval,
        _("every week on %(days)s"),
        _("every other week on %(days)s"),
        _("every %(n)s weeks on %(days)s"),
    ) % {"days": days, "n": interval}


def _nth_weekdays(parts: dict) -> list[str] | None:
    """ "second Tuesday" for 2TU, or for BYDAY=TU;BYSETPOS=2 as calendar programs also write."""
    codes = parts["BYDAY"].split(",")
    if "BYSETPOS" in parts:
        if len(codes) != 1 or not re.fullmatch(r"[+-]?\d", parts["BYSETPOS"]):
            return None
        codes = [parts["BYSETPOS"] + codes[0]]
    found = []
    for code in codes:
        match = NTH_DAY.match(code)
        ordinal = _ordinal(int(match.group(1))) if match and match.group(1) else None
        if match is None or ordinal is None:
            return None
        found.append(
            pgettext("second Tuesday", "%(ordinal)s %(weekday)s")
            % {"ordinal": ordinal, "weekday": _weekday(match.group(2))}
        )
    return found


def _month_days(parts: dict, start: datetime) -> list[str] | None:
    values = parts.get("BYMONTHDAY", str(start.day)).split(",")
    if not all(value.isdigit() and 1 <= int(value) <= 31 for value in values):
        return None
    return [pgettext("day of the month", "%(day)s") % {"day": int(v)} for v in values]


def _monthly(interval: int, parts: dict, start: datetime) -> str | None:
    if "BYDAY" in parts and set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS"}:
        days = _nth_weekdays(parts)
        if days is None:
            return None
        return _every(
            interval,
            _("the %(days)s of every month"),
            _("the %(days)s of every other month"),
            _("the %(days)s every %(n)s months"),
        ) % {"days": _and(days), "n": interval}
    if set(parts) - {"FREQ", "INTERVAL", "BYMONTHDAY"}:
        return None
    if parts.get("BYMONTHDAY") == "-1":
        return _every(
            interval,
            _("on the last day of every month"),
            _("on the last day of every other month"),
            _("on the last day every %(n)s months"),
        ) % {"n": interval}
    days = _month_days(parts, start)
    if days is None:
        return None
    return _every(
        interval,
        ngettext("on day %(days)s of every month", "on days %(days)s of every month", len(days)),
        ngettext(
            "on day %(days)s of every other month",
            "on days %(days)s of every other month",
            len(days),
        ),
        ngettext(
            "on day %(days)s every %(n)s months", "on days %(days)s every %(n)s months", len(days)
        ),
    ) % {"days": _and(days), "n": interval}


def _yearly(interval: int, parts: dict, start: datetime) -> str | None:
    if set(parts) - {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY"}:
        return None
    if parts.get("BYMONTH", str(start.month)) != str(start.month):
        return None
    if parts.get("BYMONTHDAY", str(start.day)) != str(start.day):
        return None
    day = date_format(start, "MONTH_DAY_FORMAT")
    return _every(
        interval,
        _("every year on %(date)s"),
        _("every other year on %(date)s"),
        _("every %(n)s years on %(date)s"),
    ) % {"date": day, "n": interval}


def _until(value: str, tz: tzinfo) -> str | None:
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d").date()
        else:
            moment = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
            day = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
    except ValueError:
        return None
    return _("until %(date)s") % {"date": date_format(day, "SHORT_DATE_FORMAT")}


def rule_words(rule: str, start: datetime) -> str:
    """The rule in the active language; ``start`` is the event's first start, in its own zone."""
    if not rule:
        return ""
    parts = dict(item.partition("=")[::2] for item in rule.split(";") if "=" in item)
    parts.pop("WKST", None)
    ending = {key: parts.pop(key) for key in ("COUNT", "UNTIL") if key in parts}
    interval = int(parts.pop("INTERVAL", "1") or 1)
    describe = {"DAILY": _daily, "WEEKLY": _weekly, "MONTHLY": _monthly, "YEARLY": _yearly}
    words = describe.get(parts.get("FREQ", ""), lambda *args: None)(interval, parts, start)
    if words is None:
        return _("repeats by a rule of its own (see the event's form)")
    if "COUNT" in ending and ending["COUNT"].isdigit():
        count = int(ending["COUNT"])
        words += ", " + ngettext("%(count)s time in all", "%(count)s times in all", count) % {
            "count": count
        }
    if "UNTIL" in ending:
        until = _until(ending["UNTIL"], start.tzinfo or timezone.get_current_timezone())
        if until:
            words += ", " + until
    return words
