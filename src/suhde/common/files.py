"""What Suhde writes for itself is private to the account it runs as (issue 14).

The data folder and the mail folder are created 0700, the SQLite database (and so its journal,
which SQLite creates with the database's mode) and every mail file 0600. Folders and files an
operator made beforehand keep the permissions they were given.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

MEMORY = (":memory:", "")


def private_dir(path: Path) -> Path:
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and 0600 unless it exists; an empty file is an empty database."""
    if not path.exists():
        private_dir(path.parent)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return path


def private_storage() -> None:
    """Before the first connection: the SQLite database files and the mail folder."""
    for database in settings.DATABASES.values():
        name = str(database.get("NAME") or "")
        in_memory = name in MEMORY or "mode=memory" in name
        if database["ENGINE"].endswith("sqlite3") and not in_memory:
            private_file(Path(name))
    file_path = getattr(settings, "EMAIL_FILE_PATH", None)  # set with that backend only
    if settings.EMAIL_BACKEND == "suhde.common.files.PrivateFileEmailBackend" and file_path:
        private_dir(Path(file_path))


class PrivateFileEmailBackend(FileEmailBackend):
    """Django's file mail backend (``EMAIL_URL=filemail://…``): 0600 files in a 0700 folder."""

    def __init__(self, *args, file_path=None, **kwargs):
        private_dir(Path(file_path or settings.EMAIL_FILE_PATH))
        super().__init__(*args, file_path=file_path, **kwargs)

    def open(self) -> bool:
        if self.stream is None:
            descriptor = os.open(
                self._get_filename(), os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600
            )
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False
