"""A picker of people narrows as one types, case and diacritics folded, and keeps the choice."""

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo password for tests"


def test_typing_makela_finds_makela_in_the_tie_form(page, live_server):
    demo_load(password=PASSWORD)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/ties/new/")
    select = page.locator("#id_source")
    everyone = select.locator("option").count()
    assert everyone > 20
    search = page.get_by_role("searchbox", name="Keneltä: Hae kirjoittamalla nimi")
    search.fill("makela")
    names = select.locator("option").all_inner_texts()
    assert 1 <= len([n for n in names if n]) < everyone
    assert all("Mäkelä" in name for name in names if name and name != "---------")
    select.select_option(index=1)
    chosen = select.input_value()
    search.fill("")
    assert select.locator("option").count() == everyone
    assert select.input_value() == chosen
    assert axe_violations(page) == []
