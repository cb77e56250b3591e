from django.urls import reverse

from suhde.networks import access, domain
from suhde.networks.models import Membership, Network, PhaseChange
from tests.factories import OrganizationFactory


def test_network_created_in_the_browser_makes_its_creator_coordinator(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("networks:create"),
        {
            "name": "Asumisen verkosto",
            "slug": "asuminen",
            "form": "evolving",
            "scope": "internal",
            "levels": ["advocacy", "customer"],
            "goal_kinds": ["aim"],
        },
    )
    assert response.status_code == 302
    network = Network.objects.get(slug="asuminen")
    assert network.levels == ["advocacy", "customer"]
    assert Membership.objects.get(network=network).role == "coordinator"


def test_phase_change_is_recorded_with_its_note(client, world):
    client.force_login(world.coordinator)
    client.post(
        reverse("networks:phase", args=["core"]), {"to_phase": "2", "note": "Kartta valmis."}
    )
    world.network.refresh_from_db()
    assert world.network.phase == 2
    change = PhaseChange.objects.get(network=world.network)
    assert (change.from_phase, change.to_phase, change.note) == (1, 2, "Kartta valmis.")
    assert change.changed_by == world.coordinator


def test_coordinator_of_core_network_coordinates_theme_networks(world):
    theme = domain.network_create(
        user=world.outsider, name="Theme", slug="theme", parent=world.network
    )
    deeper = domain.network_create(user=world.outsider, name="Deeper", slug="deeper", parent=theme)
    roles = access.network_roles(world.coordinator)
    assert roles[theme.pk] == roles[deeper.pk] == "coordinator"
    assert deeper.pk not in access.network_roles(world.member)


def test_home_lists_theme_networks_the_user_can_open(client, world):
    domain.network_create(
        user=world.coordinator, name="Theme net", slug="theme", parent=world.network
    )
    client.force_login(world.coordinator)
    assert "Theme net" in client.get(reverse("networks:home", args=["core"])).content.decode()
    client.force_login(world.member)
    assert "Theme net" not in client.get(reverse("networks:home", args=["core"])).content.decode()


def test_members_are_grouped_by_sector_and_organization(client, world):
    ngo = OrganizationFactory(name="Housing NGO", sector="third", networks=[world.network])
    domain.person_create(network=world.network, name="Nina NGO", organization=ngo)
    client.force_login(world.member)
    response = client.get(reverse("networks:members", args=["core"]))
    groups = response.context["groups"]
    assert [group.sector for group in groups] == ["public", "third"]
    assert groups[1].organizations[0].organization == ngo


def test_member_search_uses_the_partial_for_htmx(client, world):
    client.force_login(world.member)
    response = client.get(
        reverse("networks:members", args=["core"]),
        {"q": "observer"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="member-list"')
    assert "<html" not in html
    assert [m.person.name for m in response.context["page"]] == ["observer"]


def test_archived_person_is_hidden_and_loses_access(client, world):
    domain.person_archive(person=world.member.person)
    client.force_login(world.member)
    assert client.get(reverse("networks:home", args=["core"])).status_code == 404
    client.force_login(world.coordinator)
    members = client.get(reverse("networks:members", args=["core"])).context["page"]
    assert world.member.person not in [m.person for m in members]


def test_ecosystem_shows_organizations_shared_by_networks(client, world):
    theme = domain.network_create(
        user=world.coordinator, name="Theme", slug="theme", parent=world.network
    )
    world.organization.networks.add(theme)
    client.force_login(world.coordinator)
    ecosystem = client.get(reverse("networks:ecosystem")).context["ecosystem"]
    assert [item.organization for item in ecosystem.shared] == [world.organization]
    assert world.other_organization not in [item.organization for item in ecosystem.shared]


def test_observer_sees_no_contact_details(client, world):
    client.force_login(world.observer)
    html = client.get(reverse("networks:person", args=["core", world.people[0].pk])).content
    assert world.people[0].email.encode() not in html
    client.force_login(world.member)
    html = client.get(reverse("networks:person", args=["core", world.people[0].pk])).content
    assert world.people[0].email.encode() in html


def test_home_shows_the_checklist_of_the_current_phase(client, world):
    client.force_login(world.member)
    items = client.get(reverse("networks:home", args=["core"])).context["checklist"]
    assert [(item.label, item.done, item.detail) for item in items][:3] == [
        ("Members gathered", True, "6 members"),
        ("All three sectors present", False, "1 of 3 sectors"),
        ("Ties between members recorded", True, "1 tie"),
    ]
    domain.network_phase_change(network=world.network, to_phase=3, note="", user=None)
    response = client.get(reverse("networks:home", args=["core"]))
    assert all(item.label != "Members gathered" for item in response.context["checklist"])


def test_navigation_groups_pages_by_phase_and_marks_the_current_one(client, world):
    client.force_login(world.member)
    html = client.get(reverse("networks:organizations", args=["core"])).content.decode()
    phases = html.split('class="nav nav-tabs phase-tabs"')[1].split("</ul>")[0]
    assert "Seeing the network" in phases and "Evaluation and joint reflection" in phases
    links = html.split('class="nav nav-pills phase-links')[1].split("</ul>")[0]
    assert 'aria-current="page" href="/n/core/organizations/">Organizations' in links
    assert "Map" in links and "Surveys" not in links
    html = client.get(reverse("surveys:waves", args=["core"])).content.decode()
    links = html.split('class="nav nav-pills phase-links')[1].split("</ul>")[0]
    assert 'aria-current="page" href="/n/core/surveys/">Surveys' in links
