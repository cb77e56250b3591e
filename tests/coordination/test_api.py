"""The clock's API: the contract the issue names, bad input at its field, each role checked."""

from datetime import datetime

import icalendar
import pytest
import recurring_ical_events

from suhde.accounts.domain import api_token_create
from suhde.common.models import AuditEvent
from suhde.coordination.models import Event
from tests.coordination.helpers import at, event

pytestmark = pytest.mark.django_db


def _headers(user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _body(**fields):
    body = {
        "network": "core",
        "title": "Monthly meeting",
        "category": "meetings",
        "start": "2026-09-08T17:00:00",
        "end": "2026-09-08T18:00:00",
        "timezone": "Europe/Helsinki",
        "rrule": "FREQ=MONTHLY;BYDAY=2TU",
    }
    return body | fields


def _create(client, world, **fields):
    return client.post(
        "/api/v1/events",
        _body(**fields),
        content_type="application/json",
        headers=_headers(world.coordinator),
    )


def test_event_create_and_list(client, world):
    response = _create(client, world)
    assert response.status_code == 201
    data = response.json()
    assert {
        k: data[k] for k in ("title", "category", "timezone", "rrule", "network", "all_day")
    } == {
        "title": "Monthly meeting",
        "category": "meetings",
        "timezone": "Europe/Helsinki",
        "rrule": "FREQ=MONTHLY;BYDAY=2TU",
        "network": "core",
        "all_day": False,
    }
    assert datetime.fromisoformat(data["start"]) == at(2026, 9, 8, 17)
    listed = client.get("/api/v1/events?network=core", headers=_headers(world.member)).json()
    assert [item["title"] for item in listed["items"]] == ["Monthly meeting"]


def test_the_feed_from_the_api_finds_the_meeting(client, world):
    _create(client, world)
    url = client.post("/api/v1/networks/core/calendar-feed", headers=_headers(world.member)).json()[
        "url"
    ]
    calendar = icalendar.Calendar.from_ical(
        client.get(url.removeprefix("http://127.0.0.1:8000")).content
    )
    found = recurring_ical_events.of(calendar).between(datetime(2026, 9, 1), datetime(2026, 12, 1))
    assert [o["DTSTART"].dt for o in found] == [
        at(2026, 9, 8, 17),
        at(2026, 10, 13, 17),
        at(2026, 11, 10, 17),
    ]


@pytest.mark.parametrize(
    ("fields", "loc", "msg"),
    [
        (
            {"rrule": "FREQ=MONTHLY;BYDAY=ZZ"},
            "rrule",
            "The repeat rule is not valid: write it like FREQ=MONTHLY;BYDAY=2TU.",
        ),
        (
            {"rrule": "FREQ=DAILY;COUNT=2000000"},
            "rrule",
            "COUNT must be a whole number from 1 to 1000.",
        ),
        ({"end": "2026-09-08T16:00:00"}, "end", "The end cannot be before the start."),
        ({"timezone": "Europe/Atlantis"}, "timezone", "Unknown time zone."),
        ({"category": "no-such"}, "category", "Choose a category of this network's clock."),
    ],
)
def test_bad_input_is_a_400_at_its_field_and_saves_nothing(client, world, fields, loc, msg):
    response = _create(client, world, **fields)
    assert response.status_code == 400
    assert response.json() == {"detail": [{"loc": ["body", loc], "msg": msg}]}
    assert Event.objects.count() == 0


def test_schema_errors_are_422_not_500(client, world):
    response = _create(client, world, start="not a date", exdates=["x"])
    assert response.status_code == 422
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [("outsider", 404), ("member", 403), ("observer", 403), ("coordinator", 200)],
)
def test_event_update_checks_the_role_on_that_event(client, world, role, status):
    item = event(world.network, "Meeting")
    response = client.patch(
        f"/api/v1/events/{item.pk}",
        {"title": "Changed"},
        content_type="application/json",
        headers=_headers(getattr(world, role)),
    )
    assert response.status_code == status
    item.refresh_from_db()
    assert item.title == ("Changed" if status == 200 else "Meeting")


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("member", 200), ("observer", 200)]
)
def test_event_get_by_role(client, world, role, status):
    item = event(world.network, "Meeting")
    assert (
        client.get(f"/api/v1/events/{item.pk}", headers=_headers(getattr(world, role))).status_code
        == status
    )


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("member", 403), ("coordinator", 204)]
)
def test_event_delete_by_role(client, world, role, status):
    item = event(world.network, "Meeting")
    response = client.delete(f"/api/v1/events/{item.pk}", headers=_headers(getattr(world, role)))
    assert response.status_code == status
    assert Event.objects.filter(pk=item.pk).exists() == (status != 204)


def test_event_update_reruns_the_checks(client, world):
    item = event(world.network, "Meeting")
    response = client.patch(
        f"/api/v1/events/{item.pk}",
        {"rrule": "FREQ=DAILY;UNTIL=99991231"},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.rrule == ""


def test_event_list_never_shows_other_networks(client, world):
    event(world.other, "Secret")
    items = client.get("/api/v1/events", headers=_headers(world.coordinator)).json()["items"]
    assert items == []


def test_contact_list_for_members_only_and_audited(client, world):
    response = client.get("/api/v1/contacts?network=core", headers=_headers(world.member))
    emails = sorted(item["email"] for item in response.json()["items"])
    assert len(emails) == 6
    assert world.people[0].email in emails
    assert AuditEvent.objects.filter(action="contacts_view", actor=world.member).count() == 1
    observer = client.get("/api/v1/contacts?network=core", headers=_headers(world.observer))
    assert observer.status_code == 403


def test_sharing_needs_the_facilitator_role_in_the_other_network(client, world):
    response = _create(client, world, shared_with=["elsewhere"])
    assert response.status_code == 404
    assert Event.objects.count() == 0


def test_shared_event_is_in_the_other_networks_feed_and_list(client, world):
    from suhde.networks.models import Membership, Role

    Membership.objects.create(
        person=world.coordinator.person, network=world.other, role=Role.COORDINATOR
    )
    response = _create(client, world, shared_with=["elsewhere"])
    assert response.status_code == 201
    assert response.json()["shared_with"] == ["elsewhere"]
    listed = client.get("/api/v1/events?network=elsewhere", headers=_headers(world.outsider)).json()
    assert [item["title"] for item in listed["items"]] == ["Monthly meeting"]
    event_id = listed["items"][0]["id"]
    assert (
        client.get(f"/api/v1/events/{event_id}", headers=_headers(world.outsider)).status_code
        == 200
    )
    patch = client.patch(
        f"/api/v1/events/{event_id}",
        {"title": "x"},
        content_type="application/json",
        headers=_headers(world.outsider),
    )
    assert patch.status_code == 404
    url = client.post(
        "/api/v1/networks/elsewhere/calendar-feed", headers=_headers(world.outsider)
    ).json()["url"]
    feed = client.get(url.removeprefix("http://127.0.0.1:8000")).content
    assert b"SUMMARY:Monthly meeting" in feed
