import json
from pathlib import Path

import pytest
from django.core.management import call_command

from suhde.accounts.domain import api_token_create
from suhde.networks.models import Membership, Network, Person, Tie

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def as_coordinator(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_openapi_schema_matches_the_committed_one(capsys):
    call_command("export_openapi")
    generated = json.loads(capsys.readouterr().out)
    committed = json.loads(OPENAPI.read_text())
    assert generated == committed, "the API changed: run `make openapi` and commit the diff"


def test_every_operation_id_is_thing_verb():
    schema = json.loads(OPENAPI.read_text())
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    required = {
        "network_list",
        "network_get",
        "network_create",
        "organization_list",
        "organization_create",
        "person_list",
        "person_create",
        "membership_create",
        "tie_create",
        "tie_list",
    }
    assert required <= set(ids)
    assert all("_" in op and op == op.lower() for op in ids)


def test_network_create_needs_only_name_and_slug(as_coordinator, world):
    response = as_coordinator.post(
        "/api/v1/networks",
        content_type="application/json",
        data={"name": "Housing", "slug": "housing"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["form"] == "joint"
    assert body["phase"] == 1
    assert body["role"] == "coordinator"
    network = Network.objects.get(slug="housing")
    assert Membership.objects.filter(
        network=network, person=world.coordinator.person, role="coordinator"
    ).exists()


def test_person_list_filters_by_network_and_hides_contacts_from_observers(client, world):
    _, raw = api_token_create(user=world.observer, name="t")
    response = client.get("/api/v1/people?network=core", headers={"Authorization": f"Bearer {raw}"})
    items = response.json()["items"]
    names = {item["name"] for item in items}
    assert "Secret Person" not in names
    assert world.people[0].name in names
    assert all(item["email"] is None for item in items)


def test_person_list_shows_contacts_to_members(client, world):
    _, raw = api_token_create(user=world.member, name="t")
    response = client.get("/api/v1/people?network=core", headers={"Authorization": f"Bearer {raw}"})
    emails = {item["email"] for item in response.json()["items"]}
    assert world.people[0].email in emails


def test_tie_create_and_list(as_coordinator, world):
    body = {
        "network": "core",
        "source_id": world.people[1].pk,
        "target_id": world.people[2].pk,
        "strength": "strong",
        "trust": 4,
    }
    response = as_coordinator.post("/api/v1/ties", content_type="application/json", data=body)
    assert response.status_code == 201
    assert response.json()["trust"] == 4
    listed = as_coordinator.get("/api/v1/ties?network=core").json()
    assert listed["count"] == 2
    assert {item["network"] for item in listed["items"]} == {"core"}


def test_person_create_with_organization_from_another_network_is_not_found(as_coordinator, world):
    body = {"network": "core", "name": "X", "organization_id": world.other_organization.pk}
    response = as_coordinator.post("/api/v1/people", content_type="application/json", data=body)
    assert response.status_code == 404
    assert not Person.objects.filter(name="X").exists()


def test_membership_update_ends_membership(as_coordinator, world):
    membership = Membership.objects.get(person=world.people[0], network=world.network)
    response = as_coordinator.patch(
        f"/api/v1/memberships/{membership.pk}", content_type="application/json", data={"left": True}
    )
    assert response.status_code == 200
    assert response.json()["left_on"] is not None


def test_expired_token_is_refused(client, world):
    token, raw = api_token_create(user=world.coordinator, name="t")
    token.expires_at = token.created_at
    token.save()
    response = client.get("/api/v1/networks", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_token_of_disabled_user_is_refused(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    world.coordinator.is_active = False
    world.coordinator.save()
    response = client.get("/api/v1/networks", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_tokens_are_stored_only_as_digests(world):
    token, raw = api_token_create(user=world.coordinator, name="t")
    assert len(raw) >= 43 + 6  # 256 random bits in base64, after the prefix
    assert raw not in str(list(type(token).objects.values_list()))


def test_apitoken_command_prints_a_working_token(client, world, capsys):
    call_command("apitoken", "coord")
    raw = capsys.readouterr().out.strip()
    response = client.get("/api/v1/networks/core", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_tie_patch_keeps_unset_fields(as_coordinator, world):
    Tie.objects.filter(pk=world.tie.pk).update(trust=3)
    response = as_coordinator.patch(
        f"/api/v1/ties/{world.tie.pk}", content_type="application/json", data={"strength": "strong"}
    )
    assert response.json()["trust"] == 3
    assert response.json()["strength"] == "strong"
