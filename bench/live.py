"""A live session under load: 1,000 people join and post 5 highlights each (`make bench-live`).

Starts `suhde serve` (gunicorn with uvicorn workers) on 127.0.0.1 with a throwaway database,
creates a session through the API (`live_session_create`), then a real HTTP client (asyncio, one
connection per request, every request from the one address 127.0.0.1, like a room behind a
municipality's NAT) lets 1,000 participants join (`live_join`) during the first 30 s and post 5
highlights each (`live_post_create`) within 60 s, each sent open-loop at its planned moment.
Meanwhile a presenter screen follows the board's event stream (Server-Sent Events) as the browser
does. With `--kill-at S` one web worker is killed with SIGKILL S seconds in; clients retry a
broken request with the same key, as the phone's page does. Reports latency percentiles, lost
and doubled posts, and how soon each acknowledged post was on the presenter screen. Results
replace the "## Live sessions" section of docs/benchmarks.md. Only loopback traffic; every loop
is bounded.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchkit import cpu_model, section_write

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Live sessions"
# The board's version in the pushed HTML (JSON-escaped quotes): revision-last post-posts-….
BOARD_VERSION = re.compile(rb'data-version=\\"((\d+)-(\d+)-[\d-]+)\\"')
HOST = "127.0.0.1"
PARTICIPANTS, POSTS_EACH, DURATION, JOIN_WINDOW = 1000, 5, 60.0, 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _environment(folder: str, database_url: str | None) -> dict:
    env = dict(os.environ)
    env.update(
        SUHDE_DATA_DIR=folder,
        SUHDE_ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url or f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="suhde.settings",
    )
    # Under ASGI every request runs in a thread of its own: a connection kept open would stay
    # with a thread that is gone (PostgreSQL ran out of connections with 60 s), so none is kept.
    env["SUHDE_DB_CONN_MAX_AGE"] = "0"
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def _prepare(env: dict) -> tuple[str, str]:
    """Migrate and create a facilitator with an API token and a browser session, in-process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from suhde.accounts.domain import api_token_create
    from suhde.networks.models import Membership, Network, Organization, Person

    call_command("migrate", verbosity=0)
    network = Network.objects.create(name="Live network", slug="live")
    organization = Organization.objects.create(name="City", sector="public")
    network.organizations.add(organization)
    user = get_user_model().objects.create_user("facilitator")
    person = Person.objects.create(name="Facilitator", organization=organization, user=user)
    Membership.objects.create(person=person, network=network, role="facilitator")
    _, raw = api_token_create(user=user, name="bench")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    assert settings.SESSION_COOKIE_NAME
    return raw, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def _http(port, method, path, body=None, headers=None, timeout=30.0):
    """One HTTP/1.1 request on a fresh connection; returns (status, headers, body, seconds)."""
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    try:
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    found = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        found[name.strip().lower()] = value.strip()
    return status, found, content, time.perf_counter() - start


class Run:
    def __init__(self, port, token, cookie, code):
        self.port, self.token, self.cookie, self.code = port, token, cookie, code
        self.join_times, self.post_times = [], []
        self.statuses: dict[int, int] = {}
        self.acked: dict[int, float] = {}  # post id -> time acknowledged
        self.sent_texts: list[str] = []
        self.seen: list[tuple[float, int]] = []  # (time, last post id on the presenter screen)
        self.events = 0
        self.retries = 0
        self.killed = None  # (seconds in, pid, posts acknowledged by then)
        self.done = False

    def _count(self, status):
        self.statuses[status] = self.statuses.get(status, 0) + 1

    async def participant(self, number, rng, t0):
        await asyncio.sleep(max(0.0, t0 + rng.uniform(0, JOIN_WINDOW) - time.monotonic()))
        for _attempt in range(40):
            try:
                status, _, content, seconds = await _http(
                    self.port, "POST", "/api/v1/live/join", {"code": self.code}
                )
                break
            except (TimeoutError, OSError, IndexError, ValueError):
                self.retries += 1
                await asyncio.sleep(0.25)
        else:
            return
        self.join_times.append(seconds)
        self._count(status)
        if status != 201:
            return
        token = json.loads(content)["participant"]
        start = time.monotonic()
        span = (t0 + DURATION - 5.0) - start  # the last post leaves 5 s before the minute ends
        for index in range(POSTS_EACH):
            due = start + span * (index + rng.uniform(0.1, 0.9)) / POSTS_EACH
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            text = f"Participant {number} highlight {index + 1}"
            key = f"{number}-{index}"
            for _attempt in range(40):  # a retry with the same key never doubles a post
                try:
                    status, headers, content, seconds = await _http(
                        self.port,
                        "POST",
                        "/api/v1/live/posts",
                        {"participant": token, "text": text, "key": key},
                    )
                except (TimeoutError, OSError, IndexError, ValueError):
                    # Refused or cut off (a killed worker): try again with the same key.
                    self.retries += 1
                    await asyncio.sleep(0.25)
                    continue
                self._count(status)
                if status in (200, 201):
                    self.post_times.append(seconds)
                    self.acked[json.loads(content)["id"]] = time.monotonic()
                    self.sent_texts.append(text)
                    break
                if status == 429:
                    await asyncio.sleep(float(headers.get("retry-after", "1")))
                    continue
                break

    async def presenter(self, session_id):
        """Follow the board's event stream; reconnect (bounded) when a killed worker cuts it."""
        path = f"/n/live/live/{session_id}/events/?a=board"
        version = ""
        for _attempt in range(100):
            if self.done:
                return
            try:
                reader, writer = await asyncio.open_connection(HOST, self.port)
            except OSError:
                await asyncio.sleep(0.5)
                continue
            request = (
                f"GET {path}&v={version} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                f"Cookie: {self.cookie}\r\nAccept: text/event-stream\r\n\r\n"
            )
            writer.write(request.encode())
            try:
                while not self.done:
                    try:
                        line = await asyncio.wait_for(reader.readline(), 1.0)
                    except TimeoutError:
                        continue  # a quiet board; look at self.done again
                    if not line:
                        break  # the worker went away: reconnect with the version we have
                    found = BOARD_VERSION.search(line)
                    if found:
                        version = found.group(1).decode()
                        self.seen.append((time.monotonic(), int(found.group(3))))
                        self.events += 1
            except OSError:
                pass
            finally:
                writer.close()
            await asyncio.sleep(0.2)


def _percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _freshness(run: Run) -> list[float]:
    """For each acknowledged post, the time until the presenter's stream showed it (or later)."""
    delays = []
    for post_id, acked_at in run.acked.items():
        shown = next((t for t, last in run.seen if last >= post_id and t >= acked_at), None)
        if shown is not None:
            delays.append(shown - acked_at)
    return delays


def _web_workers(pid: int) -> list[int]:
    """The gunicorn workers under `suhde serve` (its grandchildren)."""
    found = []
    for child in _children(pid):
        found.extend(_children(child))
    return found


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


async def _kill_one(run, server_pid: int, at: float) -> None:
    await asyncio.sleep(at)
    workers = _web_workers(server_pid)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        run.killed = (at, workers[0], len(run.acked))


async def _main_async(port, token, cookie, seed, server_pid=0, kill_at=0.0):
    status, _, content, _ = await _http(
        port,
        "POST",
        "/api/v1/networks/live/live-sessions",
        {"title": "Benchmark", "prompts": [{"kind": "highlights", "question": "Highlights?"}]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=180,  # the first request waits for the workers to boot on a busy machine
    )
    assert status == 201, content
    created = json.loads(content)
    run = Run(port, token, cookie, created["code"])
    rng = random.Random(seed)
    t0 = time.monotonic()
    presenter = asyncio.create_task(run.presenter(created["id"]))
    killer = asyncio.create_task(_kill_one(run, server_pid, kill_at)) if kill_at else None
    await asyncio.gather(
        *(run.participant(n, random.Random(rng.random()), t0) for n in range(PARTICIPANTS))
    )
    elapsed = time.monotonic() - t0
    await asyncio.sleep(2)  # let the presenter catch the last posts
    run.done = True
    await presenter
    if killer is not None:
        await killer
    status, _, content, _ = await _http(
        port,
        "GET",
        f"/api/v1/live-sessions/{created['id']}/results",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    stored = [p["text"] for p in json.loads(content)["prompts"][0]["posts"]]
    return run, elapsed, stored


def _wait_until_quiet(limit: float, patience: float) -> float:
    """Wait (at most ``patience`` s) for the 1-minute load average to drop below ``limit``.

    The client and the server share this machine with whatever else runs; the report says what
    the load was, so a run on a busy machine reads as one.
    """
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def _group_cpu(pgid: int) -> float:
    """CPU seconds used so far by the live processes of a process group (the server)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _wait_for_server(port, process):
    for _attempt in range(200):  # at most ~20 s
        if process.poll() is not None:
            raise SystemExit("suhde serve exited early")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("suhde serve did not start")


def _report(run, elapsed, stored, workers, database, load, used, nice) -> str:
    expected = PARTICIPANTS * POSTS_EACH
    lost = len(set(run.sent_texts) - set(stored))
    doubled = len(stored) - len(set(stored))
    fresh = _freshness(run)
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    cpu = cpu_model()
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(run.statuses.items()))
    rows = [
        ("join (`live_join`)", run.join_times),
        ("post (`live_post_create`)", run.post_times),
    ]
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `make bench-live` (`python bench/live.py`) on "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {database}, "
        f"`suhde serve` with {workers} uvicorn workers under gunicorn, no Redis; each process "
        "commits the posts that arrive together in one transaction (`workshops/appends.py`). "
        "A real HTTP "
        "client on the same "
        f"machine (asyncio, a new connection per request, all from 127.0.0.1 as from one NAT "
        f"address): {PARTICIPANTS:,} participants join within {JOIN_WINDOW:.0f} s and post "
        f"{POSTS_EACH} highlights each, each request sent at its planned moment (open loop); a "
        "presenter screen follows the board's event stream (Server-Sent Events). "
        f"Load average before the run {load[0]:.1f}, after it {load[1]:.1f} (the client runs on "
        "the same cores as the server)"
        + (f"; server and client ran at nice {nice} over the other work." if nice else "."),
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
        *[
            f"| {name} | {len(v):,} | {ms(_percentile(v, 0.5))} | {ms(_percentile(v, 0.95))} | "
            f"{ms(_percentile(v, 0.99))} | {ms(max(v) if v else float('nan'))} |"
            for name, v in rows
        ],
        "",
        f"- Posts: {expected:,} sent, {len(run.acked):,} acknowledged, {len(stored):,} stored; "
        f"**{lost} lost, {doubled} doubled**. All {PARTICIPANTS * (POSTS_EACH + 1):,} joins and "
        f"posts finished in {elapsed:.1f} s. Status codes: {statuses}.",
        "- Presenter screen: an acknowledged post was on it after "
        f"p50 {ms(_percentile(fresh, 0.5))} ms, p95 {ms(_percentile(fresh, 0.95))} ms, "
        f"max {ms(max(fresh) if fresh else 0)} ms "
        f"({len(fresh):,} of {len(run.acked):,} posts matched; {run.events:,} board events "
        "received, at most 4 a second by design).",
        (
            f"- Kill -9: a web worker (pid {run.killed[1]}) was killed {run.killed[0]:.0f} s in, "
            f"after {run.killed[2]:,} acknowledged posts; {run.retries:,} requests were retried "
            "with the same key."
            if run.killed
            else f"- No process was killed in this run; {run.retries:,} requests were retried."
        ),
        f"- CPU: the server used {used[0]:.1f} CPU seconds for the "
        f"{len(run.join_times) + len(run.post_times):,} requests "
        f"({used[0] * 1000 / max(1, len(run.join_times) + len(run.post_times)):.1f} ms each), the "
        f"client {used[1]:.1f} s; the run took {elapsed:.1f} s of wall time on "
        f"{os.cpu_count()} cores shared with other work.",
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SUHDE_WORKERS", "2")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument(
        "--kill-at", type=float, default=0.0, help="kill -9 one web worker so many seconds in"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--patience", type=float, default=300, help="seconds to wait for quiet")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="scheduling priority for the server and the client (negative needs root): on a "
        "machine shared with other work, -10 approximates a machine of their own",
    )
    args = parser.parse_args()
    if args.nice:
        os.setpriority(os.PRIO_PROCESS, 0, args.nice)
    load_before = _wait_until_quiet(1.0, args.patience)
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(folder, args.database_url)
        token, cookie = _prepare(env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "suhde", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_for_server(port, server)
            cpu_before, client_before = _group_cpu(server.pid), time.process_time()
            run, elapsed, stored = asyncio.run(
                _main_async(port, token, cookie, args.seed, server.pid, args.kill_at)
            )
            cpu = (_group_cpu(server.pid) - cpu_before, time.process_time() - client_before)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    load = (load_before, os.getloadavg()[0])
    section = _report(run, elapsed, stored, args.workers, database, load, cpu, args.nice)
    print(section)
    if not args.no_write:
        section_write(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
