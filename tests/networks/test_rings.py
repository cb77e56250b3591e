"""The rings view: sectors as slices, strong ties inside, weak outside, a table beside it."""

from django.urls import reverse

from suhde.networks.map import network_graph
from suhde.networks.rings import organization_rings, person_rings
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, TieFactory


def _setup(world):
    ngo = OrganizationFactory(name="NGO", sector="third", networks=[world.network])
    shop = OrganizationFactory(name="Shop", sector="private", networks=[world.network])
    helper = PersonFactory(name="Helper", organization=ngo)
    seller = PersonFactory(name="Seller", organization=shop)
    for person in (helper, seller):
        MembershipFactory(person=person, network=world.network)
    centre = world.people[0]
    TieFactory(network=world.network, source=centre, target=helper, strength="strong")
    TieFactory(network=world.network, source=seller, target=centre, strength="weak")
    return centre, helper, seller, ngo


def test_person_rings_place_partners_by_sector_and_strength(world):
    centre, _helper, _seller, _ = _setup(world)
    rings = person_rings(network_graph(world.network), centre.pk)
    placed = {a.label: (a.sector, a.strength) for a in rings.alters}
    assert placed == {
        world.people[1].name: ("public", "weak"),
        "Helper": ("third", "strong"),
        "Seller": ("private", "weak"),
    }
    helper_alter = next(a for a in rings.alters if a.label == "Helper")
    assert round((helper_alter.x**2 + helper_alter.y**2) ** 0.5) == 150
    seller_alter = next(a for a in rings.alters if a.label == "Seller")
    assert round((seller_alter.x**2 + seller_alter.y**2) ** 0.5) == 290
    assert [s.sector for s in rings.slices] == ["public", "private", "third"]


def test_organization_rings_count_ties_between_organizations(world):
    _, _, _, _ngo = _setup(world)
    rings = organization_rings(network_graph(world.network), world.organization.pk)
    assert {(a.label, a.strength, a.count) for a in rings.alters} == {
        ("NGO", "strong", 1),
        ("Shop", "weak", 1),
    }
    assert organization_rings(network_graph(world.network), 999999) is None


def test_rings_page_draws_svg_and_table(client, world):
    centre, *_ = _setup(world)
    client.force_login(world.member)
    response = client.get(reverse("networks:rings", args=["core"]) + f"?person={centre.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="rings"' in html
    assert html.count('class="link link-strong"') == 1
    assert html.count('class="link link-weak"') == 2
    assert "Partners of" in html


def test_rings_page_ignores_people_of_other_networks(client, world):
    client.force_login(world.member)
    url = reverse("networks:rings", args=["core"]) + f"?person={world.other_person.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret Person" not in response.content.decode()
    url = reverse("networks:rings", args=["core"]) + f"?organization={world.other_organization.pk}"
    assert "Far away NGO" not in client.get(url).content.decode()
