"""Issue 12 point 3: adding someone starts from the people already in my networks, and an address
or an organization name that exists is offered as that record, never silently duplicated."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suhde.accounts.domain import api_token_create
from suhde.networks.demo import demo_load
from suhde.networks.models import Membership, Network, Organization, Person, Role
from tests.factories import MembershipFactory, NetworkFactory, OrganizationFactory, PersonFactory


def _api(client, user):
    _, raw = api_token_create(user=user, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.fixture
def theme(world):
    return NetworkFactory(name="Theme", slug="theme", parent=world.network)


def test_done_when_adding_paula_by_email_offers_her_and_the_ecosystem_shows_her_once(client, db):
    demo_load(password="demo demo demo 1")
    paula = Person.objects.get(name="Paula Rantanen")
    housing = Network.objects.get(slug="jarvela-asuminen")
    assert not paula.memberships.filter(network=housing).exists()
    people = Person.objects.count()
    client.force_login(get_user_model().objects.get(username="demo"))
    url = "/n/jarvela-asuminen/members/new/?new=1"
    response = client.post(
        url, {"name": "Paula R.", "email": paula.email.upper(), "role": "member"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Paula Rantanen" in page and f'href="?person={paula.pk}"' in page
    assert Person.objects.count() == people
    response = client.post(
        "/n/jarvela-asuminen/members/new/", {"person": paula.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert Person.objects.count() == people
    assert housing.organizations.filter(pk=paula.organization_id).exists()
    page = client.get("/ecosystem/").content.decode()
    section = page.split("People in several networks")[2]
    assert section.count("Paula Rantanen") == 1
    row = section.split("Paula Rantanen")[1].split("</tr>")[0]
    assert "Asumisen teemaverkosto" in row and "Järvelän nuorten aikuisten palveluverkosto" in row


def test_api_person_create_with_an_existing_email_offers_that_person(client, world):
    existing = world.people[0]
    before = Person.objects.count()
    response = _api(client, world.coordinator).post(
        "/api/v1/people",
        {"network": "core", "name": "Twin", "email": f"  {existing.email.upper()} "},
        content_type="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "email"]
    assert existing.name in error["msg"] and f"person {existing.pk})" in error["msg"]
    assert Person.objects.count() == before


def test_api_person_create_does_not_reveal_an_address_of_another_network(client, world):
    response = _api(client, world.coordinator).post(
        "/api/v1/people",
        {"network": "core", "name": "New", "email": world.other_person.email},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "Secret" not in response.content.decode()


def test_page_new_person_with_existing_email_adds_nothing(client, world):
    client.force_login(world.coordinator)
    before = (Person.objects.count(), Membership.objects.count())
    response = client.post(
        "/n/core/members/new/?new=1",
        {"name": "Again", "email": world.people[1].email.upper(), "role": "member"},
    )
    assert response.status_code == 400
    assert f'href="?person={world.people[1].pk}"' in response.content.decode()
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_api_membership_create_takes_a_person_from_another_of_my_networks(client, world, theme):
    api = _api(client, world.coordinator)
    response = api.post(
        "/api/v1/memberships",
        {"network": "theme", "person_id": world.people[0].pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Membership.objects.filter(person=world.people[0], network=theme).exists()
    response = api.post(
        "/api/v1/memberships",
        {"network": "theme", "person_id": world.other_person.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not world.other_person.memberships.filter(network=theme).exists()


def test_member_add_search_offers_people_of_my_networks_with_new_person_last(client, world, theme):
    MembershipFactory(person=world.people[0], network=theme)
    client.force_login(world.coordinator)
    page = client.get("/n/theme/members/new/", {"q": world.people[0].name}).content.decode()
    assert world.people[0].name in page and "already a member here" in page
    page = client.get("/n/theme/members/new/", {"q": world.people[1].name}).content.decode()
    assert f'href="?person={world.people[1].pk}"' in page
    assert page.index(f"?person={world.people[1].pk}") < page.index("Create a new person")
    assert (
        "Secret Person" not in client.get("/n/theme/members/new/", {"q": "secret"}).content.decode()
    )


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", str(2**70), "1e3"])
def test_member_add_existing_bad_person_is_a_message_not_a_500(client, world, value):
    client.force_login(world.coordinator)
    before = Membership.objects.count()
    response = client.post("/n/core/members/new/", {"person": value, "role": "member"})
    assert response.status_code == 400
    assert "Person: choose someone from the search." in response.content.decode()
    assert Membership.objects.count() == before


def test_member_add_existing_from_another_network_is_refused_like_a_made_up_id(client, world):
    client.force_login(world.coordinator)
    before = Membership.objects.count()
    refused = client.post(
        "/n/core/members/new/", {"person": world.other_person.pk, "role": "member"}
    )
    made_up = client.post("/n/core/members/new/", {"person": 999999, "role": "member"})
    assert refused.status_code == made_up.status_code == 400
    assert "Secret" not in refused.content.decode()
    assert Membership.objects.count() == before


def test_member_add_existing_twice_names_the_person_field(client, world, theme):
    client.force_login(world.coordinator)
    data = {"person": world.people[2].pk, "role": "facilitator", "in_steering_group": "on"}
    assert client.post("/n/theme/members/new/", data).status_code == 302
    membership = Membership.objects.get(person=world.people[2], network=theme)
    assert (membership.role, membership.in_steering_group) == (Role.FACILITATOR, True)
    response = client.post("/n/theme/members/new/", data)
    assert response.status_code == 400  # refused at the person field
    assert Membership.objects.filter(person=world.people[2], network=theme).count() == 1


def test_member_add_bad_role_names_the_field(client, world, theme):
    client.force_login(world.coordinator)
    response = client.post("/n/theme/members/new/", {"person": world.people[2].pk, "role": "boss"})
    assert response.status_code == 400
    assert not Membership.objects.filter(person=world.people[2], network=theme).exists()


def test_member_add_search_costs_the_same_queries_for_one_or_three_hits(client, world, theme):
    client.force_login(world.coordinator)
    client.get("/n/theme/members/new/", {"q": "zeta"})
    counts = []
    for n in (1, 3):
        while Person.objects.filter(name__startswith="Zeta").count() < n:
            person = PersonFactory(name=f"Zeta {Person.objects.count()}")
            MembershipFactory(person=person, network=world.network)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/n/theme/members/new/", {"q": "zeta"})
        assert response.content.decode().count("?person=") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_organization_with_the_same_name_in_my_networks_is_offered(client, world, theme):
    youth = OrganizationFactory(name="Järvelän Nuoret ry", sector="third", networks=[world.network])
    client.force_login(world.coordinator)
    before = Organization.objects.count()
    response = client.post(
        "/n/theme/organizations/new/", {"name": "JARVELAN  nuoret", "sector": "third"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="existing" value="{youth.pk}"' in page
    assert Organization.objects.count() == before
    response = client.post("/n/theme/organizations/new/", {"existing": youth.pk})
    assert response.status_code == 302
    assert theme.organizations.filter(pk=youth.pk).exists()


def test_organization_link_of_another_network_is_not_found(client, world):
    client.force_login(world.coordinator)
    response = client.post("/n/core/organizations/new/", {"existing": world.other_organization.pk})
    assert response.status_code == 404
    assert not world.network.organizations.filter(pk=world.other_organization.pk).exists()


def test_api_organization_create_same_name_is_refused_naming_the_field(client, world):
    response = _api(client, world.coordinator).post(
        "/api/v1/organizations",
        {"network": "core", "name": "city youth SERVICES oy", "sector": "public"},
        content_type="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "name"]
    assert Organization.objects.filter(key="cityyouthservices").count() == 1


def test_api_organization_create_same_name_as_another_networks_is_allowed(client, world):
    response = _api(client, world.coordinator).post(
        "/api/v1/organizations",
        {"network": "core", "name": "Far Away NGO ry", "sector": "third"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_member_add_search_answers_htmx_with_the_results_only(client, world, theme):
    client.force_login(world.coordinator)
    response = client.get(
        "/n/theme/members/new/", {"q": world.people[1].name}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="hits"') and "<html" not in html
    assert f"?person={world.people[1].pk}" in html


def test_member_add_choice_page_shows_the_person_and_the_role_form(client, world, theme):
    client.force_login(world.coordinator)
    before = Membership.objects.count()
    response = client.get("/n/theme/members/new/", {"person": world.people[1].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert world.people[1].name in html and 'name="role"' in html
    assert f'name="person" value="{world.people[1].pk}"' in html
    assert Membership.objects.count() == before


def test_observer_elsewhere_cannot_reveal_an_address_by_adding_its_owner(client, world):
    """An observer of the core network who coordinates a network of their own must not copy a
    core member into it, where the address would show."""
    mine = NetworkFactory(slug="mine")
    MembershipFactory(person=world.observer.person, network=mine, role=Role.COORDINATOR)
    target = world.people[0]
    before = Membership.objects.count()
    response = _api(client, world.observer).post(
        "/api/v1/memberships",
        {"network": "mine", "person_id": target.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.force_login(world.observer)
    page = client.get("/n/mine/members/new/", {"q": target.name}).content.decode()
    assert f"?person={target.pk}" not in page and target.email not in page
    response = client.post("/n/mine/members/new/", {"person": target.pk, "role": "member"})
    assert response.status_code == 400
    assert Membership.objects.count() == before
