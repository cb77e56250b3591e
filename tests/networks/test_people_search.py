"""Issue 12 point 3: one search over the people of my networks, and nothing of anyone else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suhde.accounts.domain import api_token_create
from suhde.networks import queries
from suhde.networks.models import Organization, Person, Role
from tests.factories import MembershipFactory, NetworkFactory, OrganizationFactory, PersonFactory


def _search(client, user, q):
    _, raw = api_token_create(user=user, name="t")
    return client.get("/api/v1/people/search", {"q": q}, headers={"Authorization": f"Bearer {raw}"})


def _member(network, name, email="", organization=None):
    person = PersonFactory(name=name, email=email, organization=organization)
    MembershipFactory(person=person, network=network)
    return person


def test_outsider_coordinator_finds_nobody_of_another_network_by_exact_email(client, world):
    response = _search(client, world.outsider, world.people[0].email)
    assert response.status_code == 200
    assert response.json() == []
    for q in (world.people[0].name, world.organization.name, world.people[0].email.upper()):
        assert queries.people_search(world.outsider, q) == []


def test_coordinator_does_not_find_the_other_networks_secret_person(client, world):
    for q in ("secret", "secret@elsewhere.example", "far away"):
        assert _search(client, world.coordinator, q).json() == []


def test_observer_finds_by_name_but_cannot_probe_emails(client, world):
    target = world.people[0]
    found = _search(client, world.observer, target.name).json()
    assert [hit["id"] for hit in found] == [target.pk]
    assert found[0]["email"] is None
    assert _search(client, world.observer, target.email).json() == []


def test_search_folds_case_and_diacritics(client, world):
    makela = _member(world.network, "Pirjo Mäkelä", "Pirjo.Makela@Example.org")
    for q in ("makela", "MÄKELÄ", "mäkelä pirjo", "pirjo.makela@example.org", "PIRJO.MAKELA@"):
        hits = _search(client, world.coordinator, q).json()
        assert [hit["id"] for hit in hits] == [makela.pk], q
    assert hits[0]["email"] == "Pirjo.Makela@Example.org"
    assert hits[0]["networks"] == ["core"]


def test_search_finds_by_organization_folded(client, world):
    school = OrganizationFactory(name="Järvelän lukio", networks=[world.network])
    student = _member(world.network, "Olli Opo", organization=school)
    hits = _search(client, world.coordinator, "jarvelan LUKIO").json()
    assert [(hit["id"], hit["organization_name"]) for hit in hits] == [
        (student.pk, "Järvelän lukio")
    ]


def test_every_word_must_match(world):
    _member(world.network, "Paula Rantanen")
    _member(world.network, "Paula Virtanen")
    assert [h.person.name for h in queries.people_search(world.coordinator, "paula rant")] == [
        "Paula Rantanen"
    ]


def test_former_and_archived_members_are_not_found(world):
    left = _member(world.network, "Left Leena")
    left.memberships.update(left_on="2026-01-01")
    archived = _member(world.network, "Archived Arto")
    Person.objects.filter(pk=archived.pk).update(archived_at="2026-01-01T00:00Z")
    assert queries.people_search(world.coordinator, "leena") == []
    assert queries.people_search(world.coordinator, "arto") == []


def test_core_coordinator_finds_people_of_theme_networks(world):
    theme = NetworkFactory(slug="theme", parent=world.network)
    someone = _member(theme, "Theme Tuula")
    hits = queries.people_search(world.coordinator, "tuula")
    assert [(h.person, [n.slug for n in h.networks]) for h in hits] == [(someone, ["theme"])]
    assert queries.people_search(world.member, "tuula") == []


def test_person_in_two_of_my_networks_is_found_once_with_both(world):
    theme = NetworkFactory(slug="theme", parent=world.network)
    paula = _member(world.network, "Paula Rantanen")
    MembershipFactory(person=paula, network=theme, role=Role.MEMBER)
    hits = queries.people_search(world.coordinator, "paula")
    assert [(h.person, sorted(n.slug for n in h.networks)) for h in hits] == [
        (paula, ["core", "theme"])
    ]


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "\\"])
def test_empty_or_wildcard_search_finds_nothing_or_literally(world, q):
    _member(world.network, "Plain Name")
    assert queries.people_search(world.coordinator, q) == []


def test_search_too_long_or_missing_is_refused_not_500(client, world):
    assert _search(client, world.coordinator, "x" * 101).status_code == 422
    _, raw = api_token_create(user=world.coordinator, name="t2")
    response = client.get("/api/v1/people/search", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422


def test_search_costs_the_same_queries_for_one_or_many_hits(world):
    _member(world.network, "Query Qvist 0")
    with CaptureQueriesContext(connection) as one:
        assert len(queries.people_search(world.coordinator, "qvist")) == 1
    for i in range(1, 4):
        _member(world.network, f"Query Qvist {i}")
    world.coordinator.__dict__.pop("_suhde_network_roles", None)
    with CaptureQueriesContext(connection) as many:
        assert len(queries.people_search(world.coordinator, "qvist")) == 4
    assert len(one) == len(many)


def test_folded_columns_follow_every_write(world):
    person = PersonFactory(name="Åsa Öhman")
    assert person.search == "asa ohman"
    person.name = "Ärla Ek"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert person.search == "arla ek"
    [bulk] = Person.objects.bulk_create([Person(name="Bülk Bäck")])
    assert Person.objects.get(pk=bulk.pk).search == "bulk back"
    bulk.name = "Ümläut"
    Person.objects.bulk_update([bulk], ["name"])
    assert Person.objects.get(pk=bulk.pk).search == "umlaut"
    organization = Organization.objects.create(name="Järvelän Nuoret ry", sector="third")
    assert (organization.search, organization.key) == ("jarvelan nuoret ry", "jarvelannuoret")


def test_organization_same_name_only_among_my_networks(world):
    OrganizationFactory(name="Järvelän Nuoret ry", networks=[world.other])
    mine = OrganizationFactory(name="Järvelän nuoret", networks=[world.network])
    assert queries.organization_same_name(world.coordinator, "JARVELAN NUORET RY") == mine
    assert queries.organization_same_name(world.outsider, "jarvelan nuoret") != mine
    assert queries.organization_same_name(world.member, "Someone else") is None


def test_someone_in_no_network_finds_nobody(client, world):
    from tests.factories import UserFactory

    lonely = UserFactory()
    response = _search(client, lonely, world.people[0].name)
    assert response.status_code == 200 and response.json() == []
