"""Bad input gives a clear message at the field, saves nothing, and never a server error."""

import pytest
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.networks import domain
from suhde.networks.models import Membership, Network, Organization, Person, Tie
from tests.factories import NetworkFactory


def _counts():
    return tuple(m.objects.count() for m in (Network, Organization, Person, Membership, Tie))


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


@pytest.fixture
def api_client(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


NETWORK_BASE = {"name": "New", "slug": "new", "form": "joint", "scope": "external"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"slug": "!!!"}, "slug", "Use at least one letter or number"),
        ({"slug": "core"}, "slug", "already in use"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"purpose": "x" * 5001}, "purpose", "at most 5000 characters"),
        ({"form": "anarchy"}, "form", "Select a valid choice"),
        ({"levels": ["galaxy"]}, "levels", "Select a valid choice"),
    ],
)
def test_network_form_bad_input_is_named_at_its_field(coordinator_client, change, field, message):
    before = _counts()
    response = coordinator_client.post(reverse("networks:create"), NETWORK_BASE | change)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert _counts() == before


def test_network_cannot_become_its_own_ancestor(coordinator_client, world):
    child = domain.network_create(
        user=world.coordinator, name="Theme", slug="theme", parent=world.network
    )
    grandchild = domain.network_create(user=world.coordinator, name="Sub", slug="sub", parent=child)
    data = NETWORK_BASE | {"name": "Core", "slug": "core", "parent": grandchild.pk}
    response = coordinator_client.post(reverse("networks:edit", args=["core"]), data)
    assert response.status_code == 400
    assert "under itself" in " ".join(response.context["form"].errors["parent"])
    world.network.refresh_from_db()
    assert world.network.parent_id is None


def test_network_parent_must_be_coordinated_by_the_user(coordinator_client, world):
    data = NETWORK_BASE | {"parent": world.other.pk}
    response = coordinator_client.post(reverse("networks:create"), data)
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert not Network.objects.filter(slug="new").exists()


def test_duplicate_membership_is_refused(world):
    with pytest.raises(domain.ValidationError) as error:
        domain.membership_create(network=world.network, person=world.people[0])
    assert "already a member" in str(error.value)
    assert Membership.objects.filter(network=world.network, person=world.people[0]).count() == 1


def test_duplicate_membership_through_the_api_is_a_400(api_client, world):
    before = _counts()
    response = api_client.post(
        "/api/v1/memberships",
        content_type="application/json",
        data={"network": "core", "person_id": world.people[0].pk},
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "person"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "A", "email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "A", "phone": "1" * 41}, "phone"),
        ({"name": "A", "competences": ",".join(["x"] * 31)}, "competences"),
    ],
)
def test_member_form_bad_input(coordinator_client, data, field):
    before = _counts()
    response = coordinator_client.post(
        reverse("networks:member_add", args=["core"]), data | {"role": "member"}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _counts() == before


def test_organization_unknown_sector_in_form(coordinator_client):
    before = _counts()
    response = coordinator_client.post(
        reverse("networks:organization_create", args=["core"]), {"name": "X", "sector": "fourth"}
    )
    assert response.status_code == 400
    assert "sector" in response.context["form"].errors
    assert _counts() == before


def test_organization_finnish_sector_word_is_accepted(world):
    organization = domain.organization_create(
        network=world.network, name="Seurakunta", sector="kolmas"
    )
    assert organization.sector == "third"


@pytest.mark.parametrize(
    ("path", "body", "loc_field", "status"),
    [
        # 422: the schema cannot take the body (a missing or too long field, an unknown choice,
        # an id below 1); 400: the domain's rules (a slug's letters or one already taken, an email).
        ("/api/v1/networks", {"name": "X", "slug": "?!"}, "slug", 400),
        ("/api/v1/networks", {"slug": "x"}, "name", 422),
        ("/api/v1/networks", {"name": "X", "slug": "core"}, "slug", 400),
        ("/api/v1/networks", {"name": "X" * 201, "slug": "long"}, "name", 422),
        (
            "/api/v1/organizations",
            {"network": "core", "name": "X", "sector": "fourth"},
            "sector",
            422,
        ),
        ("/api/v1/people", {"network": "core", "name": "X", "email": "nope"}, "email", 400),
        ("/api/v1/ties", {"network": "core", "source_id": 0, "target_id": 0}, "source_id", 422),
    ],
)
def test_api_bad_input_names_the_field(api_client, path, body, loc_field, status):
    before = _counts()
    response = api_client.post(path, content_type="application/json", data=body)
    assert response.status_code == status
    locs = [item["loc"][-1] for item in response.json()["detail"]]
    assert loc_field in locs
    assert _counts() == before


def test_api_malformed_json_is_a_client_error(api_client):
    response = api_client.post(
        "/api/v1/networks", content_type="application/json", data="{not json"
    )
    # Read before any view runs, so the answer is the API's 400 with the place, not the schema's.
    assert response.status_code == 400


def test_api_network_made_its_own_ancestor_is_refused(api_client, world):
    api_client.post(
        "/api/v1/networks",
        content_type="application/json",
        data={"name": "Theme", "slug": "theme", "parent": "core"},
    )
    response = api_client.patch(
        "/api/v1/networks/core", content_type="application/json", data={"parent": "theme"}
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "parent"]
    world.network.refresh_from_db()
    assert world.network.parent_id is None


def test_tie_between_non_members_is_refused(world):
    with pytest.raises(domain.ValidationError) as error:
        domain.tie_create(
            network=world.network, source_id=world.people[0].pk, target_id=world.other_person.pk
        )
    assert "target" in error.value.message_dict


def test_duplicate_tie_is_refused(world):
    with pytest.raises(domain.ValidationError):
        domain.tie_create(
            network=world.network, source_id=world.tie.source_id, target_id=world.tie.target_id
        )
    assert Tie.objects.filter(network=world.network).count() == 1


def test_rating_out_of_range_is_refused_by_the_api(api_client, world):
    body = {
        "network": "core",
        "source_id": world.people[1].pk,
        "target_id": world.people[2].pk,
        "trust": 5,
    }
    response = api_client.post("/api/v1/ties", content_type="application/json", data=body)
    assert response.status_code == 422
    assert not Tie.objects.filter(source=world.people[1], target=world.people[2]).exists()


def test_last_coordinator_cannot_leave(world):
    membership = Membership.objects.get(person=world.coordinator.person, network=world.network)
    with pytest.raises(domain.ValidationError):
        domain.membership_end(membership=membership)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_oversized_request_body_is_refused(coordinator_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = coordinator_client.post(
        reverse("networks:create"), NETWORK_BASE | {"purpose": "x" * 20_000}
    )
    assert response.status_code == 400
    assert not Network.objects.filter(slug="new").exists()


def test_unknown_page_number_falls_back_to_a_page(coordinator_client):
    response = coordinator_client.get(reverse("networks:members", args=["core"]), {"page": "abc"})
    assert response.status_code == 200


def test_slug_from_name_when_missing(world):
    network = domain.network_create(user=world.coordinator, name="Theme Network Two")
    assert network.slug == "theme-network-two"


def test_network_factory_slug_is_unique(db):
    assert NetworkFactory().slug != NetworkFactory().slug


def test_slug_is_made_from_a_finnish_name_and_numbered_when_taken(world):
    first = domain.network_create(user=world.coordinator, name="Järvelän nuoret – työ & koulu")
    second = domain.network_create(user=world.coordinator, name="Järvelän nuoret – työ & koulu")
    assert (first.slug, second.slug) == ("jarvelan-nuoret-tyo-koulu", "jarvelan-nuoret-tyo-koulu-2")
    assert domain.slug_make("Åbo Ødegård Straße") == "abo-odegard-strasse"


def test_network_form_takes_a_slug_with_a_and_o_and_makes_one_when_empty(coordinator_client):
    form = NETWORK_BASE | {"name": "Yhteistyö", "slug": "Yhteistyö ä"}
    response = coordinator_client.post(reverse("networks:create"), form)
    assert response.status_code == 302
    assert Network.objects.filter(slug="yhteistyo-a").exists()
    response = coordinator_client.post(reverse("networks:create"), form | {"slug": ""})
    assert response["Location"] == reverse("networks:home", args=["yhteistyo"])


def test_editing_a_network_keeps_or_changes_its_slug(coordinator_client, world):
    data = NETWORK_BASE | {"name": "Core", "slug": "core"}
    coordinator_client.post(reverse("networks:edit", args=["core"]), data)
    world.network.refresh_from_db()
    assert world.network.slug == "core"
    response = coordinator_client.post(
        reverse("networks:edit", args=["core"]), data | {"slug": "Ydin ää"}
    )
    assert response["Location"] == reverse("networks:home", args=["ydin-aa"])
    response = coordinator_client.post(
        reverse("networks:edit", args=["ydin-aa"]), data | {"slug": "elsewhere"}
    )
    assert response.status_code == 400
    assert "already in use" in " ".join(response.context["form"].errors["slug"])


def test_api_network_without_a_slug_gets_one_from_its_name(api_client):
    response = api_client.post(
        "/api/v1/networks", content_type="application/json", data={"name": "Työ ja Åsa"}
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "tyo-ja-asa"


def test_api_self_tie_is_refused_at_target(api_client, world):
    person = world.people[0].pk
    body = {"network": "core", "source_id": person, "target_id": person}
    response = api_client.post("/api/v1/ties", content_type="application/json", data=body)
    assert response.status_code == 400
    assert [item["loc"][-1] for item in response.json()["detail"]] == ["target"]
