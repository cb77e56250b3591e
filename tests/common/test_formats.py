"""Dates in each language: English without a country's numeric order, Swedish months lowercase,
Finnish days of a month in the partitive."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

DAY = date(2026, 7, 14)


@pytest.mark.parametrize(
    ("language", "short", "weekday", "month_day"),
    [
        ("fi", "14.7.2026", "ti 14.7.2026", "14. heinäkuuta"),
        ("sv", "2026-07-14", "tis 14 jul 2026", "14 juli"),
        ("en", "14 Jul 2026", "Tue 14 Jul 2026", "14 July"),
    ],
)
def test_dates_in_each_language(language, short, weekday, month_day):
    with translation.override(language):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(DAY, "MONTH_DAY_FORMAT") == month_day
        assert Template("{{ day|weekday_date }}").render(Context({"day": DAY})) == weekday


def test_weekday_date_reads_an_aware_time_in_local_time():
    # 22:30 UTC on Monday is already Tuesday in Helsinki.
    moment = datetime(2026, 7, 13, 22, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("fi"):
        text = Template("{{ at|weekday_date }}").render(Context({"at": moment}))
    assert text == "ti 14.7.2026"


def test_english_never_writes_a_us_date():
    with translation.override("en"):
        text = date_format(datetime(2026, 12, 7, 17, 5), "SHORT_DATETIME_FORMAT")
    assert text == "7 Dec 2026, 17:05"
