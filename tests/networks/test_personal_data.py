"""Promise 24: a person takes their data out and has it erased, and nothing else leaks by it."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.common.audit import audit_record
from suhde.common.models import AuditEvent
from suhde.networks.models import Membership, Person, Role
from suhde.surveys import closing
from suhde.surveys.models import PartnerAnswer, Response
from suhde.workshops.models import LiveSession, Participant, Post, Prompt
from tests.factories import MembershipFactory, PersonFactory, TieFactory
from tests.surveys.conftest import answer, members, survey_world  # noqa: F401  (a fixture)


def _headers(user) -> dict:
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _zip(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def _live_post(network, name: str, text: str) -> Post:
    number = LiveSession.objects.count()
    session = LiveSession.objects.create(network=network, title="Kick-off", code=f"ABC{number}")
    prompt = Prompt.objects.create(session=session, kind="words", question="One word?")
    participant = Participant.objects.create(
        session=session, token_digest=f"{number}" * 64, name=name
    )
    return Post.objects.create(prompt=prompt, participant=participant, text=text)


@pytest.fixture
def answered(request):
    """A closed wave that eight people without an account answered about each other."""
    world = request.getfixturevalue("survey_world")
    people = members(world)
    respondents = [p for p in people if p.user_id is None][:8]
    for index, person in enumerate(respondents):
        partners = [p for p in respondents if p != person]
        answer(world.wave, person, partners, value=1 + index % 4, texts={"works": f"Text {index}"})
    closing.wave_close(wave=world.wave)
    world.respondents = respondents
    return world


def test_a_person_downloads_everything_about_them_as_json_and_csv(client, answered):
    world = answered
    me = world.respondents[0]
    me.user = get_user_model().objects.create_user("me", password="x" * 12)
    me.save()
    _live_post(world.network, me.name.upper(), "Trust first")
    _live_post(world.network, "Someone Else", "Not mine")
    audit_record(user=world.coordinator, action="contacts_view", obj=me)
    client.force_login(me.user)

    files = _zip(client.get(reverse("networks:my_export")))

    data = json.loads(files["data.json"])
    assert data["person"][0]["name"] == me.name
    assert [m["network"] for m in data["memberships"]] == ["Core"]
    assert len(data["survey_partner_answers"]) == 7  # what they said about each partner
    assert {a["text"] for a in data["survey_open_answers"]} == {"Text 0"}
    assert [p["text"] for p in data["live_session_posts"]] == ["Trust first"]
    rows = list(csv.DictReader(io.StringIO(files["survey_partner_answers.csv"])))
    assert len(rows) == 7 and rows[0]["wave"] == "Wave 1"
    # How the others rated them is not theirs to read: no rating by anyone else is in it.
    others = PartnerAnswer.objects.filter(partner=me).count()
    assert others == 7 and "received" not in files["data.json"]
    assert AuditEvent.objects.filter(action="person_export", object_id=str(me.pk)).count() == 1
    assert [e["action"] for e in data["audit_log"]] == ["contacts_view", "login"]


def test_a_coordinators_download_covers_their_networks_and_no_answers(client, answered):
    world = answered
    person = world.respondents[1]
    MembershipFactory(person=person, network=world.other)
    TieFactory(network=world.other, source=person, target=world.other_person)

    response = client.get(
        f"/api/v1/people/{person.pk}/export?network=core", headers=_headers(world.coordinator)
    )
    files = _zip(response)

    data = json.loads(files["data.json"])
    assert [m["network"] for m in data["memberships"]] == ["Core"]
    assert all(t["network"] == "Core" for t in data["ties"])
    assert "Secret Person" not in files["data.json"]
    assert "survey_partner_answers" not in data and "audit_log" in data
    assert data["audit_log"] == []
    assert "Made by a coordinator" in files["README.txt"]


def test_only_the_person_downloads_the_data_of_someone_with_an_account(client, world):
    response = client.get(
        f"/api/v1/people/{world.member.person.pk}/export?network=core",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 403
    assert "only they can download their data" in response.json()["detail"]
    outsider = client.get(
        f"/api/v1/people/{world.people[0].pk}/export?network=core",
        headers=_headers(world.outsider),
    )
    assert outsider.status_code == 404


def test_erasure_keeps_every_published_figure_and_removes_who_it_was(client, answered):
    world = answered
    person = world.respondents[2]
    email = person.email
    headers = _headers(world.coordinator)
    results = f"/api/v1/waves/{world.wave.pk}/results"
    before = client.get(results, headers=headers).json()
    _live_post(world.network, person.name, "Named post")
    answers = Response.objects.filter(respondent=person).count()

    response = client.post(
        f"/api/v1/people/{person.pk}/erase",
        data={"network": "core", "confirm": True},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 200, response.content
    assert response.json()["changed"]["survey_waves_rechecked"] == 1
    assert client.get(results, headers=headers).json() == before  # not one figure moved
    person.refresh_from_db()
    assert person.name == f"Erased person {person.pk}"
    assert (person.email, person.phone, person.title) == ("", "", "")
    assert person.archived_at is not None
    assert Response.objects.filter(respondent=person).count() == answers
    assert Participant.objects.filter(name="").count() == 1
    assert not Person.objects.filter(email=email).exists()
    event = AuditEvent.objects.get(action="person_erase")
    assert (event.object_id, event.actor_label) == (str(person.pk), "coord")


def test_erasure_asks_first_and_changes_nothing_until_confirmed(client, world):
    person = world.people[0]
    response = client.post(
        f"/api/v1/people/{person.pk}/erase",
        data={"network": "core"},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 400
    assert "cannot be undone" in json.dumps(response.json())
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:person_erase", args=["core", person.pk]))
    assert page.status_code == 200
    assert "This cannot be undone" in page.content.decode()
    person.refresh_from_db()
    assert person.archived_at is None and not person.name.startswith("Erased")


def test_erasure_of_someone_also_in_a_network_you_do_not_coordinate_is_refused(client, world):
    person = world.people[0]
    MembershipFactory(person=person, network=world.other)
    client.force_login(world.coordinator)
    response = client.post(reverse("networks:person_erase", args=["core", person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.name.startswith("Erased")
    assert "which you do not coordinate" in str(next(iter(response.wsgi_request._messages)))


def test_a_person_erases_themselves_and_cannot_sign_in_again(client, world):
    user = world.member
    client.force_login(user)
    response = client.post(reverse("networks:my_erase"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    user.refresh_from_db()
    assert (user.is_active, user.has_usable_password(), user.email) == (False, False, "")
    assert user.username == f"erased-{user.person.pk}"
    assert client.get(reverse("networks:my_details")).status_code == 302  # signed out


def test_the_last_coordinator_cannot_erase_themselves(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("networks:my_erase"), follow=True)
    assert "the only coordinator of Core" in response.content.decode()
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active
    assert Membership.objects.get(person=world.coordinator.person).role == Role.COORDINATOR


def test_a_csv_cell_that_looks_like_a_formula_is_written_as_text(client, world):
    person = PersonFactory(name="=HYPERLINK(1)", organization=world.organization)
    MembershipFactory(person=person, network=world.network)
    client.force_login(world.coordinator)
    files = _zip(client.get(reverse("networks:person_export", args=["core", person.pk])))
    assert "'=HYPERLINK(1)" in files["person.csv"]
