"""Network map at 2,000 people and 12,000 ties: server time, queries, and drawing in Chromium.

Builds a throwaway SQLite database, fills one network, then
- times ``/api/v1/networks/big/map`` through Django's test client (server time): the first
  request computes the igraph layout, the next ones read it from the cache row;
- starts ``suhde runserver`` on the same database and opens the map page in Debian Chromium
  with Playwright, timing from navigation to the moment Cytoscape has drawn every node.
Results replace the "### Map" part of the "## Network map and import" section of
docs/benchmarks.md.
"""

import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Network map and import"
PART = "### Map"
PEOPLE = 2_000
TIES = 12_000
ORGANIZATIONS = 80
REPEAT = 15
BROWSER_REPEAT = 9
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "bench password 2000"  # noqa: S105 — a throwaway database


def _setup_django(folder: str) -> None:
    os.environ["SUHDE_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["SUHDE_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    # A big map's layout is the background worker's job (docs/map.md); here it runs inside the
    # request that asks for it, so that "cold" still measures the computation.
    os.environ.setdefault("SUHDE_TASKS", "immediate")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(slug: str = "big", people: int = PEOPLE, ties: int = TIES, orgs: int = ORGANIZATIONS):
    """One network with ``people`` people in ``orgs`` organizations and ``ties`` random ties."""
    from django.contrib.auth import get_user_model

    from suhde.networks.domain import ties_bulk_enter
    from suhde.networks.models import Membership, Network, Organization, Person, Tie

    rng = random.Random(2000)
    network = Network.objects.create(name="Big network", slug=slug)
    sectors = ["public", "private", "third"]
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Organization {i:03d}", sector=sectors[i % 3]) for i in range(orgs)
    )
    network.organizations.set(organizations)
    members = Person.objects.bulk_create(
        Person(
            name=f"Person {i:04d}", email=f"p{i}@example.org", organization=organizations[i % orgs]
        )
        for i in range(people)
    )
    username = "bench" if slug == "big" else f"bench-{slug}"  # bench/map_scale.py fills two
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    members[0].user = user
    members[0].save()
    Membership.objects.bulk_create(
        Membership(person=p, network=network, role="coordinator" if i == 0 else "member")
        for i, p in enumerate(members)
    )
    pairs = set()
    while len(pairs) < ties:
        a = rng.randrange(people)
        # Most ties stay near home (same or neighbouring organizations), as in real networks.
        b = (
            (a + rng.choice([orgs, 2 * orgs, 1, -1])) % people
            if rng.random() < 0.7
            else rng.randrange(people)
        )
        if a != b:
            pairs.add((a, b))
    ties_bulk_enter(
        ties=[
            Tie(
                network=network,
                source=members[a],
                target=members[b],
                strength="strong" if rng.random() < 0.3 else "weak",
            )
            for a, b in sorted(pairs)
        ]
    )
    return user


def _server_times(user) -> list[tuple[str, float, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from suhde.networks.models import MapLayout

    client = Client()
    client.force_login(user)
    rows = []
    for label, url in (
        ("people, whole network", "/api/v1/networks/big/map"),
        ("third sector only", "/api/v1/networks/big/map?sector=third"),
        ("organizations", "/api/v1/networks/big/map?view=organizations"),
        ("ego view, 2 steps", f"/api/v1/networks/big/map?ego={user.person.pk}&depth=2"),
    ):
        MapLayout.objects.all().delete()
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        cold = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200
        rows.append((label, cold, statistics.median(times) * 1000, min(times) * 1000, len(queries)))
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_times() -> list[float]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/suhde"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--insecure",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{base}/n/big/map/")  # warms the layout cache
            page.wait_for_selector("#network-map.map-drawn", timeout=60_000)
            for _ in range(BROWSER_REPEAT):
                start = time.perf_counter()
                page.goto(f"{base}/n/big/map/")
                page.wait_for_selector("#network-map.map-drawn", timeout=60_000)
                times.append((time.perf_counter() - start) * 1000)
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=10)


def _report(server_rows, browser) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        PART,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/map.py` on {os.cpu_count()} "
        f"cores ({cpu}), Python {platform.python_version()}, SQLite. One network of {PEOPLE:,} "
        f"people in {ORGANIZATIONS} organizations with {TIES:,} ties. Server time through "
        f"Django's test client: the first request after the ties change computes the igraph "
        f"layout (cold); later ones read it from the cache row (median of {REPEAT}). "
        "Target: at most 300 ms. "
        f"Load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(other work on the same machine slows every figure).",
        "",
        "| map data | cold ms | warm median ms | warm fastest ms | queries |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {label} | {cold:.0f} | {warm:.0f} | {fastest:.0f} | {q} |"
            for label, cold, warm, fastest, q in server_rows
        ],
        "",
    ]
    if browser:
        lines += [
            "Drawing the whole map page in Debian Chromium (headless, Playwright), from "
            f"navigation to every node drawn, page and map data included, layout cached: median "
            f"{statistics.median(browser):.0f} ms, fastest {min(browser):.0f} ms, "
            f"slowest {max(browser):.0f} ms of "
            f"{len(browser)} loads. Target: within 2 s.",
            "",
        ]
    return "\n".join(lines) + "\n"


def write_part(part_title: str, part: str) -> None:
    """Replace one ### part inside the section, keeping the other parts."""
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\n"
    section_re = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = section_re.search(text)
    body = found.group(0) if found else SECTION + "\n\n"
    part_re = re.compile(rf"^{re.escape(part_title)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    body = part_re.sub(part, body) if part_re.search(body) else body.rstrip() + "\n\n" + part
    body = body.rstrip() + "\n\n"
    text = section_re.sub(body, text) if found else text.rstrip() + "\n\n" + body
    DOCS.write_text(text.rstrip() + "\n")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        user = fill()
        server_rows = _server_times(user)
        browser = _browser_times() if Path(CHROMIUM).exists() else []
    part = _report(server_rows, browser)
    print(part)
    write_part(PART, part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
