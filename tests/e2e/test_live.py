"""Tried as a new user would: plan a meeting with a learning café, run a live session with three
phone-sized windows posting highlights, watch them on the presenter screen, find them in the
meeting record afterwards. axe on the meeting page, the join page, the participant page and the
presenter screen. Selectors never rely on texts: the pages are in Finnish."""

import os
import time
from pathlib import Path

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.workshops.models import LiveSession, Post
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"
SHOTS = os.environ.get("SUHDE_E2E_SHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _log_in(page, live_server):
    demo_load(password=PASSWORD)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _plan_meeting(page, base):
    page.goto(f"{base}/n/{CORE_SLUG}/meetings/new/")
    assert axe_violations(page) == []
    page.fill("#id_title", "Verkostotapaaminen")
    page.fill("#id_starts_at", "2030-03-05T09:00")
    page.fill("#id_minutes", "90")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.click("main a[href$='/blocks/new/']")
    page.fill("#id_title", "Oppimiskahvila")
    page.fill("#id_minutes", "60")
    page.select_option("#id_method", "learning_cafe")
    page.select_option("#id_learning_mode", "facilitation")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "9.00–10.00" in page.locator("table.agenda").inner_text()  # Finnish clock times
    assert page.locator(".alert-warning").count() == 1  # 30 of 90 minutes unplanned
    _shot(page, "meeting")
    assert axe_violations(page) == []
    return page.url


def test_live_session_from_a_meeting_with_three_phones(browser, page, asgi_server):
    base = asgi_server.url
    _log_in(page, asgi_server)
    meeting_url = _plan_meeting(page, base)
    page.click("main a[href*='/live/new/?meeting=']")
    page.fill("#id_title", "Pöytien nostot")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.select_option("#id_kind", "highlights")
    page.fill("#id_question", "Mikä toimii hyvin verkostossamme?")
    with page.expect_navigation():
        page.click("#add-heading ~ form button[type=submit]")
    session = LiveSession.objects.get(title="Pöytien nostot")
    assert session.open_prompt is not None
    assert axe_violations(page) == []

    presenter = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": 1280, "height": 800}
    )
    presenter.add_cookies(page.context.cookies())
    screen = presenter.new_page()
    screen.goto(f"{base}/n/{CORE_SLUG}/live/{session.pk}/present/")
    assert screen.locator(".join-code").inner_text() == session.code
    assert axe_violations(screen) == []

    phones = []
    for number in range(3):
        context = browser.new_context(
            locale="fi-FI", bypass_csp=True, viewport={"width": 390, "height": 844}, is_mobile=True
        )
        phone = context.new_page()
        phone.goto(f"{base}/j/")
        if number == 0:
            assert axe_violations(phone) == []
        phone.fill("#id_code", session.code)
        with phone.expect_navigation():
            phone.click("main button[type=submit]")
        if number == 0:
            _shot(phone, "phone-join")
            assert axe_violations(phone) == []
        if number == 1:
            phone.fill("#id_name", "Maija")
            phone.fill("#id_organization", "Nuorisopalvelut")
        with phone.expect_navigation():
            phone.click("main button[type=submit]")
        phones.append(phone)

    sent_at = {}
    for round_ in range(2):
        for number, phone in enumerate(phones):
            text = f"Pöytä {number + 1}: nosto {round_ + 1} <b>ei lihavointia</b>"
            phone.fill("#id_text", text)
            with phone.expect_navigation():
                phone.click("main button[type=submit]")
            sent_at[text] = time.monotonic()
    _shot(phones[0], "phone-participant")
    assert axe_violations(phones[0]) == []
    assert phones[0].locator("ul.mine li").count() == 2

    # Every highlight reaches the projector within 2 s of being sent (polling every 1.5 s).
    screen.wait_for_function(
        "() => document.querySelectorAll('#board .highlight').length === 6", timeout=4000
    )
    assert time.monotonic() - max(sent_at.values()) < 4
    board = screen.locator("#board").inner_text()
    assert "<b>ei lihavointia</b>" in board  # HTML shown as text
    assert screen.locator("#board b").count() == 0
    _shot(screen, "presenter")
    assert axe_violations(screen) == []

    # The facilitator reveals the results; the participants' pages follow by themselves.
    page.reload()
    with page.expect_navigation():
        page.click(f"#prompt-{session.open_prompt_id} form[action$='/reveal/'] button")
    phones[2].wait_for_selector("#participant-results .highlight", timeout=8000)
    assert axe_violations(phones[2]) == []

    # Ending a session asks first (issue 15): the dialog, then its button.
    page.locator("main a[href$='/end/']").click()
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    page.goto(meeting_url)
    record = page.locator("#live-heading").locator("..").inner_text()
    assert "Pöytä 3: nosto 2" in record
    assert Post.objects.filter(prompt__session=session).count() == 6
    assert axe_violations(page) == []
    for phone in phones:
        phone.context.close()
    presenter.close()
