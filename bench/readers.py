"""Hostile workbooks against the import check, and two real files for scale (`make bench`).

Issue 14's three bombs — the 1.2 kB dimension bomb (``<dimension ref="A1:XFD1048576"/>`` and one
cell at XFD1048576), a zip bomb (1 GB of spaces in about 1 MB) and a workbook whose sheet is
380 MB of real rows — plus a zip bomb that lies about its size and a flood of rows that stays just
under the unpacked limit. Each runs ``import_check`` (what the import page and API run first) in
a fresh process, so the peak memory (``ru_maxrss`` from ``wait4``) is that case's alone; the
process's start (Django set up, no file read) is measured the same way as the baseline.

Target (issue 14): every bomb refused in under 5 s with peak memory under 300 MB.
Results replace the "## Hostile files" section of docs/benchmarks.md.

    python bench/readers.py            # all cases, writes the docs
    python bench/readers.py --no-write # print only
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchkit import cpu_model, section_write

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECTION = "## Hostile files"
MB = 1024 * 1024
CASES = {
    # name: (what it is, builder, target seconds or None for the real files)
    "start": ("the process alone: Django set up, no file read", None, None),
    "dimension": ("dimension bomb: declares A1:XFD1048576, one cell at XFD1048576", "bomb", 5),
    "zip": ("zip bomb: 1 GB of spaces in one sheet", "bomb", 5),
    "lying-zip": ("zip bomb whose headers say 1 kB: 1 GB of spaces", "bomb", 5),
    "xml-380": ("380 MB of real rows of XML in one sheet", "bomb", 5),
    "xml-199": ("199 MB of real rows, under the 200 MB unpacked limit", "bomb", None),
    "people-100k": ("real: 100,000 people, .xlsx written by openpyxl", "real", None),
    "ties-600k": ("real: 600,000 ties, CSV as Finnish Excel saves it", "real", None),
}


def _build(case: str, folder: Path) -> Path:
    from tests import hostile_files as hostile

    path = folder / f"{case}.{'csv' if case == 'ties-600k' else 'xlsx'}"
    if case == "dimension":
        data = hostile.dimension_bomb()
    elif case == "zip":
        data = hostile.zip_bomb(1024 * MB)
    elif case == "lying-zip":
        data = hostile.lying_zip_bomb(1024 * MB)
    elif case == "xml-380":
        data = hostile.xml_flood(380 * MB)
    elif case == "xml-199":
        data = hostile.xml_flood(199 * MB)
    elif case == "people-100k":
        data = _people_xlsx()
    else:
        data = _ties_csv()
    path.write_bytes(data)
    return path


def _people_xlsx() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("people")
    sheet.append(["id", "name", "email", "organization", "sector", "title", "phone", "role"])
    for i in range(1, 100_001):
        person = [i, f"Henkilö {i}", f"h{i}@example.fi", f"Organisaatio {i // 40}", "julkinen"]
        sheet.append([*person, "asiantuntija", "+358 40 123 4567", "member"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ties_csv() -> bytes:
    import random

    rng = random.Random(600_000)
    lines = ["source;target;strength;knowing;trust;commitment"]
    for _ in range(600_000):
        a, b = rng.randrange(1, 100_001), rng.randrange(1, 100_001)
        lines.append(f"{a};{b};heikko;{rng.randint(1, 4)};{rng.randint(1, 4)};")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def child(case: str, path: str) -> None:
    """Run in a fresh process: check the file as the import page would, print what happened."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(SUHDE_DATA_DIR=folder, DJANGO_SETTINGS_MODULE="suhde.settings")
        import django

        django.setup()
        from django.utils import translation

        from suhde.networks.imports import Upload, read_table

        translation.activate("en")
        kind = "ties" if case.startswith("ties") else "people"

        result = {"seconds": 0.0, "refused": "", "rows": 0}
        if case != "start":
            data = Path(path).read_bytes()
            start = time.perf_counter()
            problems: list = []
            table = read_table(Upload(Path(path).name, data), kind, problems)
            result["seconds"] = time.perf_counter() - start
            result["refused"] = problems[0].message if problems else ""
            result["rows"] = len(table.rows) if table else 0
        print(json.dumps(result))


def measure(case: str, path: Path | None) -> dict:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", case, str(path or "")],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{case} failed with status {status}")
    row = json.loads(out)
    row["peak_mb"] = usage.ru_maxrss / 1024
    row["cpu"] = usage.ru_utime + usage.ru_stime
    row["size"] = path.stat().st_size if path else 0
    return row


def _size(size: int) -> str:
    return f"{size / 1024:.1f} kB" if size < MB else f"{size / MB:.1f} MB"


def render(rows: dict, load: tuple[float, float]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/readers.py` (`make bench`) on "
        f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}. Each case "
        "reads one file with the import's `read_table` (the first step of the import page, API "
        "and command, with the page's 20 MB limit) in a fresh process; *peak memory* is that "
        "process's maximum resident set from `wait4`, Django included (the first row); *CPU time* "
        "is the whole process's, start included, which a busy machine inflates less than the "
        "wall-clock time of the reading. "
        f"Load average (1 min) {load[0]:.1f} before and {load[1]:.1f} after, on 2 cores shared "
        "with other work: the wall-clock times are pessimistic.",
        "",
        "Before issue 14, openpyxl padded every row to the declared dimension: the 1.2 kB "
        "dimension bomb grew one worker to 6.9 GB until the 60 s timeout killed it.",
        "",
        "| file | size | outcome | time | CPU time of the process | peak memory | target |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for case, row in rows.items():
        what, _kind, target = CASES[case]
        outcome = f"refused: {row['refused']}" if row["refused"] else f"read {row['rows']:,} rows"
        if case == "start":
            outcome = "—"
        goal = f"< {target} s, < 300 MB" if target else ""
        lines.append(
            f"| {what} | {_size(row['size']) if row['size'] else '—'} | {outcome} | "
            f"{row['seconds']:.2f} s | {row['cpu']:.1f} s | {row['peak_mb']:.0f} MB | {goal} |"
        )
    return "\n".join(lines) + "\n\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    load_before = os.getloadavg()[0]
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for case in args.cases.split(","):
            path = _build(case, Path(folder)) if CASES[case][1] else None
            rows[case] = measure(case, path)
            print(case, rows[case], file=sys.stderr)
            if path:
                path.unlink()
    section = render(rows, (load_before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        section_write(SECTION, section)
    failed = [
        case
        for case, row in rows.items()
        if CASES[case][2] and (row["seconds"] >= CASES[case][2] or row["peak_mb"] >= 300)
    ]
    if failed:
        print("over target:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
