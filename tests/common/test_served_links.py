"""Links that work: ``suhde serve`` on a port of its own, a real SMTP server, and every kind of
mail's link (and the calendar feed address) followed back to that server.

This starts the real parts, as ``make run`` does: the web server and the background worker, which
sends the outbox to the SMTP server. SUHDE_SITE_URL is not set, so the links must come from the
port ``suhde serve`` was given.
"""

import email
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.smtp_sink import received

ROOT = Path(__file__).resolve().parents[2]
SINK = ROOT / "tests" / "smtp_sink.py"

# Run in a shell of the served instance: the data, and a feed address. The mail itself is asked
# for through the web server (its links are made there) and the worker's digest run.
SCRIPT = """
import json
from datetime import timedelta
from django.urls import reverse
from django.utils import timezone
from suhde.accounts.domain import api_token_create
from suhde.common.models import ScheduledRun
from suhde.networks.models import Person, Role
from suhde.surveys import domain as surveys
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, member_user

network = NetworkFactory(name="Core", slug="core")
coordinator = member_user(network, Role.COORDINATOR, username="coord")
people = [PersonFactory(email=f"p{i}@example.org") for i in range(3)]
for person in people:
    MembershipFactory(person=person, network=network)
Person.objects.update(confirmed_at=None)
wave = surveys.wave_create(
    network=network, user=coordinator, title="Wave", closes_at=timezone.now() + timedelta(days=9),
    k=3,
)
_token, api_token = api_token_create(user=coordinator, name="calendar")
# As if an hour had passed: the worker's clock runs the digests again at its next tick.
ScheduledRun.objects.filter(name="digests").delete()
print(json.dumps({
    "invite": reverse("networks:person_invite", args=["core", people[0].pk]),
    "wave": reverse("surveys:wave_invite", args=["core", wave.pk]),
    "confirm": reverse("coordination:contacts_ask", args=["core"]),
    "api_token": api_token,
}))
"""
KINDS = {
    "Invitation to the network": "invitation",
    "Survey:": "survey",
    "Reminder:": "reminder",
    "Are your contact details": "confirm",
    # The worker writes digests in the site's language (Finnish by default).
    "Viikkosi Suhde-palvelussa": "digest",
}


def _port(preferred: int | None = None) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred or 0))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(folder: Path, smtp_port: int) -> dict:
    drop = {"DATABASE_URL", "REDIS_URL", "SUHDE_SITE_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **{k: v for k, v in os.environ.items() if k not in drop},
        "SUHDE_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'suhde.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SUHDE_TASKS": "database",
        "PYTHONPATH": str(ROOT),
        # The worker's clock sends the week's digest at its first tick, whatever the hour.
        "SUHDE_DIGEST_HOUR": "0",
    }


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy for loopback


def _answers(url: str) -> int:
    try:
        with LOCAL.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # not listening yet, or too slow to answer: not an answer
        return 0


def _csrf(browser) -> str:
    return next(c.value for c in browser.cookiejar if c.name == "csrftoken")


def _signed_in(site: str, username: str):
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    browser.cookiejar = jar
    browser.addheaders = [("Accept-Language", "en")]
    browser.open(f"{site}/login/", timeout=30).read()
    _post(browser, f"{site}/login/", {"username": username, "password": "correct horse battery"})
    assert any(c.name == "sessionid" for c in jar)
    return browser


def _post(browser, url: str, data: dict) -> None:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": _csrf(browser)}).encode()
    with browser.open(url, data=body, timeout=30) as response:
        assert response.status == 200, url


def _feed_address(site: str, api_token: str) -> str:
    """The subscription address a calendar client gets from ``calendar_feed_url``."""
    request = urllib.request.Request(  # noqa: S310  (http to our own server)
        f"{site}/api/v1/networks/core/calendar-feed",
        method="POST",
        headers={"Authorization": f"Bearer {api_token}"},
    )
    with LOCAL.open(request, timeout=30) as response:
        return json.loads(response.read())["url"]


def _links(raw: bytes) -> list[str]:
    message = email.message_from_bytes(raw)
    body = message.get_payload(decode=True).decode()
    return re.findall(r"https?://[^\s]+", body)


@pytest.mark.e2e
def test_served_instance_mails_links_and_a_feed_that_answer(tmp_path):
    port, smtp_port = _port(8920), _port()
    env = _environment(tmp_path, smtp_port)
    subprocess.run(
        [sys.executable, "-m", "suhde", "migrate", "--no-input", "-v", "0"], env=env, check=True
    )
    sink = subprocess.Popen(
        [sys.executable, str(SINK), str(smtp_port), str(tmp_path / "mail")],
        stdout=subprocess.PIPE,
        text=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "suhde", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        assert sink.stdout.readline().strip() == "ready"
        _wait(lambda: _answers(f"{site}/healthz") == 200, 60, "the web server")
        shell = subprocess.run(
            [sys.executable, "-m", "suhde", "shell", "-c", SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        paths = json.loads(shell.stdout.strip().splitlines()[-1])
        feed = _feed_address(site, paths["api_token"])
        browser = _signed_in(site, "coord")
        for path, data in (
            (paths["invite"], {"role": "member"}),
            (paths["wave"], {}),
            (paths["wave"], {"only_unanswered": "1"}),
            (paths["confirm"], {}),
        ):
            _post(browser, site + path, data)

        # 1 invitation, 3 survey links, 3 reminders, 1 confirm, 1 digest: the worker sends them.
        def all_kinds():
            found = received(tmp_path / "mail")
            subjects = [email.message_from_bytes(raw)["Subject"] for raw in found]
            kinds = {k for p, k in KINDS.items() for subject in subjects if subject.startswith(p)}
            return found if kinds == set(KINDS.values()) else None

        messages = _wait(all_kinds, 120, "the worker to send every kind of mail")
        seen = set()
        for raw in messages:
            subject = email.message_from_bytes(raw)["Subject"]
            kind = next(k for prefix, k in KINDS.items() if subject.startswith(prefix))
            links = _links(raw)
            assert links, subject
            for link in links:
                assert link.startswith(site + "/"), (kind, link)
                assert _answers(link) == 200, (kind, link)
            seen.add(kind)
        assert seen == set(KINDS.values())
        assert feed.startswith(site + "/")
        with LOCAL.open(feed, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/calendar")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        sink.kill()
        sink.wait()
