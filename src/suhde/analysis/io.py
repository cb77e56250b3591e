"""Reading the people and ties CSV files, with errors that name file, row and column.

Files are UTF-8 with or without a byte-order mark, comma- or
semicolon-separated (a Finnish Excel writes semicolons). Row numbers are the
file's line numbers as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from suhde.analysis.errors import InputError
from suhde.analysis.graph import DIMENSIONS, RATING_RANGE, Graph, build_graph

SECTORS = {
    "public": "public",
    "julkinen": "public",
    "offentlig": "public",
    "private": "private",
    "yksityinen": "private",
    "privat": "private",
    "third": "third",
    "kolmas": "third",
    "tredje": "third",
}
STRENGTHS = {"weak": "weak", "heikko": "weak", "svag": "weak", "strong": "strong"}
STRENGTHS |= {"vahva": "strong", "stark": "strong"}
PEOPLE_REQUIRED = ("organization", "sector")
TIES_REQUIRED = ("source", "target")


@dataclass(frozen=True)
class Table:
    """A CSV file read as text: its name for messages, header and data rows."""

    name: str
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> int:
        """Index of a column, or an error that names it."""
        if name not in self.header:
            found = ", ".join(self.header) or "none"
            raise InputError(f"missing column (found: {found})", file=self.name, row=1, column=name)
        return self.header.index(name)

    def values(self, name: str) -> list[str]:
        """The stripped text of one column, row by row."""
        i = self.column(name)
        return [row[i].strip() if i < len(row) else "" for row in self.rows]


def read_table(path: str | Path) -> Table:
    """Read a CSV file: detect ``,`` or ``;``, drop a BOM, lower-case the header.

    Rows are records as RFC 4180 has them: a quoted cell may hold line breaks, and
    only CR and LF end a row (a cell holding U+2028 or NEL stays one cell). Text is
    NFC-normalised, so a composed and a decomposed "Å" are the same person.

    Raises
    ------
    InputError
        The file cannot be read, is not UTF-8, or has no header.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=path.name) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), file=str(path)) from None
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    if not first.strip():
        raise InputError("the file is empty; the first row must name the columns", file=path.name)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"not a CSV file ({exc})", file=path.name) from None
    header = [h.strip().lower() for h in records[0]]
    return Table(path.name, header, records[1:])


@dataclass(frozen=True)
class People:
    """The people file: keys in file order and grouping columns."""

    ids: list[str]
    groups: dict[str, list[str]]


def read_people(path: str | Path) -> People:
    """Read the people file: ``id`` (or ``email``), ``organization``, ``sector``, more groups.

    Blank rows are skipped. Sector values are normalized to ``public``,
    ``private`` and ``third`` (Finnish and Swedish names accepted).
    """
    table = read_table(path)
    key = "id" if "id" in table.header or "email" not in table.header else "email"
    keep = [i for i, row in enumerate(table.rows) if any(cell.strip() for cell in row)]
    table = Table(table.name, table.header, [table.rows[i] for i in keep])
    ids = table.values(key)
    if key == "email":
        ids = [v.lower() for v in ids]
    for name in PEOPLE_REQUIRED:
        table.column(name)
    _check_people(table, key, ids, keep)
    columns = [c for c in table.header if c and c not in ("id", "email", "name")]
    groups = {c: table.values(c) for c in columns}
    groups["sector"] = _sectors(table, groups["sector"], keep)
    return People(ids, groups)


def _check_people(table: Table, key: str, ids: list[str], keep: list[int]) -> None:
    seen: dict[str, int] = {}
    for pos, pid in enumerate(ids):
        row = keep[pos] + 2
        if not pid:
            raise InputError("empty person key", file=table.name, row=row, column=key)
        if pid in seen:
            raise InputError(
                f"person '{pid}' appears twice (also row {seen[pid]})",
                file=table.name,
                row=row,
                column=key,
            )
        seen[pid] = row


def _sectors(table: Table, values: list[str], keep: list[int]) -> list[str]:
    out = []
    for pos, value in enumerate(values):
        if value and value.lower() not in SECTORS:
            raise InputError(
                f"unknown sector '{value}' (expected public, private or third)",
                file=table.name,
                row=keep[pos] + 2,
                column="sector",
            )
        out.append(SECTORS.get(value.lower(), ""))
    return out


@dataclass(frozen=True)
class Ties:
    """The ties file as arrays ready for :func:`build_graph`, plus each tie's row."""

    sources: list[str]
    targets: list[str]
    strength: list[str] | None
    ratings: dict[str, list[float] | None]
    rows: list[int]


def read_ties(path: str | Path, *, emails: bool = False) -> Ties:
    """Read the ties file: ``source``, ``target``, optional ``strength`` or ``level`` and ratings.

    ``strength`` is weak or strong; ``level`` is 1–5 (1–2 weak, 3–5 strong) and
    is used where ``strength`` is empty. Ratings are 1–4, decimals with a point
    or a comma, empty for no answer.
    """
    table = read_table(path)
    keep = [i for i, row in enumerate(table.rows) if any(cell.strip() for cell in row)]
    rows = [i + 2 for i in keep]
    table = Table(table.name, table.header, [table.rows[i] for i in keep])
    sources, targets = (table.values(c) for c in TIES_REQUIRED)
    if emails:
        sources, targets = [s.lower() for s in sources], [t.lower() for t in targets]
    for column, values in (("source", sources), ("target", targets)):
        for pos, value in enumerate(values):
            if not value:
                raise InputError("empty person key", file=table.name, row=rows[pos], column=column)
    ratings = {
        name: _ratings(table, name, rows) if name in table.header else None for name in DIMENSIONS
    }
    return Ties(sources, targets, _strengths(table, rows), ratings, rows)


def _strengths(table: Table, rows: list[int]) -> list[str] | None:
    has_strength, has_level = "strength" in table.header, "level" in table.header
    if not (has_strength or has_level):
        return None
    strength = table.values("strength") if has_strength else [""] * len(rows)
    level = table.values("level") if has_level else [""] * len(rows)
    out = []
    for pos, (text, lev) in enumerate(zip(strength, level, strict=True)):
        if text:
            if text.lower() not in STRENGTHS:
                raise InputError(
                    f"'{text}' is not weak or strong",
                    file=table.name,
                    row=rows[pos],
                    column="strength",
                )
            out.append(STRENGTHS[text.lower()])
        elif lev:
            out.append(_level(table, lev, rows[pos]))
        else:
            out.append("")
    return out


def _level(table: Table, text: str, row: int) -> str:
    if text not in {"1", "2", "3", "4", "5"}:
        raise InputError(f"'{text}' is not a level 1–5", file=table.name, row=row, column="level")
    return "weak" if text in {"1", "2"} else "strong"


def _ratings(table: Table, name: str, rows: list[int]) -> list[float]:
    low, high = RATING_RANGE
    out = []
    for pos, text in enumerate(table.values(name)):
        if not text:
            out.append(math.nan)
            continue
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # also catches NaN from bad text or "nan"
            raise InputError(
                f"'{text}' is not a number from {low:g} to {high:g}",
                file=table.name,
                row=rows[pos],
                column=name,
            )
        out.append(value)
    return out


def load_graph(people_path: str | Path, ties_path: str | Path) -> Graph:
    """Read both files and build the graph; errors name the file, row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.csv").write_text("id,organization,sector\\na,x,public\\nb,y,kolmas\\n")
    >>> _ = (d / "t.csv").write_text("source;target;trust\\na;b;3,5\\n")
    >>> load_graph(d / "p.csv", d / "t.csv").ratings["trust"].tolist()
    [3.5]
    """
    people = read_people(people_path)
    ties = read_ties(ties_path, emails=_uses_email(people_path))
    try:
        return build_graph(
            people.ids,
            people.groups,
            ties.sources,
            ties.targets,
            strength=ties.strength,
            **ties.ratings,
        )
    except InputError as exc:
        if exc.index is None:
            raise
        placed_in = Path(people_path if exc.column == "id" else ties_path).name
        rows = None if exc.column == "id" else ties.rows
        row = exc.index + 2 if rows is None else rows[exc.index]
        raise InputError(exc.message, file=placed_in, row=row, column=exc.column) from None


def _uses_email(people_path: str | Path) -> bool:
    header = read_table(people_path).header
    return "id" not in header and "email" in header
