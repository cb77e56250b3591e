"""The map as a new coordinator meets it: filter, ego view, GEXF export, import with errors."""

import io

import networkx as nx
import pytest
from openpyxl import Workbook

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Person
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_map_filter_ego_and_gexf(page, live_server, tmp_path):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/map/")
    page.wait_for_selector("#network-map.map-drawn")
    # Organizations are boxes around their people (issue 18): only people are counted.
    total = page.evaluate("() => window.suhdeMap.nodes().not('.group').length")
    assert total == Person.objects.filter(memberships__network__slug=CORE_SLUG).count()
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.select_option("#map-sector", "third")
    page.wait_for_selector("#network-map.map-drawn")
    sectors = page.evaluate(
        "() => [...new Set(window.suhdeMap.nodes().not('.group').map(n => n.data('sector')))]"
    )
    assert sectors == ["third"]

    page.focus("#people-table + .table-responsive a[data-map-node]")
    assert page.locator("#map-card").is_visible()
    page.fill("#map-search", page.evaluate("() => window.suhdeMap.nodes()[0].data('label')"))
    page.press("#map-search", "Enter")
    card = page.locator("#map-card")
    card.wait_for(state="visible")
    with page.expect_navigation():
        card.locator("[data-card=ego]").click()
    page.wait_for_selector("#network-map.map-drawn")
    assert "ego=" in page.url
    centre = page.evaluate(
        "() => window.suhdeMap.nodes().not('.group')"
        ".filter(n => n.position('x') === 0 && n.position('y') === 0).length"
    )
    assert centre == 1
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/n/{CORE_SLUG}/export/")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.locator("a[href$='/export/gexf/']").click()
    path = tmp_path / "demo.gexf"
    download.value.save_as(path)
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == total
    assert graph.number_of_edges() > 0


def test_rings_and_import_pages_are_accessible(page, live_server):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/rings/")
    assert page.locator("svg.rings").is_visible()
    assert axe_violations(page) == []

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nimi", "sähköposti", "organisaatio", "sektori"])
    for i in range(200):
        sector = ("julkinen", "yksityinen", "kolmas")[i % 3]
        sheet.append([f"Henkilö {i}", f"h{i}@example.fi", f"Organisaatio {i % 3}", sector])
    sheet["D52"] = "valtio"
    sheet["B121"] = "ei-sähköpostia"
    data = io.BytesIO()
    workbook.save(data)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/import/")
    page.set_input_files(
        "#id_people",
        files=[
            {
                "name": "jäsenet.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": data.getvalue(),
            }
        ],
    )
    page.click("main form button[type=submit]")
    problems = page.locator("#import-problems")
    problems.wait_for()
    text = problems.inner_text()
    assert "52" in text and "sector" in text and "valtio" in text
    assert "121" in text and "email" in text
    assert axe_violations(page) == []
