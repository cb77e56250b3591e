"""The first journey: the demo coordinator logs in, opens the network, switches to Swedish."""

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_demo_coordinator_journey_in_finnish_and_swedish(page, live_server):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    assert page.locator("html").get_attribute("lang") == "fi"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Järvelän nuorten aikuisten palveluverkosto").click()
    page.wait_for_url(f"**/n/{CORE_SLUG}/")
    cycle = page.locator("svg.continuum-cycle")
    assert cycle.is_visible()
    assert page.locator(".cycle-phase.current text").text_content() == "3"
    assert axe_violations(page) == []

    with page.expect_navigation():
        page.select_option("#language-select", "sv")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Strategiskt kontinuum").is_visible()
    assert "Koordinering och facilitering" in page.locator(".continuum-list").inner_text()
    assert axe_violations(page) == []


def test_members_page_is_accessible_and_searchable(page, live_server):
    demo_load(password=PASSWORD)
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/members/")
    assert axe_violations(page) == []
    page.fill("#member-search", "Ohjaamo")
    page.wait_for_function(
        "() => !document.querySelector('#member-list').textContent.includes('Kahvila')"
    )
    assert "Ohjaamo Järvelä" in page.locator("#member-list").inner_text()


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/login/")
    assert axe_violations(page) == []
