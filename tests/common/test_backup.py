"""Promise 30: `suhde backup` and `suhde restore` round-trip everything, and refuse what they must.

The drill runs on whichever database the suite runs on: SQLite by default, PostgreSQL when
DATABASE_URL says so (CI runs both), so the same test proves the online backup API and pg_dump.
"""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from suhde.accounts.domain import api_token_create
from suhde.common import backup
from suhde.common.models import AuditEvent
from tests.access import rules

API = rules()["API"]
PASSPHRASE = "correct horse battery staple"
# Answers that carry the moment they were made, so no two are alike.
STAMPED = {"person_export"}


def _rows() -> dict:
    return {
        model._meta.label: sorted(map(repr, model.objects.order_by("pk").values_list()))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _wipe() -> None:
    """What a lost server leaves: a database without a single table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(include_views=False):
                cursor.execute(f'DROP TABLE "{table}"')
    assert backup.database_is_empty()


def _create_through_the_api(client, headers) -> int:
    """Every create operation of the API, as the coordinator, with the matrix's own bodies."""
    made = 0
    for operation, (method, path, body, expected) in sorted(API.items()):
        if method == "post" and expected["coordinator"] == 201 and body is not None:
            response = client.post(
                "/api/v1" + path(client.world), data=body(client.world),
                content_type="application/json", headers=headers,
            )  # fmt: skip
            assert response.status_code == 201, (operation, response.content)
            made += 1
    return made


def _reads(client, headers, urls) -> dict:
    return {
        url: (r.status_code, r.content) for url in urls for r in [client.get(url, headers=headers)]
    }


@pytest.fixture
def drill(client, transactional_db, request, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    world = request.getfixturevalue("world")
    client.world = world
    return client, world


def test_restore_drill_brings_back_every_row_and_every_api_read(drill, tmp_path, settings):
    client, world = drill
    _, raw = api_token_create(user=world.coordinator, name="drill")
    headers = {"Authorization": f"Bearer {raw}"}
    assert _create_through_the_api(client, headers) >= 8
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "city.png").write_bytes(b"\x89PNG not really")
    urls = [
        "/api/v1" + path(world)
        for operation, (method, path, _, expected) in API.items()
        if method == "get" and expected["coordinator"] == 200 and operation not in STAMPED
    ]
    before_reads, before_rows = _reads(client, headers, urls), _rows()
    archive = tmp_path / "suhde.backup"
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")

    call_command("backup", "-o", str(archive), "--passphrase-file", str(tmp_path / "pass"))
    assert archive.stat().st_mode & 0o777 == 0o600
    assert b"Core" not in archive.read_bytes()
    _wipe()
    (settings.MEDIA_ROOT / "logos" / "city.png").unlink()
    (settings.MEDIA_ROOT / "logos").rmdir()
    call_command("restore", str(archive), "--passphrase-file", str(tmp_path / "pass"))
    ContentType.objects.clear_cache()

    after_rows = _rows()
    audit = after_rows.pop("common.AuditEvent")
    assert after_rows == {k: v for k, v in before_rows.items() if k != "common.AuditEvent"}
    # The log as it was, and the restore itself (the backup's own entry came after its copy).
    assert set(before_rows["common.AuditEvent"]) < set(audit)
    assert len(audit) == len(before_rows["common.AuditEvent"]) + 1
    assert _reads(client, headers, urls) == before_reads
    assert len(urls) >= 30
    assert (settings.MEDIA_ROOT / "logos" / "city.png").read_bytes() == b"\x89PNG not really"
    assert AuditEvent.objects.filter(action="backup_restore").count() == 1


def _archive(path, *, database=b"SQLite format 3\0 not really", extra=None, **manifest_changes):
    """A hand-made archive whose every check passes until the one a test breaks: the refusals
    come before anything is written, so they need no real dump."""
    members = {backup.SQLITE_MEMBER: database, **(extra or {})}
    manifest = {
        "format": backup.FORMAT,
        "suhde_version": "0.1.0",
        "created_at": "2026-03-01T02:30:00+00:00",
        "engine": backup.engine(),
        "migrations": sorted(backup.known_migrations()),
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
        },
    }
    manifest.update(manifest_changes)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _refusal(*arguments) -> str:
    before = _rows()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("restore", *map(str, arguments))
    assert _rows() == before  # nothing was written
    return str(refused.value)


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    assert "is not empty" in _refusal(_archive(tmp_path / "a"))


def test_restore_refuses_an_archive_of_a_newer_schema(world, tmp_path):
    future = [*sorted(backup.known_migrations()), "networks.9999_from_the_future"]
    message = _refusal(_archive(tmp_path / "a", migrations=future))
    assert "made by a newer Suhde (version 0.1.0)" in message
    assert "networks.9999_from_the_future" in message


def test_restore_refuses_another_kind_of_database(world, tmp_path):
    other = "sqlite" if backup.engine() == "postgresql" else "postgresql"
    assert f"holds a {other} database" in _refusal(_archive(tmp_path / "a", engine=other))


def test_restore_refuses_a_changed_database_by_its_checksum(world, tmp_path):
    archive = _archive(tmp_path / "a")
    with tarfile.open(archive, "r:gz") as tar:
        manifest = tar.extractfile("manifest.json").read()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (("manifest.json", manifest), (backup.SQLITE_MEMBER, b"changed")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert "the checksum of database.sqlite3 does not match" in _refusal(archive)


@pytest.mark.parametrize(
    "name", ["../escape", "files/media/../../secret_key", "files/elsewhere", "/etc/passwd"]
)
def test_restore_refuses_a_member_outside_the_archives_names(world, tmp_path, name):
    archive = _archive(tmp_path / "a", extra={name: b"x"})
    assert f"it holds {name}, which no Suhde archive has" in _refusal(archive)


def test_restore_refuses_a_file_that_is_not_an_archive(world, tmp_path):
    (tmp_path / "junk").write_bytes(b"not a tar at all")
    assert "is not a Suhde archive" in _refusal(tmp_path / "junk")


def _sealed(tmp_path) -> bytes:
    plain = _archive(tmp_path / "plain")
    with plain.open("rb") as source, (tmp_path / "sealed").open("wb") as target:
        backup.seal(source, target, PASSPHRASE)
    return (tmp_path / "sealed").read_bytes()


def test_a_sealed_archive_refuses_any_changed_byte_and_a_wrong_passphrase(world, tmp_path):
    data, archive = _sealed(tmp_path), tmp_path / "sealed"
    (tmp_path / "pass").write_text(PASSPHRASE)
    (tmp_path / "wrong").write_text("another passphrase")
    assert "is not empty" in _refusal(archive, "--passphrase-file", tmp_path / "pass")
    assert "passphrase is wrong" in _refusal(archive, "--passphrase-file", tmp_path / "wrong")
    assert "The archive is encrypted" in _refusal(archive)
    for where in (len(backup.MAGIC) + 3, len(data) // 2, len(data) - 1):
        archive.write_bytes(data[:where] + bytes([data[where] ^ 1]) + data[where + 1 :])
        assert "seal does not match" in _refusal(archive, "--passphrase-file", tmp_path / "pass")
    for changed in (data[:-1], data + b"\0"):  # cut short, or something added at the end
        archive.write_bytes(changed)
        assert "seal does not match" in _refusal(archive, "--passphrase-file", tmp_path / "pass")


def test_a_sealed_archive_in_several_chunks_refuses_them_swapped(world, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK", 64)
    data = _sealed(tmp_path)
    header = len(backup.MAGIC) + backup.SALT_BYTES
    first_end = header + 5 + 64 + 16
    second_end = first_end + 5 + 64 + 16
    swapped = data[:header] + data[first_end:second_end] + data[header:first_end]
    (tmp_path / "sealed").write_bytes(swapped + data[second_end:])
    (tmp_path / "pass").write_text(PASSPHRASE)
    message = _refusal(tmp_path / "sealed", "--passphrase-file", tmp_path / "pass")
    assert "seal does not match" in message


def test_a_passphrase_refuses_an_unsealed_archive_put_in_place_of_a_sealed_one(world, tmp_path):
    (tmp_path / "pass").write_text(PASSPHRASE)
    message = _refusal(_archive(tmp_path / "a"), "--passphrase-file", tmp_path / "pass")
    assert "the archive is not encrypted" in message
