from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.common.audit import audit_record
from suhde.common.backup import BackupRefused, backup_create


def read_passphrase(path: str | None) -> str:
    """The passphrase from a file (its first line) or SUHDE_BACKUP_PASSPHRASE; never an argument,
    which every user of the machine could read in the process list."""
    if not path:
        return settings.SUHDE_BACKUP_PASSPHRASE
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("The passphrase file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error}
        ) from None
    passphrase = text.splitlines()[0] if text.strip() else ""
    if not passphrase:
        raise CommandError(_("The passphrase file %(path)s is empty.") % {"path": path})
    return passphrase


class Command(BaseCommand):
    help = (
        "Write one archive of the database (SQLite's online backup or pg_dump) and the data "
        "folder's files, with a manifest of checksums; encrypted with a passphrase when one is "
        "given. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="the archive file to write")
        parser.add_argument(
            "--passphrase-file",
            help="encrypt with the passphrase on this file's first line "
            "(or set SUHDE_BACKUP_PASSPHRASE)",
        )

    def handle(self, *args: str, output: str, passphrase_file: str | None, **options: Any) -> None:
        passphrase = read_passphrase(passphrase_file)
        try:
            manifest = backup_create(output=Path(output), passphrase=passphrase)
        except BackupRefused as refused:
            raise CommandError(refused.message) from None
        audit_record(action="backup_create", label="suhde backup", detail=str(Path(output).name))
        count = len(manifest["members"])
        self.stdout.write(
            ngettext(
                "Wrote %(path)s: the database and %(count)d file, %(sealed)s.",
                "Wrote %(path)s: the database and %(count)d files, %(sealed)s.",
                count - 1,
            )
            % {
                "path": output,
                "count": count - 1,
                "sealed": _("encrypted") if passphrase else _("not encrypted"),
            }
        )
