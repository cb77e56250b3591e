"""The network map: data, filters, ego and organization views, cached positions, tables."""

import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suhde.networks.domain import ties_survey_record
from suhde.networks.map import MapFilters, map_data
from suhde.networks.models import (
    MapLayout,
    Membership,
    Network,
    Organization,
    Person,
    Role,
    Tie,
    TieOrigin,
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
def small(db):
    """Three organizations, one per sector; five people; four ties; a theme network."""
    network = NetworkFactory(slug="small")
    city = OrganizationFactory(name="City", sector="public", networks=[network])
    shop = OrganizationFactory(name="Shop", sector="private", networks=[network])
    club = OrganizationFactory(name="Club", sector="third", networks=[network])
    user = member_user(network, Role.COORDINATOR, city, username="lead")
    lead = user.person
    anna = PersonFactory(name="Anna", organization=city)
    bert = PersonFactory(name="Bert", organization=shop)
    cara = PersonFactory(name="Cara", organization=club)
    dan = PersonFactory(name="Dan", organization=club)
    for person in (anna, bert, cara, dan):
        MembershipFactory(person=person, network=network)
    TieFactory(network=network, source=lead, target=anna, strength="strong")
    TieFactory(network=network, source=anna, target=bert, strength="weak")
    TieFactory(network=network, source=bert, target=cara, strength="strong")
    TieFactory(network=network, source=cara, target=dan, strength="weak")
    theme = NetworkFactory(slug="small-theme", parent=network)
    MembershipFactory(person=cara, network=theme)
    MembershipFactory(person=dan, network=theme)
    people = {"lead": lead, "anna": anna, "bert": bert, "cara": cara, "dan": dan}
    return network, user, people, {"city": city, "shop": shop, "club": club}


def _labels(data):
    return sorted(node["label"] for node in data.nodes)


def test_map_has_every_person_with_a_position_and_every_tie(small):
    network, _, _people, _ = small
    data = map_data(network, MapFilters())
    assert _labels(data) == ["Anna", "Bert", "Cara", "Dan", "lead"]
    assert len(data.edges) == 4
    anna = next(node for node in data.nodes if node["label"] == "Anna")
    assert anna["sector"] == "public"
    assert anna["degree"] == 2
    assert anna["kind"] == "person"
    assert isinstance(anna["x"], float) and isinstance(anna["y"], float)
    strengths = sorted(edge["strength"] for edge in data.edges)
    assert strengths == ["strong", "strong", "weak", "weak"]


def test_map_positions_are_cached_and_recomputed_when_ties_change(small):
    network, _, people, _ = small
    first = map_data(network, MapFilters())
    row = MapLayout.objects.get(network=network, kind="people")
    assert row.digest == first.digest
    again = map_data(network, MapFilters())
    assert [(n["x"], n["y"]) for n in again.nodes] == [(n["x"], n["y"]) for n in first.nodes]
    TieFactory(network=network, source=people["dan"], target=people["lead"])
    changed = map_data(network, MapFilters())
    assert changed.digest != first.digest
    assert MapLayout.objects.get(network=network, kind="people").digest == changed.digest


def test_map_layout_query_count_is_the_same_when_cached(small):
    network, *_ = small
    map_data(network, MapFilters())
    with CaptureQueriesContext(connection) as warm:
        map_data(network, MapFilters())
    assert len(warm) == 4  # and one for the network's own fields (none here)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "third"}, ["Cara", "Dan"]),
        ({"sector": "public"}, ["Anna", "lead"]),
        ({"role": "coordinator"}, ["lead"]),
        ({"theme": "small-theme"}, ["Cara", "Dan"]),
        ({"theme": "no-such-theme"}, []),
        ({"sector": "nonsense"}, ["Anna", "Bert", "Cara", "Dan", "lead"]),
    ],
)
def test_map_filters_people(small, params, expected):
    network, *_ = small
    assert _labels(map_data(network, MapFilters.parse(params))) == expected


def test_map_filters_by_organization_and_tie_strength(small):
    network, _, _, organizations = small
    data = map_data(network, MapFilters.parse({"organization": str(organizations["club"].pk)}))
    assert _labels(data) == ["Cara", "Dan"]
    assert len(data.edges) == 1
    strong = map_data(network, MapFilters.parse({"strength": "strong"}))
    assert sorted(edge["strength"] for edge in strong.edges) == ["strong", "strong"]


def test_ego_view_one_and_two_steps(small):
    network, _, people, _ = small
    one = map_data(network, MapFilters.parse({"ego": str(people["anna"].pk)}))
    assert _labels(one) == ["Anna", "Bert", "lead"]
    centre = next(node for node in one.nodes if node["label"] == "Anna")
    assert (centre["x"], centre["y"]) == (0.0, 0.0)
    two = map_data(network, MapFilters.parse({"ego": str(people["anna"].pk), "depth": "2"}))
    assert _labels(two) == ["Anna", "Bert", "Cara", "lead"]


def test_ego_from_another_network_is_ignored(small, world):
    network, *_ = small
    data = map_data(network, MapFilters.parse({"ego": str(world.other_person.pk)}))
    assert data.ego is None
    assert "Secret Person" not in _labels(data)


def test_organization_view_aggregates_ties_with_counts(small):
    network, _, people, organizations = small
    TieFactory(network=network, source=people["dan"], target=people["bert"], strength="weak")
    data = map_data(network, MapFilters.parse({"view": "organizations"}))
    assert _labels(data) == ["City", "Club", "Shop"]
    edges = {(e["source"], e["target"]): (e["count"], e["strength"]) for e in data.edges}
    club, shop, city = (f"o{organizations[k].pk}" for k in ("club", "shop", "city"))
    assert edges[tuple(sorted((city, shop), key=lambda s: int(s[1:])))] == (1, "weak")
    assert edges[tuple(sorted((shop, club), key=lambda s: int(s[1:])))] == (2, "strong")
    assert len(edges) == 2  # ties inside the club or the city are not between organizations
    counts = {node["label"]: node["count"] for node in data.nodes}
    assert counts == {"City": 2, "Shop": 1, "Club": 2}


def test_map_api_returns_nodes_and_edges(client, small):
    _network, user, _, _ = small
    client.force_login(user)
    response = client.get("/api/v1/networks/small/map?sector=third")
    assert response.status_code == 200
    body = response.json()
    assert sorted(node["label"] for node in body["nodes"]) == ["Cara", "Dan"]
    assert body["edges"][0]["strength"] == "weak"
    assert set(body["nodes"][0]) >= {"id", "x", "y", "sector", "organization", "role", "degree"}


def test_map_api_refuses_bad_filter_values(client, small):
    _, user, _, _ = small
    client.force_login(user)
    assert client.get("/api/v1/networks/small/map?sector=evil").status_code == 422
    assert client.get("/api/v1/networks/small/map?depth=3").status_code == 422
    assert client.get("/api/v1/networks/small/map?theme=a%27b").status_code == 422


def test_map_page_has_the_table_alternative_and_legend(client, small):
    _, user, _, _ = small
    client.force_login(user)
    response = client.get(reverse("networks:map", args=["small"]) + "?sort=-degree")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="people-table"' in html and 'id="ties-table"' in html
    assert "public sector (circle)" in html
    assert 'data-map-url="/api/v1/networks/small/map?' in html
    names = [name for name in ("Anna", "Bert", "Cara", "Dan") if name in html]
    assert names == ["Anna", "Bert", "Cara", "Dan"]
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_map_page_sort_parameter_comes_from_an_allowlist(client, small):
    _, user, _, _ = small
    client.force_login(user)
    response = client.get(reverse("networks:map", args=["small"]) + "?sort=password")
    assert response.status_code == 200
    assert response.context["sort"] == "name"


def _big_network(size: int, ties: int, slug: str):
    """A network of ``size`` people in organizations of 25, with ``ties`` random ties."""
    rng = random.Random(size)
    network = Network.objects.create(name=slug, slug=slug)
    organizations = Organization.objects.bulk_create(
        Organization(name=f"{slug} org {i}", sector=("public", "private", "third")[i % 3])
        for i in range(max(1, size // 25))
    )
    network.organizations.set(organizations)
    people = Person.objects.bulk_create(
        Person(name=f"{slug} {i}", organization=organizations[i % len(organizations)])
        for i in range(size)
    )
    Membership.objects.bulk_create(Membership(person=p, network=network) for p in people)
    pairs = set()
    while len(pairs) < ties:
        a, b = rng.randrange(size), rng.randrange(size)
        if a != b:
            pairs.add((a, b))
    Tie.objects.bulk_create(
        Tie(
            network=network,
            source=people[a],
            target=people[b],
            strength=rng.choice(["weak", "strong"]),
        )
        for a, b in sorted(pairs)
    )
    user = member_user(network, Role.COORDINATOR, organizations[0], username=f"u-{slug}")
    return user


def _map_queries(user, slug):
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/networks/{slug}/map")
    assert response.status_code == 200
    return len(captured), response.json()


def test_map_data_for_2000_people_costs_the_same_queries_as_for_20(db, monkeypatch):
    # Computed in the request here, as the worker does (tests/networks/test_map_background.py
    # pins the queries of a map whose layout is still being computed).
    monkeypatch.setattr("suhde.networks.map.BACKGROUND_FROM", 10**6)
    small_user = _big_network(20, 120, "twenty")
    big_user = _big_network(2000, 12000, "two-thousand")
    small_cold, _small_body = _map_queries(small_user, "twenty")
    big_cold, big_body = _map_queries(big_user, "two-thousand")
    assert small_cold == big_cold
    assert len(big_body["nodes"]) == 2001
    assert len(big_body["edges"]) == 12000
    small_warm, _ = _map_queries(small_user, "twenty")
    big_warm, _ = _map_queries(big_user, "two-thousand")
    assert small_warm == big_warm


def test_theme_filter_shows_nothing_from_a_theme_network_the_caller_cannot_open(client, small):
    network, *_ = small
    member = member_user(network, Role.MEMBER, username="plain")
    client.force_login(member)
    body = client.get("/api/v1/networks/small/map?theme=small-theme").json()
    assert body["nodes"] == []
    assert _labels(map_data(network, MapFilters(theme="small-theme"), [network.pk])) == []


def test_organization_view_page_lists_organizations_and_their_links(client, small):
    _, user, _, _ = small
    client.force_login(user)
    response = client.get(reverse("networks:map", args=["small"]) + "?view=organizations")
    html = response.content.decode()
    assert 'id="organizations-table"' in html
    assert [(a, b, edge["count"]) for a, b, edge in response.context["organization_links"]] == [
        ("City", "Shop", 1),
        ("Shop", "Club", 1),
    ]


def test_a_hand_entered_and_a_survey_tie_for_one_pair_are_one_edge(small):
    network, _, people, _ = small
    Tie.objects.filter(source=people["anna"], target=people["bert"]).update(trust=4)
    TieOrigin.objects.filter(tie__source=people["anna"], tie__target=people["bert"]).update(trust=4)
    ties_survey_record(
        network=network,
        label="Spring",
        at=timezone.now(),
        respondents=[people["anna"].pk],
        ties=[(people["anna"].pk, people["bert"].pk, "strong")],
    )
    data = map_data(network, MapFilters())
    edges = [e for e in data.edges if e["source"] == f"p{people['anna'].pk}"]
    assert [(e["target"], e["strength"], e["trust"]) for e in edges] == [
        (f"p{people['bert'].pk}", "strong", 4)
    ]
    assert len(data.edges) == 4


def test_ties_table_sorts_by_an_allowlisted_key(client, small):
    _, user, _, _ = small
    client.force_login(user)
    url = reverse("networks:map", args=["small"])
    rows = client.get(url + "?tsort=strength").context["tie_rows"]
    assert [(row[0].strength, row[1], row[2]) for row in rows] == [
        ("strong", "Bert", "Cara"),
        ("strong", "lead", "Anna"),
        ("weak", "Anna", "Bert"),
        ("weak", "Cara", "Dan"),
    ]
    assert client.get(url + "?tsort=id;drop").context["tsort"] == "source"


def test_ids_from_other_networks_never_widen_the_map(world):
    """Promise 3: whatever ids a filter carries, the map stays inside the network."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    inside = {p.pk for p in Person.objects.filter(memberships__network=world.network)}
    candidates = [
        world.other_person.pk,
        world.outsider.person.pk,
        world.other_organization.pk,
        world.organization.pk,
        *inside,
    ]

    @settings(max_examples=40, deadline=None)
    @given(
        ego=st.sampled_from([None, *candidates]),
        organization=st.sampled_from([None, *candidates]),
        view=st.sampled_from(["people", "organizations"]),
        depth=st.sampled_from(["1", "2"]),
    )
    def check(ego, organization, view, depth):
        params = {"ego": ego, "organization": organization, "view": view, "depth": depth}
        data = map_data(world.network, MapFilters.parse({k: v for k, v in params.items() if v}))
        assert {p.id for p in data.people} <= inside
        assert "Secret Person" not in {node["label"] for node in data.nodes}
        assert "Far away NGO" not in {node["label"] for node in data.nodes}

    check()
