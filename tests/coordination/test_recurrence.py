"""Correctness of repeating events: our feed, recurring_ical_events and dateutil agree."""

from datetime import datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError

from suhde.coordination import domain, ical
from suhde.coordination.models import Event
from suhde.coordination.recurrence import MAX_OCCURRENCES, occurrences
from tests.coordination.helpers import at, category, event

pytestmark = pytest.mark.django_db

# Helsinki moves to summer time on 29 March 2026 and back on 25 October 2026.
RULES = [
    ("FREQ=MONTHLY;BYDAY=2TU", at(2026, 1, 13, 17), 24),
    ("FREQ=WEEKLY;BYDAY=TU,TH", at(2026, 3, 3, 8, 30), 40),
    ("FREQ=DAILY;INTERVAL=3", at(2026, 3, 20, 2, 30), 30),
    ("FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU", at(2026, 3, 29, 12), 6),
    ("FREQ=MONTHLY;BYMONTHDAY=31", at(2026, 1, 31, 9), 10),
]


def _feed_occurrences(network, start, end) -> list[datetime]:
    content = ical.calendar_bytes(Event.objects.filter(network=network), name="test")
    calendar = icalendar.Calendar.from_ical(content)
    return sorted(o["DTSTART"].dt for o in recurring_ical_events.of(calendar).between(start, end))


@pytest.mark.parametrize(("rule", "start", "count"), RULES)
def test_feed_expansion_equals_dateutil_across_dst(world, rule, start, count):
    event(world.network, start=start, end=start + timedelta(hours=1), rrule=f"{rule};COUNT={count}")
    expected = list(rrulestr(f"RRULE:{rule};COUNT={count}", dtstart=start))
    found = _feed_occurrences(world.network, start - timedelta(days=1), at(2030, 1, 1))
    assert found == expected
    assert [d.utcoffset() for d in found] == [d.utcoffset() for d in expected]
    assert {d.hour for d in found} == {start.hour}


def test_feed_expansion_crosses_both_dst_changes_at_the_same_wall_time(world):
    event(
        world.network,
        start=at(2026, 1, 13, 17),
        end=at(2026, 1, 13, 18),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
    )
    found = _feed_occurrences(world.network, at(2026, 1, 1), at(2027, 1, 1))
    assert [d.date().isoformat() for d in found] == [
        "2026-01-13",
        "2026-02-10",
        "2026-03-10",
        "2026-04-14",
        "2026-05-12",
        "2026-06-09",
        "2026-07-14",
        "2026-08-11",
        "2026-09-08",
        "2026-10-13",
        "2026-11-10",
        "2026-12-08",
    ]
    assert [d.utcoffset().seconds // 3600 for d in found] == [2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2]


def test_our_expansion_equals_dateutil_and_skips_exceptions(world):
    item = event(
        world.network,
        start=at(2026, 1, 13, 17),
        end=at(2026, 1, 13, 18),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        exdates=["2026-04-14"],
    )
    ours = [o.start for o in occurrences(item, at(2026, 1, 1), at(2027, 1, 1))]
    theirs = [
        d
        for d in rrulestr("RRULE:FREQ=MONTHLY;BYDAY=2TU", dtstart=at(2026, 1, 13, 17)).between(
            at(2026, 1, 1), at(2027, 1, 1)
        )
    ]
    assert ours == [d for d in theirs if d.date().isoformat() != "2026-04-14"]
    assert _feed_occurrences(world.network, at(2026, 1, 1), at(2027, 1, 1)) == ours


def test_feed_parses_with_icalendar_and_carries_the_event(world):
    event(world.network, "Steering group", place="Town hall", description="Budget")
    calendar = icalendar.Calendar.from_ical(
        ical.calendar_bytes(Event.objects.filter(network=world.network), name="Core")
    )
    (component,) = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == "Steering group"
    assert str(component["LOCATION"]) == "Town hall"
    assert component["DTSTART"].dt == at(2026, 3, 10, 17)
    assert component["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert str(calendar["X-WR-CALNAME"]) == "Core"


def test_all_day_event_is_a_date_in_the_feed(world):
    event(
        world.network,
        "Report due",
        start=datetime(2026, 10, 30),
        end=datetime(2026, 10, 30),
        all_day=True,
    )
    calendar = icalendar.Calendar.from_ical(
        ical.calendar_bytes(Event.objects.filter(network=world.network), name="Core")
    )
    (component,) = calendar.walk("VEVENT")
    assert component["DTSTART"].to_ical() == b"20261030"
    assert component["DTEND"].to_ical() == b"20261031"


def test_start_moves_to_the_rules_first_occurrence(world):
    item = event(
        world.network,
        start=at(2026, 8, 1, 17),
        end=at(2026, 8, 1, 18),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
    )
    assert item.start == at(2026, 8, 11, 17)
    assert item.end == at(2026, 8, 11, 18)


def test_until_as_a_date_ends_the_series_on_that_day(world):
    item = event(
        world.network,
        start=at(2026, 1, 13, 17),
        end=at(2026, 1, 13, 18),
        rrule="FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260310",
    )
    assert item.rrule == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260310T215959Z"
    found = [o.start.date().isoformat() for o in occurrences(item, at(2026, 1, 1), at(2027, 1, 1))]
    assert found == ["2026-01-13", "2026-02-10", "2026-03-10"]


def test_open_ended_expansion_is_capped(world):
    item = event(world.network, start=at(2026, 1, 1, 9), end=at(2026, 1, 1, 10), rrule="FREQ=DAILY")
    found = occurrences(item, at(2026, 1, 1), at(2100, 1, 1))
    assert len(found) == MAX_OCCURRENCES


BAD_RULES = [
    (
        "FREQ=MONTHLY;BYDAY=XX",
        "The repeat rule is not valid: write it like FREQ=MONTHLY;BYDAY=2TU.",
    ),
    ("nonsense", "The repeat rule is not valid: write it like FREQ=MONTHLY;BYDAY=2TU."),
    ("FREQ=SECONDLY", "The rule must repeat daily, weekly, monthly or yearly (FREQ)."),
    ("FREQ=DAILY;COUNT=5000000", "COUNT must be a whole number from 1 to 1000."),
    ("FREQ=DAILY;UNTIL=99991231", "The rule repeats too often: at most 1000 times in all."),
    ("FREQ=DAILY;BYHOUR=1,2,3", "The repeat rule part BYHOUR is not supported here."),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "The repeat rule never happens."),
    ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "Give either COUNT or UNTIL, not both."),
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be a whole number from 1 to 366."),
]


@pytest.mark.parametrize(("rule", "message"), BAD_RULES)
def test_bad_rule_is_refused_at_its_field_and_nothing_is_saved(world, rule, message):
    with pytest.raises(ValidationError) as caught:
        event(world.network, rrule=rule)
    assert caught.value.message_dict == {"rrule": [message]}
    assert Event.objects.count() == 0


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        event(world.network, start=at(2026, 3, 10, 17), end=at(2026, 3, 10, 16))
    assert caught.value.message_dict == {"end": ["The end cannot be before the start."]}
    assert Event.objects.count() == 0


def test_unknown_time_zone_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        event(world.network, timezone="Mars/Olympus")
    assert caught.value.message_dict == {"timezone": ["Unknown time zone."]}


def test_category_of_another_network_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        event(world.network, category=category(world.other))
    assert caught.value.message_dict == {"category": ["Choose a category of this network's clock."]}


def test_responsible_must_be_in_the_network(world):
    with pytest.raises(ValidationError) as caught:
        event(world.network, responsible=world.other_person)
    assert caught.value.message_dict == {"responsible": ["Choose a member of this network."]}


def test_upsert_for_keeps_one_event_per_source_and_remove_takes_it_off(world):
    first = domain.event_upsert_for(
        source_kind="survey_wave",
        source_id="7",
        network=world.network,
        title="Survey",
        start=at(2026, 9, 14),
        end=at(2026, 10, 2),
        category_key="surveys",
        all_day=True,
    )
    again = domain.event_upsert_for(
        source_kind="survey_wave",
        source_id="7",
        network=world.network,
        title="Survey, moved",
        start=at(2026, 9, 21),
        end=at(2026, 10, 9),
        category_key="surveys",
        all_day=True,
    )
    assert again.pk == first.pk
    assert Event.objects.get().title == "Survey, moved"
    assert Event.objects.get().category.key == "surveys"
    assert domain.event_remove_for(source_kind="survey_wave", source_id="7") == 1
    assert Event.objects.count() == 0


def test_upsert_for_an_unknown_category_key_makes_the_ring(world):
    item = domain.event_upsert_for(
        source_kind="meeting",
        source_id="3",
        network=world.network,
        title="Workshop",
        start=at(2026, 9, 1, 9),
        end=at(2026, 9, 1, 12),
        category_key="workshops",
    )
    assert item.category.key == "workshops"
    assert item.category.label == "workshops"


def test_all_day_series_ends_on_a_date_in_the_feed(world):
    event(
        world.network,
        "Grant round",
        start=datetime(2026, 1, 12),
        end=datetime(2026, 1, 12),
        all_day=True,
        rrule="FREQ=WEEKLY;UNTIL=20260202",
    )
    content = ical.calendar_bytes(Event.objects.filter(network=world.network), name="Core")
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20260202\r\n" in content
    calendar = icalendar.Calendar.from_ical(content)
    found = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2026, 3, 1))
    assert [o["DTSTART"].dt.isoformat() for o in found] == [
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=2TU;BYMONTHDAY=1",
        "FREQ=DAILY;INTERVAL=5;BYMONTH=2;BYMONTHDAY=30",
    ],
)
def test_a_rule_that_never_happens_is_refused(world, rule):
    with pytest.raises(ValidationError) as caught:
        event(world.network, rrule=rule)
    assert caught.value.message_dict == {"rrule": ["The repeat rule never happens."]}


def test_a_leap_day_rule_is_kept(world):
    item = event(
        world.network,
        start=at(2028, 2, 29, 9),
        end=at(2028, 2, 29, 10),
        rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3",
    )
    found = [o.start.year for o in occurrences(item, at(2028, 1, 1), at(2040, 1, 1))]
    assert found == [2028, 2032, 2036]
