"""A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider
(OpenID-certified, from package.json's devDependencies, which `make install` installs) run by
node with ``tests/sso/provider.mjs``, on a port the system picks, so that no two tests of one
run share one. Nothing of the protocol is mocked."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "sso" / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
CLIENT_ID = "suhde-test"
CLIENT_SECRET = "test-only-secret-of-the-test-client-0123456789"


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{what}; CI=true, so the single sign-on tests may not be skipped")
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider:
    """``with Provider(accounts, redirect_uris) as provider:`` — ``provider.issuer`` is its
    address; ``accounts`` maps a login name to its claims (``sub`` defaults to the name)."""

    def __init__(self, accounts: dict[str, dict], redirect_uris: list[str]) -> None:
        if not shutil.which("node"):
            _missing("node is not installed (apt-get install nodejs npm)")
        if not PACKAGE.is_dir():
            _missing("oidc-provider is not installed (make install runs npm ci)")
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts = accounts
        self.redirect_uris = redirect_uris

    def __enter__(self) -> Provider:
        self.folder = tempfile.TemporaryDirectory()
        config = Path(self.folder.name) / "provider.json"
        config.write_text(
            json.dumps(
                {
                    "port": self.port,
                    "client": {
                        "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET,
                        "redirect_uris": self.redirect_uris,
                    },
                    "accounts": self.accounts,
                }
            )
        )
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(config)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("ready"):
            self.process.kill()
            raise RuntimeError(f"the test provider did not start: {line!r}")
        for _attempt in range(50):
            try:
                requests.get(self.issuer + "/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        self.folder.cleanup()

    def settings(self, settings, **extra) -> None:
        """Point Suhde (pytest-django's ``settings``) at this provider."""
        from suhde.accounts.sso import discovery_forget

        settings.SUHDE_OIDC_ISSUER = self.issuer
        settings.SUHDE_OIDC_DISCOVERY_URL = self.issuer + "/.well-known/openid-configuration"
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SCOPES = "openid email profile groups"
        for name, value in extra.items():
            setattr(settings, name, value)
        discovery_forget()

    def sign_in(self, authorize_url: str, login: str) -> str:
        """What a browser does at the provider: open the authorization address, type the login
        into its form, and follow the redirects until they leave for Suhde. Returns the
        address the provider sends the browser back to (Suhde's callback with a code)."""
        browser = requests.Session()
        page = browser.get(authorize_url, timeout=10)
        action = re.search(r'action="([^"]+)"', page.text)
        assert action, page.text[:500]
        answer = browser.post(
            urljoin(page.url, action.group(1)),
            data={"prompt": "login", "login": login, "password": "any"},
            allow_redirects=False,
            timeout=10,
        )
        for _hop in range(10):
            target = urljoin(answer.url, answer.headers["Location"])
            if urlsplit(target).port != self.port:
                return target
            answer = browser.get(target, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")
