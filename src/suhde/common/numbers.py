"""Numbers as people write them in their own language, read from forms and shown on pages.

A Finnish or Swedish coordinator types "4,5", "1 200" (often with a non-breaking space copied
from a document) or "12,5 %"; an English one "4.5" or "1,200". The browser's number field gets
this wrong ("4,5" became 45 in an English browser), so decimal fields are text fields read here.

What is shown is rounded to what it means: a count of young people entered as 7 is "7", not
"7,00", and groups of thousands are separated as the language does ("1 200", "1,200").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language

# Any run of spaces separates thousands: space, no-break space, narrow and thin spaces.
SPACES = re.compile(r"\s+")
DIGITS = re.compile(r"[0-9]+")
MINUS = "\u2212"


def has_percent(text: object) -> bool:
    """Whether what was typed ends in a percent sign ("12,5 %")."""
    return isinstance(text, str) and text.strip().endswith("%")


def _integer_part(text: str, comma_groups: bool) -> str:
    """The digits of the part before the decimal mark; groups of three after the first."""
    separators = r"(?:\s+|,)" if comma_groups else r"\s+"
    groups = re.split(separators, text)
    if not all(DIGITS.fullmatch(group) for group in groups):
        raise ValueError(text)
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(text)
    return "".join(groups)


def parse_decimal(text: str, language: str | None = None) -> Decimal:
    """Read a number as typed in ``language`` (default: the active one). ValueError if not one.

    In Finnish and Swedish the decimal mark is a comma, and a point is accepted too (keyboards
    and copied figures); thousands are separated by spaces. In English the point is the decimal
    mark and a comma only separates thousands, so "4,5" is refused rather than read as 45.
    A trailing percent sign is allowed (``has_percent`` tells the caller it was there).
    """
    value = text.strip().replace(MINUS, "-")
    if value.endswith("%"):
        value = value[:-1].rstrip()
    sign = ""
    if value[:1] in ("-", "+"):
        sign, value = value[:1].replace("+", ""), value[1:].lstrip()
    english = (language or get_language() or "").startswith("en")
    marks = "." if english else ",."
    positions = [i for i, char in enumerate(value) if char in marks]
    if len(positions) > 1:
        raise ValueError(text)
    whole, fraction = (
        (value[: positions[0]], value[positions[0] + 1 :]) if positions else (value, "")
    )
    if fraction and not DIGITS.fullmatch(fraction):
        raise ValueError(text)
    if not whole and not fraction:
        raise ValueError(text)
    digits = _integer_part(whole, comma_groups=english) if whole else "0"
    try:
        number = Decimal(f"{sign}{digits}.{fraction or '0'}")
    except InvalidOperation:
        raise ValueError(text) from None
    return number


def format_decimal(value: Decimal | float | None, places: int = 2, grouping: bool = True) -> str:
    """A number in the active language, rounded to ``places`` and without trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    exponent = number.normalize().as_tuple().exponent
    shown = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=shown, use_l10n=True, force_grouping=grouping)


def format_quantity(value: Decimal | float | None, unit: str = "", places: int = 2) -> str:
    """A value with its unit: "12,5 %", "7 nuorta"; a no-break space keeps them together."""
    text = format_decimal(value, places)
    if not text or not unit:
        return text
    if unit == "%" and (get_language() or "").startswith("en"):
        return f"{text}%"
    return f"{text}\u00a0{unit}"

