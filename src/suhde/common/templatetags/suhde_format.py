"""Numbers and dates in the reader's language; a builtin, so every template has them."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from suhde.common.formats import extra_format
from suhde.common.numbers import format_decimal, format_quantity

register = template.Library()


@register.filter
def number(value: Decimal | float | None, places: int | str = 2) -> str:
    """``{{ value|number }}``: "4,5", "1 200", "7" — rounded, grouped, no trailing zeros."""
    return format_decimal(value, int(places))


@register.filter
def quantity(value: Decimal | float | None, unit: str | None = "") -> str:
    """``{{ value|quantity:indicator.unit }}``: "12,5 %", "7 nuorta"."""
    return format_quantity(value, unit or "")


@register.filter(expects_localtime=True)
def weekday_date(value: date | str | None) -> str:
    """``{{ day|weekday_date }}``: "ti 14.7.2026", "tis 14 jul 2026", "Tue 14 Jul 2026"."""
    if value is None or value == "":
        return ""
    return date_format(value, extra_format("WEEKDAY_DATE_FORMAT"))


@register.filter(expects_localtime=True)
def days_from_today(value: date | str | None) -> int | None:
    """Days from today (local time) to a date: negative when it has passed; None without one."""
    if not isinstance(value, date):  # None, or "" for a missing template variable
        return None
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return (value - timezone.localdate()).days
