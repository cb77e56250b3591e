"""Repeat rules are read in words in every language, never as FREQ=MONTHLY;BYDAY=2TU."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from suhde.coordination.repeat_words import rule_words
from tests.coordination.helpers import event

HELSINKI = ZoneInfo("Europe/Helsinki")
TUESDAY = datetime(2026, 9, 8, 17, 0, tzinfo=HELSINKI)  # the second Tuesday of September


@pytest.mark.parametrize(
    ("rule", "fi", "sv", "en"),
    [
        (
            "FREQ=MONTHLY;BYDAY=2TU",
            "kuukauden toinen tiistai",
            "andra tisdagen varje månad",
            "the second Tuesday of every month",
        ),
        (
            "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1",
            "kuukauden viimeinen tiistai",
            "sista tisdagen varje månad",
            "the last Tuesday of every month",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
            "joka toisen kuukauden ensimmäinen maanantai",
            "första måndagen varannan månad",
            "the first Monday of every other month",
        ),
        (
            "FREQ=WEEKLY",
            "joka viikko tiistaisin",
            "varje vecka på tisdagar",
            "every week on Tuesdays",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
            "joka toinen viikko maanantaisin ja keskiviikkoisin",
            "varannan vecka på måndagar och onsdagar",
            "every other week on Mondays and Wednesdays",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=3",
            "3 viikon välein tiistaisin",
            "var 3:e vecka på tisdagar",
            "every 3 weeks on Tuesdays",
        ),
        ("FREQ=DAILY", "joka päivä", "varje dag", "every day"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=15",
            "kuukauden 15. päivä",
            "den 15 i varje månad",
            "on day 15 of every month",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "kuukauden viimeinen päivä",
            "den sista dagen i varje månad",
            "on the last day of every month",
        ),
        (
            "FREQ=YEARLY",
            "joka vuosi 8. syyskuuta",
            "varje år den 8 september",
            "every year on 8 September",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
            "kuukauden toinen tiistai, yhteensä 6 kertaa",
            "andra tisdagen varje månad, 6 gånger sammanlagt",
            "the second Tuesday of every month, 6 times in all",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270630T205959Z",
            "kuukauden toinen tiistai, 30.6.2027 asti",
            "andra tisdagen varje månad, till och med 2027-06-30",
            "the second Tuesday of every month, until 30 Jun 2027",
        ),
    ],
)
def test_rule_in_words(rule, fi, sv, en):
    for language, expected in (("fi", fi), ("sv", sv), ("en", en)):
        with translation.override(language):
            assert rule_words(rule, TUESDAY) == expected


def test_an_unusual_rule_says_so_in_words():
    with translation.override("fi"):
        words = rule_words("FREQ=YEARLY;BYMONTH=9;BYDAY=1MO", TUESDAY)
    assert "FREQ" not in words
    assert words == "toistuu oman sääntönsä mukaan (katso tapahtuman lomake)"


@pytest.mark.django_db
def test_event_page_shows_the_rule_in_words(client, world):
    meeting = event(
        world.network, start=TUESDAY, end=TUESDAY.replace(hour=18), rrule="FREQ=MONTHLY;BYDAY=2TU"
    )
    client.force_login(world.member)
    client.cookies["django_language"] = "fi"
    body = client.get(reverse("coordination:event", args=["core", meeting.pk])).content.decode()
    assert "Kuukauden toinen tiistai" in body
    assert "FREQ=" not in body
