"""Signing in with the organization's account, in Chromium on a 360 px phone in Finnish,
through a real OpenID Connect provider (tests/sso/provider.py): the button on Suhde's login
page, the provider's form, and back in Suhde signed in, with the role the provider's group
maps to and the sign-in in the audit log. A refusal is a page of its own, axe clean."""

import pytest

from suhde.accounts.models import SignInIdentity
from suhde.common.models import AuditEvent
from suhde.networks.models import Membership, Role
from tests.e2e.conftest import axe_violations
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory
from tests.sso.provider import Provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ACCOUNTS = {
    "alice": {
        "email": "alice@kunta.example",
        "email_verified": True,
        "name": "Alice Aalto",
        "groups": ["suhde-coordinators"],
    },
    "mallory": {"email": "alice@kunta.example", "email_verified": False},
}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def provider(live_server, settings):
    with Provider(ACCOUNTS, [live_server.url + "/sso/callback/"]) as running:
        running.settings(
            settings,
            SUHDE_OIDC_NAME="Esimerkkikunta",
            SUHDE_OIDC_ROLES={"suhde-coordinators": [("core", "coordinator")]},
        )
        yield running


def _sign_in_at_provider(page, login):
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.locator("button[type=submit]").click()


def test_signing_in_through_the_provider_lands_signed_in_with_the_mapped_role(
    phone, live_server, provider
):
    network = NetworkFactory(name="Nuorten palvelut", slug="core")
    person = PersonFactory(user=None, name="Alice Aalto", email="alice@kunta.example")
    MembershipFactory(person=person, network=network, role=Role.MEMBER)

    phone.goto(f"{live_server.url}/login/")
    assert axe_violations(phone) == []
    button = phone.get_by_role("link", name="Kirjaudu Esimerkkikunta-tunnuksilla")
    button.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{provider.issuer}/**")
    _sign_in_at_provider(phone, "alice")
    phone.wait_for_url(f"{live_server.url}/")

    assert "Nuorten palvelut" in phone.locator("main").inner_text()
    person.refresh_from_db()
    assert person.user is not None
    assert SignInIdentity.objects.get(user=person.user).subject == "alice"
    assert Membership.objects.get(person=person, network=network).role == Role.COORDINATOR
    assert AuditEvent.objects.filter(action="login", outcome="ok", actor=person.user).count() == 1


def test_an_unverified_address_ends_on_a_clear_page(phone, live_server, provider):
    phone.goto(f"{live_server.url}/sso/login/")
    _sign_in_at_provider(phone, "mallory")
    phone.wait_for_url(f"{live_server.url}/sso/callback/**")

    assert phone.locator("h1").inner_text() == "Kirjautuminen ei onnistunut"
    assert axe_violations(phone) == []
    assert phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not SignInIdentity.objects.exists()
