"""Phase 2 as a new user tries it: answer the demo charter, change one answer and see the diff,
record a facilitated decision with a gradients poll answered from two phones, and watch the
phase-2 checklist move. Axe on every page; the browser speaks Finnish."""

import re

import pytest
from django.core import mail

from suhde.charter.models import CharterVersion
from suhde.decisions.models import Ballot
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded
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


def test_answer_the_charter_and_see_the_diff_and_the_checklist(page, live_server):
    network = _log_in(page, live_server)
    Network.objects.filter(pk=network.pk).update(phase=2)
    base = f"{live_server.url}/n/{CORE_SLUG}"
    page.goto(f"{base}/")
    assert "9/15" in page.locator("main").inner_text()
    page.goto(f"{base}/charter/")
    assert page.locator(".charter-open").count() == 6
    assert axe_violations(page) == []
    page.goto(f"{base}/charter/edit/")
    assert axe_violations(page) == []
    page.fill("#id_answer_2", "Tutustumme toisiimme joka tapaamisen alussa.")
    page.fill("#id_answer_3", "Verkostopalaveri kerran kuukaudessa.")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert CharterVersion.objects.filter(network=network).count() == 3
    assert page.locator(".charter-open").count() == 5
    page.goto(f"{base}/charter/diff/")
    diff = page.locator("table.charter-diff").inner_text()
    assert "Tutustumme" in diff and "kerran kuukaudessa" in diff
    assert page.locator("table.charter-diff ins").count() >= 2
    assert axe_violations(page) == []
    page.goto(f"{base}/")
    assert "10/15" in page.locator("main").inner_text()
    page.goto(f"{base}/goals/")
    assert axe_violations(page) == []
    page.locator("main table a").first.click()
    page.wait_for_load_state("load")
    chart = page.locator("figure img").first
    assert chart.get_attribute("src").endswith("chart.svg")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []
    page.goto(f"{base}/roles/")
    assert page.locator(".alert-warning").count() == 1
    assert axe_violations(page) == []


def test_facilitated_decision_with_a_poll_answered_from_two_phones(browser, page, live_server):
    _log_in(page, live_server)
    base = f"{live_server.url}/n/{CORE_SLUG}"
    page.goto(f"{base}/decisions/")
    assert axe_violations(page) == []
    page.goto(f"{base}/decisions/new/")
    assert axe_violations(page) == []
    page.fill("#id_title", "Yhteinen ohjauslomake")
    page.fill("#id_proposal", "Otetaan käyttöön yhteinen ohjauslomake kaikille jäsenille.")
    page.select_option("#id_mode", "facilitated")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("h2").first.inner_text() == "Yhteinen ohjauslomake"
    page.locator("main a[href$='/poll/']").click()
    assert axe_violations(page) == []
    page.fill("#id_deadline", "2099-01-01T12:00")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    mail.outbox.clear()
    # Mailing many asks first, saying how many (issue 14): the dialog, then its button.
    page.locator("main a[href$='/poll/links/']").click()
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert "saa sähköpostiin henkilökohtaisen linkin" in dialog.inner_text()
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    links = [re.search(r"http\S+/vote/\S+/", m.body).group(0) for m in mail.outbox]
    assert len(links) > 2
    for link, point in zip(links[:2], ("1", "6"), strict=True):
        phone = browser.new_context(
            locale="fi-FI", viewport={"width": 390, "height": 844}, bypass_csp=True, is_mobile=True
        )
        ballot = phone.new_page()
        ballot.goto(link.replace("http://127.0.0.1:8000", live_server.url))
        assert axe_violations(ballot) == []
        ballot.check(f"#id_point_{int(point) - 1}")
        if point == "6":
            # A named poll (the default since issue 20) shows every voter's name anyway.
            ballot.fill("#id_reason", "Lomake on liian pitkä.")
        with ballot.expect_navigation():
            ballot.click("main button[type=submit]")
        assert ballot.locator(".alert-success").count() == 1
        phone.close()
    assert Ballot.objects.filter(poll__decision__title="Yhteinen ohjauslomake").count() == 2
    page.reload()
    result = page.locator("table.poll-result").inner_text()
    assert "2" in result
    assert "Lomake on liian pitkä." in page.locator("main").inner_text()
    assert axe_violations(page) == []
