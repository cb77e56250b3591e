"""``suhde backup`` and ``suhde restore``: one archive brings an installation back (promise 30).

The archive is a gzipped tar with three kinds of member:

- ``manifest.json``: the format, Suhde's version, the time, the database engine, every migration
  that was applied, and the SHA-256 and size of every other member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the app keeps
  writing) or ``database.pgdump`` (``pg_dump`` custom format);
- ``files/…``: the data folder's uploaded files (``media/``) and its ``secret_key`` when the key
  lives there (the outbox's waiting mail is encrypted with it).

With a passphrase the whole tar is sealed with AES-256-GCM in chunks, the key derived with scrypt:
a changed, reordered, cut or added byte anywhere fails the restore before anything is written.
Without one the checksums catch damage, not a forger (whoever can rewrite the archive can rewrite
its manifest too); ``docs/operations.md`` says to use a passphrase for archives that leave the
machine. A restore that is given a passphrase refuses an unsealed archive, so swapping a sealed
archive for a forged plain one does not get past it.

A restore goes only into an empty database and an empty ``media/`` folder, and checks everything
(seal, checksums, member names, engine, schema) before writing anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MAGIC = b"SUHDE-BACKUP-SEALED-1\n"
CHUNK = 1 << 20
SALT_BYTES = 16
# scrypt at 2^15 × 8: about 32 MiB and a tenth of a second per try, so guessing a passphrase
# from a stolen archive is slow while a restore barely notices.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1
SQLITE_MEMBER, PG_MEMBER = "database.sqlite3", "database.pgdump"
MANIFEST = "manifest.json"
FILES = "files/"


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead; ``message`` says what and where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RestoreResult:
    manifest: dict
    files: int
    sealed: bool


# --- sealing ---------------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def _aad(header: bytes, index: int, final: bool) -> bytes:
    # Each chunk is bound to this archive's header, its place and whether it is the last, so
    # chunks cannot be reordered, dropped from the end or carried into another archive.
    return header + struct.pack(">Q?", index, final)


def _nonce(index: int) -> bytes:
    return struct.pack(">4xQ", index)  # a fresh key per archive (random salt): a counter is safe


def seal(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    """Encrypt ``source`` into ``target``: header, then chunks of flag, length, ciphertext."""
    salt = os.urandom(SALT_BYTES)
    header = MAGIC + salt
    cipher = AESGCM(_key(passphrase, salt))
    target.write(header)
    index, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        final = not following
        sealed = cipher.encrypt(_nonce(index), chunk, _aad(header, index, final))
        target.write(struct.pack(">?I", final, len(sealed)) + sealed)
        if final:
            return
        index, chunk = index + 1, following


def unseal(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    damaged = BackupRefused(
        _(
            "The archive is damaged or was changed, or the passphrase is wrong: its seal does "
            "not match. Nothing was restored."
        )
    )
    header = source.read(len(MAGIC) + SALT_BYTES)
    if len(header) != len(MAGIC) + SALT_BYTES or not header.startswith(MAGIC):
        raise damaged
    cipher = AESGCM(_key(passphrase, header[len(MAGIC) :]))
    index = 0
    while True:
        head = source.read(5)
        if len(head) != 5:
            raise damaged  # cut short before the last chunk
        final, length = struct.unpack(">?I", head)
        sealed = source.read(length)
        if len(sealed) != length or length > CHUNK + 16:
            raise damaged
        try:
            target.write(cipher.decrypt(_nonce(index), sealed, _aad(header, index, final)))
        except InvalidTag:
            raise damaged from None
        if final:
            if source.read(1):
                raise damaged  # something was added after the last chunk
            return
        index += 1


def is_sealed(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


# --- the database ----------------------------------------------------------------------------


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return {f"{app}.{name}" for app, name in loader.graph.nodes}


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    conf = connection.settings_dict
    arguments = [f"--dbname={conf['NAME']}"]
    if conf.get("HOST"):
        arguments.append(f"--host={conf['HOST']}")
    if conf.get("PORT"):
        arguments.append(f"--port={conf['PORT']}")
    if conf.get("USER"):
        arguments.append(f"--username={conf['USER']}")
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if conf.get("PASSWORD"):
        environment["PGPASSWORD"] = str(conf["PASSWORD"])  # not on the command line: ps shows it
    return arguments, environment


def _pg_tool(name: str) -> str:
    folder = settings.SUHDE_PG_BINDIR
    return str(Path(folder) / name) if folder else name


def _run_pg(tool: str, arguments: list[str]) -> None:
    connection_arguments, environment = _pg_environment()
    try:
        done = subprocess.run(  # noqa: S603  (our own arguments, no shell)
            [_pg_tool(tool), *arguments, *connection_arguments],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupRefused(
            _("%(tool)s was not found: install PostgreSQL's client tools or set SUHDE_PG_BINDIR.")
            % {"tool": tool}
        ) from None
    if done.returncode != 0:
        raise BackupRefused(
            _("%(tool)s failed: %(error)s") % {"tool": tool, "error": done.stderr.strip()[-800:]}
        )


def _dump_database(folder: Path) -> Path:
    if engine() == "postgresql":
        target = folder / PG_MEMBER
        _run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return target
    target = folder / SQLITE_MEMBER
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # The online backup API: a consistent copy even while other processes keep writing.
        connection.connection.backup(copy)
    finally:
        copy.close()
    return target


def database_is_empty() -> bool:
    return not connection.introspection.table_names(include_views=True)


def _restore_database(path: Path, member: str) -> None:
    if member == PG_MEMBER:
        _run_pg(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(path)],
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# --- files -----------------------------------------------------------------------------------


def _data_files() -> Iterator[tuple[str, Path]]:
    """The files of the data folder an installation needs back: uploads and its own key."""
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for path in sorted(media.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield f"{FILES}media/{path.relative_to(media).as_posix()}", path
    key = Path(settings.DATA_DIR) / "secret_key"
    if key.is_file():
        yield f"{FILES}secret_key", key


def _target_of(member: str) -> Path:
    relative = member[len(FILES) :]
    if relative == "secret_key":
        return Path(settings.DATA_DIR) / "secret_key"
    return Path(settings.MEDIA_ROOT) / relative[len("media/") :]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# --- backup ----------------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version("suhde")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_create(*, output: Path, passphrase: str = "") -> dict:
    """Write one archive of the database and the data folder's files to ``output``; return the
    manifest. The file appears whole or not at all, readable only by this account."""
    output = Path(output)
    if output.is_dir():
        raise BackupRefused(_("%(path)s is a folder; name the archive's file.") % {"path": output})
    if not output.parent.is_dir():
        raise BackupRefused(_("The folder %(path)s does not exist.") % {"path": output.parent})
    with tempfile.TemporaryDirectory(prefix="suhde-backup-", dir=output.parent) as work:
        folder = Path(work)
        database = _dump_database(folder)
        members = [(database.name, database), *_data_files()]
        manifest = {
            "format": FORMAT,
            "suhde_version": _version(),
            "created_at": timezone.now().isoformat(),
            "engine": engine(),
            "migrations": applied_migrations(),
            "sealed": bool(passphrase),
            "members": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in members
            },
        }
        plain = folder / "archive.tar.gz"
        with tarfile.open(plain, "w:gz", compresslevel=6) as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        partial = folder / "partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as target, plain.open("rb") as source:
            if passphrase:
                seal(source, target, passphrase)
            else:
                shutil.copyfileobj(source, target, CHUNK)
            target.flush()
            os.fsync(target.fileno())
        os.replace(partial, output)
    return manifest


# --- restore ---------------------------------------------------------------------------------


def _damaged(detail: str) -> BackupRefused:
    return BackupRefused(
        _("The archive is damaged: %(detail)s. Nothing was restored.") % {"detail": detail}
    )


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        manifest = json.loads(handle.read(1 << 20)) if handle else None
    except (KeyError, ValueError, OSError, EOFError, tarfile.TarError):
        raise _damaged(_("it has no readable manifest.json")) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise _damaged(_("its manifest.json is not a Suhde manifest"))
    if manifest.get("format") != FORMAT:
        raise BackupRefused(
            _("The archive's format %(format)s is not one this Suhde reads (%(ours)s).")
            % {"format": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def _check_names(archive: tarfile.TarFile, manifest: dict) -> list[tarfile.TarInfo]:
    members = [m for m in archive.getmembers() if m.name != MANIFEST]
    names = [m.name for m in members]
    listed = set(manifest["members"])
    if sorted(names) != sorted(listed) or len(set(names)) != len(names):
        raise _damaged(_("its files do not match its manifest"))
    databases = [name for name in names if name in (SQLITE_MEMBER, PG_MEMBER)]
    if len(databases) != 1:
        raise _damaged(_("it holds no database"))
    for member in members:
        allowed = member.name in (SQLITE_MEMBER, PG_MEMBER) or (
            member.name == f"{FILES}secret_key" or member.name.startswith(f"{FILES}media/")
        )
        parts = member.name.split("/")
        if not member.isreg() or not allowed or ".." in parts or "" in parts:
            # Only plain files under known names: no links, devices or paths out of the folder.
            raise _damaged(
                _("it holds %(name)s, which no Suhde archive has") % {"name": member.name}
            )
    return members


def _extract_checked(
    archive: tarfile.TarFile, members: list[tarfile.TarInfo], manifest: dict, folder: Path
) -> dict[str, Path]:
    extracted = {}
    for index, member in enumerate(members):
        expected = manifest["members"][member.name]
        path = folder / f"member-{index}"
        digest = hashlib.sha256()
        try:
            source = archive.extractfile(member)
            if source is None:  # not a plain file: _members_checked lets none through
                raise tarfile.TarError(member.name)
            with path.open("wb") as target:
                for block in iter(lambda: source.read(CHUNK), b""):  # noqa: B023
                    digest.update(block)
                    target.write(block)
        except (OSError, EOFError, tarfile.TarError, AttributeError):
            raise _damaged(_("%(name)s cannot be read") % {"name": member.name}) from None
        if digest.hexdigest() != expected.get("sha256"):
            raise _damaged(_("the checksum of %(name)s does not match") % {"name": member.name})
        extracted[member.name] = path
    return extracted


def _check_schema(manifest: dict) -> None:
    archived = set(manifest.get("migrations") or [])
    unknown = sorted(archived - known_migrations())
    if unknown:
        raise BackupRefused(
            _(
                "The archive was made by a newer Suhde (version %(version)s): this one does not "
                "know its migrations %(migrations)s. Install that version or a later one, then "
                "restore. Nothing was restored."
            )
            % {"version": manifest.get("suhde_version", "?"), "migrations": ", ".join(unknown[:5])}
        )
    if manifest.get("engine") != engine():
        raise BackupRefused(
            _(
                "The archive holds a %(archived)s database but DATABASE_URL points at "
                "%(ours)s. Restore it into the same kind of database. Nothing was restored."
            )
            % {"archived": manifest.get("engine"), "ours": engine()}
        )


def _check_empty() -> None:
    if not database_is_empty():
        raise BackupRefused(
            _(
                "The database %(name)s is not empty. A restore goes only into an empty database "
                "(create a new one, or a new data folder for SQLite). Nothing was restored."
            )
            % {"name": connection.settings_dict["NAME"]}
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupRefused(
            _("The folder %(path)s is not empty. Nothing was restored.") % {"path": media}
        )


def _open_plain(path: Path, folder: Path, passphrase: str) -> Path:
    sealed = is_sealed(path)
    if sealed and not passphrase:
        raise BackupRefused(
            _(
                "The archive is encrypted: give its passphrase (--passphrase-file or "
                "SUHDE_BACKUP_PASSPHRASE)."
            )
        )
    if not sealed and passphrase:
        raise BackupRefused(
            _(
                "A passphrase was given but the archive is not encrypted: it is not the archive "
                "that was made with that passphrase. Nothing was restored."
            )
        )
    if not sealed:
        return path
    plain = folder / "archive.tar.gz"
    with path.open("rb") as source, plain.open("wb") as target:
        unseal(source, target, passphrase)
    return plain


def backup_restore(*, archive_path: Path, passphrase: str = "") -> RestoreResult:
    """Restore an archive into an empty database and data folder. Every check runs before the
    first write; a refusal raises :class:`BackupRefused` and leaves everything as it was."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupRefused(_("%(path)s is not a file.") % {"path": archive_path})
    Path(settings.DATA_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="suhde-restore-", dir=settings.DATA_DIR) as work:
        folder = Path(work)
        plain = _open_plain(archive_path, folder, passphrase)
        try:
            with tarfile.open(plain, "r:gz") as archive:
                manifest = _read_manifest(archive)
                members = _check_names(archive, manifest)
                extracted = _extract_checked(archive, members, manifest, folder)
        except (OSError, EOFError, tarfile.TarError):
            raise _damaged(_("it is not a Suhde archive (a gzipped tar)")) from None
        _check_schema(manifest)
        _check_empty()
        database = next(name for name in extracted if name in (SQLITE_MEMBER, PG_MEMBER))
        _restore_database(extracted[database], database)
        files = [name for name in extracted if name.startswith(FILES)]
        for name in files:
            target = _target_of(name)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(extracted[name], target)
            target.chmod(0o600)
    return RestoreResult(manifest=manifest, files=len(files), sealed=is_sealed(archive_path))
