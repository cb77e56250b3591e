"""Issue 19: a web process killed with kill -9 while phones post loses no acknowledged post.

The web server runs as `suhde serve` starts it (gunicorn, one uvicorn worker) on a copy of the test
database; a few clients post through the API and retry with the same key after a broken
connection, as the participant's page does. The worker is killed with SIGKILL mid-stream; gunicorn
starts a new one. Every post the server acknowledged must be stored, and none twice: posts that
arrive together are committed together (``workshops/appends.py``), each acknowledged only after
its group has committed, and a retried key stores nothing new. Votes take the same path: the
answer a participant last had acknowledged is the one stored.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from suhde.common.management.commands.serve import parts
from suhde.workshops.models import Post, Vote
from tests.processes import children, free_port
from tests.workshops.helpers import join, session

PARTICIPANTS, POSTS_EACH = 12, 5
KILL_AFTER = 20  # acknowledged posts before the kill


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        # The test database lives in memory: the server gets a copy in a file, which the test
        # reads back afterwards.
        target = tmp_path / "served.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    db = connection.settings_dict
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def _stored(url: str) -> list[tuple[int, str]]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute("SELECT id, text FROM workshops_post").fetchall()
    return list(Post.objects.values_list("id", "text"))


def _post(port: int, token: str, text: str, key: str) -> tuple[int, dict]:
    return _send(port, "/api/v1/live/posts", {"participant": token, "text": text, "key": key})


def _send(port: int, path: str, data: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", path, json.dumps(data), {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


@contextlib.contextmanager
def _served(url: str, tmp_path: Path):
    """`suhde serve`'s web part with one worker on ``url``; yields its port and process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SUHDE_DATA_DIR": str(tmp_path),
        "SUHDE_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "suhde.settings",
    }
    env.pop("REDIS_URL", None)
    argv = parts(host="127.0.0.1", port=port, workers=1, worker=False)[0].argv
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _attempt in range(300):  # the server starts within 30 s even on a busy machine
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _run_all(target, tokens: list[str]) -> None:
    threads = [threading.Thread(target=target, args=(n, t)) for n, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_web_process_loses_no_acknowledged_post(world, tmp_path):
    s = session(world.network)
    tokens = [join(s, address="")[1] for _ in range(PARTICIPANTS)]
    url = _database_url(tmp_path)
    acked: dict[int, str] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def participant(number: int, token: str) -> None:
        for index in range(POSTS_EACH):
            text, key = f"p{number} post {index}", f"{number}-{index}"
            for _attempt in range(200):  # bounded: ~20 s of retries at most
                try:
                    status, data = _post(port, token, text, key)
                except OSError:  # refused or cut off: the worker is gone; retry the same key
                    time.sleep(0.1)
                    continue
                assert status in (200, 201), (status, data)
                with lock:
                    acked[data["id"]] = text
                    if len(acked) >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        for worker in children(server.pid):
                            os.kill(worker, signal.SIGKILL)
                break

    with _served(url, tmp_path) as (port, server):
        _run_all(participant, tokens)
    assert killed.is_set()
    assert len(acked) == PARTICIPANTS * POSTS_EACH
    stored = dict(_stored(url))
    assert {pk: stored.get(pk) for pk in acked} == acked  # nothing acknowledged is lost
    assert len(stored) == len(set(stored.values())) == PARTICIPANTS * POSTS_EACH  # nor doubled


def _votes(url: str) -> dict[int, int]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT participant_id, value FROM workshops_vote").fetchall()
        return {participant: json.loads(value) for participant, value in rows}
    return dict(Vote.objects.values_list("participant_id", "value"))


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_web_process_keeps_every_acknowledged_answer(world, tmp_path):
    s = session(world.network, kind="scale")
    joined = [join(s, address="") for _ in range(PARTICIPANTS)]
    tokens = [raw for _participant, raw in joined]
    url = _database_url(tmp_path)
    last: dict[str, int] = {}  # token -> the answer last acknowledged
    lock = threading.Lock()
    killed = threading.Event()
    answers = [0]

    def participant(number: int, token: str) -> None:
        for value in (1, 2, 3, 4, 5):  # changes the answer four times
            for _attempt in range(200):
                try:
                    status, data = _send(
                        port, "/api/v1/live/votes", {"participant": token, "value": value}
                    )
                except OSError:
                    time.sleep(0.1)
                    continue
                assert status == (201 if value == 1 else 200) or status == 200, (status, data)
                with lock:
                    last[token] = data["value"]
                    answers[0] += 1
                    if answers[0] >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        for worker in children(server.pid):
                            os.kill(worker, signal.SIGKILL)
                break

    with _served(url, tmp_path) as (port, server):
        _run_all(participant, tokens)
    assert killed.is_set()
    ids = {raw: p.pk for p, raw in joined}
    assert _votes(url) == {ids[token]: value for token, value in last.items()}
    assert set(last.values()) == {5}
