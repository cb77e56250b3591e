"""``suhde analyze``: the network health report from two CSV files, no database.

Exit status 0 on success, 2 on bad input or unreadable files (one line on
standard error naming file, row and column, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from suhde.analysis.errors import InputError
from suhde.analysis.io import load_graph
from suhde.analysis.report import DEFAULT_SEED, network_report

PROG = "suhde analyze"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments; shared with the Django management command."""
    parser.add_argument("people", help="people CSV: id (or email), organization, sector, …")
    parser.add_argument("ties", help="ties CSV: source, target, strength or level, ratings")
    parser.add_argument("-o", "--output", help="write the JSON report here (default: stdout)")
    parser.add_argument(
        "--wave-before",
        nargs=2,
        metavar=("PEOPLE", "TIES"),
        help="the previous wave's files: adds the change section",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help=(
            f"processes in all (default: 1 below {TWO_WORKERS_FROM:,} people, else 2 on a "
            "machine with two or more cores)"
        ),
    )


TWO_WORKERS_FROM = 5_000  # people; below, forking a second process costs more than it saves


def default_workers(people: int) -> int:
    """One process for small networks; from ``TWO_WORKERS_FROM`` people two, given two cores.

    On a quiet machine two processes won from 10,000 people up (0.70 s against 0.84 s at 10,000,
    5.6 s against 7.5 s at 100,000; docs/benchmarks.md, "Analysis core"), once communities,
    brokerage and constraint joined the searches in the shared pool; below a few thousand
    people the whole report takes less than forking a second process saves.

    Examples
    --------
    >>> default_workers(1_000)
    1
    """
    return 1 if people < TWO_WORKERS_FROM else min(2, os.cpu_count() or 1)


def _workers(text: str) -> int:
    """A worker count from the command line: a whole number from 1 to 64."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{value} is not a number of processes from 1 to 64")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status.

    Examples
    --------
    >>> main(["no-such-people.csv", "no-such-ties.csv"])
    2
    """
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    """Load, analyse, write."""
    graph = load_graph(args.people, args.ties)
    before = load_graph(*args.wave_before) if args.wave_before else None
    workers = args.workers or default_workers(graph.n)
    report = network_report(graph, seed=args.seed, before=before, workers=workers)
    if args.output:
        with Path(args.output).open("w", encoding="utf-8") as handle:
            handle.writelines(report.json_pieces(indent=2))
            handle.write("\n")
    else:
        sys.stdout.writelines(report.json_pieces(indent=2))
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
