"""Issue 18 in Chromium: a coordinator saves a view, presents it, exports a 300 dpi PNG with its
legend; someone places a partner on their own rings with the keyboard alone."""

import struct

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import MapView, Person, Tie
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_save_a_view_present_it_and_export_a_300_dpi_png(page, live_server, tmp_path):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/map/?colour=community&layout=sector")
    page.wait_for_selector("#network-map.map-drawn")
    # Move the first person by keyboard: the view keeps where they were put.
    page.focus("#network-map")
    page.keyboard.press("ArrowRight")
    chosen = page.evaluate("() => window.suhdeMap.nodes('.chosen')[0].id()")
    before = page.evaluate(f"() => window.suhdeMap.getElementById('{chosen}').position('x')")
    page.keyboard.press("Shift+ArrowRight")
    page.click("#saved-views summary")
    page.fill("#view-title", "Yhteisöt sektoreittain")
    page.fill("#view-note", "Ohjausryhmälle")
    with page.expect_navigation():
        page.click("form[data-map-save] button[type=submit]")
    view = MapView.objects.get()
    assert (view.title, view.encoding) == (
        "Yhteisöt sektoreittain",
        {"layout": "sector", "colour": "community"},
    )
    assert view.positions[chosen][0] > before
    page.wait_for_selector("#network-map.map-drawn")
    legend = page.locator("#map-legend li").all_inner_texts()
    assert legend[0].startswith("ryhmittymä 1 (")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.click("[data-map-export=png]")
    download.value.save_as(tmp_path / "map.png")
    data = (tmp_path / "map.png").read_bytes()
    width, _height = struct.unpack(">II", data[16:24])
    assert width == 3508  # A4 landscape at 300 dpi
    assert data[37:41] == b"pHYs"
    assert struct.unpack(">IIB", data[41:50]) == (11811, 11811, 1)  # 300 dpi in pixels a metre

    page.goto(f"{live_server.url}/n/{CORE_SLUG}/map/present/")
    page.wait_for_selector("#present-map.map-drawn")
    assert page.inner_text("#present-title") == "Yhteisöt sektoreittain"
    assert page.inner_text("#present-step") == "Näkymä 1/1"
    assert (
        page.evaluate(f"() => window.suhdeMap.getElementById('{chosen}').position('x')")
        == (view.positions[chosen][0])
    )
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/n/{CORE_SLUG}/map/")


def test_partner_placed_on_ones_own_rings_by_keyboard(page, live_server):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    demo = Person.objects.get(user__username="demo")
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/rings/?person={demo.pk}")
    row = page.locator("#rings-place tbody tr").first
    partner = int(row.get_attribute("data-partner"))
    had = Tie.objects.filter(source=demo, target_id=partner).values_list("strength", flat=True)
    ring = "weak" if list(had) == ["strong"] else "strong"
    button = row.locator(f"button[value={ring}]")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Tie.objects.get(source=demo, target_id=partner).strength == ring
    assert page.locator(f"#rings g[data-partner='{partner}']").count() == 1
    assert axe_violations(page) == []
