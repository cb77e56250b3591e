import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suhde.networks.imports import ImportRefused, Upload, import_apply, import_check
from suhde.networks.models import Network

STAGES = {
    "read": "reading",
    "check_people": "checking people",
    "check_ties": "checking ties",
    "write_people": "writing people",
    "write_memberships": "writing members",
    "write_ties": "writing ties",
}


class TerminalProgress:
    """A one-line progress bar on stderr, redrawn in place."""

    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.last = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        share = done / total if total else 1.0
        filled = int(share * 30)
        line = (
            f"\r{STAGES.get(stage, stage):<16} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
        )
        self.stream.write(line)
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import people (and ties) into a network from CSV or .xlsx files: all or nothing; "
        "people already in the network are updated by id or email."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="the network's short name (slug)")
        parser.add_argument("--people", required=True, help="people file (.csv or .xlsx)")
        parser.add_argument("--ties", help="ties file (.csv or .xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show the plan; write nothing"
        )
        parser.add_argument(
            "--max-mb", type=int, default=0, help="raise the file size limit (megabytes)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def _read(self, path: str, limit: int | None) -> Upload:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        return Upload(name=file.name, data=file.read_bytes(), limit=limit)

    def handle(self, *args: object, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the short name {options['network']!r}.")
        limit = options["max_mb"] * 1024 * 1024 if options["max_mb"] else None
        people = self._read(options["people"], limit)
        ties = self._read(options["ties"], limit) if options["ties"] else None
        progress = TerminalProgress(sys.stderr, not options["no_progress"])
        if options["dry_run"]:
            plan = import_check(network=network, people=people, ties=ties, progress=progress)
            self._problems(plan.problems)
            self._counts(plan.summary(), "would be")
            return
        try:
            counts = import_apply(network=network, people=people, ties=ties, progress=progress)
        except ImportRefused as refused:
            self._problems(refused.problems)
        from suhde.common.audit import audit_record

        audit_record(action="import", obj=network, label="command line")
        self._counts(counts, "")

    def _problems(self, problems) -> None:
        if not problems:
            return
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(f"{len(problems)} problem(s): nothing was imported.")

    def _counts(self, summary: dict, verb: str) -> None:
        for thing in ("people", "ties", "organizations"):
            row = summary[thing]
            self.stdout.write(
                f"{thing}: {row['created']} {verb} created, {row['updated']} {verb} updated, "
                f"{row['unchanged']} unchanged, {row['not_applied']} not applied".replace("  ", " ")
            )
        # The rows left out and the columns not read, each with where and why.
        for item in summary["not_applied"] + summary["ignored_columns"]:
            where = ", ".join(
                str(part) for part in (item["file"], item["row"], item["column"]) if part
            )
            self.stdout.write(f"{where}: {item['message']}")
