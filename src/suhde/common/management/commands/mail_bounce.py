"""``suhde mail_bounce [file …]``: read bounce reports (delivery status notifications) and mark
the outgoing messages they report as bounced. With no file, one report is read from standard
input, so a mail server can pipe the bounces of the sender's address to it (docs/install.md)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suhde.common.mail import bounce_report


class Command(BaseCommand):
    help = "Mark the outgoing messages that bounce reports name as bounced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="reports, one per file (default: stdin)")

    def handle(self, *args: str, files: list[str], **options: Any) -> None:
        sources = files or ["-"]
        marked = 0
        for name in sources:
            if name == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(name, "rb") as report:
                    raw = report.read()
            marked += bounce_report(raw) is not None
        # Always exit 0: a mail server that got an error would bounce the bounce.
        self.stdout.write(f"{marked} of {len(sources)} reports marked a message bounced")
