"""Saved map views, the presentation, one's own positions, the layouts and the encoding
(issue 18), tried as a coordinator, a member, a former member and another network would."""

import json

import pytest
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.common.models import Removal
from suhde.networks.domain import custom_values_set, map_view_create, membership_end
from suhde.networks.map import MapEncoding, MapFilters, map_data
from suhde.networks.models import (
    CustomField,
    MapPins,
    MapView,
    Membership,
    Role,
    Tie,
)
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
    member_user,
)


@pytest.fixture
def sectors(db):
    """Two people in each sector, one tie inside each sector and one across."""
    network = NetworkFactory(slug="sectors")
    lead = member_user(network, Role.COORDINATOR, username="s-lead")
    member = member_user(network, Role.MEMBER, username="s-member")
    people = {}
    for sector in ("public", "private", "third"):
        organization = OrganizationFactory(name=sector.title(), sector=sector, networks=[network])
        pair = [PersonFactory(name=f"{sector}-{i}", organization=organization) for i in (1, 2)]
        for person in pair:
            MembershipFactory(person=person, network=network)
        TieFactory(network=network, source=pair[0], target=pair[1], strength="strong")
        people[sector] = pair
    TieFactory(network=network, source=people["public"][0], target=people["third"][0])
    return network, lead, member, people


def _post_view(client, network, **data):
    return client.post(reverse("networks:map_view_create", args=[network.slug]), data)


def test_map_view_create_keeps_filters_encoding_and_positions(client, sectors):
    network, lead, _member, people = sectors
    client.force_login(lead)
    anna = f"p{people['public'][0].pk}"
    response = _post_view(
        client,
        network,
        title="  Public sector  ",
        note="For the steering group",
        sector="public",
        strength="nonsense",
        layout="circle",
        colour="community",
        size="betweenness",
        positions=json.dumps({anna: [10, -20.25]}),
    )
    view = MapView.objects.get(network=network)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:map_view", args=[network.slug, view.pk])
    assert view.title == "Public sector"
    assert view.note == "For the steering group"
    assert view.filters == {"sector": "public", "view": "people"}
    assert view.encoding == {"layout": "circle", "size": "betweenness", "colour": "community"}
    assert view.positions == {anna: [10.0, -20.2]}
    assert view.created_by == lead


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        ("[1, 2]", "The positions must be an object of node ids and [x, y] pairs."),
        ('{"p1": [1]}', "The position of “p1” is not a node id with two numbers."),
        ('{"x1": [1, 2]}', "The position of “x1” is not a node id with two numbers."),
        ('{"p1": [1, "2"]}', "The position of “p1” is not a node id with two numbers."),
        ('{"p1": [1, 1e9]}', "The position of “p1” is not a node id with two numbers."),
        ('{"p1": [NaN, 1]}', "The position of “p1” is not a node id with two numbers."),
        ("{not json", "The positions are not valid JSON."),
    ],
)
def test_map_view_bad_positions_are_refused_and_nothing_is_saved(
    client, sectors, positions, message
):
    network, lead, *_ = sectors
    client.force_login(lead)
    response = _post_view(client, network, title="T", positions=positions)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:map", args=[network.slug])
    assert MapView.objects.count() == 0
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [message]


def test_map_view_without_a_title_is_refused(client, sectors):
    network, lead, *_ = sectors
    client.force_login(lead)
    response = _post_view(client, network, title="   ")
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Give the view a title."]
    assert MapView.objects.count() == 0


def test_saved_view_shows_its_positions_to_a_member_and_the_api(client, sectors):
    network, lead, member, people = sectors
    anna = f"p{people['public'][0].pk}"
    view = map_view_create(
        network=network,
        user=lead,
        title="Third",
        filters={"sector": "third"},
        positions={anna: [1.0, 2.0], f"p{people['third'][0].pk}": [500.0, 600.0]},
    )
    client.force_login(member)
    page = client.get(reverse("networks:map_view", args=[network.slug, view.pk]))
    assert page.status_code == 200
    assert page.context["api_url"].endswith(f"?saved={view.pk}")
    assert sorted(p.name for p in page.context["data"].people) == ["third-1", "third-2"]
    _, raw = api_token_create(user=member, name="t")
    answer = client.get(
        f"/api/v1/networks/{network.slug}/map?saved={view.pk}&sector=public",
        headers={"Authorization": f"Bearer {raw}"},
    ).json()
    nodes = {n["label"]: n for n in answer["nodes"]}
    assert sorted(nodes) == ["third-1", "third-2"]  # the view's filters, not the address's
    assert (nodes["third-1"]["x"], nodes["third-1"]["y"], nodes["third-1"]["pinned"]) == (
        500.0,
        600.0,
        True,
    )
    assert nodes["third-2"]["pinned"] is False


def test_saved_view_is_not_found_by_a_former_member_or_another_network(client, sectors, world):
    network, lead, member, _ = sectors
    view = map_view_create(network=network, user=lead, title="Ours")
    url = reverse("networks:map_view", args=[network.slug, view.pk])
    membership_end(membership=Membership.objects.get(person=member.person, network=network))
    client.force_login(member)
    assert client.get(url).status_code == 404
    # Another network's coordinator asks through their own network for our view's id.
    _, raw = api_token_create(user=world.outsider, name="t")
    answer = client.get(
        f"/api/v1/networks/elsewhere/map?saved={view.pk}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert answer.status_code == 404
    client.force_login(world.outsider)
    assert client.get(reverse("networks:map_view", args=["elsewhere", view.pk])).status_code == 404


def test_member_positions_are_their_own_and_never_reach_the_shared_view(client, sectors):
    network, lead, member, people = sectors
    view = map_view_create(network=network, user=lead, title="Shared")
    anna = f"p{people['public'][0].pk}"
    client.force_login(member)
    response = client.post(
        reverse("networks:map_pins", args=[network.slug]),
        json.dumps({"positions": {anna: [7, 8]}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"kept": 1}
    refused = client.post(
        reverse("networks:map_view_update", args=[network.slug, view.pk]),
        {"title": "Mine now", "positions": json.dumps({anna: [7, 8]})},
    )
    assert refused.status_code == 403
    view.refresh_from_db()
    assert (view.title, view.positions) == ("Shared", {})
    assert MapPins.objects.get(user=member).positions == {anna: [7.0, 8.0]}
    mine = client.get(reverse("networks:map", args=[network.slug])).context["data"]
    assert next((n["x"], n["y"]) for n in mine.nodes if n["id"] == anna) == (7.0, 8.0)
    client.force_login(lead)
    theirs = client.get(reverse("networks:map", args=[network.slug])).context["data"]
    assert next(n for n in theirs.nodes if n["id"] == anna)["pinned"] is False


def test_map_pins_refuse_bad_input_with_a_message(client, sectors):
    network, _lead, member, _ = sectors
    client.force_login(member)
    response = client.post(
        reverse("networks:map_pins", args=[network.slug]),
        b'{"positions": {"p1": "here"}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The position of “p1” is not a node id with two numbers.",
        "field": "positions",
    }
    assert MapPins.objects.count() == 0


def test_map_view_remove_asks_first_and_can_be_undone(client, sectors):
    network, lead, *_ = sectors
    view = map_view_create(network=network, user=lead, title="Old", positions={"p1": [1.0, 2.0]})
    url = reverse("networks:map_view_delete", args=[network.slug, view.pk])
    client.force_login(lead)
    assert client.get(url).status_code == 200
    assert MapView.objects.count() == 1
    assert client.post(url).status_code == 302
    assert MapView.objects.count() == 0
    undo = Removal.objects.get(kind="networks.mapview")
    client.post(reverse("networks:removal_restore", args=[network.slug, undo.pk]))
    restored = MapView.objects.get()
    assert (restored.pk, restored.title, restored.positions) == (view.pk, "Old", {"p1": [1.0, 2.0]})


def test_map_view_move_changes_the_presentation_order(client, sectors):
    network, lead, *_ = sectors
    _first, _second, third = (map_view_create(network=network, user=lead, title=t) for t in "ABC")
    client.force_login(lead)
    client.post(
        reverse("networks:map_view_move", args=[network.slug, third.pk]), {"step": "earlier"}
    )
    page = client.get(reverse("networks:map_present", args=[network.slug]))
    assert [s["title"] for s in page.context["slides"]] == ["A", "C", "B"]
    assert page.context["slides"][1]["url"] == (
        f"/api/v1/networks/{network.slug}/map?saved={third.pk}"
    )


def test_sector_layout_puts_the_sectors_in_three_regions_left_to_right(sectors):
    network, *_ = sectors
    data = map_data(network, MapFilters(), encoding=MapEncoding(layout="sector"))
    xs = {}
    for node in data.nodes:
        xs.setdefault(node["sector"], []).append(node["x"])
    assert max(xs["public"]) < min(xs["private"]) < max(xs["private"]) < min(xs["third"])


def test_concentric_layout_puts_the_highest_degree_in_the_centre(sectors):
    network, _lead, _member, people = sectors
    TieFactory(network=network, source=people["public"][0], target=people["private"][0])
    data = map_data(network, MapFilters(), encoding=MapEncoding(layout="concentric"))
    centre = [n["label"] for n in data.nodes if (n["x"], n["y"]) == (0.0, 0.0)]
    assert centre == ["public-1"]  # three partners; nobody else more than two


def test_circle_layout_puts_everyone_on_one_circle(sectors):
    network, *_ = sectors
    data = map_data(network, MapFilters(), encoding=MapEncoding(layout="circle"))
    radii = {round((n["x"] ** 2 + n["y"] ** 2) ** 0.5) for n in data.nodes}
    assert radii == {300}


def test_rerun_keeps_pinned_people_where_they_were_put(sectors):
    network, _lead, _member, people = sectors
    pinned = f"p{people['private'][0].pk}"
    data = map_data(network, MapFilters(), positions={pinned: [900.0, -900.0]}, rerun=True)
    moved = next(n for n in data.nodes if n["id"] == pinned)
    assert (moved["x"], moved["y"], moved["pinned"]) == (900.0, -900.0, True)
    partner = next(n for n in data.nodes if n["label"] == "private-2")
    before = next(n for n in map_data(network, MapFilters()).nodes if n["label"] == "private-2")
    assert (partner["x"], partner["y"]) != (before["x"], before["y"])


def test_map_nodes_carry_the_measures_the_encoding_uses(sectors):
    network, *_ = sectors
    data = map_data(network, MapFilters())
    broker = next(n for n in data.nodes if n["label"] == "third-1")
    # public-1 → third-1 → third-2 is the one open two-path: third-1 lets public-1 in.
    assert broker["betweenness"] == round(1 / (7 * 6), 5)  # one path of (n-1)(n-2), n = 8
    assert broker["brokerage"] == "gatekeeper"
    lone = next(n for n in data.nodes if n["label"] == "s-lead")
    assert (lone["betweenness"], lone["brokerage"]) == (0.0, "")


def test_organization_view_counts_organizations_and_links(client, sectors):
    network, lead, *_ = sectors
    client.force_login(lead)
    page = client.get(reverse("networks:map", args=[network.slug]), {"view": "organizations"})
    text = " ".join(page.content.decode().split())
    assert "3 organizations shown, 1 link between organizations (8 people of 8)." in text


def test_empty_filter_says_so_in_the_map(client, sectors, world):
    network, lead, *_ = sectors
    client.force_login(lead)
    page = client.get(reverse("networks:map", args=[network.slug]), {"role": "observer"})
    assert 'id="map-empty"' in page.content.decode()
    assert "Nobody matches these filters." in page.content.decode()


# --- placing partners on the rings (issue 18, point 5) -----------------------------------------


def _place(client, network, ego, partner, strength):
    url = reverse("networks:rings_place", args=[network.slug, ego.pk])
    return client.post(url, {"partner": str(partner.pk), "strength": strength})


def test_member_places_a_partner_on_their_own_rings_as_a_tie(client, sectors):
    network, _lead, member, people = sectors
    partner = people["private"][0]
    client.force_login(member)
    response = _place(client, network, member.person, partner, "strong")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?person={member.person.pk}#rings-place")
    tie = Tie.objects.get(network=network, source=member.person, target=partner)
    assert (tie.strength, [o.kind for o in tie.origins.all()]) == ("strong", ["entered"])
    _place(client, network, member.person, partner, "weak")
    tie.refresh_from_db()
    assert tie.strength == "weak"
    assert Tie.objects.filter(network=network, source=member.person).count() == 1
    page = client.get(reverse("networks:rings", args=[network.slug]))
    alters = {a.label: a.strength for a in page.context["rings"].alters}
    assert alters == {"private-1": "weak"}


def test_member_may_not_place_partners_on_someone_elses_rings(client, sectors):
    network, lead, member, people = sectors
    client.force_login(member)
    response = _place(client, network, lead.person, people["third"][1], "strong")
    assert response.status_code == 403
    assert not Tie.objects.filter(network=network, source=lead.person).exists()
    page = client.get(reverse("networks:rings", args=[network.slug]), {"person": lead.person.pk})
    assert page.context["can_place"] is False
    assert "rings-place" not in page.content.decode()


def test_coordinator_places_on_anyones_rings_but_not_with_an_outsider(client, sectors, world):
    network, lead, member, people = sectors
    client.force_login(lead)
    placed = _place(client, network, member.person, people["third"][1], "weak")
    shown = client.get(placed["Location"])
    assert [str(m) for m in shown.context["messages"]] == ["third-2 is on the outer ring."]
    assert Tie.objects.get(source=member.person, target=people["third"][1]).strength == "weak"
    response = _place(client, network, member.person, world.other_person, "strong")
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "This person is not a member of the network."
    ]
    assert not Tie.objects.filter(target=world.other_person, network=network).exists()
    response = _place(client, network, member.person, people["third"][1], "closest")
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Choose the inner (strong) or the outer (weak) ring."
    ]
    assert Tie.objects.get(source=member.person, target=people["third"][1]).strength == "weak"


def test_colour_by_one_of_the_networks_own_fields_is_offered_and_kept(client, sectors, world):
    network, lead, *_ = sectors
    ours = CustomField.objects.create(
        network=network, applies_to="person", name="Team", kind="tags"
    )
    theirs = CustomField.objects.create(
        network=world.other, applies_to="person", name="Secret", kind="text"
    )
    client.force_login(lead)
    page = client.get(reverse("networks:map", args=[network.slug]))
    assert page.context["custom_fields"] == [(f"field:{ours.pk}", "Team")]
    assert MapEncoding.parse({"colour": f"field:{theirs.pk}"}).colour == f"field:{theirs.pk}"
    assert MapEncoding.parse({"colour": "field:1; drop"}).colour == "sector"
    view = map_view_create(
        network=network, user=lead, title="By team", encoding={"colour": f"field:{ours.pk}"}
    )
    assert view.encoding == {"colour": f"field:{ours.pk}"}


def test_size_by_a_number_field_and_the_field_filter_on_the_map_page(client, sectors, world):
    network, lead, _member, people = sectors
    hours = CustomField.objects.create(
        network=network, applies_to="person", name="Hours", kind="number"
    )
    team = CustomField.objects.create(
        network=network, applies_to="person", name="Team", kind="choice", choices=["A", "B"]
    )
    theirs = CustomField.objects.create(
        network=world.other, applies_to="person", name="Secret", kind="number"
    )
    first, second = people["public"][0], people["third"][0]
    custom_values_set(network=network, person=first, values={"Hours": "12", "Team": "A"})
    custom_values_set(network=network, person=second, values={"Team": "B"})
    client.force_login(lead)
    url = reverse("networks:map", args=[network.slug])
    page = client.get(url)
    assert page.status_code == 200
    # Size by: only the number fields of this network; the filter offers all its fields.
    assert page.context["number_fields"] == [(f"field:{hours.pk}", "Hours")]
    html = page.content.decode()
    assert f'<option value="{hours.pk}">Hours</option>' in html
    assert f'<option value="{team.pk}">Team</option>' in html
    assert 'id="map-field-value"' not in html  # the value box comes with a chosen field
    assert MapEncoding.parse({"size": f"field:{hours.pk}"}).size == f"field:{hours.pk}"
    assert MapEncoding.parse({"size": "field:x"}).size == "degree"

    page = client.get(url + f"?field={team.pk}&field_value=b")
    assert page.status_code == 200
    assert [p.name for p in page.context["data"].people] == [second.name]
    html = page.content.decode()
    assert f'<option value="{team.pk}" selected>Team</option>' in html
    assert 'name="field_value" value="b"' in html
    assert '<option value="A"></option><option value="B"></option>' in html
    # Another network's field keeps nobody, and the page says so.
    page = client.get(url + f"?field={theirs.pk}")
    assert page.context["data"].people == []
    assert "Nobody matches these filters." in page.content.decode()

    api = client.get(f"/api/v1/networks/{network.slug}/map?size=field:{hours.pk}")
    assert api.status_code == 200
    assert api.json()["encoding"]["size"] == f"field:{hours.pk}"
    bad = client.get(f"/api/v1/networks/{network.slug}/map?size=field:1;drop")
    assert bad.status_code == 422


def test_removing_a_field_asks_first_takes_its_values_and_can_be_undone(client, sectors, world):
    network, lead, member, people = sectors
    team = CustomField.objects.create(
        network=network, applies_to="person", name="Team", kind="choice", choices=["A", "B"]
    )
    first = people["public"][0]
    custom_values_set(network=network, person=first, values={"Team": "B"})
    view = map_view_create(
        network=network, user=lead, title="Team B", filters={"field": team.pk, "field_value": "B"}
    )
    url = reverse("networks:field_delete", args=[network.slug, team.pk])
    # A member may not; another network's coordinator does not find it.
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(lead)
    theirs = CustomField.objects.create(
        network=world.other, applies_to="person", name="Theirs", kind="text"
    )
    other = reverse("networks:field_delete", args=[network.slug, theirs.pk])
    assert client.post(other).status_code == 404
    assert CustomField.objects.filter(pk=theirs.pk).exists()
    # It asks first: the page names the field and changes nothing.
    page = client.get(url)
    assert page.status_code == 200
    assert "Team" in page.content.decode()
    assert CustomField.objects.filter(pk=team.pk).exists()
    assert client.post(url).status_code == 302
    assert not CustomField.objects.filter(pk=team.pk).exists()
    assert map_data(network, MapFilters()).fields == []
    assert map_data(network, MapFilters.parse(view.filters)).people == []
    removal = Removal.objects.get(kind="networks.customfield")
    assert removal.name == "Team"
    # A new field of the same name blocks the undo until it is renamed.
    blocker = CustomField.objects.create(
        network=network, applies_to="person", name="Team", kind="text"
    )
    restore = reverse("networks:removal_restore", args=[network.slug, removal.pk])
    client.post(restore)
    assert not CustomField.objects.filter(pk=team.pk).exists()
    blocker.delete()
    client.post(restore)
    back = CustomField.objects.get(pk=team.pk)
    assert (back.name, back.choices) == ("Team", ["A", "B"])
    assert [p.name for p in map_data(network, MapFilters.parse(view.filters)).people] == [
        first.name
    ]
