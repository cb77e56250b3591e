from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.backup import BackupRefused, backup_restore
from suhde.common.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = (
        "Restore an archive of `suhde backup` into an empty database and data folder, then "
        "apply this version's migrations. Refuses a damaged or changed archive and one made by "
        "a newer Suhde before writing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive file")
        parser.add_argument(
            "--passphrase-file",
            help="the passphrase of an encrypted archive, on this file's first line "
            "(or set SUHDE_BACKUP_PASSPHRASE)",
        )

    def handle(self, *args: str, archive: str, passphrase_file: str | None, **options: Any) -> None:
        passphrase = read_passphrase(passphrase_file)
        try:
            result = backup_restore(archive_path=Path(archive), passphrase=passphrase)
        except BackupRefused as refused:
            raise CommandError(refused.message) from None
        if not result.sealed:
            self.stderr.write(
                _(
                    "The archive was not encrypted: its checksums show damage, not a deliberate "
                    "change. Encrypt archives that leave this machine (docs/operations.md)."
                )
            )
        # An archive of an older version comes up to this one's schema.
        call_command("migrate", interactive=False, verbosity=0)
        audit_record(
            action="backup_restore",
            label="suhde restore",
            detail=f"{result.manifest.get('created_at', '')} {Path(archive).name}",
        )
        self.stdout.write(
            _("Restored the archive made at %(time)s by Suhde %(version)s.")
            % {
                "time": result.manifest.get("created_at", "?"),
                "version": result.manifest.get("suhde_version", "?"),
            }
        )
