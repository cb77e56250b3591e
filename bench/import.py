"""Importing 100,000 people and 600,000 ties into an empty network (target: within 60 s).

Writes a people CSV (semicolons, UTF-8 with BOM, as Finnish Excel saves it) and a ties CSV into a
temporary folder, then runs ``import_apply`` (what ``suhde import`` and the page's confirmation
run) on a throwaway SQLite database, timing each stage. A second run of the same files, which
finds every row unchanged, shows the cost of an idempotent re-import. Results replace the
"### Import" part of the "## Network map and import" section of docs/benchmarks.md.
"""

import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from map import _setup_django, write_part

PART = "### Import"
PEOPLE = int(os.environ.get("BENCH_IMPORT_PEOPLE", 100_000))
TIES = int(os.environ.get("BENCH_IMPORT_TIES", 600_000))
PER_ORGANIZATION = 40


def _files(folder: Path) -> tuple[Path, Path]:
    rng = random.Random(100_000)
    sectors = ("julkinen", "yksityinen", "kolmas")
    people = folder / "people.csv"
    with people.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("id;name;email;organization;sector;title;phone;role\r\n")
        for i in range(1, PEOPLE + 1):
            org = i // PER_ORGANIZATION
            out.write(
                f"{i};Henkilö {i};h{i}@example.fi;Organisaatio {org};{sectors[org % 3]};"
                f"asiantuntija;;member\r\n"
            )
    ties = folder / "ties.csv"
    pairs = set()
    while len(pairs) < TIES:
        a = rng.randrange(1, PEOPLE + 1)
        b = (
            rng.randrange(1, PEOPLE + 1)
            if rng.random() < 0.5
            else max(1, a + rng.randrange(-60, 60))
        )
        if a != b and b <= PEOPLE:
            pairs.add((a, b))
    with ties.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("source;target;strength;knowing;trust;commitment\r\n")
        for a, b in sorted(pairs):
            strength = "vahva" if rng.random() < 0.3 else "heikko"
            out.write(f"{a};{b};{strength};{rng.randint(1, 4)};{rng.randint(1, 4)};\r\n")
    return people, ties


class Stages:
    """Records when each stage of the import finished."""

    def __init__(self):
        self.start = time.perf_counter()
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done >= total:
            self.last[stage] = time.perf_counter() - self.start


def _run(network, people: Path, ties: Path):
    from suhde.networks.imports import Upload, import_apply

    limit = 200 * 1024 * 1024  # as `suhde import --max-mb 200` would allow
    stages = Stages()
    counts = import_apply(
        network=network,
        people=Upload(people.name, people.read_bytes(), limit),
        ties=Upload(ties.name, ties.read_bytes(), limit),
        progress=stages,
    )
    return time.perf_counter() - stages.start, stages.last, counts


def _report(sizes, first, second) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    total, stages, counts = first
    again, _, again_counts = second
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    order = [
        "read",
        "check_people",
        "check_ties",
        "write_people",
        "write_memberships",
        "write_ties",
    ]
    labels = {
        "read": "files read",
        "check_people": "people checked and planned",
        "check_ties": "ties checked and planned",
        "write_people": "people written",
        "write_memberships": "memberships written",
        "write_ties": "ties written",
    }
    lines = [
        PART,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/import.py` on "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SQLite. "
        f"{PEOPLE:,} people in {PEOPLE // PER_ORGANIZATION:,} organizations "
        f"({sizes[0] / 1e6:.1f} MB CSV) and {TIES:,} ties ({sizes[1] / 1e6:.1f} MB CSV) imported "
        "into an empty network in one transaction, with the same checks as the page "
        "(the page itself refuses files over 20 MB; `suhde import --max-mb` raises the limit). "
        "Target: within 60 s. "
        f"Load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(other work on the same machine slows every figure).",
        "",
        "| stage | seconds since start |",
        "|---|---:|",
        *[f"| {labels[s]} | {stages[s]:.1f} |" for s in order if s in stages],
        f"| **whole import, committed** | **{total:.1f}** |",
        "",
        f"Created {counts['people']['created']:,} people, {counts['organizations']['created']:,} "
        f"organizations and {counts['ties']['created']:,} ties. Importing the same files again "
        f"took {again:.1f} s and found {again_counts['people']['unchanged']:,} people and "
        f"{again_counts['ties']['unchanged']:,} ties unchanged (nothing duplicated). "
        f"Peak memory of the process: {peak:,.0f} MB.",
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        from suhde.networks.models import Network

        people, ties = _files(Path(folder))
        sizes = (people.stat().st_size, ties.stat().st_size)
        network = Network.objects.create(name="Imported", slug="imported")
        first = _run(network, people, ties)
        second = _run(network, people, ties)
    part = _report(sizes, first, second)
    print(part)
    write_part(PART, part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
