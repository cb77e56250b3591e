from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suhde.surveys.closing import waves_refigure


class Command(BaseCommand):
    help = (
        "Compute the group figures of closed survey waves again under the current privacy "
        "auditor, from their stored answers (waves stored before it show no figures until then)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every closed wave, not only old")

    def handle(self, *args: object, **options: Any) -> None:
        count = waves_refigure(force=options["all"])
        self.stdout.write(f"{count} waves computed again.")
