"""The tie, person and organization pages on a 360 px phone in Finnish: nothing wider than the
screen, axe clean, and removing a source asks first and can be undone."""

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network, Organization, Tie
from suhde.networks.signals import demo_loaded
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    yield page
    context.close()


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_tie_person_and_organization_pages_fit_a_phone(phone, live_server):
    demo_load(password=PASSWORD)
    network = Network.objects.get(slug=CORE_SLUG)
    demo_loaded.send(sender=Network, network=network)
    tie = (
        Tie.objects.filter(network=network, origins__kind="survey")
        .filter(origins__kind="entered")
        .select_related("source__organization")
        .first()
    )
    organization = Organization.objects.get(pk=tie.source.organization_id)
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", "demo")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")

    base = f"{live_server.url}/n/{CORE_SLUG}"
    for path in (
        f"/ties/{tie.pk}/",
        f"/people/{tie.source_id}/",
        f"/organizations/{organization.pk}/",
    ):
        phone.goto(base + path)
        assert _overflow(phone) <= 0, path
        assert axe_violations(phone) == [], path

    phone.goto(f"{base}/ties/{tie.pk}/")
    assert phone.locator("text=Lähteet ja historia").is_visible()
    entered = phone.locator("li", has_text="Syötetty käsin").first
    entered.locator("[data-confirm-dialog]").click()
    dialog = phone.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert "Yhteys säilyy" in dialog.inner_text()
    assert tie.origins.count() >= 2
    with phone.expect_navigation():
        dialog.locator("button[type=submit]").click()
    assert "Lähde poistettiin. Yhteys säilyy" in phone.content()
    assert not tie.origins.filter(kind="entered").exists()
    assert _overflow(phone) <= 0
    with phone.expect_navigation():
        phone.locator("form[action*='/removed/'] button[type=submit]").first.click()
    assert tie.origins.filter(kind="entered").exists()
