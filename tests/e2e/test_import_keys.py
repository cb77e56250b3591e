"""An import preview on a 360 px phone in Finnish, by keyboard: a Gephi-style file whose one row
would change someone of another network is listed as not applied, its extra columns as the new
fields they become, nothing wider than the screen, axe clean; confirming writes the rest."""

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import ExternalKey, Membership, Network, Person
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


def test_the_preview_names_rows_not_applied_on_a_phone_by_keyboard(phone, live_server):
    demo_load(password=PASSWORD)
    core = Network.objects.get(slug=CORE_SLUG)
    shared = Person.objects.filter(memberships__network=core, user__isnull=True).first()
    elsewhere = Network.objects.create(name="Naapuriverkosto", slug="naapuri")
    Membership.objects.create(person=shared, network=elsewhere)
    before = Person.objects.filter(pk=shared.pk).values_list().get()
    text = (
        "Id,Label,Email,modularity_class,a_very_long_column_name_that_gephi_users_sometimes_add\n"
        f"0,Uusi Nimi,{shared.email},1,x\n"
        "1,Gephi-solmu,,2,y\n"
    )
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", "demo")
    phone.fill("#id_password", PASSWORD)
    phone.locator("main button[type=submit]").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/n/{CORE_SLUG}/import/")
    phone.set_input_files(
        "#id_people",
        files=[{"name": "gephi.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    phone.locator("main form button[type=submit]").focus()
    phone.keyboard.press("Enter")
    not_applied = phone.locator("#import-not-applied")
    not_applied.wait_for()
    assert "1 rivi jätetään tuomatta; muut tuodaan" in not_applied.inner_text()
    assert "on myös verkostossa, jota et koordinoi" in not_applied.inner_text()
    fields = phone.locator("#import-fields").inner_text()  # extra columns become fields
    assert "2 sarakkeesta tulee verkoston henkilöille uusia kenttiä" in fields
    assert "“modularity_class” – luku" in fields
    assert _overflow(phone) <= 0
    assert axe_violations(phone) == []

    confirm = phone.locator("form[action*='/confirm'] button[type=submit]")
    confirm.focus()
    phone.keyboard.press("Enter")
    phone.locator("text=1 rivi jätettiin tuomatta, kuten esikatselussa kerrottiin").wait_for()
    assert Person.objects.filter(pk=shared.pk).values_list().get() == before
    assert ExternalKey.objects.filter(network=core, key="1", person__name="Gephi-solmu").exists()
    assert _overflow(phone) <= 0
