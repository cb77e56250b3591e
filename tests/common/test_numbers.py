"""Numbers are read and shown as each language writes them (common/numbers.py, the form field)."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from suhde.common.forms import LocalDecimalField
from suhde.common.numbers import format_decimal, format_quantity, has_percent, parse_decimal

NBSP = "\u00a0"


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("4,5", Decimal("4.5")),
        ("4.5", Decimal("4.5")),
        ("1 200", Decimal("1200")),
        (f"1{NBSP}200", Decimal("1200")),
        ("1\u202f200,25", Decimal("1200.25")),
        ("12 345 678", Decimal("12345678")),
        ("12,5 %", Decimal("12.5")),
        ("12,5%", Decimal("12.5")),
        ("−3,5", Decimal("-3.5")),
        ("-0,25", Decimal("-0.25")),
        (",5", Decimal("0.5")),
        ("  7  ", Decimal("7")),
    ],
)
def test_parse_decimal_reads_finnish_and_swedish(language, typed, value):
    assert parse_decimal(typed, language) == value


@pytest.mark.parametrize(
    "typed", ["4,5,6", "1,2.3", "12 5", "1234 567", "abc", "", "%", "-", "4,5e3", "1_000", "٣"]
)
def test_parse_decimal_refuses_what_is_not_a_finnish_number(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed, "fi")


@pytest.mark.parametrize(
    ("typed", "value"),
    [("4.5", Decimal("4.5")), ("1,200", Decimal("1200")), ("1,200.5", Decimal("1200.5"))],
)
def test_parse_decimal_reads_english(typed, value):
    assert parse_decimal(typed, "en") == value


@pytest.mark.parametrize("typed", ["4,5", "1,20", "1.200,5", "12,34,567"])
def test_parse_decimal_refuses_a_comma_that_is_no_thousands_separator_in_english(typed):
    # An English browser once read "4,5" as 45; now it is refused, never misread.
    with pytest.raises(ValueError):
        parse_decimal(typed, "en")


def test_has_percent():
    assert has_percent("12,5 %") and has_percent("12,5% ")
    assert not has_percent("12,5") and not has_percent(None)


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("fi", Decimal("7.00"), "7"),
        ("fi", Decimal("4.50"), "4,5"),
        ("fi", Decimal("1200.00"), f"1{NBSP}200"),
        ("fi", Decimal("1234567.25"), f"1{NBSP}234{NBSP}567,25"),
        ("sv", Decimal("12.5"), "12,5"),
        ("en", Decimal("1200.50"), "1,200.5"),
        ("en", Decimal("7.00"), "7"),
        ("fi", 2.0 / 3, "0,67"),
        ("fi", None, ""),
    ],
)
def test_format_decimal_rounds_to_what_the_value_means(language, value, shown):
    with translation.override(language):
        assert format_decimal(value) == shown


def test_format_quantity_puts_the_unit_after_a_no_break_space():
    with translation.override("fi"):
        assert format_quantity(Decimal("12.50"), "%") == f"12,5{NBSP}%"
        assert format_quantity(Decimal("7.00"), "nuorta") == f"7{NBSP}nuorta"
        assert format_quantity(Decimal("7.00"), "") == "7"
    with translation.override("en"):
        assert format_quantity(Decimal("12.50"), "%") == "12.5%"


class _Form(forms.Form):
    value = LocalDecimalField(max_digits=14, decimal_places=2, required=False)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("4,5", Decimal("4.5")), ("1 200", Decimal("1200")), ("12,5 %", Decimal("12.5"))],
)
def test_local_decimal_field_reads_finnish(typed, value):
    with translation.override("fi"):
        form = _Form({"value": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["value"] == value


def test_local_decimal_field_refuses_with_a_message_in_the_language():
    with translation.override("fi"):
        form = _Form({"value": "4,5,6"})
        assert not form.is_valid()
        assert form.errors["value"] == ["Kirjoita luku, esimerkiksi 4,5 tai 1 200."]
    with translation.override("en"):
        form = _Form({"value": "4,5"})
        assert form.errors["value"] == ["Write a number, for example 4.5 or 1,200."]


def test_local_decimal_field_keeps_its_limit_on_decimals():
    with translation.override("fi"):
        form = _Form({"value": "4,567"})
        assert not form.is_valid()


def test_local_decimal_field_is_a_text_field_that_shows_the_value_as_written():
    with translation.override("fi"):
        html = str(_Form(initial={"value": Decimal("1200.50")})["value"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert f'value="1{NBSP}200,5"' in html
    assert "step=" not in html
