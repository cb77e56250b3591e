"""A person's own data, from every app: the download and the erasure of promise 24.

Each app that keeps something about a person registers, in its ``AppConfig.ready()``, a reader
(its ``queries``) and an eraser (its ``domain``), so that ``networks`` — which owns the person —
reaches the survey answers, the live-session posts and the ballots of the apps above it without
importing them (the floors of ``docs/architecture.md``).

A reader gets the person, the ids of the networks the export may cover and ``own`` (the person
asked for it themselves) and returns rows: lists of flat dictionaries, one list per table of the
download. An eraser gets the person and returns how many things it changed, by name.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.utils import timezone

Rows = list[dict]


@dataclass(frozen=True)
class Part:
    key: str
    read: Callable[..., dict[str, Rows]]
    erase: Callable[..., dict[str, int]] | None


_PARTS: dict[str, Part] = {}


def personal_register(
    *,
    key: str,
    read: Callable[..., dict[str, Rows]],
    erase: Callable[..., dict[str, int]] | None = None,
) -> None:
    _PARTS[key] = Part(key, read, erase)


def personal_read(person: Model, *, network_ids: list[int] | None, own: bool) -> dict[str, Rows]:
    """Every table of the download; ``network_ids`` None means every network (the person's own
    download)."""
    tables: dict[str, Rows] = {}
    for part in sorted(_PARTS.values(), key=lambda p: p.key):
        tables.update(part.read(person, network_ids=network_ids, own=own))
    return tables


def personal_erase(person: Model) -> dict[str, int]:
    """Run every app's eraser. Each gets the person as they were (a copy), so that one that finds
    things by the name still finds them after another has already removed the name."""
    changed: dict[str, int] = {}
    for part in sorted(_PARTS.values(), key=lambda p: p.key):
        if part.erase is not None:
            changed.update(part.erase(copy.copy(person)))
    return changed


def _cell(value) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return "" if value is None else str(value)


def _csv(rows: Rows) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        # A cell that starts like a formula is written as text: a spreadsheet must not run it.
        writer.writerow(
            "'" + cell if cell[:1] in "=+-@\t\r" else cell
            for cell in (_cell(row.get(column)) for column in columns)
        )
    return out.getvalue()


def personal_zip(tables: dict[str, Rows], *, readme: str) -> bytes:
    """The download: ``data.json`` with every table, one CSV per table, and a README."""
    buffer = io.BytesIO()
    stamp = timezone.now().isoformat()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        archive.writestr(
            "data.json",
            json.dumps(
                {"exported_at": stamp, **tables},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            ),
        )
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", "\ufeff" + _csv(rows))  # BOM: Excel reads UTF-8
    return buffer.getvalue()
