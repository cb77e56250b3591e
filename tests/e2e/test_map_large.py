"""The map above 1,500 people: drawn by Suhde's own canvas renderer instead of Cytoscape
(issue 18, point 7). It draws, pans and zooms, a person can be chosen and moved by keyboard, the
legend counts the right people, and the page is axe clean at 1280 and 360 px."""

import random

import pytest
from django.contrib.auth import get_user_model

from suhde.networks.domain import ties_bulk_enter
from suhde.networks.models import Membership, Network, Organization, Person, Tie
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "large map password for tests"
PEOPLE = 1600
ORGS = 40
SECTORS = ["public", "private", "third"]


def _network():
    network = Network.objects.create(name="Suuri verkosto", slug="suuri")
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Org {i:02d}", sector=SECTORS[i % 3]) for i in range(ORGS)
    )
    network.organizations.set(orgs)
    people = Person.objects.bulk_create(
        Person(name=f"Henkilö {i:04d}", email=f"h{i}@example.org", organization=orgs[i % ORGS])
        for i in range(PEOPLE)
    )
    user = get_user_model().objects.create_user("koordinaattori", password=PASSWORD)
    people[0].user = user
    people[0].save()
    Membership.objects.bulk_create(
        Membership(person=p, network=network, role="coordinator" if i == 0 else "member")
        for i, p in enumerate(people)
    )
    rng = random.Random(18)
    pairs = {(i, (i + 1) % PEOPLE) for i in range(PEOPLE)}
    while len(pairs) < 3000:
        a, b = rng.randrange(PEOPLE), rng.randrange(PEOPLE)
        if a != b:
            pairs.add((a, b))
    ties_bulk_enter(
        ties=[
            Tie(network=network, source=people[a], target=people[b], strength="weak")
            for a, b in sorted(pairs)
        ]
    )
    return user


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "koordinaattori")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _inked(page) -> int:
    """How many pixels of the map's canvas are painted."""
    return page.evaluate(
        """() => {
          const c = document.getElementById('map-edges');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
          return n;
        }"""
    )


def test_large_map_draws_pans_and_is_keyboard_operable(page, live_server):
    _network()
    _log_in(page, live_server)
    # The circle layout needs no force layout, so the test spends its time in the browser.
    page.goto(f"{live_server.url}/n/suuri/map/?layout=circle", timeout=120_000)
    page.wait_for_selector("#network-map.map-drawn", timeout=120_000)
    assert page.get_attribute("#network-map", "data-renderer") == "canvas"
    assert page.evaluate("() => window.suhdeMap") is None  # no Cytoscape at this size
    assert _inked(page) > 20_000

    # The legend follows the sectors (as on the smaller map, without counts).
    legend = page.locator("#map-legend li").all_inner_texts()
    assert legend[:3] == ["julkinen sektori", "yksityinen sektori", "kolmas sektori"]

    # Dragging the empty middle of the circle pans the map by as much as the mouse moved.
    page.locator("#network-map").scroll_into_view_if_needed()
    box = page.locator("#network-map").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before = page.evaluate("() => window.suhdeMapView.pan()")
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] + 100, middle[1] + 40, steps=5)
    page.mouse.up()
    after = page.evaluate("() => window.suhdeMapView.pan()")
    assert round(after["x"] - before["x"]) == 100
    assert round(after["y"] - before["y"]) == 40
    zoom = page.evaluate("() => window.suhdeMapView.zoom()")
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => window.suhdeMapView.zoom() > {zoom}")

    # By keyboard: the first person by name, their card, and Shift + arrow moves them.
    page.focus("#network-map")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.suhdeMapView.chosenId()") == (
        "p" + str(Person.objects.get(name="Henkilö 0000").pk)
    )
    card = page.locator("#map-card")
    assert card.is_visible()
    assert page.inner_text("#map-card-title") == "Henkilö 0000"
    page.keyboard.press("ArrowRight")
    chosen = page.evaluate("() => window.suhdeMapView.chosenId()")
    assert chosen == "p" + str(Person.objects.get(name="Henkilö 0001").pk)
    x = page.evaluate(f"() => window.suhdeMapView.screenPosition('{chosen}').x")
    page.keyboard.press("Shift+ArrowRight")
    moved = page.evaluate(f"() => window.suhdeMapView.screenPosition('{chosen}').x")
    assert round(moved - x) == 12
    assert page.inner_text("#map-status") != ""  # "1 moved; keep …"
    assert list(page.evaluate("() => window.suhdeMapView.positions()")) == [chosen]
    page.keyboard.press("Escape")
    assert page.evaluate("() => window.suhdeMapView.chosenId()") is None

    # Hovering a shape chooses it, as on the smaller map.
    page.click("[data-map-fit]")
    page.locator("#network-map").scroll_into_view_if_needed()
    box = page.locator("#network-map").bounding_box()
    target = "p" + str(Person.objects.get(name="Henkilö 0800").pk)
    spot = page.evaluate(f"() => window.suhdeMapView.screenPosition('{target}')")
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_function(f"() => window.suhdeMapView.chosenId() === '{target}'")
    assert page.inner_text("#map-card-title") == "Henkilö 0800"

    # Finding a name centres the map on it.
    page.fill("#map-search", "Henkilö 1234")
    page.press("#map-search", "Enter")
    target = "p" + str(Person.objects.get(name="Henkilö 1234").pk)
    spot = page.evaluate(f"() => window.suhdeMapView.screenPosition('{target}')")
    assert (round(spot["x"]), round(spot["y"])) == (
        round(box["width"] / 2),
        round(box["height"] / 2),
    )
    assert axe_violations(page) == []

    # Coloured by organization: seven of them get a colour and a shape, the rest are "others",
    # each with how many people it has.
    page.goto(f"{live_server.url}/n/suuri/map/?layout=circle&colour=organization")
    page.wait_for_selector("#network-map.map-drawn", timeout=120_000)
    legend = page.locator("#map-legend li").all_inner_texts()
    assert legend[:8] == [f"Org {i:02d} (40)" for i in range(7)] + ["muut (1320)"]


def test_large_map_at_360_px(page, live_server):
    _network()
    _log_in(page, live_server)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/n/suuri/map/?layout=circle", timeout=120_000)
    page.wait_for_selector("#network-map.map-drawn", timeout=120_000)
    assert page.get_attribute("#network-map", "data-renderer") == "canvas"
    assert _inked(page) > 5_000
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.focus("#network-map")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#map-card-title") == "Henkilö 0000"
    assert axe_violations(page) == []
