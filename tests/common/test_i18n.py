"""Finnish, Swedish and English are complete: makemessages finds nothing new, nothing is empty."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
LOCALE = SRC / "locale"
ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def parse_po(path: Path) -> dict[tuple[str, str], dict]:
    """Entries keyed by (context, msgid), each with its msgstr values and fuzzy flag."""
    entries = {}
    for block in path.read_text().split("\n\n"):
        fields, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif match := ENTRY.match(line):
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = {
                "msgstr": [v for k, v in fields.items() if k.startswith("msgstr")],
                "fuzzy": fuzzy,
            }
    return entries


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_is_translated(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert entries, "no messages found"
    missing = [msgid for (ctx, msgid), e in entries.items() if not all(e["msgstr"])]
    fuzzy = [msgid for (ctx, msgid), e in entries.items() if e["fuzzy"]]
    assert missing == [], f"untranslated in {language}: {missing[:10]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_placeholders_survive_translation(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for (_, msgid), entry in entries.items():
        for msgstr in entry["msgstr"]:
            assert set(placeholder.findall(msgstr)) <= set(placeholder.findall(msgid)) | {
                "%(counter)s"
            }, (msgid, msgstr)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_makemessages_finds_nothing_new(tmp_path):
    copy = tmp_path / "suhde"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "suhde",
            "makemessages",
            "-l",
            "fi",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = set(parse_po(copy / "locale" / "fi" / "LC_MESSAGES" / "django.po"))
    committed = set(parse_po(LOCALE / "fi" / "LC_MESSAGES" / "django.po"))
    assert fresh - committed == set(), "new strings: run `make messages` and translate them"
    assert committed - fresh == set(), "stale strings: run `make messages`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compiled_catalogs_are_current(language, tmp_path):
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(folder / "django.po")], check=True)
    with fresh.open("rb") as new, (folder / "django.mo").open("rb") as old:
        assert gettext.GNUTranslations(old)._catalog == gettext.GNUTranslations(new)._catalog, (
            "the .mo file is out of date: run `make messages`"
        )


DJANGO_CATALOGUES = ("conf/locale", "contrib/auth/locale")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_djangos_own_messages_are_all_translated(language):
    """What Django's catalogue leaves empty, ours fills (common/django_messages.py)."""
    import django

    ours = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    root = Path(django.__file__).parent
    missing = []
    for catalogue in DJANGO_CATALOGUES:
        path = root / catalogue / language / "LC_MESSAGES" / "django.po"
        for key, entry in parse_po(path).items():
            if all(entry["msgstr"]) and not entry["fuzzy"]:
                continue
            if key not in ours or not all(ours[key]["msgstr"]):
                missing.append(key[1])
    assert missing == [], f"add to common/django_messages.py and translate: {missing}"
