from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.common.audit import audit_lines, audit_verify


class Command(BaseCommand):
    help = (
        "The audit log: `verify` checks its hash chain (exit 1 at the first entry that was "
        "changed, removed or put in between); `export` writes it as JSON lines for a log system."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True)
        commands.add_parser("verify", help="check the hash chain")
        export = commands.add_parser("export", help="JSON lines on standard output")
        export.add_argument(
            "--after", type=int, default=0, help="only entries with a larger id (the last exported)"
        )

    def handle(self, *args: str, what: str, **options: Any) -> None:
        if what == "export":
            for line in audit_lines(after_id=options["after"]):
                self.stdout.write(line)
            return
        count, last, broken = audit_verify()
        if broken is not None:
            reason = (
                _("it does not carry the hash of the entry before it (one was removed or put in)")
                if broken.reason == "prev"
                else _("its content does not match its hash (it was changed)")
            )
            raise CommandError(
                _("The audit log's chain breaks at entry %(id)d: %(reason)s.")
                % {"id": broken.event_id, "reason": reason}
            )
        self.stdout.write(
            ngettext(
                "The audit log's chain is whole: %(count)d entry, the last hash %(hash)s.",
                "The audit log's chain is whole: %(count)d entries, the last hash %(hash)s.",
                count,
            )
            % {"count": count, "hash": last or "-"}
        )
