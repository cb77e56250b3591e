import os
import secrets
import subprocess
import sys
from pathlib import Path

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
        "SUHDE_SITE_URL": "https://suhde.example.org",
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
                "EMAIL_BACKEND": "suhde.common.files.PrivateFileEmailBackend",
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


def _deploy_check(tmp_path, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "SUHDE_HTTPS": "1",
        "SUHDE_SECRET_KEY": secrets.token_urlsafe(60),
        "SUHDE_STATIC_MANIFEST": "1",
        "SUHDE_DATA_DIR": str(tmp_path),
        "SUHDE_CREATE_SECRET_KEY": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    if "SUHDE_SITE_URL" not in env:
        environment.pop("SUHDE_SITE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "suhde", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_warns_without_a_site_url(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode == 1
    assert "suhde.W001" in result.stderr
    assert "http://127.0.0.1:8000" in result.stderr


def test_check_deploy_warns_of_a_plain_http_site_url_behind_https(tmp_path):
    result = _deploy_check(tmp_path, SUHDE_SITE_URL="http://suhde.example.org")
    assert result.returncode == 1
    assert "suhde.W002" in result.stderr


@pytest.mark.parametrize("url", ["ftp://x.example.org", "suhde.example.org", "https://x/?a=1"])
def test_a_site_url_that_is_no_address_is_refused(url):
    from suhde.settings import site_url

    with pytest.raises(ImproperlyConfigured, match="SUHDE_SITE_URL"):
        site_url(url)


def test_a_site_url_loses_its_trailing_slash():
    from suhde.settings import site_url

    assert site_url(" https://suhde.example.org/network/ ") == "https://suhde.example.org/network"


def test_two_processes_creating_the_secret_key_at_once_both_take_the_one_that_won(
    tmp_path, monkeypatch
):
    from suhde import settings as site

    monkeypatch.delenv("SUHDE_SECRET_KEY", raising=False)
    real_link = os.link

    def other_process_wins(source, target):
        Path(target).write_text("the-other-process-key\n")  # written between our check and link
        return real_link(source, target)

    monkeypatch.setattr(os, "link", other_process_wins)
    assert site.secret_key(tmp_path, debug=True) == "the-other-process-key"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no draft left behind
    monkeypatch.setattr(os, "link", real_link)
    fresh = tmp_path / "fresh"
    key = site.secret_key(fresh, debug=True)
    assert len(key) >= 50 and (fresh / "secret_key").read_text() == key
    assert oct((fresh / "secret_key").stat().st_mode & 0o777) == "0o600"
