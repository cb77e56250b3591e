"""``suhde analyze PEOPLE.csv TIES.csv``: the network health report from CSV files.

A thin wrapper: the work is in :mod:`suhde.analysis.cli`, which needs no
database, so this command never opens one.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from suhde.analysis import cli


class Command(BaseCommand):
    help = "Compute the network health report from people and ties CSV files (no database)."
    requires_system_checks: list[str] = []  # checks may touch the database; this never does
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        argv = [str(options["people"]), str(options["ties"])]
        if options.get("output"):
            argv += ["--output", str(options["output"])]
        if options.get("wave_before"):
            argv += ["--wave-before", *map(str, options["wave_before"])]  # type: ignore[call-overload]
        argv += ["--seed", str(options["seed"])]
        if options.get("workers"):
            argv += ["--workers", str(options["workers"])]
        status = cli.main(argv)
        if status:
            raise SystemExit(status)
