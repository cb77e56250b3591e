"""The annual clock as a new user tries it: the demo year on the wheel, a monthly meeting on the
second Tuesday, the subscription read by a real calendar parser, and confirming one's details."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.core import mail
from django.utils import timezone

from suhde.coordination.demo import clock_demo_load
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Person
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"
HELSINKI = ZoneInfo("Europe/Helsinki")


def _log_in(page, live_server):
    demo_load(password=PASSWORD)
    clock_demo_load()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_demo_year_on_the_wheel_is_accessible_and_opens_by_keyboard(page, live_server):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/clock/")
    assert page.locator("svg.clock-wheel a.clock-mark").count() > 40
    assert page.locator(".clock-list tbody tr").count() > 40
    assert axe_violations(page) == []
    heading = page.locator("#month-heading").inner_text()
    page.locator("#month-view a.next-month").click()
    page.wait_for_function(
        "h => document.querySelector('#month-heading').textContent !== h", arg=heading
    )
    assert page.locator("svg.clock-wheel").count() == 1
    assert "month=" in page.url
    first = page.locator("svg.clock-wheel a.clock-mark").first
    first.focus()
    name = first.get_attribute("aria-label")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/clock/events/" in page.url
    assert page.locator("h2").first.inner_text() == name.split(",")[0]
    assert axe_violations(page) == []


def test_add_a_monthly_meeting_and_find_it_in_the_subscription(page, live_server):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/clock/events/new/")
    assert axe_violations(page) == []
    page.fill("#id_title", "Kuukausitapaaminen")
    page.fill("#id_start_date", "2027-01-12")
    page.fill("#id_start_time", "17:00")
    page.fill("#id_end_time", "18:30")
    page.select_option("#id_repeat", "monthly_nth")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("h2").first.inner_text() == "Kuukausitapaaminen"
    text = page.locator("main").inner_text()
    assert "Kuukauden toinen tiistai" in text
    assert "FREQ=" not in text

    page.goto(f"{live_server.url}/n/{CORE_SLUG}/clock/feed/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("form[action$='/clock/feed/new/'] button").click()
    url = page.input_value("#feed-url")
    path = url.split("/ical/", 1)[1]
    body = page.context.request.get(f"{live_server.url}/ical/{path}").body()
    calendar = icalendar.Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(datetime(2027, 1, 1), datetime(2027, 6, 1))
    meetings = [o["DTSTART"].dt for o in found if str(o["SUMMARY"]) == "Kuukausitapaaminen"]
    assert meetings == [
        datetime(2027, month, day, 17, tzinfo=HELSINKI)
        for month, day in [(1, 12), (2, 9), (3, 9), (4, 13), (5, 11)]
    ]


def test_contact_list_and_confirming_from_the_emailed_link(page, live_server, browser):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/contacts/")
    assert axe_violations(page) == []
    mail.outbox.clear()
    # Mailing many asks first, saying how many (issue 14): the dialog, then its button.
    page.locator("a[href$='/contacts/ask/']").click()
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    assert len(mail.outbox) > 0
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    token_path = link.split("/confirm/", 1)[1]

    stranger = browser.new_context(locale="fi-FI", bypass_csp=True).new_page()
    stranger.goto(f"{live_server.url}/confirm/{token_path}")
    assert axe_violations(stranger) == []
    stranger.fill("#id_phone", "+358 40 555 0101")
    with stranger.expect_navigation():
        stranger.click("main button[type=submit]")
    person = Person.objects.get(email=mail.outbox[0].to[0])
    assert person.phone == "+358 40 555 0101"
    assert timezone.now() - person.confirmed_at < timedelta(minutes=5)
    assert axe_violations(stranger) == []
    assert stranger.goto(f"{live_server.url}/confirm/{token_path}").status == 404
    stranger.context.close()
