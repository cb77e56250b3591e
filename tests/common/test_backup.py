"""Promise 30: `suhde backup` and `suhde restore` round-trip everything, and refuse what they must.

The drill runs on whichever database the suite runs on: SQLite by default, PostgreSQL when
DATABASE_URL says so (CI runs both), so the same test proves the online backup API and pg_dump.
"""

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
        for method, path, _, expected in API.values()
        if method == "get" and expected["coordinator"] == 200
    ]
    before_reads, before_rows = _reads(client, headers, urls), _rows()
    archive = tmp_path / "suhde.backup"
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")

    call_command("backup", "-o", str(archive), "--passphrase-file", str(tmp_path / "pass"))
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


def _members(archive) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _write(archive, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _refusal(*arguments) -> str:
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("restore", *map(str, arguments))
    return str(refused.value)


@pytest.fixture
def archived(transactional_db, tmp_path, settings, world):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    archive, pristine = tmp_path / "plain.backup", tmp_path / "pristine.backup"
    call_command("backup", "-o", str(pristine))
    archive.write_bytes(pristine.read_bytes())
    yield archive
    _bring_back(pristine)


def _bring_back(pristine) -> None:
    """A refused restore leaves the wiped database empty; the next test needs its tables."""
    if backup.database_is_empty():
        backup.backup_restore(archive_path=pristine)


def test_restore_refuses_a_database_that_is_not_empty(archived):
    people = _rows()["networks.Person"]
    assert "is not empty" in _refusal(archived)
    assert _rows()["networks.Person"] == people


def test_restore_refuses_an_archive_of_a_newer_schema_before_writing(archived):
    members = _members(archived)
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append("networks.9999_from_the_future")
    members["manifest.json"] = json.dumps(manifest).encode()
    _write(archived, members)
    _wipe()
    message = _refusal(archived)
    assert "made by a newer Suhde" in message
    assert "networks.9999_from_the_future" in message
    assert backup.database_is_empty()


def test_restore_refuses_a_changed_database_by_its_checksum(archived):
    members = _members(archived)
    database = next(name for name in members if name.startswith("database."))
    members[database] = members[database][:-1] + bytes([members[database][-1] ^ 1])
    _write(archived, members)
    _wipe()
    assert f"the checksum of {database} does not match" in _refusal(archived)
    assert backup.database_is_empty()


@pytest.mark.parametrize(
    "name", ["../escape", "files/media/../../secret_key", "files/elsewhere", "/etc/passwd"]
)
def test_restore_refuses_a_member_outside_the_archives_names(archived, name):
    members = _members(archived)
    manifest = json.loads(members["manifest.json"])
    manifest["members"][name] = {"sha256": "0" * 64, "size": 1}
    members["manifest.json"], members[name] = json.dumps(manifest).encode(), b"x"
    _write(archived, members)
    _wipe()
    assert "which no Suhde archive has" in _refusal(archived)


def test_restore_refuses_a_file_that_is_not_an_archive(archived, tmp_path):
    (tmp_path / "junk").write_bytes(b"not a tar at all")
    assert "is not a Suhde archive" in _refusal(tmp_path / "junk")


def test_a_sealed_archive_refuses_any_changed_byte_and_a_wrong_passphrase(
    transactional_db, tmp_path, settings, world
):
    settings.MEDIA_ROOT, settings.DATA_DIR = tmp_path / "media", tmp_path / "data"
    archive = tmp_path / "sealed.backup"
    (tmp_path / "pass").write_text(PASSPHRASE)
    (tmp_path / "wrong").write_text("another passphrase")
    call_command("backup", "-o", str(archive), "--passphrase-file", str(tmp_path / "pass"))
    data = archive.read_bytes()
    assert b"Core" not in data and data.startswith(backup.MAGIC)
    _wipe()
    assert "passphrase is wrong" in _refusal(archive, "--passphrase-file", tmp_path / "wrong")
    assert "The archive is encrypted" in _refusal(archive)
    for where in (len(backup.MAGIC) + 3, len(data) // 2, len(data) - 1):
        archive.write_bytes(data[:where] + bytes([data[where] ^ 1]) + data[where + 1 :])
        assert "seal does not match" in _refusal(archive, "--passphrase-file", tmp_path / "pass")
    for changed in (data[:-1], data + b"\0"):  # cut short, or something added at the end
        archive.write_bytes(changed)
        assert "seal does not match" in _refusal(archive, "--passphrase-file", tmp_path / "pass")
    assert backup.database_is_empty()
    archive.write_bytes(data)
    backup.backup_restore(archive_path=archive, passphrase=PASSPHRASE)


def test_a_passphrase_refuses_an_unsealed_archive_put_in_place_of_a_sealed_one(archived, tmp_path):
    (tmp_path / "pass").write_text(PASSPHRASE)
    _wipe()
    message = _refusal(archived, "--passphrase-file", tmp_path / "pass")
    assert "the archive is not encrypted" in message
    assert backup.database_is_empty()


def test_the_archive_is_private_and_names_every_member_with_its_checksum(archived, tmp_path):
    fresh = tmp_path / "fresh.backup"
    call_command("backup", "-o", str(fresh))
    assert fresh.stat().st_mode & 0o777 == 0o600
    members = _members(fresh)
    manifest = json.loads(members.pop("manifest.json"))
    assert set(manifest["members"]) == set(members)
    assert manifest["engine"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert "networks.0001_initial" in manifest["migrations"]
