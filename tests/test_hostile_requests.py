"""Each bad request of issue 14 that answered 500 now answers 4xx, names its field, changes nothing.

Schemathesis walks the whole API (tests/test_api_schema_fuzz.py); these are the cases the issue
names, one by one, on the pages too where a page takes the same input.
"""

import icalendar
import pytest
from django.urls import reverse
from pydantic import ValidationError

from suhde.accounts.domain import api_token_create
from suhde.api import api
from suhde.common.schemas import Patch
from suhde.networks.models import Network, Person, Tie
from suhde.surveys.models import Wave
from suhde.workshops.models import Meeting
from tests.coordination.helpers import category, event

pytestmark = pytest.mark.django_db
HUGE = 2**70
NULL_REFUSED = "This field cannot be null; leave it out to keep its value."
NUL_REFUSED = "Null characters are not allowed."


@pytest.fixture
def api_client(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def _errors(response) -> list[tuple[tuple, str]]:
    return [(tuple(item["loc"]), item["msg"]) for item in response.json()["detail"]]


def _fields(response) -> set[str]:
    return {str(item["loc"][-1]) for item in response.json()["detail"]}


# --- PATCH with null on a text field ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("organization", "website"),
        ("organization", "notes"),
        ("person", "title"),
        ("person", "phone"),
        ("network", "purpose"),
    ],
)
def test_patch_with_null_on_a_text_field_is_refused_at_the_field(api_client, world, kind, field):
    person = world.people[0]
    url, body, obj = {
        "organization": (
            f"/api/v1/organizations/{world.organization.pk}",
            {},
            world.organization,
        ),
        "person": (f"/api/v1/people/{person.pk}", {"network": "core"}, person),
        "network": ("/api/v1/networks/core", {}, world.network),
    }[kind]
    before = getattr(obj, field)
    response = api_client.patch(url, {**body, field: None}, content_type="application/json")
    assert response.status_code == 422
    assert _errors(response) == [(("body", "payload", field), NULL_REFUSED)]
    obj.refresh_from_db()
    assert getattr(obj, field) == before


def _patch_schemas() -> list[type]:
    found, stack = set(), [Patch]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.add(sub)
            stack.append(sub)
    return sorted(found, key=lambda c: c.__name__)


def test_every_patch_refuses_null_except_where_it_clears_a_value():
    refused, cleared = {}, {}
    for schema in _patch_schemas():
        for name in schema.model_fields:
            try:
                schema.model_validate({name: None})
                errors = []
            except ValidationError as error:
                errors = [e["loc"] for e in error.errors() if e["type"] == "null_refused"]
            found = refused if errors == [(name,)] else cleared
            found.setdefault(schema.__name__, []).append(name)
    assert cleared == {
        "EventPatch": ["responsible_id"],
        "NetworkPatch": ["parent"],
        "OrganizationPatch": ["parent_id"],
        "PersonPatch": ["organization_id"],
        "TiePatch": ["knowing", "trust", "commitment", "since"],
    }
    assert refused["OrganizationPatch"] == ["name", "sector", "website", "notes"]
    assert refused["MembershipPatch"] == ["role", "in_steering_group", "left"]


def test_openapi_offers_null_only_where_a_patch_accepts_it():
    properties = api.get_openapi_schema()["components"]["schemas"]["OrganizationPatch"]
    website, parent = properties["properties"]["website"], properties["properties"]["parent_id"]
    assert website == {"maxLength": 500, "title": "Website", "type": "string"}
    assert {"type": "null"} in parent["anyOf"]


# --- offsets and ids beyond any integer the database holds -----------------------------------


def _paginated_lists() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    )


def test_the_paginated_lists_are_those_of_the_registry_and_the_clock():
    assert _paginated_lists() == [
        "/api/v1/contacts",
        "/api/v1/events",
        "/api/v1/memberships",
        "/api/v1/networks",
        "/api/v1/networks/{slug}/removals",
        "/api/v1/organizations",
        "/api/v1/people",
        "/api/v1/person-changes",
        "/api/v1/ties",
    ]


@pytest.mark.parametrize("path", _paginated_lists())
def test_offset_of_2_to_the_63_is_refused_on_every_list(api_client, world, path):
    path = path.replace("{slug}", "core")
    response = api_client.get(path, {"network": "core", "offset": "9223372036854775808"})
    assert response.status_code == 422
    assert _errors(response) == [
        (("query", "offset"), "Input should be less than or equal to 1000000000")
    ]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/ties", {"network": "core", "target_id": 1}, "source_id"),
        ("/api/v1/memberships", {"network": "core"}, "person_id"),
        ("/api/v1/people", {"network": "core", "name": "A"}, "organization_id"),
        (
            "/api/v1/organizations",
            {"network": "core", "name": "A", "sector": "public"},
            "parent_id",
        ),
        ("/api/v1/networks/core/waves", {"title": "W"}, "invitees"),
        ("/api/v1/networks/core/meetings", {"title": "M"}, "event"),
        ("/api/v1/networks/core/decisions", {"title": "D", "proposal": "P"}, "meeting_id"),
        ("/api/v1/networks/core/goals", {"title": "G"}, "owner_id"),
        ("/api/v1/networks/core/live-sessions", {"title": "L"}, "meeting"),
    ],
)
def test_id_of_2_to_the_70_in_a_body_is_refused_at_its_field(api_client, world, path, body, field):
    value = [HUGE] if field == "invitees" else HUGE
    people, ties = Person.objects.count(), Tie.objects.count()
    response = api_client.post(path, {**body, field: value}, content_type="application/json")
    assert response.status_code == 422
    huge = [loc for loc, msg in _errors(response) if "less than or equal" in msg]
    assert huge and field in huge[0]
    assert (Person.objects.count(), Tie.objects.count()) == (people, ties)


def test_id_of_2_to_the_70_in_a_path_is_refused(api_client, world):
    response = api_client.get(f"/api/v1/people/{HUGE}")
    assert response.status_code == 422
    assert [loc for loc, _msg in _errors(response)] == [("path", "person_id")]


# --- dates in the year 9999 ------------------------------------------------------------------

DATE_RANGE = "Use a date between the years 1900 and 2199."


def test_event_in_year_9999_is_refused_by_the_api_and_the_page(api_client, client, world):
    category(world.network)
    body = {"network": "core", "title": "Far", "category": "meetings"}
    body |= {"start": "9999-12-31T22:00:00", "end": "9999-12-31T23:00:00"}
    response = api_client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code == 422
    assert (("body", "payload", "start"), DATE_RANGE) in _errors(response)
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(world.coordinator)
    form = {"title": "Far", "category": category(world.network).pk, "start_date": "9999-12-31"}
    form |= {"start_time": "22:00", "end_time": "23:00", "timezone": "Europe/Helsinki"}
    response = client.post(reverse("coordination:event_create", args=["core"]), form)
    assert response.status_code == 400
    assert DATE_RANGE in str(response.context["form"].errors)
    assert not world.network.events.filter(title="Far").exists()


def test_meeting_in_year_9999_is_refused_by_the_api_and_the_page(api_client, client, world):
    body = {"title": "Far", "starts_at": "9999-12-31T23:00:00"}
    response = api_client.post(
        "/api/v1/networks/core/meetings", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert _errors(response) == [(("body", "payload", "starts_at"), DATE_RANGE)]
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(world.coordinator)
    form = {"title": "Far", "starts_at": "9999-12-31T23:00", "minutes": "90"}
    response = client.post(reverse("workshops:meeting_create", args=["core"]), form)
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == [DATE_RANGE]
    assert not Meeting.objects.filter(title="Far").exists()


def test_a_time_zone_offset_beyond_the_databases_range_is_kept_as_the_same_moment(api_client):
    # -21:00 is valid ISO 8601 but outside PostgreSQL's ±15:59: it answered 500 there.
    body = {"title": "Far west", "starts_at": "2030-05-16T06:46:44-21:00"}
    response = api_client.post(
        "/api/v1/networks/core/meetings", body, content_type="application/json"
    )
    assert response.status_code == 201
    stored = Meeting.objects.get(title="Far west").starts_at
    assert stored.isoformat() == "2030-05-17T03:46:44+00:00"


def test_wave_closing_in_year_9999_is_refused_by_the_api_and_the_page(api_client, client, world):
    body = {"title": "Far", "closes_at": "9999-12-31T23:00:00"}
    response = api_client.post("/api/v1/networks/core/waves", body, content_type="application/json")
    assert response.status_code == 422
    assert _errors(response) == [(("body", "payload", "closes_at"), DATE_RANGE)]
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(world.coordinator)
    form = {"title": "Far", "opens_at": "2026-01-01T09:00", "closes_at": "9999-12-31T23:00"}
    form |= {"recall_months": "12", "k": "5"}
    response = client.post(reverse("surveys:wave_create", args=["core"]), form)
    assert response.status_code == 400
    assert response.context["form"].errors["closes_at"] == [DATE_RANGE]
    assert not Wave.objects.filter(title="Far").exists()


# --- NUL characters, on SQLite as on PostgreSQL -----------------------------------------------


def test_nul_in_a_json_text_field_is_refused_at_the_field(api_client, world):
    body = {"network": "core", "name": "Aino\u0000Aalto"}
    response = api_client.post("/api/v1/people", body, content_type="application/json")
    assert response.status_code == 400
    assert _errors(response) == [(("body", "name"), NUL_REFUSED)]
    assert not Person.objects.filter(name__startswith="Aino").exists()


def test_nul_deep_in_a_json_body_is_refused_with_its_place(api_client, world):
    body = {"title": "Live", "prompts": [{"kind": "text", "question": "ok"}, {"question": "\x00"}]}
    response = api_client.post(
        "/api/v1/networks/core/live-sessions", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert _errors(response) == [(("body", "prompts", 1, "question"), NUL_REFUSED)]


def test_nul_in_a_query_parameter_is_refused_on_the_api_and_the_pages(api_client, client, world):
    response = api_client.get("/api/v1/people", {"network": "core\x00"})
    assert response.status_code == 400
    assert _errors(response) == [(("query", "network"), NUL_REFUSED)]
    client.force_login(world.coordinator)
    response = client.get(reverse("networks:members", args=["core"]), {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.content.decode() == f"q: {NUL_REFUSED}"


def test_nul_in_a_form_field_or_a_path_is_refused(client, world):
    client.force_login(world.coordinator)
    data = {"name": "Bad\x00", "slug": "bad", "form": "joint", "scope": "external"}
    response = client.post(reverse("networks:create"), data)
    assert response.status_code == 400
    assert response.content.decode() == f"name: {NUL_REFUSED}"
    assert not Network.objects.filter(slug="bad").exists()
    assert client.get("/n/co%00re/").status_code == 400


def test_body_that_is_not_an_object_is_refused_not_taken_as_an_empty_update(api_client, world):
    tie = world.tie
    for body in ("[null]", "-1.5e16", '"text"'):
        response = api_client.patch(f"/api/v1/ties/{tie.pk}", body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json() == {"detail": "Cannot parse request body"}


# --- line breaks in names and titles: calendars stay readable -------------------------------


def test_line_breaks_in_names_and_titles_keep_the_calendars_whole(client, world):
    Network.objects.filter(pk=world.network.pk).update(name="Core\r\nnetwork")
    item = event(world.network, "Kick\noff")
    client.force_login(world.member)
    single = client.get(reverse("coordination:event_ics", args=["core", item.pk]))
    assert single.status_code == 200
    parsed = icalendar.Calendar.from_ical(single.content)
    assert str(parsed["X-WR-CALNAME"]) == "Kick off"
    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == ["Kick\noff"]
    subscribe = client.post(reverse("coordination:feed_create", args=["core"]))
    path = subscribe.context["url"].split("://", 1)[1].split("/", 1)[1]
    client.logout()
    feed = client.get("/" + path)
    assert feed.status_code == 200
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert str(calendar["X-WR-CALNAME"]) == "Core network"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Kick\noff"]


def test_calendar_responses_say_how_long_they_may_be_kept(client, world):
    item = event(world.network, "Kept")
    client.force_login(world.member)
    single = client.get(reverse("coordination:event_ics", args=["core", item.pk]))
    assert "no-store" in single["Cache-Control"]
    subscribe = client.post(reverse("coordination:feed_create", args=["core"]))
    path = subscribe.context["url"].split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.get("/" + path)["Cache-Control"] == "private, max-age=900"
