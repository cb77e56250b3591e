"""10,000 phones on the push stream (`make bench-live-push`).

Starts `suhde serve` (gunicorn with uvicorn workers) on 127.0.0.1 with a throwaway database, like
`bench/live.py`, then one asyncio client plays the phones, open loop, each at its planned moments:

- during the first 60 s each phone joins (`live_join`) and opens its event stream
  (`/j/<code>/events`, Server-Sent Events), which it keeps open to the end;
- each posts 2 highlights (`live_post_create`) before 70 s;
- at 75 s the facilitator opens a poll (`live_prompt_create` with `open`); every phone's stream
  must bring the new question — the time from the facilitator's acknowledgement to each phone is
  "current within";
- each phone votes once (`live_vote_create`) before 115 s.

The phones come from 8 loopback addresses (127.0.0.2–9), as a large hall's phones come through a
few NAT addresses: one address may join 5,000 times a minute (docs/workshops.md). Reports the
acknowledgement latencies, lost posts and votes, how soon the phones had the new question, how
many streams were open, and the server's resident memory (all its processes, sampled each
second). Results replace the "## Live sessions: 10,000 phones" section of docs/benchmarks.md.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchkit import cpu_model, section_write
from live import _environment, _free_port, _group_cpu, _percentile, _prepare, _wait_for_server

SECTION = "## Live sessions: 10,000 phones on the push stream"
HOST = "127.0.0.1"
SOURCES = [f"127.0.0.{n}" for n in range(2, 10)]
JOIN_WINDOW, POST_UNTIL, POLL_AT, VOTE_UNTIL, END = 60.0, 70.0, 75.0, 115.0, 120.0


async def _http(port, method, path, body=None, headers=None, source=HOST, timeout=30.0):
    """One request on a fresh connection from ``source``; returns (status, body, seconds)."""
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(HOST, port, local_addr=(source, 0)), timeout
    )
    try:
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), content, time.perf_counter() - start


class Phones:
    def __init__(self, port, code, token):
        self.port, self.code, self.token = port, code, token
        self.acks: dict[str, list[float]] = {"join": [], "post": [], "vote": []}
        self.statuses: dict[int, int] = {}
        self.posted: list[str] = []
        self.voted = 0
        self.errors = 0
        self.open_streams = 0
        self.most_streams = 0
        self.stage_seen: dict[int, dict[int, float]] = {}  # stage -> phone -> when
        self.done = False

    async def request(self, kind, method, path, body, source):
        for _attempt in range(5):
            try:
                status, content, seconds = await _http(self.port, method, path, body, source=source)
            except (TimeoutError, OSError, IndexError, ValueError):
                self.errors += 1
                await asyncio.sleep(0.5)
                continue
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status in (200, 201):
                self.acks[kind].append(seconds)
                return json.loads(content)
            return None
        return None

    async def stream(self, number, token, source):
        """Keep the phone's event stream open; note when each stage arrives."""
        try:
            reader, writer = await asyncio.open_connection(HOST, self.port, local_addr=(source, 0))
        except OSError:
            self.errors += 1
            return
        writer.write(
            f"GET /j/{self.code}/events HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            f"Cookie: suhde_live={token}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        self.open_streams += 1
        self.most_streams = max(self.most_streams, self.open_streams)
        try:
            while not self.done:
                try:
                    line = await asyncio.wait_for(reader.readline(), 5.0)
                except TimeoutError:
                    continue
                if not line:
                    break
                if line.startswith(b"data: "):
                    stage = json.loads(line[6:]).get("stage")
                    self.stage_seen.setdefault(stage, {}).setdefault(number, time.monotonic())
        except (OSError, ValueError):
            self.errors += 1
        finally:
            self.open_streams -= 1
            writer.close()

    async def phone(self, number, rng, t0):
        source = SOURCES[number % len(SOURCES)]
        await asyncio.sleep(max(0.0, t0 + rng.uniform(0, JOIN_WINDOW) - time.monotonic()))
        joined = await self.request(
            "join", "POST", "/api/v1/live/join", {"code": self.code}, source
        )
        if joined is None:
            return
        token = joined["participant"]
        stream = asyncio.create_task(self.stream(number, token, source))
        start = time.monotonic()
        for index in range(2):
            due = start + (t0 + POST_UNTIL - start) * (index + rng.uniform(0.1, 0.9)) / 2
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            text = f"Phone {number} highlight {index + 1}"
            body = {"participant": token, "text": text, "key": f"{number}-{index}"}
            if await self.request("post", "POST", "/api/v1/live/posts", body, source):
                self.posted.append(text)
        await asyncio.sleep(max(0.0, t0 + rng.uniform(POLL_AT + 3, VOTE_UNTIL) - time.monotonic()))
        body = {"participant": token, "value": rng.randrange(2)}
        if await self.request("vote", "POST", "/api/v1/live/votes", body, source):
            self.voted += 1
        await asyncio.sleep(max(0.0, t0 + END - time.monotonic()))
        self.done = True
        await stream


async def _memory_watch(pgid: int, samples: list[int], stop: asyncio.Event) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    while not stop.is_set():
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid:
                    total += int((entry / "statm").read_text().split()[1]) * page
            except (OSError, IndexError, ValueError):
                continue
        samples.append(total)
        await asyncio.sleep(1)


async def _main_async(port, token, count, seed, pgid):
    auth = {"Authorization": f"Bearer {token}"}
    prompt = {"kind": "highlights", "question": "Highlights?"}
    status, content, _ = await _http(
        port, "POST", "/api/v1/networks/live/live-sessions",
        {"title": "Push", "prompts": [prompt]}, headers=auth, timeout=180,
    )  # fmt: skip
    assert status == 201, content
    created = json.loads(content)
    phones = Phones(port, created["code"], token)
    memory, stop = [], asyncio.Event()
    watch = asyncio.create_task(_memory_watch(pgid, memory, stop))
    rng = random.Random(seed)
    t0 = time.monotonic()

    async def open_poll():
        await asyncio.sleep(max(0.0, t0 + POLL_AT - time.monotonic()))
        body = {"kind": "choice", "question": "Which?", "options": ["A", "B"], "open": True}
        status, _content, _ = await _http(
            port, "POST", f"/api/v1/live-sessions/{created['id']}/prompts", body, headers=auth
        )
        return time.monotonic(), phones.open_streams, status

    poll = asyncio.create_task(open_poll())
    await asyncio.gather(*(phones.phone(n, random.Random(rng.random()), t0) for n in range(count)))
    opened_at, streams_then, poll_status = await poll
    stop.set()
    await watch
    status, content, _ = await _http(
        port, "GET", f"/api/v1/live-sessions/{created['id']}/results", headers=auth, timeout=300
    )
    results = json.loads(content)["prompts"]
    stored = [p["text"] for p in results[0]["posts"]]
    votes = sum(d["value"] for d in results[1]["distribution"]) if len(results) > 1 else 0
    stage = max(phones.stage_seen) if phones.stage_seen else 0
    delays = [seen - opened_at for seen in phones.stage_seen.get(stage, {}).values()]
    return phones, stored, votes, delays, streams_then, poll_status, max(memory, default=0)


def _report(count, workers, phones, stored, votes, delays, streams_then, memory, load, used):
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    lost_posts = len(set(phones.posted) - set(stored))
    doubled = len(stored) - len(set(stored))
    within = sum(1 for d in delays if d <= 2.0)
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(phones.statuses.items()))
    rows = [(name, phones.acks[name]) for name in ("join", "post", "vote")]
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/live_push.py "
            f"--phones {count} --workers {workers}` on {os.cpu_count()} cores ({cpu_model()}), "
            f"SQLite, no Redis. Load average before {load[0]:.1f}, after {load[1]:.1f}: the "
            "client (one asyncio process) runs on the same cores as the server, and the machine "
            "was shared with other work.",
            "",
            "| request | count | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|",
            *[
                f"| {name} | {len(v):,} | {ms(_percentile(v, 0.5))} | "
                f"{ms(_percentile(v, 0.95))} | {ms(_percentile(v, 0.99))} | "
                f"{ms(max(v) if v else float('nan'))} |"
                for name, v in rows
            ],
            "",
            f"- Posts: {len(phones.posted):,} acknowledged, {len(stored):,} stored, "
            f"**{lost_posts} lost, {doubled} doubled**; votes: {phones.voted:,} acknowledged, "
            f"{votes:,} stored. Status codes: {statuses}; {phones.errors:,} connections failed "
            "or were cut.",
            f"- Streams: at most {phones.most_streams:,} open at once, {streams_then:,} when the "
            f"poll opened. The new question reached {len(delays):,} phones: p50 "
            f"{ms(_percentile(delays, 0.5))} ms, p95 {ms(_percentile(delays, 0.95))} ms, max "
            f"{ms(max(delays) if delays else float('nan'))} ms; {within:,} within 2 s.",
            f"- Server memory (all its processes, resident, sampled each second): at most "
            f"{memory / 2**20:,.0f} MB. CPU: server {used[0]:.0f} s, client {used[1]:.0f} s.",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SUHDE_WORKERS", "2")))
    parser.add_argument("--seed", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(folder, None)
        token, _cookie = _prepare(env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "suhde", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(args.workers), "--no-worker"],
            env=env, stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_for_server(port, server)
            cpu_before, client_before = _group_cpu(server.pid), time.process_time()
            outcome = asyncio.run(_main_async(port, token, args.phones, args.seed, server.pid))
            used = (_group_cpu(server.pid) - cpu_before, time.process_time() - client_before)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    phones, stored, votes, delays, streams_then, _status, memory = outcome
    load = (load_before, os.getloadavg()[0])
    section = _report(
        args.phones, args.workers, phones, stored, votes, delays, streams_then, memory, load, used
    )
    print(section)
    if not args.no_write:
        section_write(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
