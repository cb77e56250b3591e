"""A new password ends every API token, as it ends the other sessions (promise 7, issue 14)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from suhde.accounts.domain import api_token_create
from suhde.accounts.models import ApiToken
from tests.factories import UserFactory

PASSWORD = "correct horse battery"
NEW = "an entirely new phrase 7"


class OneRoundPBKDF2(PBKDF2PasswordHasher):
    iterations = 1  # strength does not matter here, only that it differs from the stored hash


@pytest.fixture
def user(db):
    return UserFactory(username="aino", email="aino@example.org")


def _api_status(raw: str) -> int:
    return Client().get("/api/v1/networks", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_password_change_on_the_account_page_revokes_every_token(client, user):
    _, first = api_token_create(user=user, name="script")
    _, second = api_token_create(user=user, name="laptop")
    assert _api_status(first) == 200
    client.force_login(user)
    form = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert client.post(reverse("accounts:password_change"), form).status_code == 302
    assert (_api_status(first), _api_status(second)) == (401, 401)
    assert not ApiToken.objects.filter(user=user).exists()


def test_password_reset_revokes_every_token(client, user):
    _, raw = api_token_create(user=user, name="script")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert _api_status(raw) == 401


def test_password_set_on_the_command_line_revokes_every_token(user, monkeypatch):
    _, raw = api_token_create(user=user, name="script")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", "aino", stdout=io.StringIO())
    assert _api_status(raw) == 401


def test_other_saves_and_a_rehash_at_login_keep_the_tokens(client, user, settings):
    _, raw = api_token_create(user=user, name="script")
    user.first_name = "Aino"
    user.save()
    # A stronger hasher makes Django re-hash the same password at the next login.
    settings.PASSWORD_HASHERS = [
        "tests.accounts.test_tokens_and_passwords.OneRoundPBKDF2",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client.post(reverse("login"), {"username": "aino", "password": PASSWORD})
    assert get_user_model().objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$1$")
    assert _api_status(raw) == 200


def test_an_answer_to_a_token_is_not_stored_and_an_anonymous_one_may_be(user):
    """The token's user is the request's user, so the no-store rule (promise 27) sees it."""
    _, raw = api_token_create(user=user, name="script")
    signed = Client().get("/api/v1/networks", headers={"Authorization": f"Bearer {raw}"})
    anonymous = Client().get("/api/v1/openapi.json")
    assert signed.status_code == 200
    assert "no-store" in signed["Cache-Control"]
    assert anonymous.status_code == 200
    assert "no-store" not in anonymous.get("Cache-Control", "")
