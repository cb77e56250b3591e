"""Phase 4's round as a coordinator tries it in Finnish, on a laptop and on a phone: record a
goal's verdict, add a learning outcome, write the report's text. Axe on every page, and nothing
wider than a 360 px screen."""

import pytest

from suhde.charter.domain import goal_create
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded
from suhde.workshops.models import Meeting
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


def _log_in(page, live_server):
    demo_load(password=PASSWORD)
    network = Network.objects.get(slug=CORE_SLUG)
    demo_loaded.send(sender=Network, network=network)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return network


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_coordinator_records_a_verdict_and_writes_the_report(page, live_server):
    network = _log_in(page, live_server)
    goal = goal_create(
        network=network, kind="customer", title="Yksi ovi", indicators=[{"name": "Pallottelu"}]
    )
    from django.utils import timezone

    Meeting.objects.create(network=network, title="Arviointipalaveri", starts_at=timezone.now())
    base = f"{live_server.url}/n/{CORE_SLUG}/evaluation/rounds"
    page.goto(f"{base}/")
    assert axe_violations(page) == []
    rounds_url = page.url
    page.goto(f"{base}/{len(page.locator('main tbody tr').all())}/")
    round_url = page.url
    assert axe_violations(page) == []
    article = page.locator(f"#goal-{goal.pk}")
    article.locator("summary", has_text="Kirjaa sovittu arvio").click()
    article.locator("input[value=partly]").check()
    article.locator("textarea[name=reason]").fill("Pallottelu väheni puoleen")
    article.locator("select[name=meeting]").select_option(index=1)
    with page.expect_navigation():
        article.locator("button[type=submit]", has_text="Tallenna arvio").click()
    assert "Pallottelu väheni puoleen" in page.locator(f"#goal-{goal.pk}").inner_text()
    page.fill("#outcome-example", "Kela ja nuorisopalvelut jakavat nyt yhteisen alustan")
    with page.expect_navigation():
        page.click("#learning button[type=submit]")
    assert "yhteisen alustan" in page.locator("#learning").inner_text()
    assert axe_violations(page) == []
    page.goto(round_url.replace("/rounds/", "/rounds/").rstrip("/") + "/report/edit/")
    assert axe_violations(page) == []
    page.fill("#section-summary", "Kierros toi yhden oven lähemmäs.")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    main = page.locator("main").inner_text()
    assert "Kierros toi yhden oven lähemmäs." in main and "Pallottelu väheni puoleen" in main
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    for url in (rounds_url, round_url, page.url):
        page.goto(url)
        assert _fits(page), url
        assert axe_violations(page) == []
