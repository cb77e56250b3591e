import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from suhde.settings import email_settings, env_bool, env_int


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "SUHDE_HTTPS": "1",
        "SUHDE_SECRET_KEY": secrets.token_urlsafe(60),
        "SUHDE_STATIC_MANIFEST": "1",
        "SUHDE_DATA_DIR": str(tmp_path),
        "SUHDE_CREATE_SECRET_KEY": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "suhde", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("SUHDE_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SUHDE_X"):
        env_bool("SUHDE_X", False)


def test_env_int_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("SUHDE_X", "12a")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SUHDE_X", 1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("consolemail://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "filemail:///tmp/mail",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/tmp/mail",
            },
        ),
    ],
)
def test_email_url_simple_schemes(url, expected):
    assert email_settings(url) == expected


def test_email_url_smtp_with_credentials():
    settings = email_settings("smtp+tls://user%40x:p%3Ass@mail.example.org:2525")
    assert settings["EMAIL_HOST"] == "mail.example.org"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["EMAIL_HOST_USER"] == "user@x"
    assert settings["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert settings["EMAIL_USE_TLS"] is True


def test_email_url_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        email_settings("pigeon://coop")
