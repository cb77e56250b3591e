"""The upgrade to one tie per pair (migrations networks.0003 → surveys.0003–0005 → networks.0004)
on a large network stored the old way, one row per origin.

A throwaway SQLite database is migrated to just before the change; 100,000 people get 450,000
hand-entered rows and 300,000 survey rows of one closed wave, 150,000 of them for pairs also
entered by hand (so 600,000 pairs in all). Then the rest of the migrations run, timed. Results
replace the "### Upgrade to one tie per pair" part of the "## Network map and import" section of
docs/benchmarks.md.
"""

import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit import cpu_model
from map import write_part

PART = "### Upgrade to one tie per pair"
PEOPLE = int(os.environ.get("BENCH_MIGRATION_PEOPLE", 100_000))
HAND = int(os.environ.get("BENCH_MIGRATION_HAND", 450_000))
SURVEY = int(os.environ.get("BENCH_MIGRATION_SURVEY", 300_000))
BOTH = SURVEY // 2  # survey rows whose pair was also entered by hand
BEFORE = [("networks", "0003_tieorigin"), ("surveys", "0003_wavetie_origin")]


def _setup(folder: str):
    os.environ["SUHDE_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    mine = {("networks", "0004_tie_one_per_pair"), ("surveys", "0004_ties_one_per_pair")}
    # Every other app as far as it can go without the change, so that only the change is timed.
    others = [
        leaf
        for leaf in graph.leaf_nodes()
        if leaf[0] not in ("networks", "surveys") and not mine & set(graph.forwards_plan(leaf))
    ]
    executor.migrate(BEFORE + others)
    return MigrationExecutor(connection).loader.project_state(BEFORE + others).apps


def _insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])


def _fill(apps) -> tuple[int, int]:
    """The old rows; returns how many tie rows and how many pairs there are."""
    from django.db import connection, transaction

    rng = random.Random(600_000)
    now = datetime.now(UTC)
    network = apps.get_model("networks", "Network").objects.create(name="Old", slug="old")
    wave = apps.get_model("surveys", "Wave").objects.create(
        network=network,
        title="Suhdekysely",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=10),
        closed_at=now - timedelta(days=10),
        status="closed",
    )
    with transaction.atomic():
        _insert(
            connection,
            "networks_person",
            ["name", "email", "phone", "title", "human", "competences", "needs", "created_at"],
            [(f"Henkilö {i}", "", "", "", "", "[]", "", now) for i in range(PEOPLE)],
        )
        first = apps.get_model("networks", "Person").objects.order_by("id").first().pk
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < HAND + SURVEY - BOTH:
            a, b = rng.randrange(PEOPLE), rng.randrange(PEOPLE)
            if a != b:
                pairs.add((first + a, first + b))
        ordered = sorted(pairs)
        hand, survey_only = ordered[:HAND], ordered[HAND:]
        surveyed = rng.sample(hand, BOTH) + survey_only
        columns = ["network_id", "source_id", "target_id", "origin", "strength", "created_at"]
        strength = ("weak", "strong")
        rows = [(network.pk, s, t, "manual", strength[rng.random() < 0.3], now) for s, t in hand]
        rows += [
            (network.pk, s, t, "survey", strength[rng.random() < 0.5], now) for s, t in surveyed
        ]
        _insert(connection, "networks_tie", columns, rows)
        survey_ids = apps.get_model("networks", "Tie").objects.filter(origin="survey")
        _insert(
            connection,
            "surveys_wavetie",
            ["wave_id", "tie_id"],
            [(wave.pk, pk) for pk in survey_ids.values_list("id", flat=True)],
        )
    return HAND + len(surveyed), len(pairs)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        apps = _setup(folder)
        rows, pairs = _fill(apps)
        from django.core.management import call_command
        from django.db import connection

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM networks_tie")
            ties = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM networks_tieorigin")
            origins = cursor.fetchone()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    part = "\n".join(
        [
            PART,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/tie_migration.py` on "
            f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, SQLite. "
            f"{rows:,} tie rows stored the old way ({HAND:,} entered by hand, {BOTH:,} "
            f"of them also reported by a survey wave, and {SURVEY - BOTH:,} reported by the "
            f"survey alone) among {PEOPLE:,} people became {ties:,} ties with {origins:,} "
            f"sources in **{seconds:.1f} s** (the migrations from `networks.0003` on, in one "
            f"`suhde migrate`). Peak memory of the process: {peak:,.0f} MB. Load average when "
            f"the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
            "",
        ]
    )
    assert ties == pairs, (ties, pairs)
    print(part)
    write_part(PART, part + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
