"""Promises 7 and 23: sessions end when they should; login and reset resist guessing."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from suhde.common.mail import outbox_deliver
from suhde.common.models import AuditEvent
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def user(db):
    return UserFactory(username="aino", email="aino@example.org")


def _login(client, username="aino", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_login_rotates_the_session(client, user):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    assert _login(client).status_code == 302
    assert client.session.session_key != before


def test_login_is_audited_without_the_password(client, user):
    _login(client, password="wrong password")
    _login(client)
    events = list(AuditEvent.objects.values_list("action", "outcome", "actor_label"))
    assert ("login", "failed", "?") in events
    assert ("login", "ok", "aino") in events
    assert "wrong password" not in str(list(AuditEvent.objects.values_list()))


def test_logout_ends_the_session_on_the_server(client, user):
    _login(client)
    key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_disabled_account_loses_its_session(client, user):
    _login(client)
    assert client.get(reverse("networks:my_networks")).status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("networks:my_networks"))
    assert response.status_code == 302


def test_password_change_ends_other_sessions(user):
    laptop, phone = Client(), Client()
    _login(laptop)
    _login(phone)
    response = laptop.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "an entirely new phrase 7",
            "new_password2": "an entirely new phrase 7",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("networks:my_networks")).status_code == 200
    assert phone.get(reverse("networks:my_networks")).status_code == 302


def test_login_is_limited_per_account(client, user, settings):
    settings.SUHDE_LOGIN_LIMIT_PER_ACCOUNT = 3
    for number in range(3):
        _login(Client(REMOTE_ADDR=f"10.0.0.{number}"), password="wrong")
    response = _login(Client(REMOTE_ADDR="10.0.0.99"))
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()


def test_login_is_limited_per_address(client, user, settings):
    settings.SUHDE_LOGIN_LIMIT_PER_ADDRESS = 3
    for number in range(3):
        _login(client, username=f"someone{number}", password="wrong")
    response = _login(client)
    assert "Too many attempts" in response.content.decode()


def test_spoofed_forwarded_for_does_not_reset_the_limit(user, settings):
    settings.SUHDE_LOGIN_LIMIT_PER_ADDRESS = 2
    settings.SUHDE_PROXY_COUNT = 0
    client = Client()
    for number in range(2):
        _login(
            client,
            username=f"x{number}",
            password="wrong",
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
        )
    response = _login(client, headers={"X-Forwarded-For": "192.0.2.200"})
    assert "Too many attempts" in response.content.decode()


def test_client_ip_with_one_proxy_takes_the_proxys_view(rf, settings):
    from suhde.common.net import client_ip

    settings.SUHDE_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_password_reset_does_not_reveal_accounts(client, user):
    known = client.post(reverse("password_reset"), {"email": "aino@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    outbox_deliver()
    assert len(mail.outbox) == 1


def test_password_reset_is_limited(client, user, settings):
    settings.SUHDE_LOGIN_LIMIT_PER_ACCOUNT = 2
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "aino@example.org"})
    response = client.post(reverse("password_reset"), {"email": "aino@example.org"})
    assert response.status_code == 200
    outbox_deliver()
    assert len(mail.outbox) == 2


def test_authenticated_pages_are_not_stored(client, user):
    _login(client)
    response = client.get(reverse("networks:my_networks"))
    assert "no-store" in response["Cache-Control"]


def test_every_response_has_a_strict_csp(client, user):
    for url in (reverse("login"), "/admin/login/", "/api/v1/openapi.json", "/healthz"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy


def test_account_page_creates_a_token_shown_once(client, user):
    _login(client)
    response = client.post(reverse("accounts:api_token_create"), {"name": "my script"})
    raw = response.context["new_token"]
    assert raw.startswith("suhde_")
    again = client.get(reverse("accounts:account"))
    assert raw not in again.content.decode()
