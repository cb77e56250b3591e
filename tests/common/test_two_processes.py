"""Issue 23, point 7: two web processes and a worker on one PostgreSQL and one Redis, as two
machines behind a load balancer run them; one web process dies with SIGKILL in the middle of a
live session and a survey, and nothing acknowledged is lost.

Each web process is `suhde serve --no-worker` (gunicorn, one uvicorn worker) on its own port, the
worker is `suhde worker`; all three share the test database and Redis. Phones join a live session
and post, and respondents save and submit their survey, each through the public HTTP endpoints,
alternating between the two processes as a load balancer would. After a number of acknowledged
writes, the first process (gunicorn and its worker) is killed with SIGKILL; clients that are cut
off retry the same request at the other process, as the participant's page and a load balancer
do. Then, through the surviving process: the facilitator's results hold every acknowledged post
once, the wave closes with every acknowledged response counted, and /healthz sees the database,
Redis and the worker.

Runs in CI's PostgreSQL + Redis pass (`.ci/run`); SQLite is one file on one machine, so the pass
on SQLite skips it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.management.commands.serve import parts
from suhde.surveys import domain as surveys
from tests.factories import MembershipFactory, PersonFactory
from tests.processes import children, free_port
from tests.surveys.conftest import members, token_of
from tests.workshops.helpers import session

pytestmark = pytest.mark.django_db(transaction=True)

PARTICIPANTS, POSTS_EACH = 10, 4
KILL_AFTER = 15  # acknowledged writes (posts and survey saves) before the kill
ITEMS = ["K1", "K2", "K3", "K4", "T1", "T2", "T3", "T4", "C4"]


def _call(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body) if body is not None else None
        conn.request(method, path, data, {"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}
    finally:
        conn.close()


def _wait_listening(port: int, process: subprocess.Popen) -> None:
    for _attempt in range(400):  # 40 s at most on a busy machine
        assert process.poll() is None, "a web process ended on its own"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


class Balancer:
    """What a load balancer does: every request to the next live process in turn; a request
    that is cut off goes again, the same one, to the other process."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.lock = threading.Lock()

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        with self.lock:
            self.turn += 1
            first = self.turn
        for attempt in range(200):  # bounded: ~20 s of retries at most
            port = self.ports[(first + attempt) % len(self.ports)]
            try:
                return _call(port, method, path, body, headers)
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{method} {path} never got an answer")


@pytest.fixture
def surveyed(world):
    """The world's network with nine more members and an open wave with k = 3."""
    for _ in range(9):
        MembershipFactory(
            person=PersonFactory(organization=world.organization), network=world.network
        )
    world.wave = surveys.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave 1",
        closes_at=timezone.now() + timedelta(days=14),
        k=3,
    )
    return world


@pytest.fixture
def shared_services():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "two processes share PostgreSQL and Redis (CI's second pass sets DATABASE_URL and "
            "REDIS_URL); SQLite serves one machine"
        )
    db = connection.settings_dict
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}", settings.REDIS_URL


def test_two_web_processes_and_a_worker_lose_nothing_when_one_is_killed(
    shared_services, surveyed, tmp_path
):
    database_url, redis_url = shared_services
    world = surveyed
    live = session(world.network)
    people = members(world)
    respondents = people[:9]
    survey_tokens = {p.pk: token_of(world.wave, p) for p in respondents}
    _, coordinator_token = api_token_create(user=world.coordinator, name="two processes")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SUHDE_DATA_DIR": str(tmp_path),
        "SUHDE_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "suhde.settings",
    }
    ports = [free_port(), free_port()]
    webs = [
        subprocess.Popen(
            parts(host="127.0.0.1", port=port, workers=1, worker=False)[0].argv,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    worker = subprocess.Popen(
        [sys.executable, "-m", "suhde", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    balancer = Balancer(ports)
    acked_posts: dict[int, str] = {}
    acked_surveys: set[int] = set()
    lock = threading.Lock()
    killed = threading.Event()

    def acknowledged() -> None:
        with lock:
            if len(acked_posts) + len(acked_surveys) >= KILL_AFTER and not killed.is_set():
                killed.set()
                victims = [*children(webs[0].pid), webs[0].pid]
                for pid in victims:
                    os.kill(pid, signal.SIGKILL)

    def participant(number: int) -> None:
        status, joined = balancer.call("POST", "/api/v1/live/join", {"code": live.code})
        assert status == 201, (status, joined)
        for index in range(POSTS_EACH):
            text = f"phone {number} post {index}"
            status, data = balancer.call(
                "POST",
                "/api/v1/live/posts",
                {"participant": joined["participant"], "text": text, "key": f"{number}-{index}"},
            )
            assert status in (200, 201), (status, data)
            with lock:
                acked_posts[data["id"]] = text
            acknowledged()

    def respondent(person_pk: int) -> None:
        partners = [p.pk for p in people if p.pk != person_pk][:4]
        token = survey_tokens[person_pk]
        for submit in (False, True):  # a saved draft, then the submitted response
            payload = {
                "partners": [
                    {"person": pk, "level": 3, "answers": dict.fromkeys(ITEMS, 4)}
                    for pk in partners
                ],
                "self": {"C1": 4, "C2": 3, "C3": 5},
                "open": {"works": "", "improve": "", "barriers": ""},
                "submit": submit,
            }
            status, data = balancer.call("PUT", f"/api/v1/survey/{token}", payload)
            assert status == 200, (status, data)
        with lock:
            acked_surveys.add(person_pk)
        acknowledged()

    try:
        for port, web in zip(ports, webs, strict=True):
            _wait_listening(port, web)
        threads = [threading.Thread(target=participant, args=(n,)) for n in range(PARTICIPANTS)]
        threads += [threading.Thread(target=respondent, args=(p.pk,)) for p in respondents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assert killed.is_set()
        assert webs[0].wait(timeout=10) == -signal.SIGKILL
        assert len(acked_posts) == PARTICIPANTS * POSTS_EACH
        assert acked_surveys == set(survey_tokens)

        survivor = ports[1]
        bearer = {"Authorization": f"Bearer {coordinator_token}"}
        status, results = _call(
            survivor, "GET", f"/api/v1/live-sessions/{live.pk}/results", None, bearer
        )
        assert status == 200
        stored = {post["id"]: post["text"] for p in results["prompts"] for post in p["posts"]}
        assert stored == acked_posts  # every acknowledged post, once, and nothing else
        # A join cut off before its answer leaves a participant who never posted; none is lost.
        assert results["participants"] >= PARTICIPANTS

        status, closed = _call(survivor, "POST", f"/api/v1/waves/{world.wave.pk}/close", {}, bearer)
        assert (status, closed["status"], closed["answered"]) == (200, "closed", len(respondents))
        status, figures = _call(
            survivor, "GET", f"/api/v1/waves/{world.wave.pk}/results", None, bearer
        )
        assert (status, figures["responses"]["answered"]) == (200, len(respondents))

        for _attempt in range(300):  # the worker's clock ticks every 15 s; at most 30 s
            status, health = _call(survivor, "GET", "/healthz")
            if health.get("worker") == "ok":
                break
            time.sleep(0.1)
        assert (status, health) == (
            200,
            {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"},
        )
    finally:
        for process in [*webs, worker]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*webs, worker]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
