"""Checks that every app's domain and forms share, so that a page, the API and an import refuse
the same input with the same message."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DAY_MIN = date(1900, 1, 1)
DAY_MAX = date(2199, 12, 31)


def day_in_range_message() -> str:
    return _("Use a date between the years %(first)d and %(last)d.") % {
        "first": DAY_MIN.year,
        "last": DAY_MAX.year,
    }


def day_check(value: date | datetime | None, field: str) -> None:
    """Refuse, at ``field``, a date or moment outside the years the calendar can count with."""
    if not isinstance(value, date):  # not a date at all: the caller's own check says so
        return
    day = value.date() if isinstance(value, datetime) else value
    if not DAY_MIN <= day <= DAY_MAX:
        raise ValidationError({field: day_in_range_message()})
