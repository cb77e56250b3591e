"""Single sign-on against a real OpenID Connect provider (tests/sso/provider.py): the flow, and
the ways an account could be taken over through it (docs/operations.md, "Single sign-on")."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model

from suhde.accounts.models import ApiToken, SignInIdentity
from suhde.common.models import AuditEvent
from suhde.networks.models import Membership, Person, Role
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, UserFactory
from tests.sso.provider import Provider

User = get_user_model()
CALLBACK = "http://testserver/sso/callback/"
ACCOUNTS = {
    "alice": {
        "email": "alice@kunta.example",
        "email_verified": True,
        "name": "Alice Aalto",
        "groups": ["suhde-coordinators", "unrelated"],
    },
    "alice-again": {
        "sub": "another-subject",
        "email": "Alice@Kunta.example",
        "email_verified": True,
    },
    "mallory": {"email": "boss@kunta.example", "email_verified": False, "name": "Mallory"},
    "mallory-no-claim": {"email": "boss@kunta.example"},
    "boss": {"email": "boss@kunta.example", "email_verified": True, "name": "Boss"},
    "nobody": {"email": "new.person@kunta.example", "email_verified": True, "name": "New Person"},
    "operator": {"email": "root@kunta.example", "email_verified": True},
}


@pytest.fixture(scope="module")
def provider():
    with Provider(ACCOUNTS, [CALLBACK]) as running:
        yield running


@pytest.fixture
def sso(provider, settings, db):
    provider.settings(settings, SUHDE_OIDC_ROLES={"suhde-coordinators": [("core", "coordinator")]})
    return provider


def sign_in(client, provider, login, **query):
    """The whole flow as a browser runs it; returns Suhde's answer to the callback."""
    start = client.get("/sso/login/", query)
    assert start.status_code == 302
    back = provider.sign_in(start["Location"], login)
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(parts.path + "?" + parts.query)


def signed_in_user(client):
    return client.get("/account/").wsgi_request.user


def test_sign_in_creates_an_account_links_the_subject_and_audits_it(sso, client):
    answer = sign_in(client, sso, "nobody", next="/account/")

    assert answer.status_code == 302
    assert answer["Location"] == "/account/"
    user = signed_in_user(client)
    assert user.email == "new.person@kunta.example"
    assert not user.has_usable_password()
    identity = SignInIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, "nobody")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "detail"))
    assert ("sso_link", "ok", "created") in actions
    assert ("login", "ok", "") in actions


def test_the_authorization_request_uses_pkce_and_a_nonce(sso, client):
    start = client.get("/sso/login/")

    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["nonce"][0]) == 32
    assert start["Location"].startswith(sso.issuer + "/auth?")


def test_a_group_maps_to_a_role_and_a_new_account_becomes_its_person(sso, client):
    network = NetworkFactory(slug="core")
    person = PersonFactory(email="ALICE@kunta.example", user=None)
    MembershipFactory(person=person, network=network, role=Role.MEMBER)

    assert sign_in(client, sso, "alice").status_code == 302

    user = signed_in_user(client)
    person.refresh_from_db()
    assert person.user == user
    membership = Membership.objects.get(person=person, network=network, left_on__isnull=True)
    assert membership.role == Role.COORDINATOR
    assert AuditEvent.objects.filter(action="role_change", detail="coordinator").count() == 1
    assert AuditEvent.objects.filter(action="person_link", detail="sso").count() == 1


def test_a_role_is_never_lowered_by_the_groups(sso, client, settings):
    settings.SUHDE_OIDC_ROLES = {"suhde-coordinators": [("core", "observer")]}
    network = NetworkFactory(slug="core")
    person = PersonFactory(email="alice@kunta.example", user=None)
    MembershipFactory(person=person, network=network, role=Role.COORDINATOR)

    sign_in(client, sso, "alice")

    assert Membership.objects.get(person=person, network=network).role == Role.COORDINATOR
    assert not AuditEvent.objects.filter(action="role_change").exists()


def test_an_existing_account_with_the_verified_address_is_linked_and_its_password_stops(
    sso, client
):
    user = UserFactory(username="alice", email="alice@kunta.example")
    ApiToken.objects.create(
        user=user, name="script", token_digest="x" * 64, prefix="x", expires_at="2099-01-01T00:00Z"
    )

    sign_in(client, sso, "alice")

    assert signed_in_user(client) == user
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="sso_link", detail="linked").count() == 1
    assert client.login(username="alice", password="correct horse battery") is False


def test_an_unverified_address_never_links_and_makes_no_account(sso, client):
    boss = UserFactory(username="boss", email="boss@kunta.example")

    for login in ("mallory", "mallory-no-claim"):
        answer = sign_in(client, sso, login)

        assert answer.status_code == 403
        assert "did not confirm" in answer.content.decode()
        assert not signed_in_user(client).is_authenticated
    assert not SignInIdentity.objects.exists()
    assert User.objects.count() == 1
    boss.refresh_from_db()
    assert boss.has_usable_password()
    refusals = AuditEvent.objects.filter(action="login", outcome="failed", detail="unverified")
    assert refusals.count() == 2


def test_a_second_subject_never_replaces_the_first(sso, client):
    sign_in(client, sso, "alice")
    user = signed_in_user(client)
    client.logout()

    answer = sign_in(client, sso, "alice-again")

    assert answer.status_code == 403
    assert "already linked to another identity" in answer.content.decode()
    assert not signed_in_user(client).is_authenticated
    identity = SignInIdentity.objects.get()
    assert (identity.user, identity.subject) == (user, "alice")


def test_once_linked_the_subject_decides_not_the_address(sso, client):
    """An address that moves to someone else at Suhde's side moves no account: the subject
    signs in to the account it was linked to."""
    sign_in(client, sso, "alice")
    alice = signed_in_user(client)
    client.logout()
    alice.email = "changed@kunta.example"
    alice.save()
    UserFactory(username="impostor", email="alice@kunta.example")

    sign_in(client, sso, "alice")

    assert signed_in_user(client) == alice


def test_a_person_a_coordinator_made_with_someones_address_does_not_get_their_account(sso, client):
    """The takeover of the identity issue, through SSO: a coordinator makes a person with the
    boss's address in their own network, as coordinator. When the boss signs in, the boss's
    own account opens; the coordinator's record stays without an account, and nothing of the
    boss's moves to it."""
    boss = UserFactory(username="boss", email="boss@kunta.example")
    boss_person = PersonFactory(user=boss, email="boss@kunta.example", name="Boss")
    hostile = NetworkFactory(slug="hostile")
    planted = PersonFactory(user=None, email="boss@kunta.example", name="Planted")
    MembershipFactory(person=planted, network=hostile, role=Role.COORDINATOR)

    sign_in(client, sso, "boss")

    assert signed_in_user(client) == boss
    planted.refresh_from_db()
    boss_person.refresh_from_db()
    assert planted.user is None
    assert boss_person.user == boss
    assert not Membership.objects.filter(person=boss_person, network=hostile).exists()


def test_two_people_with_the_address_and_no_account_link_neither(sso, client):
    one = PersonFactory(user=None, email="new.person@kunta.example")
    two = PersonFactory(user=None, email="New.Person@kunta.example")

    sign_in(client, sso, "nobody")

    assert signed_in_user(client).is_authenticated
    assert list(Person.objects.filter(pk__in=[one.pk, two.pk], user__isnull=False)) == []


def test_an_operators_account_is_never_opened_by_address(sso, client):
    UserFactory(username="root", email="root@kunta.example", is_staff=True, is_superuser=True)

    answer = sign_in(client, sso, "operator")

    assert answer.status_code == 403
    assert not signed_in_user(client).is_authenticated
    assert not SignInIdentity.objects.exists()


def test_a_closed_account_stays_closed(sso, client):
    sign_in(client, sso, "alice")
    user = signed_in_user(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    answer = sign_in(client, sso, "alice")

    assert answer.status_code == 403
    assert not signed_in_user(client).is_authenticated


def test_no_new_accounts_when_creating_is_off(sso, client, settings):
    settings.OIDC_CREATE_USER = False

    answer = sign_in(client, sso, "nobody")

    assert answer.status_code == 403
    assert "invitation" in answer.content.decode()
    assert User.objects.count() == 0


def test_a_state_from_another_browser_is_refused_with_a_page(sso, client):
    other = client.__class__()
    start = other.get("/sso/login/")
    back = urlsplit(sso.sign_in(start["Location"], "alice"))

    client.get("/sso/login/")  # this browser has a flow of its own, with another state
    answer = client.get(back.path + "?" + back.query)

    assert answer.status_code == 400
    assert "could not be accepted" in answer.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not SignInIdentity.objects.exists()


def test_a_code_from_another_flow_fails_its_pkce_and_nonce(sso, client):
    """Code injection: a code issued to another browser's flow, sent with this browser's state,
    is traded with this flow's PKCE verifier, which the provider refuses."""
    other = client.__class__()
    theirs = parse_qs(urlsplit(sso.sign_in(other.get("/sso/login/")["Location"], "alice")).query)
    mine = parse_qs(urlsplit(sso.sign_in(client.get("/sso/login/")["Location"], "nobody")).query)

    answer = client.get("/sso/callback/", {"code": theirs["code"][0], "state": mine["state"][0]})

    assert answer.status_code == 400
    assert not signed_in_user(client).is_authenticated
    assert not SignInIdentity.objects.exists()


def test_a_callback_used_twice_is_refused(sso, client):
    start = client.get("/sso/login/")
    back = urlsplit(sso.sign_in(start["Location"], "alice"))
    assert client.get(back.path + "?" + back.query).status_code == 302
    client.logout()

    answer = client.get(back.path + "?" + back.query)

    assert answer.status_code == 400
    assert not signed_in_user(client).is_authenticated


def test_an_answer_naming_another_issuer_is_refused(sso, client):
    start = client.get("/sso/login/")
    back = parse_qs(urlsplit(sso.sign_in(start["Location"], "alice")).query)
    back["iss"] = ["http://127.0.0.1:1/evil"]

    answer = client.get("/sso/callback/?" + urlencode(back, doseq=True))

    assert answer.status_code == 400
    assert not signed_in_user(client).is_authenticated


def test_a_provider_whose_discovery_names_another_issuer_is_not_used(sso, client, settings):
    from suhde.accounts.sso import discovery_forget

    settings.SUHDE_OIDC_ISSUER = sso.issuer + "/other"
    discovery_forget()

    answer = client.get("/sso/login/")

    assert answer.status_code == 503
    assert "cannot be reached" in answer.content.decode()


def test_cancelling_at_the_provider_shows_a_page(sso, client):
    start = client.get("/sso/login/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    answer = client.get("/sso/callback/", {"error": "access_denied", "state": state})

    assert answer.status_code == 400
    assert "cancelled" in answer.content.decode()


@pytest.mark.parametrize(
    "query", [{}, {"code": "x"}, {"state": "x"}, {"code": "x", "state": "x" * 5000}]
)
def test_a_bare_or_forged_callback_is_a_page_not_an_error(sso, client, query):
    answer = client.get("/sso/callback/", query)

    assert answer.status_code == 400
    assert not SignInIdentity.objects.exists()


def test_sso_pages_are_not_found_when_sso_is_off(client, settings, db):
    settings.SUHDE_OIDC_ISSUER = ""

    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_a_forged_code_on_the_password_login_is_ignored(sso, client):
    UserFactory(username="alice", email="alice@kunta.example")

    answer = client.post(
        "/login/?code=x&state=y", {"username": "alice", "password": "correct horse battery"}
    )

    assert answer.status_code == 302
    assert signed_in_user(client).username == "alice"


def test_sso_only_hides_the_password_and_refuses_it_except_for_operators(sso, client, settings):
    settings.SUHDE_OIDC_ONLY = True
    UserFactory(username="member", email="member@kunta.example")
    UserFactory(username="root", email="root@kunta.example", is_staff=True)

    page = client.get("/login/").content.decode()
    refused = client.post("/login/", {"username": "member", "password": "correct horse battery"})
    operator = client.login(username="root", password="correct horse battery")

    assert 'href="/sso/login/"' in page
    assert 'name="password"' not in page
    assert refused.status_code == 200
    assert not refused.wsgi_request.user.is_authenticated
    assert operator is True
    assert client.get("/reset/").status_code == 404


def test_the_login_page_offers_both_when_sso_is_on(sso, client, settings):
    settings.SUHDE_OIDC_NAME = "Esimerkkikunta"

    page = client.get("/login/?next=/account/").content.decode()

    assert 'href="/sso/login/?next=/account/"' in page
    assert "Esimerkkikunta" in page
    assert 'name="password"' in page


def test_the_link_is_in_the_persons_download_and_goes_with_their_erasure(client, world):
    import io
    import json
    import zipfile

    from django.urls import reverse

    user = world.member
    SignInIdentity.objects.create(user=user, issuer="https://id.example", subject="s-123")
    client.force_login(user)

    download = zipfile.ZipFile(io.BytesIO(client.get(reverse("networks:my_export")).content))
    rows = json.loads(download.read("data.json"))["sign_in_identities"]
    erased = client.post(reverse("networks:my_erase"))

    assert [(r["issuer"], r["subject"]) for r in rows] == [("https://id.example", "s-123")]
    assert erased.status_code == 302
    assert not SignInIdentity.objects.exists()


@pytest.mark.parametrize(
    ("language", "button", "refusal"),
    [
        ("fi", "Kirjaudu organisaatiosi tunnuksilla", "ei vahvistanut"),
        ("sv", "Logga in med din organisations konto", "bekräftade inte"),
    ],
)
def test_the_sign_in_pages_speak_finnish_and_swedish(sso, client, language, button, refusal):
    client.cookies["django_language"] = language

    login = client.get("/login/").content.decode()
    refused = sign_in(client, sso, "mallory").content.decode()

    assert button in login
    assert refusal in refused
