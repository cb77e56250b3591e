"""Proposed changes on a 360 px phone in Finnish, by keyboard: the coordinator proposes on the
person's edit page, the person answers by the mailed link and on their own page; nothing wider
than the screen, axe clean."""

import re

import pytest
from django.core import mail

from suhde.networks import domain
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network, PersonChange, Role
from tests.e2e.conftest import axe_violations
from tests.factories import member_user

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


def _login(page, url, username, password):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")


def _press(page, selector):
    page.locator(selector).focus()
    page.keyboard.press("Enter")


@pytest.fixture
def maija(db):
    demo_load(password=PASSWORD)
    core = Network.objects.get(slug=CORE_SLUG)
    user = member_user(core, Role.MEMBER, username="maija")
    user.set_password(PASSWORD)
    user.save()
    person = user.person
    person.name, person.email = "Maija Mäkelä", "maija@kunta.example"
    person.save()
    return user


def test_a_coordinator_proposes_and_the_person_accepts_by_the_mailed_link(
    phone, browser, live_server, maija
):
    person = maija.person
    _login(phone, live_server.url, "demo", PASSWORD)
    phone.goto(f"{live_server.url}/n/{CORE_SLUG}/people/{person.pk}/edit/")
    assert "vain hän itse voi muuttaa" in phone.locator("main .alert").inner_text()
    phone.fill("#id_phone", "+358 40 765 4321")
    mail.outbox.clear()
    _press(phone, "main form button[type=submit]")
    phone.wait_for_url(re.compile(rf".*/people/{person.pk}/$"))
    assert _overflow(phone) <= 0
    person.refresh_from_db()
    assert person.phone != "+358 40 765 4321"  # nothing changes before she accepts

    (message,) = [m for m in mail.outbox if m.to == ["maija@kunta.example"]]
    link = re.search(r"https?://[^/\s]+(/change/\S+/)", message.body).group(1)
    context = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": 360, "height": 740}
    )
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}{link}")
    assert "+358 40 765 4321" in visitor.locator("main table").inner_text()
    assert _overflow(visitor) <= 0
    assert axe_violations(visitor) == []
    _press(visitor, "main button[value=accept]")
    visitor.locator("text=Vastauksesi tallennettiin").wait_for()
    context.close()
    person.refresh_from_db()
    assert person.phone == "+358 40 765 4321"


def test_the_person_answers_on_their_own_page(phone, live_server, maija):
    coordinator = Network.objects.get(slug=CORE_SLUG).memberships.get(
        role=Role.COORDINATOR, person__user__username="demo"
    )
    domain.person_change_propose(
        network=coordinator.network,
        person=maija.person,
        user=coordinator.person.user,
        language="fi",
        title="Nuorisotyön suunnittelija, erityisnuorisotyö ja etsivä nuorisotyö",
    )
    _login(phone, live_server.url, "maija", PASSWORD)
    phone.goto(f"{live_server.url}/")
    _press(phone, "main .alert a[href='/me/']")
    phone.wait_for_url(f"{live_server.url}/me/")
    assert "Vastaustasi odottavat muutokset" in phone.locator("main").inner_text()
    assert _overflow(phone) <= 0
    assert axe_violations(phone) == []
    _press(phone, "main form[action*='/accept/'] button")
    phone.locator("text=Muutos hyväksyttiin").wait_for()
    maija.person.refresh_from_db()
    assert maija.person.title.startswith("Nuorisotyön suunnittelija")
    assert PersonChange.objects.get().state == "accepted"
