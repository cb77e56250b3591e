"""The network health dashboard of a 500-member network (`make bench`).

Two waves a year apart, every member rating 30 partners in each, both closed. Times the dashboard
page, the comparison, the API answer, a chart, the Excel file and the PDF report with Django's
test client (server time: no network, no browser), and counts their queries. Results replace the
"## Dashboard" section of docs/benchmarks.md.
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
SECTION = "## Dashboard"
MEMBERS, PARTNERS, ORGANIZATIONS = 500, 30, 25
REPEAT, REPEAT_PDF = int(os.environ.get("BENCH_REPEAT", 15)), 3
TARGET_MS, TARGET_PDF_S = 500, 10


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
    from django.contrib.auth import get_user_model

    from suhde.networks.models import Membership, Network, Organization, Person

    network = Network.objects.create(name="Dashboard bench", slug="bench")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Org {i}", sector=("public", "private", "third")[i % 3])
        for i in range(ORGANIZATIONS)
    )
    network.organizations.set(organizations)
    people = Person.objects.bulk_create(
        Person(name=f"P{i}", organization=organizations[i % ORGANIZATIONS]) for i in range(MEMBERS)
    )
    user = get_user_model().objects.create_user("bench")
    people[0].user = user
    people[0].save()
    Membership.objects.bulk_create(
        Membership(person=p, network=network, role="coordinator" if i == 0 else "member")
        for i, p in enumerate(people)
    )
    return network, [p.pk for p in people], user


def _wave(network, ids, title, seed, days):
    from django.utils import timezone

    from suhde.surveys import closing
    from suhde.surveys.domain import wave_create
    from suhde.surveys.models import PartnerAnswer, Response

    rng = random.Random(seed)
    now = timezone.now()
    wave = wave_create(
        network=network, user=None, title=title, k=5, closes_at=now + timedelta(days=days)
    )
    responses = Response.objects.bulk_create(
        Response(wave=wave, respondent_id=pid, submitted_at=now, c1=rng.randint(1, 5))
        for pid in ids
    )
    PartnerAnswer.objects.bulk_create(
        PartnerAnswer(
            response=response,
            partner_id=partner,
            level=rng.randint(1, 5),
            **{f: rng.choice([1, 2, 3, 4, None]) for f in ("k1", "k2", "t1", "t3", "c4")},
        )
        for response in responses
        for partner in rng.sample([p for p in ids if p != response.respondent_id], PARTNERS)
    )
    return closing.wave_close(wave=wave)


def _measure(client, url, repeat) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    print("measuring", url, file=sys.stderr, flush=True)
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(captured)


def _rows(user, first, second) -> list[tuple[str, float, int]]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    base = f"/n/bench/evaluation/{second.pk}/"
    urls = [
        (base, REPEAT),
        (f"{base}compare/?before={first.pk}", REPEAT),
        (f"/api/v1/waves/{second.pk}/dashboard", REPEAT),
        (f"/api/v1/waves/{second.pk}/compare?before={first.pk}", REPEAT),
        (f"{base}charts/heatmap.svg", REPEAT),
        (f"{base}charts/map.svg?by=community", REPEAT_PDF),
        (f"{base}figures.xlsx", REPEAT),
    ]
    rows = [(url, *_measure(client, url, repeat)) for url, repeat in urls]
    return [*rows, (f"{base}report.pdf (the worker's job)", *_measure_pdf(user, second))]


def _measure_pdf(user, wave) -> tuple[float, int]:
    """The PDF report is made by the worker: time the job itself, as the worker runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suhde.common.jobs import job_execute
    from suhde.common.models import Job
    from suhde.evaluation.jobs import REPORT_PDF

    times = []
    print("measuring the PDF report job", file=sys.stderr, flush=True)
    for _ in range(REPEAT_PDF):
        job = Job.objects.create(
            kind=REPORT_PDF, network_id=wave.network_id, user=user, arguments={"wave": wave.pk}
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            job_execute(job_id=job.pk)
            times.append(time.perf_counter() - start)
        job.refresh_from_db()
        assert job.state == "done" and job.output_name, job.error
    return statistics.median(times) * 1000, len(captured)


def _cpu() -> str:
    return cpu_model()


def _report(rows, engine) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `make bench` (`python bench/dashboard.py`) "
        f"on {os.cpu_count()} cores ({_cpu()}), Python {platform.python_version()}, {engine}. "
        f"{MEMBERS} members in {ORGANIZATIONS} organizations; two closed waves in which every "
        f"member rated {PARTNERS} partners. Server time through Django's test client, median of "
        f"{REPEAT} requests ({REPEAT_PDF} for the PDF). Targets: the dashboard within "
        f"{TARGET_MS} ms with a fixed number of queries (a test holds the count), the PDF within "
        f"{TARGET_PDF_S} s.",
        "",
        "| request | median ms | queries |",
        "|---|---:|---:|",
        *[f"| `{url}` | {ms:.1f} | {queries} |" for url, ms, queries in rows],
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _setup(folder)
        from django.db import connection

        start = time.perf_counter()
        network, ids, user = _network()
        first = _wave(network, ids, "2025", seed=1, days=1)
        second = _wave(network, ids, "2026", seed=2, days=365)
        print(f"two waves closed in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        rows = _rows(user, first, second)
        engine = connection.vendor
    section = _report(rows, "PostgreSQL" if engine == "postgresql" else "SQLite")
    print(section)
    if "--no-write" not in sys.argv:
        section_write(SECTION, section)
    dashboard_ms = rows[0][1]
    pdf_ms = rows[-1][1]
    return 0 if dashboard_ms <= TARGET_MS and pdf_ms <= TARGET_PDF_S * 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
