"""Custom fields and tags: defined per network by its coordinators, valued per network."""

import pytest
from django.core.exceptions import ValidationError

from suhde.accounts.domain import api_token_create
from suhde.networks.domain import custom_field_create, custom_values_set
from suhde.networks.models import CustomField, CustomValue
from suhde.networks.queries import custom_values_of


def _headers(user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _fields(world):
    network = world.network
    return {
        "area": custom_field_create(network=network, applies_to="person", name="Area", kind="text"),
        "age": custom_field_create(
            network=network, applies_to="person", name="Years here", kind="number"
        ),
        "unit": custom_field_create(
            network=network,
            applies_to="person",
            name="Unit",
            kind="choice",
            choices=["Youth", "Health", "Youth "],
        ),
        "tags": custom_field_create(network=network, applies_to="person", name="Tags", kind="tags"),
    }


def test_values_are_parsed_by_kind(world):
    fields = _fields(world)
    assert fields["unit"].choices == ["Youth", "Health"]
    person = world.people[0]
    values = custom_values_set(
        network=world.network,
        person=person,
        values={"area": " North ", "Years here": "2,5", "unit": "health", "tags": "a|b, A"},
    )
    assert values == {"Area": "North", "Years here": 2.5, "Unit": "Health", "Tags": ["a", "b"]}
    fields["tags"].refresh_from_db()
    assert fields["tags"].choices == ["a", "b"]  # the tags in use, for suggestions


def test_bad_values_name_their_field_and_change_nothing(world):
    _fields(world)
    person = world.people[0]
    custom_values_set(network=world.network, person=person, values={"Area": "North"})
    with pytest.raises(ValidationError) as refused:
        custom_values_set(
            network=world.network,
            person=person,
            values={"Area": "South", "Years here": "NaN", "Unit": "Space", "Colour": "red"},
        )
    assert refused.value.message_dict == {
        "Years here": ["Give a number, such as 3 or 2,5."],
        "Unit": ["“Space” is not one of the choices: Youth, Health."],
        "Colour": ["This network has no such field."],
    }
    assert custom_values_of(world.network, person=person)["Area"] == "North"


def test_a_value_of_one_network_is_not_anothers(world):
    _fields(world)
    other_field = custom_field_create(
        network=world.other, applies_to="person", name="Area", kind="text"
    )
    person = world.people[0]
    custom_values_set(network=world.network, person=person, values={"Area": "North"})
    assert custom_values_of(world.other, person=person) == {"Area": None}
    assert CustomValue.objects.filter(field=other_field).count() == 0


def test_field_names_are_unique_per_network_and_owner(world):
    custom_field_create(network=world.network, applies_to="person", name="Area", kind="text")
    with pytest.raises(ValidationError) as refused:
        custom_field_create(network=world.network, applies_to="person", name="area", kind="tags")
    assert refused.value.message_dict == {
        "name": ["This network already has a field with this name."]
    }
    custom_field_create(network=world.network, applies_to="organization", name="Area", kind="text")


def test_a_choice_field_needs_choices(world):
    with pytest.raises(ValidationError) as refused:
        custom_field_create(network=world.network, applies_to="person", name="U", kind="choice")
    assert refused.value.message_dict == {"choices": ["A choice field needs at least one choice."]}


def test_a_network_has_at_most_50_fields_of_a_kind(world):
    for i in range(50):
        custom_field_create(network=world.network, applies_to="person", name=f"F{i}", kind="text")
    with pytest.raises(ValidationError):
        custom_field_create(network=world.network, applies_to="person", name="F50", kind="text")
    assert CustomField.objects.filter(network=world.network).count() == 50


def test_api_defines_a_field_and_sets_a_persons_values(client, world):
    headers = _headers(world.coordinator)
    response = client.post(
        "/api/v1/networks/core/fields",
        {"applies_to": "person", "name": "Tags", "kind": "tags"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "tags"
    url = f"/api/v1/networks/core/people/{world.people[0].pk}/fields"
    response = client.patch(
        url,
        {"values": {"Tags": ["youth", "sports"]}},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json() == {"values": {"Tags": ["youth", "sports"]}}
    assert client.get(url, headers=_headers(world.member)).json() == {
        "values": {"Tags": ["youth", "sports"]}
    }
    response = client.patch(
        url, {"values": {"Tags": None}}, content_type="application/json", headers=headers
    )
    assert response.json() == {"values": {"Tags": None}}


def test_api_bad_value_is_400_at_its_field(client, world):
    _fields(world)
    response = client.patch(
        f"/api/v1/networks/core/people/{world.people[0].pk}/fields",
        {"values": {"Years here": "many"}},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": [{"loc": ["body", "Years here"], "msg": "Give a number, such as 3 or 2,5."}]
    }


def test_a_field_of_another_network_is_not_found(client, world):
    other = custom_field_create(network=world.other, applies_to="person", name="X", kind="text")
    response = client.patch(
        f"/api/v1/networks/core/fields/{other.pk}",
        {"name": "Mine now"},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "X"


def test_a_person_of_another_network_has_no_fields_here(client, world):
    response = client.get(
        f"/api/v1/networks/core/people/{world.other_person.pk}/fields",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 404


def test_a_member_cannot_set_values(client, world):
    _fields(world)
    response = client.patch(
        f"/api/v1/networks/core/people/{world.member.person.pk}/fields",
        {"values": {"Area": "mine"}},
        content_type="application/json",
        headers=_headers(world.member),
    )
    assert response.status_code == 403
    assert not CustomValue.objects.exists()


def test_a_persons_values_are_in_their_download_and_go_with_erasure(world):
    from suhde.networks.domain import person_data_erase
    from suhde.networks.queries import person_data

    _fields(world)
    person = world.people[0]
    custom_values_set(network=world.network, person=person, values={"Area": "Home street 5"})
    data = person_data(person, network_ids=None, own=True)
    assert data["fields"] == [{"network": "Core", "field": "Area", "value": "Home street 5"}]
    assert person_data(person, network_ids=[world.other.pk], own=False)["fields"] == []
    assert person_data_erase(person)["field_values"] == 1
    assert not CustomValue.objects.filter(person=person).exists()


# --- the pages -------------------------------------------------------------------------------


def test_a_coordinator_adds_a_choice_field_on_its_page(client, world):
    from django.urls import reverse

    client.force_login(world.coordinator)
    url = reverse("networks:fields", args=["core"])
    response = client.post(
        url, {"applies_to": "person", "name": "Unit", "kind": "choice", "choices": "A\nB\n\nA"}
    )
    assert response.status_code == 302
    assert CustomField.objects.get(network=world.network).choices == ["A", "B"]
    response = client.post(url, {"applies_to": "person", "name": "email", "kind": "text"})
    assert response.status_code == 400
    assert "This name is one of Suhde&#x27;s own details." in response.content.decode()


def test_values_are_set_on_the_persons_fields_page_and_shown_on_their_page(client, world):
    from django.urls import reverse

    fields = _fields(world)
    person = world.people[0]
    client.force_login(world.coordinator)
    url = reverse("networks:person_fields", args=["core", person.pk])
    bad = client.post(url, {f"field_{fields['age'].pk}": "many"})
    assert bad.status_code == 400
    assert "Give a number, such as 3 or 2,5." in bad.content.decode()
    assert not CustomValue.objects.exists()
    response = client.post(
        url,
        {
            f"field_{fields['area'].pk}": "North",
            f"field_{fields['age'].pk}": "2,5",
            f"field_{fields['unit'].pk}": "Health",
            f"field_{fields['tags'].pk}": "youth, sports",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("networks:person", args=["core", person.pk])).content.decode()
    assert '<dt class="col-sm-4">Years here</dt><dd class="col-sm-8 text-break">2.5</dd>' in page
    assert '<dd class="col-sm-8 text-break">youth, sports</dd>' in page
    form = client.get(url).content.decode()
    assert 'value="2,5"' in form  # shown back with a decimal comma, as it is read


# --- the map ---------------------------------------------------------------------------------


def test_the_map_carries_the_fields_and_filters_by_one(client, world):
    fields = _fields(world)
    a, b, c = world.people
    custom_values_set(network=world.network, person=a, values={"Tags": "youth|sports"})
    custom_values_set(network=world.network, person=b, values={"Tags": "Sports", "Area": "N"})
    custom_values_set(network=world.network, person=c, values={"Years here": "3"})
    headers = _headers(world.member)
    data = client.get("/api/v1/networks/core/map", headers=headers).json()
    assert [f["name"] for f in data["fields"]] == ["Area", "Years here", "Unit", "Tags"]
    nodes = {n["person_id"]: n["fields"] for n in data["nodes"]}
    assert nodes[a.pk] == {"Tags": ["youth", "sports"]}
    url = f"/api/v1/networks/core/map?field={fields['tags'].pk}&field_value=sports"
    kept = {n["person_id"] for n in client.get(url, headers=headers).json()["nodes"]}
    assert kept == {a.pk, b.pk}
    url = f"/api/v1/networks/core/map?field={fields['age'].pk}&field_value=3"
    kept = {n["person_id"] for n in client.get(url, headers=headers).json()["nodes"]}
    assert kept == {c.pk}


def test_a_field_of_another_network_filters_the_map_to_nobody(client, world):
    other = custom_field_create(network=world.other, applies_to="person", name="X", kind="text")
    response = client.get(
        f"/api/v1/networks/core/map?field={other.pk}&field_value=x",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 200
    assert response.json()["nodes"] == []
