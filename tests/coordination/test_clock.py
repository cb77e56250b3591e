"""The annual clock's pages: the wheel, the list, the month, adding, importing, categories."""

from datetime import date
from unittest.mock import patch

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from suhde.coordination import domain
from suhde.coordination.models import AnnualClock, Category, Event
from suhde.coordination.queries import YearWindow, year_for
from tests.coordination.helpers import at, category, event
from tests.factories import NetworkFactory, member_user
from tests.jobs_helpers import job_file

pytestmark = pytest.mark.django_db


def _clock(client, world, **params):
    client.force_login(world.coordinator)
    return client.get(reverse("coordination:clock", args=["core"]), params)


def test_clock_shows_each_occurrence_on_the_wheel_and_in_the_list(client, world):
    event(world.network, "Steering group", rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=3")
    response = _clock(client, world, year="2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="clock-mark"') == 3
    assert 'aria-label="Steering group, 10 Mar 2026 17:00 (network meetings)"' in html
    assert 'aria-label="Steering group, 12 May 2026 17:00 (network meetings)"' in html
    assert html.count("<td><a href=") == 3  # the list, the accessible alternative
    assert "style=" not in html


def test_clock_draws_a_ring_per_category_and_marks_today(client, world):
    response = _clock(client, world)
    rings = response.context["wheel"].rings
    assert [ring.label for ring in rings] == [
        "network meetings",
        "steering group",
        "surveys",
        "reporting deadlines",
        "theme networks",
        "home organizations' budget cycles",
    ]
    assert response.context["wheel"].today is not None
    assert 'class="clock-today"' in response.content.decode()


def test_clock_year_may_start_in_august(client, world):
    domain.clock_update(network=world.network, start_month=8)
    event(world.network, "Kick-off", start=at(2026, 8, 11, 9), end=at(2026, 8, 11, 10))
    event(world.network, "Spring", start=at(2027, 5, 11, 9), end=at(2027, 5, 11, 10))
    event(world.network, "Too early", start=at(2026, 7, 30, 9), end=at(2026, 7, 30, 10))
    response = _clock(client, world, year="2026")
    titles = [o.event.title for o in response.context["occurrences"]]
    assert titles == ["Kick-off", "Spring"]
    assert response.context["window"].label == "2026–2027"
    assert [m.label for m in response.context["wheel"].months][:2] == ["Aug", "Sep"]


def test_year_window_holds_today():
    assert year_for(8, None, today=date(2026, 7, 31)) == YearWindow(2025, 8)
    assert year_for(8, None, today=date(2026, 8, 1)) == YearWindow(2026, 8)
    assert year_for(1, "not a year", today=date(2026, 8, 1)) == YearWindow(2026, 1)


def test_long_events_are_arcs_and_short_ones_dots(client, world):
    event(world.network, "Survey wave", start=at(2026, 9, 14), end=at(2026, 10, 2), all_day=True)
    event(world.network, "Meeting")
    marks = [
        m for ring in _clock(client, world, year="2026").context["wheel"].rings for m in ring.marks
    ]
    assert sorted((m.event.title, m.arc) for m in marks) == [
        ("Meeting", False),
        ("Survey wave", True),
    ]


def test_month_view_places_events_on_their_days(client, world):
    event(world.network, "Meeting")
    response = _clock(client, world, year="2026", month="2026-03")
    days = {cell.day: cell for week in response.context["weeks"] for cell in week}
    assert [o.event.title for o in days[date(2026, 3, 10)].occurrences] == ["Meeting"]
    assert days[date(2026, 3, 11)].occurrences == []
    assert response.context["weeks"][0][0].day == date(2026, 2, 23)


def test_core_clock_shows_theme_networks_as_extra_rings(client, world):
    theme = NetworkFactory(name="Housing", slug="housing", parent=world.network)
    event(theme, "Housing meeting")
    rings = _clock(client, world, year="2026").context["rings"]
    assert rings[-1].label == "Housing"
    assert [o.event.title for o in rings[-1].occurrences] == ["Housing meeting"]


def test_theme_ring_is_hidden_from_who_cannot_see_the_theme_network(client, world):
    theme = NetworkFactory(name="Housing", slug="housing", parent=world.network)
    event(theme, "Housing meeting")
    client.force_login(world.member)
    response = client.get(reverse("coordination:clock", args=["core"]), {"year": "2026"})
    assert [ring.label for ring in response.context["rings"]][
        -1
    ] == "home organizations' budget cycles"
    assert "Housing meeting" not in response.content.decode()


def _form(**fields):
    data = {
        "title": "Monthly meeting",
        "category": "",
        "start_date": "2026-09-08",
        "start_time": "17:00",
        "end_time": "18:30",
        "timezone": "Europe/Helsinki",
        "repeat": "monthly_nth",
    }
    data.update(fields)
    return data


def test_add_a_monthly_meeting_on_the_second_tuesday(client, world):
    client.force_login(world.coordinator)
    meetings = category(world.network)
    response = client.post(
        reverse("coordination:event_create", args=["core"]), _form(category=meetings.pk)
    )
    item = Event.objects.get()
    assert response.status_code == 302
    assert item.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert item.start == at(2026, 9, 8, 17)
    assert item.end == at(2026, 9, 8, 18, 30)
    assert item.time_zone == "Europe/Helsinki"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"repeat": "custom", "rrule": "FREQ=HOURLY"},
            "rrule",
            "The rule must repeat daily, weekly, monthly or yearly (FREQ).",
        ),
        ({"end_date": "2026-09-07"}, "end", None),
        (
            {"repeat": "custom", "rrule": "FREQ=DAILY;COUNT=9999999"},
            "rrule",
            "COUNT must be a whole number from 1 to 1000.",
        ),
        ({"timezone": "Nowhere/Land"}, "timezone", "Unknown time zone."),
        ({"start_time": ""}, "start_time", "Give a start time, or mark the event all day."),
        (
            {"exdates": "next tuesday"},
            "exdates",
            "Write exception dates as YYYY-MM-DD, one per line.",
        ),
    ],
)
def test_bad_event_form_shows_the_message_at_its_field_and_saves_nothing(
    client, world, fields, field, message
):
    client.force_login(world.coordinator)
    data = _form(category=category(world.network).pk, **fields)
    response = client.post(reverse("coordination:event_create", args=["core"]), data)
    assert response.status_code == 400
    form = response.context["form"]
    if field == "end":  # the form has no "end" field: the message goes on top of the form
        assert form.non_field_errors() == ["The end cannot be before the start."]
    else:
        assert form.errors[field] == [message]
    assert Event.objects.count() == 0


def test_edit_keeps_the_rule_and_exceptions(client, world):
    item = event(world.network, rrule="FREQ=MONTHLY;BYDAY=2TU")
    client.force_login(world.coordinator)
    url = reverse("coordination:event_edit", args=["core", item.pk])
    form = client.get(url).context["form"]
    data = {key: form[key].value() for key in form.fields}
    data = {
        key: ("" if value is None else value) for key, value in data.items() if value is not False
    }
    data["exdates"] = "2026-04-14"
    data["title"] = "Renamed"
    response = client.post(url, data)
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.title, item.rrule, item.exdates) == (
        "Renamed",
        "FREQ=MONTHLY;BYDAY=2TU",
        ["2026-04-14"],
    )
    assert item.start == at(2026, 3, 10, 17)


def test_event_page_lists_the_next_times_and_offers_the_ics(client, world):
    item = event(
        world.network,
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        start=at(2030, 1, 8, 17),
        end=at(2030, 1, 8, 18),
    )
    client.force_login(world.member)
    response = client.get(reverse("coordination:event", args=["core", item.pk]))
    assert [o.start for o in response.context["next"]][:2] == [
        at(2030, 1, 8, 17),
        at(2030, 2, 12, 17),
    ]
    download = client.get(reverse("coordination:event_ics", args=["core", item.pk]))
    assert download["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"RRULE:FREQ=MONTHLY;BYDAY=2TU" in download.content


def test_delete_event(client, world):
    item = event(world.network)
    client.force_login(world.coordinator)
    client.post(reverse("coordination:event_delete", args=["core", item.pk]))
    assert Event.objects.count() == 0


# --- settings and categories -------------------------------------------------------------------


def test_settings_change_the_clock(client, world):
    client.force_login(world.coordinator)
    data = {"start_month": "8", "stale_months": "6", "reminder_days": "3"}
    response = client.post(reverse("coordination:settings", args=["core"]), data)
    clock = AnnualClock.objects.get(network=world.network)
    assert response.status_code == 302
    assert (
        clock.start_month,
        clock.stale_months,
        clock.reminder_days,
        clock.show_theme_networks,
    ) == (8, 6, 3, False)


def test_categories_are_editable(client, world):
    client.force_login(world.coordinator)
    meetings = category(world.network)
    client.post(
        reverse("coordination:category_edit", args=["core", meetings.pk]),
        {"name": "Verkostopalaverit", "colour": "2", "order": "0"},
    )
    client.post(
        reverse("coordination:category_create", args=["core"]),
        {"category-name": "Festivals", "category-colour": "4", "category-order": "9"},
    )
    labels = [
        c.label for c in Category.objects.filter(network=world.network).order_by("order", "id")
    ]
    assert labels[0] == "Verkostopalaverit"
    assert labels[-1] == "Festivals"
    assert Category.objects.get(name="Festivals").key == "festivals"


def test_a_category_with_events_is_not_deleted(client, world):
    item = event(world.network)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("coordination:category_delete", args=["core", item.category_id]), follow=True
    )
    assert Category.objects.filter(pk=item.category_id).exists()
    assert (
        "Move or delete this category&#x27;s events before deleting it."
        in response.content.decode()
    )


# --- import -------------------------------------------------------------------------------------

GOOD_ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
X-WR-CALNAME:Outlook\r
BEGIN:VEVENT\r
UID:a@test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Imported meeting\r
DTSTART;TZID=Europe/Helsinki:20260113T170000\r
DTEND;TZID=Europe/Helsinki:20260113T180000\r
RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=5\r
EXDATE;TZID=Europe/Helsinki:20260210T170000\r
ATTENDEE:mailto:someone@example.org\r
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER:-PT15M\r
END:VALARM\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY:Report day\r
DTSTART;VALUE=DATE:20261030\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _import(client, world, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("calendar.ics", content, content_type="text/calendar")
    data = {"file": upload, "category": category(world.network).pk}
    return client.post(reverse("coordination:import", args=["core"]), data, follow=True)


def test_import_reads_events_and_reports_what_it_skipped(client, world):
    response = _import(client, world, GOOD_ICS)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "2 events were imported.",
        "These parts of the file were skipped: "
        "VALARM, VEVENT ATTENDEE, VEVENT X-MICROSOFT-CDO-BUSYSTATUS.",
    ]
    meeting, report = Event.objects.order_by("start")
    assert (meeting.title, meeting.rrule, meeting.exdates) == (
        "Imported meeting",
        "FREQ=MONTHLY;COUNT=5;BYDAY=2TU",
        ["2026-02-10"],
    )
    assert meeting.start == at(2026, 1, 13, 17)
    assert (report.title, report.all_day, report.start, report.end) == (
        "Report day",
        True,
        at(2026, 10, 30),
        at(2026, 10, 31),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a calendar", "This is not a valid iCalendar (.ics) file."),
        (b"\xff\xfe\x00garbage", "This is not a valid iCalendar (.ics) file."),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026xx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "Event 1 has an unreadable property DTSTART.",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "Event 1 has no start (DTSTART).",
        ),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "The file has no events."),
        (
            GOOD_ICS.replace(
                b"SUMMARY:Report day\r\n", b"SUMMARY:Report day\r\nRRULE:FREQ=MINUTELY\r\n"
            ),
            "Event 2 (Report day): The rule must repeat daily, weekly, monthly or yearly (FREQ).",
        ),
    ],
)
def test_corrupt_ics_gives_a_clear_message_and_imports_nothing(client, world, content, message):
    response = _import(client, world, content)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert Event.objects.count() == 0


def test_too_large_ics_is_refused(client, world):
    response = _import(client, world, GOOD_ICS + b"X" * 1_000_001)
    assert response.context["form"].errors["file"] == ["The file is too large: at most 1 MB."]


def test_member_without_role_cannot_add(client, world):
    client.force_login(world.member)
    response = client.post(reverse("coordination:event_create", args=["core"]), _form())
    assert response.status_code == 403
    assert Event.objects.count() == 0


def test_facilitator_may_add_events(client, world):
    from suhde.networks.models import Role

    facilitator = member_user(world.network, Role.FACILITATOR, username="fac")
    client.force_login(facilitator)
    response = client.post(
        reverse("coordination:event_create", args=["core"]),
        _form(category=category(world.network).pk),
    )
    assert response.status_code == 302
    assert Event.objects.count() == 1


# --- an event on several networks' clocks -------------------------------------------------------


def _shared(world):
    """A coordinator of two networks shares a meeting of one with the other."""
    from suhde.networks.models import Membership, Role

    Membership.objects.create(
        person=world.coordinator.person, network=world.other, role=Role.COORDINATOR
    )
    item = event(world.network, "Joint meeting")
    domain.event_update(event=item, shared_with=[world.other])
    return item


def test_a_shared_event_is_on_both_clocks_and_opens_where_the_viewer_is(client, world):
    item = _shared(world)
    client.force_login(world.outsider)  # coordinator of the other network only
    response = client.get(reverse("coordination:clock", args=["elsewhere"]), {"year": "2026"})
    assert [o.event.title for o in response.context["occurrences"]] == ["Joint meeting"]
    assert [len(r.occurrences) for r in response.context["rings"]] == [1, 0, 0, 0, 0, 0]
    link = reverse("coordination:event", args=["elsewhere", item.pk])
    assert f'href="{link}"' in response.content.decode()
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert (
        client.get(reverse("coordination:event_edit", args=["elsewhere", item.pk])).status_code
        == 404
    )
    assert client.get(reverse("coordination:event", args=["core", item.pk])).status_code == 404


def test_the_form_offers_only_networks_the_user_facilitates(client, world):
    from suhde.networks.models import Membership, Role

    Membership.objects.create(
        person=world.coordinator.person, network=world.other, role=Role.MEMBER
    )
    client.force_login(world.coordinator)
    form = client.get(reverse("coordination:event_create", args=["core"])).context["form"]
    assert "shared_with" not in form.fields
    Membership.objects.filter(person=world.coordinator.person, network=world.other).update(
        role=Role.FACILITATOR
    )
    form = client.get(reverse("coordination:event_create", args=["core"])).context["form"]
    assert list(form.fields["shared_with"].queryset) == [world.other]


def test_sharing_with_the_own_network_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        event(world.network, shared_with=[world.network])
    assert caught.value.message_dict == {
        "shared_with": ["The event is already on this network's own clock."]
    }
    assert Event.objects.count() == 0


def test_an_all_day_event_over_several_days_from_the_form(client, world):
    client.force_login(world.coordinator)
    data = _form(
        category=category(world.network, "surveys").pk,
        title="Survey wave",
        all_day="on",
        start_time="",
        end_time="",
        start_date="2026-09-14",
        end_date="2026-10-02",
        repeat="",
    )
    response = client.post(reverse("coordination:event_create", args=["core"]), data)
    item = Event.objects.get()
    assert response.status_code == 302
    assert (item.all_day, item.start, item.end) == (True, at(2026, 9, 14), at(2026, 10, 3))
    page = client.get(reverse("coordination:event", args=["core", item.pk])).content.decode()
    assert "Mon 14 Sep 2026 – Fri 2 Oct 2026 (all day)" in page


def test_clock_pdf_holds_the_wheel_and_the_list(client, world):
    event(world.network, "Steering group", rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=3")
    client.force_login(world.member)
    url = reverse("coordination:clock_pdf", args=["core"])
    assert (
        f'<form method="post" action="{url}"' in _clock(client, world, year="2026").content.decode()
    )
    client.force_login(world.member)
    with patch("suhde.coordination.exports.render_to_string", wraps=render_to_string) as rendered:
        response = job_file(client, url, {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="clock-core-2026.pdf"'
    assert len(rendered.call_args.args[1]["occurrences"]) == 3


def test_clock_pdf_is_made_by_the_worker_and_only_for_its_starter(client, world):
    from django.test import TestCase

    from suhde.common.jobs import job_execute
    from suhde.common.models import Job
    from suhde.networks.models import Membership

    url = reverse("coordination:clock_pdf", args=["core"])
    client.force_login(world.member)
    ask = client.get(url, {"year": "2027"})  # a GET only offers the button: no job, no file
    assert ask.status_code == 200 and "Make the PDF" in ask.content.decode()
    assert 'name="year" value="2027"' in ask.content.decode()
    assert not Job.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = client.post(url, {"year": "2027"})
    job = Job.objects.get()
    assert started["Location"] == reverse("networks:job", args=["core", job.pk])
    assert (job.kind, job.arguments["year"], job.state) == (
        "coordination.clock_pdf",
        "2027",
        "queued",
    )
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done" and job.output_name == "clock-core-2027.pdf"
    file_url = reverse("networks:job_file", args=["core", job.pk])
    assert client.get(file_url).status_code == 200
    client.force_login(world.coordinator)  # someone else's job and its file are not found
    assert client.get(started["Location"]).status_code == 404
    assert client.get(file_url).status_code == 404
    # The member leaves before the worker reaches a second job: no PDF is made.
    client.force_login(world.member)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(url, {"year": "2027"})
    Membership.objects.filter(person=world.member.person, network=world.network).delete()
    second = Job.objects.exclude(pk=job.pk).get()
    job_execute(job_id=second.pk)
    second.refresh_from_db()
    assert second.state == "failed" and second.output is None
    assert second.error == "You no longer have access to this network."


def test_month_navigation_by_htmx_gets_only_the_month(client, world):
    event(world.network, "Meeting")
    client.force_login(world.member)
    url = reverse("coordination:clock", args=["core"])
    response = client.get(url, {"year": "2026", "month": "2026-03"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="month-view"')
    assert "Meeting" in html
    assert "clock-wheel" not in html
