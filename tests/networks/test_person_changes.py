"""Proposed changes (issue 12, point 1): a coordinator who may not change a person proposes, the
person accepts on their own page or by the link mailed to their current address."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suhde.common.logging import redact
from suhde.common.models import AuditEvent
from suhde.networks import access, domain
from suhde.networks.models import PersonChange, Role
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, member_user


def _api(user):
    from suhde.accounts.domain import api_token_create

    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _propose(client, capture, user, person, slug="core", **fields):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            f"/api/v1/people/{person.pk}/changes",
            data={"network": slug, **fields},
            content_type="application/json",
            headers=_api(user),
        )
    return response


def _link():
    return re.search(r"https?://[^/\s]+(/change/\S+/)", mail.outbox[-1].body).group(1)


@pytest.fixture
def member(world):
    person = world.member.person
    person.email = "member@city.example"
    person.save()
    return person


def test_a_proposal_changes_nothing_until_the_person_accepts_on_their_page(
    client, world, member, django_capture_on_commit_callbacks
):
    response = _propose(
        client,
        django_capture_on_commit_callbacks,
        world.coordinator,
        member,
        email="New@City.example",
        title="Youth worker",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "open"
    assert body["fields"] == {"email": "new@city.example", "title": "Youth worker"}
    member.refresh_from_db()
    assert member.email == "member@city.example" and member.title == ""
    (message,) = mail.outbox
    assert message.to == ["member@city.example"]
    client.force_login(world.member)
    page = client.get(reverse("networks:my_details"))
    assert "new@city.example" in page.content.decode()
    response = client.post(reverse("networks:my_change_accept", args=[body["id"]]))
    assert response.status_code == 302
    member.refresh_from_db()
    world.member.refresh_from_db()
    assert (member.email, member.title) == ("new@city.example", "Youth worker")
    assert world.member.email == "new@city.example"  # the login address follows
    event = AuditEvent.objects.get(action="person_email_change")
    assert event.detail == "member@city.example -> new@city.example"
    assert event.actor == world.member


def test_the_mailed_link_accepts_without_logging_in_and_only_once(
    client, world, member, django_capture_on_commit_callbacks
):
    _propose(client, django_capture_on_commit_callbacks, world.coordinator, member, phone="+358 1")
    link = _link()
    page = client.get(link)
    assert page.status_code == 200 and "+358 1" in page.content.decode()
    assert client.post(link, {"decision": "accept"}).status_code == 200
    member.refresh_from_db()
    assert member.phone == "+358 1"
    assert client.get(link).status_code == 404
    assert client.post(link, {"decision": "decline"}).status_code == 404


def test_declining_changes_nothing(client, world, member, django_capture_on_commit_callbacks):
    _propose(client, django_capture_on_commit_callbacks, world.coordinator, member, name="Nobody")
    assert client.post(_link(), {"decision": "decline"}).status_code == 200
    member.refresh_from_db()
    assert member.name != "Nobody"
    assert PersonChange.objects.get().state == "declined"


def test_a_made_up_decision_changes_nothing(
    client, world, member, django_capture_on_commit_callbacks
):
    _propose(client, django_capture_on_commit_callbacks, world.coordinator, member, name="Nobody")
    response = client.post(_link(), {"decision": "merge"})
    assert response.status_code == 200
    assert PersonChange.objects.get().state == "open"


def test_nobody_else_accepts_a_change_proposed_to_someone(
    client, world, member, django_capture_on_commit_callbacks
):
    response = _propose(
        client, django_capture_on_commit_callbacks, world.coordinator, member, email=ATTACKER
    )
    change_id = response.json()["id"]
    for user in (world.coordinator, world.outsider, world.observer):
        client.force_login(user)
        assert (
            client.post(reverse("networks:my_change_accept", args=[change_id])).status_code == 404
        )
        api = client.post(f"/api/v1/person-changes/{change_id}/accept", headers=_api(user))
        assert api.status_code == 404
    with pytest.raises(access.Refused):
        domain.person_change_accept(change=PersonChange.objects.get(), user=world.coordinator)
    member.refresh_from_db()
    assert member.email == "member@city.example"


ATTACKER = "mallory@evil.example"


def test_a_theme_coordinator_proposing_the_core_coordinators_address_asks_her(
    client, world, django_capture_on_commit_callbacks
):
    theme = NetworkFactory(name="Youth theme", slug="youth", parent=world.network)
    boss = world.coordinator.person
    boss.email = "boss@city.example"
    boss.save()
    MembershipFactory(person=boss, network=theme)
    attacker = member_user(theme, Role.COORDINATOR, username="themecoord")
    response = _propose(
        client, django_capture_on_commit_callbacks, attacker, boss, slug="youth", email=ATTACKER
    )
    assert response.status_code == 201
    assert [m.to for m in mail.outbox] == [["boss@city.example"]]
    listed = client.get("/api/v1/person-changes", headers=_api(attacker)).json()
    assert listed["items"] == []  # the proposer cannot answer for her
    boss.refresh_from_db()
    assert boss.email == "boss@city.example"


def test_a_link_sent_to_an_old_address_stops_when_the_address_changes(
    client, world, member, django_capture_on_commit_callbacks
):
    _propose(client, django_capture_on_commit_callbacks, world.coordinator, member, title="T")
    link = _link()
    domain.person_self_update(person=member, user=world.member, email="moved@city.example")
    assert client.get(link).status_code == 404
    client.force_login(world.member)  # on their own page it still waits
    change = PersonChange.objects.get()
    assert client.post(reverse("networks:my_change_accept", args=[change.pk])).status_code == 302
    member.refresh_from_db()
    assert member.title == "T"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "not an address"}, 400, "email"),
        ({"competences": ["x" * 61]}, 400, "competences"),
        ({"name": ""}, 422, "name"),
        ({"title": "x" * 201}, 422, "title"),
        ({"organization_id": 10**9}, 404, None),
        ({}, 400, None),  # nothing would change
    ],
)
def test_bad_proposals_name_the_field_and_create_nothing(
    client, world, member, django_capture_on_commit_callbacks, body, status, field
):
    response = _propose(
        client, django_capture_on_commit_callbacks, world.coordinator, member, **body
    )
    assert response.status_code == status
    if field:
        assert field in str(response.json()["detail"])
    assert not PersonChange.objects.exists() and mail.outbox == []


def test_proposals_to_oneself_and_by_members_are_refused(
    client, world, member, django_capture_on_commit_callbacks
):
    response = _propose(
        client, django_capture_on_commit_callbacks, world.coordinator, world.coordinator.person,
        title="Boss",
    )  # fmt: skip
    assert response.status_code == 403
    assert "Change your own details directly" in response.json()["detail"]
    response = _propose(client, django_capture_on_commit_callbacks, world.member, world.people[0])
    assert response.status_code == 403
    assert not PersonChange.objects.exists()


def test_no_proposal_to_someone_who_could_not_accept_it(
    client, world, django_capture_on_commit_callbacks
):
    lonely = PersonFactory(email="")
    MembershipFactory(person=lonely, network=world.network)
    response = _propose(
        client, django_capture_on_commit_callbacks, world.coordinator, lonely, title="X"
    )
    assert response.status_code == 403
    assert "no account and no email address" in response.json()["detail"]


def test_the_person_edits_their_own_details_on_their_page(client, world, member):
    client.force_login(world.member)
    response = client.post(
        reverse("networks:my_details"),
        {"name": "Maija Member", "email": "Maija@City.example", "phone": "", "title": "Planner"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    world.member.refresh_from_db()
    assert (member.name, member.email, world.member.email) == (
        "Maija Member",
        "maija@city.example",
        "maija@city.example",
    )
    bad = client.post(reverse("networks:my_details"), {"name": "", "email": "nope"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"name", "email"}


def test_the_proposal_token_never_reaches_the_logs():
    assert "abcdefghijklmnop1234" not in redact("GET /change/abcdefghijklmnop1234/ 200")


def test_own_page_and_list_cost_the_same_for_one_or_three_changes(client, world, member):
    def costs():
        client.force_login(world.member)
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("networks:my_details")).status_code == 200
        headers = _api(world.member)
        with CaptureQueriesContext(connection) as api:
            assert client.get("/api/v1/person-changes", headers=headers).status_code == 200
        return len(page), len(api)

    def propose(count):
        for index in range(count):
            domain.person_change_propose(
                network=world.network, person=member, user=world.coordinator, title=f"T{index}"
            )

    propose(1)
    one = costs()
    propose(2)
    assert costs() == one


def test_one_proposer_cannot_flood_someones_mailbox(
    client, world, member, django_capture_on_commit_callbacks
):
    for index in range(3):
        response = _propose(
            client, django_capture_on_commit_callbacks, world.coordinator, member, title=f"T{index}"
        )
        assert response.status_code == 201
    response = _propose(
        client, django_capture_on_commit_callbacks, world.coordinator, member, title="T4"
    )
    assert response.status_code == 400
    assert "not yet answered your earlier proposals" in str(response.json()["detail"])
    assert PersonChange.objects.count() == 3 and mail.outbox == []
