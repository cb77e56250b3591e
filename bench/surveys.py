"""Saving a survey response and closing a wave in a 500-member network (`make bench`).

Every member rates 30 partners. Measures the server time of one whole response saved through the
API (`survey_put`, submit included) and of closing the wave (ties, analysis, suppressed figures).
Results replace the "## Relationship survey" section of docs/benchmarks.md.
"""

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchkit import cpu_model, section_write

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Relationship survey"
MEMBERS, PARTNERS, ORGANIZATIONS = 500, 30, 25
ITEMS = ("K1", "K2", "K3", "K4", "T1", "T2", "T3", "T4", "C4")


def _setup(folder: str) -> None:
    os.environ.update(
        SUHDE_DATA_DIR=folder,
        SUHDE_ALLOWED_HOSTS="testserver",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3"),
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _network():
    from django.utils import timezone

    from suhde.networks.models import Membership, Network, Organization, Person
    from suhde.surveys.domain import wave_create

    network = Network.objects.create(name="Survey bench", slug="survey-bench")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Org {i}", sector=("public", "private", "third")[i % 3])
        for i in range(ORGANIZATIONS)
    )
    people = Person.objects.bulk_create(
        Person(name=f"P{i}", organization=organizations[i % ORGANIZATIONS]) for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(Membership(person=p, network=network) for p in people)
    wave = wave_create(
        network=network, user=None, title="Bench", k=5, closes_at=timezone.now() + timedelta(days=7)
    )
    return wave, [p.pk for p in people]


def _payload(rng, me, ids):
    partners = rng.sample([pid for pid in ids if pid != me], PARTNERS)
    return {
        "partners": [
            {
                "person": pid,
                "level": rng.randint(1, 5),
                "answers": {item: rng.choice([1, 2, 3, 4, None]) for item in ITEMS},
            }
            for pid in partners
        ],
        "self": {"C1": rng.randint(1, 5), "C2": rng.randint(1, 5), "C3": rng.randint(1, 5)},
        "open": {"works": "Hyvät kokoukset.", "improve": "", "barriers": ""},
        "submit": True,
    }


def _measure(wave, ids) -> tuple[list[float], float]:
    from django.test import Client

    from suhde.surveys import closing
    from suhde.surveys.domain import survey_link_create

    rng = random.Random(500)
    client = Client()
    saves = []
    for invitation in wave.invitations.order_by("person_id"):
        payload = _payload(rng, invitation.person_id, ids)
        start = time.perf_counter()
        response = client.put(
            f"/api/v1/survey/{survey_link_create(invitation=invitation)}",
            data=payload,
            content_type="application/json",
        )
        saves.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    start = time.perf_counter()
    closing.wave_close(wave=wave)
    return saves, time.perf_counter() - start


def _description(cpu: str, engine: str) -> str:
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `make bench` (`python bench/surveys.py`) "
        f"on {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {engine}. "
        f"{MEMBERS} members in {ORGANIZATIONS} organizations; each rates {PARTNERS} partners "
        "(level and nine items each), saved as one `survey_put` with submit; server time "
        "through Django's test client."
    )


def _report(saves, close_seconds, engine) -> str:
    cpu = cpu_model()
    ordered = sorted(saves)
    return (
        "\n".join(
            [
                SECTION,
                "",
                _description(cpu, engine),
                "",
                "| step | result | target |",
                "|---|---:|---:|",
                f"| save one response, median of {len(saves)} | "
                f"{statistics.median(saves) * 1000:.0f} ms | 200 ms |",
                f"| save one response, 95th percentile | "
                f"{ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms | |",
                f"| close the wave ({MEMBERS * PARTNERS:,} answers → ties, analysis, figures) | "
                f"{close_seconds:.1f} s | 10 s |",
                "",
            ]
        )
        + "\n"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _setup(folder)
        from django.db import connection

        wave, ids = _network()
        saves, close_seconds = _measure(wave, ids)
        section = _report(saves, close_seconds, connection.vendor)
    print(section)
    section_write(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
