"""Issue 20 as it is tried: two phones (360 px) and a laptop (1280 px), in Finnish. The phones
vote, one changes its vote and reason, both see the turnout and their own answer by its label;
the laptop closes the poll with an outcome and sees the decision decided, its distribution and
its review on the annual clock. Axe on every page; no page scrolls sideways at 360 px.

With SUHDE_SHOTS set to a directory the test also saves the screenshots of docs/decisions.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from suhde.coordination.models import AnnualClock, Event
from suhde.decisions.models import Ballot, Decision
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network, Role
from tests.e2e.conftest import axe_violations
from tests.factories import member_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"
PHONE_PASSWORD = "correct horse battery"
SHOTS = os.environ.get("SUHDE_SHOTS", "")
TITLE = "Kevätseminaari kirjastossa"


def _shot(page, name: str, selector: str = "") -> None:
    """A phone's shot is of the poll itself; the laptop's of the whole page."""
    if not SHOTS:
        return
    path = str(Path(SHOTS) / f"decisions-{name}.png")
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _phone(browser, live_server, username: str):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": 360, "height": 740}, bypass_csp=True, is_mobile=True
    )
    phone = context.new_page()
    _log_in(phone, live_server, username, PHONE_PASSWORD)
    return context, phone


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _vote(phone, point: int, reason: str) -> None:
    phone.check(f"#id_point_{point - 1}")
    phone.fill("#id_reason", reason)
    with phone.expect_navigation():
        phone.click("main form[action$='/poll/vote/'] button[type=submit]")


def test_two_phones_vote_and_change_and_the_laptop_closes_the_loop(browser, page, live_server):
    demo_load(password=PASSWORD)
    network = Network.objects.get(slug=CORE_SLUG)
    for username, name in (("aino", "Aino Virtanen"), ("bertta", "Bertta Laine")):
        user = member_user(network, Role.MEMBER, username=username)
        user.person.name = name
        user.person.save(update_fields=["name"])
    base = f"{live_server.url}/n/{CORE_SLUG}"

    # The laptop: a coordinator records the proposal and opens the poll.
    _log_in(page, live_server, "demo", PASSWORD)
    page.goto(f"{base}/decisions/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_proposal", "Kevätseminaari pidetään pääkirjaston salissa 14.4.")
    page.select_option("#id_mode", "facilitated")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.locator("main a[href$='/poll/']").click()
    page.wait_for_load_state("load")
    assert axe_violations(page) == []
    page.fill("#id_deadline", "2099-01-01T12:00")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    decision = Decision.objects.get(title=TITLE)
    url = f"{base}/decisions/{decision.pk}/"

    # Phone 1 answers "Hyväksyn varauksin", then changes its mind and its reason.
    one_context, one = _phone(browser, live_server, "aino")
    one.goto(url)
    assert "Tulokset näytetään, kun olet vastannut." in one.locator("main").inner_text()
    assert axe_violations(one) == [] and _fits(one)
    _vote(one, 3, "Voin elää sen kanssa.")
    assert "Vastauksesi: Hyväksyn varauksin" in one.locator(".my-answer").inner_text()
    _vote(one, 2, "Hyvä, mutta kirjaston tilat ovat pienet.")
    text = one.locator("main").inner_text()
    assert "Vastauksesi muutettiin." in text
    assert "Vastauksesi: Kannatan pienin varauksin" in one.locator(".my-answer").inner_text()
    eligible = int(one.locator("#turnout").inner_text().split("/")[1].split()[0])
    assert one.locator("#turnout").inner_text() == f"1/{eligible} on vastannut"
    assert "Hyvä, mutta kirjaston tilat ovat pienet." in one.locator(".poll-reasons").inner_text()
    assert axe_violations(one) == [] and _fits(one)
    _shot(one, "phone-changed", "section[aria-labelledby=poll-heading]")

    # Phone 2 answers; both phones see two of the members.
    two_context, two = _phone(browser, live_server, "bertta")
    two.goto(url)
    _vote(two, 1, "Sali on hyvä.")
    assert two.locator("#turnout").inner_text() == f"2/{eligible} ovat vastanneet"
    assert "Aino Virtanen" in two.locator(".poll-reasons").inner_text()
    assert axe_violations(two) == [] and _fits(two)
    _shot(two, "phone-turnout", "section[aria-labelledby=poll-heading]")
    assert list(
        Ballot.objects.filter(poll__decision=decision).order_by("point").values_list("point")
    ) == [(1,), (2,)]

    # The laptop closes the poll with its outcome and a review in two months.
    page.goto(url)
    page.locator("main a[href$='/poll/close/']").click()
    page.wait_for_load_state("load")
    assert axe_violations(page) == []
    review = timezone.localdate() + timedelta(days=60)
    page.fill("#id_outcome", "Seminaari pidetään kirjastossa; tilat varataan heti.")
    page.select_option("#id_status", "decided")
    page.fill("#id_review_on", review.isoformat())
    _shot(page, "laptop-close")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    main = page.locator("main").inner_text()
    assert "Päätetty" in main or "päätetty" in main
    assert "Seminaari pidetään kirjastossa; tilat varataan heti." in main
    assert "2 vastauksen jakauma" in page.locator("table.poll-result").inner_text()
    assert axe_violations(page) == []
    _shot(page, "laptop-decided")
    decision.refresh_from_db()
    assert (decision.status, decision.review_on) == ("decided", review)
    event = Event.objects.get(source_kind="decision_review", source_id=str(decision.pk))
    start = AnnualClock.objects.get(network=network).start_month
    year = review.year if review.month >= start else review.year - 1
    page.goto(f"{base}/clock/?year={year}&month={review:%Y-%m}")
    assert f"Tarkistus: {TITLE}" in page.locator("main").inner_text()
    _shot(page, "laptop-clock")
    assert event.title == f"Tarkistus: {TITLE}"

    # A phone sees the decision decided, and can no longer answer.
    one.goto(url)
    assert one.locator("main form[action$='/poll/vote/']").count() == 0
    assert "Seminaari pidetään kirjastossa" in one.locator("main").inner_text()
    assert _fits(one)
    one_context.close()
    two_context.close()
