"""Server time and query count of the registry's pages at 5,000 people (`make bench`).

Builds a throwaway SQLite database in a temporary folder, fills one network with 5,000 people in
250 organizations and 30,000 ties, then times each page with Django's test client (server time:
no network, no browser). Results replace the "## Pages" section of docs/benchmarks.md.
"""

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchkit import cpu_model, section_write

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Pages"
PEOPLE = 5_000
ORGANIZATIONS = 250
TIES = 30_000
REPEAT = 15


def _setup_django(folder: str) -> None:
    os.environ["SUHDE_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["SUHDE_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill():
    from django.contrib.auth import get_user_model

    from suhde.networks.domain import ties_bulk_enter
    from suhde.networks.models import Membership, Network, Organization, Person, Tie

    rng = random.Random(5000)
    network = Network.objects.create(name="Big network", slug="big")
    sectors = ["public", "private", "third"]
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Organization {i:03d}", sector=sectors[i % 3])
        for i in range(ORGANIZATIONS)
    )
    network.organizations.set(organizations)
    people = Person.objects.bulk_create(
        Person(
            name=f"Person {i:04d}",
            email=f"p{i}@example.org",
            organization=organizations[i % ORGANIZATIONS],
            title="asiantuntija",
        )
        for i in range(PEOPLE)
    )
    user = get_user_model().objects.create_user("bench")
    people[0].user = user
    people[0].save()
    Membership.objects.bulk_create(
        Membership(person=p, network=network, role="coordinator" if i == 0 else "member")
        for i, p in enumerate(people)
    )
    pairs = set()
    while len(pairs) < TIES:
        a, b = rng.randrange(PEOPLE), rng.randrange(PEOPLE)
        if a != b:
            pairs.add((a, b))
    ties_bulk_enter(
        ties=[
            Tie(
                network=network,
                source=people[a],
                target=people[b],
                strength="strong" if rng.random() < 0.3 else "weak",
            )
            for a, b in pairs
        ]
    )
    return user


def _measure(client, url: str, headers=None) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, headers=headers or {})
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries)


def _rows(user) -> list[tuple[str, float, int]]:
    from django.test import Client

    from suhde.accounts.domain import api_token_create

    client = Client()
    client.force_login(user)
    pages = [
        "/n/big/",
        "/n/big/members/",
        "/n/big/members/?page=60",
        "/n/big/members/?q=Person+41",
        "/n/big/organizations/",
        "/n/big/ties/",
        "/n/big/ties/?page=300",
    ]
    rows = [(url, *_measure(client, url)) for url in pages]
    _, raw = api_token_create(user=user, name="bench")
    headers = {"Authorization": f"Bearer {raw}"}
    for url in ("/api/v1/people?network=big&limit=500", "/api/v1/ties?network=big&limit=500"):
        rows.append((url, *_measure(Client(), url, headers)))
    return rows


def _report(rows) -> str:
    cpu = cpu_model()
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `make bench` (`python bench/pages.py`) on "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SQLite. One network "
        f"of {PEOPLE:,} people in {ORGANIZATIONS} organizations with {TIES:,} ties; server time "
        f"through Django's test client, median of {REPEAT} requests.",
        "",
        "| page | median ms | queries |",
        "|---|---:|---:|",
        *[f"| `{url}` | {ms:.1f} | {queries} |" for url, ms, queries in rows],
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        user = _fill()
        rows = _rows(user)
    section = _report(rows)
    print(section)
    section_write(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
