"""Benchmark of the analysis core (``make bench``): speed and peak memory, and NetworkX.

Two parts. **As a user runs both**: the 10,000-person network is written to two CSV files, and
``suhde analyze`` and the NetworkX reference (``bench/nx_reference.py``, reading the same files
with the csv module) each run as a whole process, from process start to the finished report;
wall time, CPU time and peak memory come from ``wait4``. **Scale**: each size runs in a fresh
subprocess timing what the web app pays for (building the graph from arrays, the full report,
its JSON); the synthetic network's generation is not timed.

Usage::

    .venv/bin/python bench/run.py                       # 10k, 100k, 1M; writes docs
    .venv/bin/python bench/run.py --quick               # 10k only
    .venv/bin/python bench/run.py --sizes 10000,100000 --no-write
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Analysis core"
TARGETS = {10_000: 1.3, 100_000: 10.0, 1_000_000: 180.0}
MEMORY_TARGET_MB = 4 * 1024
PROCESS_SIZE = 10_000  # the network of the whole-process comparison with NetworkX
SPEEDUP_GOAL = 20
SEED = 1
PATIENCE = 300.0  # seconds to wait for a quiet machine before each measurement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--quick", action="store_true", help="10,000 people only")
    parser.add_argument(
        "--workers", default="1,2", help="worker counts to measure, e.g. 1,2 (default)"
    )
    parser.add_argument(
        "--runs",
        help="scale rows as SIZE:WORKERS pairs, e.g. 100000:2,1000000:2 (not sizes × workers)",
    )
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    parser.add_argument(
        "--patience", type=float, default=300, help="seconds to wait for a quiet machine"
    )
    parser.add_argument("--child", choices=["suhde", "networkx"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-count", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in str(args.workers).split(",")]
    global PATIENCE
    PATIENCE = args.patience
    # The whole-process comparison first, then every size with each worker count: the docs
    # are rewritten after each measurement, so an interrupted run still leaves its figures.
    rows: list[dict] = []
    processes: list[dict] = []
    if not args.no_networkx and PROCESS_SIZE in sizes:
        for row in measure_processes(PROCESS_SIZE, workers):
            processes.append(row)
            if not args.no_write:
                write_docs(rows, processes, sys.argv[1:])
    runs = [(size, w) for w in workers for size in sizes]
    if args.runs:
        runs = [(int(s), int(w)) for s, w in (pair.split(":") for pair in args.runs.split(","))]
    for size, w in runs:
        rows.append(measure("suhde", size, w))
        if not args.no_write:
            write_docs(rows, processes, sys.argv[1:])
    return 0


def write_csv(size: int, folder: Path) -> tuple[Path, Path]:
    """The synthetic network as the two CSV files ``suhde analyze`` reads."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate

    net = generate(size, seed=SEED)
    people, ties = folder / "people.csv", folder / "ties.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "organization", "sector"])
        out.writerows(
            zip(net.ids.tolist(), net.organization.tolist(), net.sector.tolist(), strict=True)
        )
    with ties.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "strength", "knowing", "trust", "commitment"])
        ratings = [
            [("" if math.isnan(v) else f"{v:g}") for v in getattr(net, name).tolist()]
            for name in ("knowing", "trust", "commitment")
        ]
        strength = ["strong" if s else "weak" for s in net.strength.tolist()]
        out.writerows(
            zip(net.source.tolist(), net.target.tolist(), strength, *ratings, strict=True)
        )
    return people, ties


def measure_processes(size: int, workers: list[int]) -> list[dict]:
    """NetworkX and ``suhde analyze`` on the same two CSV files, each a whole process."""
    from nx_reference import PIVOTS
    from suhde.analysis.centrality import DEFAULT_PIVOTS

    assert PIVOTS == DEFAULT_PIVOTS, "bench/nx_reference.py must sample as many pivots"
    folder = Path(tempfile.mkdtemp(prefix="suhde-bench-"))
    people, ties = write_csv(size, folder)
    suhde = Path(sys.executable).parent / "suhde"
    runs = [("NetworkX", 1, [sys.executable, str(Path(__file__).with_name("nx_reference.py"))])]
    runs[0][2].extend([str(people), str(ties), str(SEED)])
    for w in workers:
        cmd = [str(suhde), "analyze", str(people), str(ties), "-o", str(folder / "report.json")]
        runs.append(("suhde analyze", w, [*cmd, "--workers", str(w)]))
    rows = []
    for tool, w, cmd in runs:
        print(f"… {tool} on {size:,} people as a process, {w} worker(s)", file=sys.stderr)
        load_before = wait_until_quiet()
        uptime_before = uptime()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=folder)
        out = proc.stdout.read() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"failed: {' '.join(cmd)}")
        row = {"tool": tool, "workers": w, "size": size, "wall_s": wall}
        row |= {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}
        row |= {"load_before": load_before, "load_after": os.getloadavg()[0]}
        row |= {"uptime_before": uptime_before, "uptime_after": uptime()}
        if tool == "NetworkX":
            row["steps"] = json.loads(out.strip().splitlines()[-1])["steps"]
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def measure(kind: str, size: int, workers: int) -> dict:
    """Run one measurement in a subprocess; add its peak memory."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--size", str(size)]
    cmd += ["--worker-count", str(workers)]
    print(f"… {kind} {size:,} people, {workers} worker(s)", file=sys.stderr, flush=True)
    load_before = wait_until_quiet()
    uptime_before = uptime()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}")
    row = json.loads(out.strip().splitlines()[-1])
    row.update(kind=kind, size=size, workers=workers, peak_mb=usage.ru_maxrss / 1024)
    # CPU seconds of the report process and its workers: a run slowed down by other
    # programs on the machine shows as wall time well above CPU time / workers.
    row["cpu_s"] = usage.ru_utime + usage.ru_stime + row.pop("worker_cpu_s", 0.0)
    row["load_before"] = load_before
    row["load_after"] = os.getloadavg()[0]
    row |= {"uptime_before": uptime_before, "uptime_after": uptime()}
    print(json.dumps(row), flush=True)
    return row


def uptime() -> str:
    """The load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def wait_until_quiet(limit: float = 1.0) -> float:
    """Wait (up to ``PATIENCE`` seconds) until the 1-minute load average is below ``limit``.

    The benchmark shares the machine with whatever else runs; measuring while
    another program uses the cores would understate the analysis's speed.
    """
    deadline = time.monotonic() + PATIENCE
    load = os.getloadavg()[0]
    while load >= limit and time.monotonic() < deadline:
        print(f"  waiting: load average {load:.2f}", file=sys.stderr, flush=True)
        time.sleep(15)
        load = os.getloadavg()[0]
    return load


def child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate

    net = generate(args.size, seed=SEED)
    sampler = PssSampler()
    if args.child == "suhde":
        row = run_suhde(net, args.worker_count)
    else:
        from nx_reference import run_networkx

        row = run_networkx(net, seed=SEED)
    row["pss_peak_mb"] = sampler.stop()
    import resource

    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    row["worker_peak_mb"] = workers.ru_maxrss / 1024
    row["worker_cpu_s"] = workers.ru_utime + workers.ru_stime
    print(json.dumps(row))
    return 0


class PssSampler:
    """The largest proportional set size of this process and its children together.

    Resident sets count a page shared by the forked worker and its parent twice; PSS splits
    it between them, so the sum is the memory the report really holds. Sampled every 0.2 s
    from ``/proc``; 0 where there is no ``/proc/PID/smaps_rollup``.
    """

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _family(os.getpid())))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _family(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(int(c) for c in children)]


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


def run_suhde(net, workers: int) -> dict:
    from suhde.analysis.graph import build_graph
    from suhde.analysis.report import network_report

    t0 = time.perf_counter()
    graph = build_graph(
        net.ids,
        {"organization": net.organization, "sector": net.sector},
        net.source,
        net.target,
        strength=net.strength,
        knowing=net.knowing,
        trust=net.trust,
        commitment=net.commitment,
    )
    t1 = time.perf_counter()
    report = network_report(graph, seed=SEED, workers=workers)
    t2 = time.perf_counter()
    text = report.to_json()
    t3 = time.perf_counter()
    return {
        "ties": graph.m,
        "build_s": t1 - t0,
        "report_s": t2 - t1,
        "json_s": t3 - t2,
        "total_s": t3 - t0,
        "json_mb": len(text.encode()) / 2**20,
        "meta": report.meta["computations"]["betweenness"],
    }


def machine() -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
    mem = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M)
        mem = f"{int(found.group(1)) / 2**20:.1f} GiB" if found else mem
    import igraph
    import networkx
    import numpy

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "igraph": igraph.__version__,
        "networkx": networkx.__version__,
        "numpy": numpy.__version__,
    }


def write_docs(rows: list[dict], processes: list[dict], argv: list[str]) -> None:
    section = render(rows, processes, argv, machine())
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    print(f"updated {DOCS.relative_to(ROOT)}", file=sys.stderr)


def render(rows: list[dict], processes: list[dict], argv: list[str], info: dict) -> str:
    command = " ".join([".venv/bin/python bench/run.py", *argv])
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} with `{command}` (`make bench`; "
        "`make bench-analysis` runs this section alone).",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory; "
        f"Python {info['python']}, python-igraph {info['igraph']}, "
        f"NetworkX {info['networkx']}, numpy {info['numpy']}.",
        "",
    ]
    lines += process_lines(processes)
    lines += [
        "### Scale",
        "",
        "Synthetic collaboration networks from `bench/generate.py` (stochastic block "
        "model: organizations of 20–50 people in three sectors, about 12 named partners "
        "per person, strength and the three ratings; seed 1). Timed: building the graph "
        "from arrays, the full report (`network_report`) and its JSON. Peak memory is "
        "the report process's maximum resident set (`wait4`), and with 2 workers the "
        "largest forked worker's; the worker shares most pages with the main process (it "
        "is forked and only reads the graph), so main + worker, the sum the memory target "
        "is checked against, counts those pages twice. CPU time is that of "
        "the report process and its workers, generation of the network included. Each run "
        "first waits (up to `--patience` seconds) until the machine's 1-minute load average "
        "is below 1; the `uptime` load before / after shows it, and a load well above the "
        "run's own processes means that other programs shared the cores: then the wall "
        "times are pessimistic and CPU time is the fairer figure.",
        "",
        "| people | ties | workers | paths | build | report | JSON | total | target "
        "| CPU time | `uptime` load before / after | peak memory (main + worker) "
        "| peak PSS, all processes |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: (r["size"], r["workers"])):
        target = TARGETS.get(r["size"])
        verdict = (
            "" if target is None else f"≤ {target:g} s {'✓' if r['total_s'] <= target else '✗'}"
        )
        paths = r["meta"]["method"]
        if paths == "sampled":
            paths += f", k = {r['meta']['pivots']}"
        lines.append(
            f"| {r['size']:,} | {r['ties']:,} | {r['workers']} | {paths} | {r['build_s']:.2f} s "
            f"| {r['report_s']:.2f} s | {r['json_s']:.2f} s | **{r['total_s']:.2f} s** "
            f"| {verdict} | {r['cpu_s']:.2f} s | {_loads(r)} "
            f"| {r['peak_mb']:,.0f} + {r['worker_peak_mb']:,.0f} MB {memory_verdict(r)} "
            f"| {_pss(r)} |"
        )
    lines.append(
        f"Targets: {', '.join(f'{k:,} people ≤ {v:g} s' for k, v in TARGETS.items())} "
        f"(whole process at {PROCESS_SIZE:,}), peak memory ≤ {MEMORY_TARGET_MB // 1024} GB."
    )
    return "\n".join(lines) + "\n\n"


def _loads(row: dict) -> str:
    """Load before / after: ``uptime``'s three averages where recorded, else the 1-minute one."""
    if "uptime_before" in row:
        return f"{row['uptime_before']} / {row['uptime_after']}"
    return f"{row['load_before']:.2f} / {row['load_after']:.2f}"


def _pss(row: dict) -> str:
    """Peak PSS of report process and worker together, checked against the memory target."""
    if not row.get("pss_peak_mb"):
        return "not sampled"
    ok = "✓" if row["pss_peak_mb"] <= MEMORY_TARGET_MB else "✗"
    return f"{row['pss_peak_mb']:,.0f} MB {ok if row['size'] >= max(TARGETS) else ''}".rstrip()


def memory_verdict(row: dict) -> str:
    """✓ when main + worker stay within the memory target (shared pages count twice)."""
    if row["size"] < max(TARGETS):
        return ""
    return "✓" if row["peak_mb"] + row["worker_peak_mb"] <= MEMORY_TARGET_MB else "✗"


def process_lines(processes: list[dict]) -> list[str]:
    """The whole-process comparison: a table and the speed-up over NetworkX."""
    if not processes:
        return []
    size = processes[0]["size"]
    lines = [
        "### As a user runs both",
        "",
        f"The {size:,}-person network written to `people.csv` and `ties.csv`; each tool run as "
        "a whole process, from process start to the finished report: `suhde analyze people.csv "
        "ties.csv -o report.json --workers N`, and `bench/nx_reference.py`, which reads the same "
        "files with the csv module into a NetworkX DiGraph and computes the same metrics the "
        "same way (the same 186 pivots for betweenness and harmonic centrality, 64 for "
        "distances; Louvain instead of Leiden, which NetworkX lacks; no suggestions). Wall time "
        "from start to exit; CPU time of the process and its workers (`wait4`).",
        "",
        "| tool | workers | wall time | CPU time | peak memory | `uptime` load before / after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in processes:
        lines.append(
            f"| {r['tool']} | {r['workers']} | **{r['wall_s']:.2f} s** | {r['cpu_s']:.2f} s "
            f"| {r['peak_mb']:,.0f} MB | {_loads(r)} |"
        )
    reference = next((r for r in processes if r["tool"] == "NetworkX"), None)
    if reference is None:
        return [*lines, ""]
    lines.append("")
    for ours in (r for r in processes if r["tool"] != "NetworkX"):
        ratio = reference["wall_s"] / ours["wall_s"]
        cpu_ratio = reference["cpu_s"] / ours["cpu_s"]
        verdict = "✓" if ratio >= SPEEDUP_GOAL else "✗"
        cpu_verdict = "✓" if cpu_ratio >= SPEEDUP_GOAL else "✗"
        lines.append(
            f"- `suhde analyze --workers {ours['workers']}`: {ours['wall_s']:.2f} s, "
            f"**{ratio:.1f}× faster** than NetworkX by wall time {verdict}, "
            f"**{cpu_ratio:.1f}×** by CPU time {cpu_verdict} (goal ≥ {SPEEDUP_GOAL}× as a user "
            "runs both)."
        )
        print(f"NetworkX / suhde analyze ({ours['workers']} worker(s)): {ratio:.1f}×")
    lines += ["", "NetworkX's steps in that run:", "", "| step | NetworkX |", "|---|---:|"]
    lines += [f"| {step} | {secs:.2f} s |" for step, secs in reference["steps"].items()]
    return [*lines, ""]


if __name__ == "__main__":
    sys.exit(main())
