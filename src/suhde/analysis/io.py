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
from operator import methodcaller
from pathlib import Path

import numpy as np

from suhde.analysis.errors import InputError
from suhde.analysis.graph import DIMENSIONS, RATING_RANGE, Graph, build_graph, distinct

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
    """A CSV file read as text: its name for messages, header, and columns of stripped cells.

    Blank rows are dropped; ``rows`` keeps each remaining row's number as a spreadsheet shows
    it, for messages. Columns are numpy text arrays, so that checks and conversions run over
    whole columns instead of a Python loop per cell.
    """

    name: str
    header: list[str]
    columns: list[np.ndarray]
    rows: np.ndarray

    def column(self, name: str) -> int:
        """Index of a column, or an error that names it."""
        if name not in self.header:
            found = ", ".join(self.header) or "none"
            raise InputError(f"missing column (found: {found})", file=self.name, row=1, column=name)
        return self.header.index(name)

    def values(self, name: str) -> np.ndarray:
        """The stripped text of one column, row by row."""
        return self.columns[self.column(name)]

    def error(self, message: str, pos: int, column: str) -> InputError:
        """An error at the ``pos``-th kept row, named by its spreadsheet row."""
        return InputError(message, file=self.name, row=int(self.rows[pos]), column=column)


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
    header_cells = first.split(delimiter)
    cells = _split_plain(text, delimiter, len(header_cells))
    if cells is None:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise InputError(f"not a CSV file ({exc})", file=path.name) from None
        header_cells, cells = records[0], _columns(records[1:], len(records[0]))
    del text
    header = [h.strip().lower() for h in header_cells]
    columns = [np.strings.strip(np.array(col, dtype=str)) for col in cells]
    present = np.zeros(len(columns[0]) if columns else 0, dtype=bool)
    for col in columns:
        present |= col != ""
    keep = np.flatnonzero(present)
    return Table(path.name, header, [col[keep] for col in columns], keep + 2)


def _split_plain(text: str, delimiter: str, width: int) -> list[list[str]] | None:
    """The data columns of a file with no quotes and the same width on every line, or None.

    Such a file (what most programs write) is split with two C-speed string operations, about
    five times faster than the csv module; anything else goes through the csv module.
    """
    if '"' in text:
        return None
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if body.endswith("\n"):
        body = body[:-1]
    if set(map(methodcaller("count", delimiter), body.split("\n"))) != {width - 1}:
        return None
    flat = body.replace("\n", delimiter).split(delimiter)
    return [flat[width + i :: width] for i in range(width)]


def _columns(body: list[list[str]], width: int) -> list[list[str]]:
    """Data rows as ``width`` columns; short rows are padded, extra cells ignored."""
    return [[row[i] if i < len(row) else "" for row in body] for i in range(width)]


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


@dataclass(frozen=True)
class People:
    """The people file: keys in file order and grouping columns."""

    ids: np.ndarray
    groups: dict[str, np.ndarray]
    key: str
    rows: np.ndarray


def read_people(path: str | Path) -> People:
    """Read the people file: ``id`` (or ``email``), ``organization``, ``sector``, more groups.

    Blank rows are skipped. Sector values are normalized to ``public``,
    ``private`` and ``third`` (Finnish and Swedish names accepted).
    """
    table = read_table(path)
    key = "id" if "id" in table.header or "email" not in table.header else "email"
    ids = table.values(key)
    if key == "email":
        ids = np.strings.lower(ids)
    for name in PEOPLE_REQUIRED:
        table.column(name)
    _check_people(table, key, ids)
    columns = [c for c in table.header if c and c not in ("id", "email", "name")]
    groups = {c: table.values(c) for c in columns}
    groups["sector"] = _sectors(table, groups["sector"])
    return People(ids, groups, key, table.rows)


def _check_people(table: Table, key: str, ids: np.ndarray) -> None:
    if (pos := _first(ids == "")) is not None:
        raise table.error("empty person key", pos, key)
    if len(distinct(ids)) == len(ids):
        return
    seen: dict[str, int] = {}
    for pos, pid in enumerate(ids.tolist()):  # only to name the first duplicate
        row = int(table.rows[pos])
        if pid in seen:
            raise table.error(f"person '{pid}' appears twice (also row {seen[pid]})", pos, key)
        seen[pid] = row


def _sectors(table: Table, values: np.ndarray) -> np.ndarray:
    lowered = np.strings.lower(values)
    uniq, inverse = np.unique(lowered, return_inverse=True)
    known = np.array([u == "" or u in SECTORS for u in uniq.tolist()], dtype=bool)
    if (pos := _first(~known[inverse])) is not None:
        message = f"unknown sector '{values[pos]}' (expected public, private or third)"
        raise table.error(message, pos, "sector")
    mapped = np.array([SECTORS.get(u, "") for u in uniq.tolist()] or [""], dtype=str)
    return mapped[inverse] if len(values) else np.zeros(0, dtype=str)


@dataclass(frozen=True)
class Ties:
    """The ties file as arrays ready for :func:`build_graph`, plus each tie's row."""

    sources: np.ndarray
    targets: np.ndarray
    strength: np.ndarray | None
    ratings: dict[str, np.ndarray | None]
    rows: np.ndarray


def read_ties(path: str | Path, *, emails: bool = False) -> Ties:
    """Read the ties file: ``source``, ``target``, optional ``strength`` or ``level`` and ratings.

    ``strength`` is weak or strong; ``level`` is 1–5 (1–2 weak, 3–5 strong) and
    is used where ``strength`` is empty. Ratings are 1–4, decimals with a point
    or a comma, empty for no answer.
    """
    table = read_table(path)
    sources, targets = (table.values(c) for c in TIES_REQUIRED)
    if emails:
        sources, targets = np.strings.lower(sources), np.strings.lower(targets)
    for column, values in (("source", sources), ("target", targets)):
        if (pos := _first(values == "")) is not None:
            raise table.error("empty person key", pos, column)
    ratings = {name: _ratings(table, name) if name in table.header else None for name in DIMENSIONS}
    return Ties(sources, targets, _strengths(table), ratings, table.rows)


def _strengths(table: Table) -> np.ndarray | None:
    """1.0 strong, 0.0 weak, NaN unknown; ``level`` counts where ``strength`` is empty."""
    has_strength, has_level = "strength" in table.header, "level" in table.header
    if not (has_strength or has_level):
        return None
    m = len(table.rows)
    strength = table.values("strength") if has_strength else np.full(m, "", dtype=str)
    level = table.values("level") if has_level else np.full(m, "", dtype=str)
    uniq, inverse = np.unique(np.strings.lower(strength), return_inverse=True)
    codes = {"weak": 0.0, "strong": 1.0}
    by_word = np.array([codes.get(STRENGTHS.get(u, ""), np.nan) for u in uniq.tolist()])
    out = by_word[inverse] if m else np.zeros(0)
    bad_word = (strength != "") & np.isnan(out)
    by_level = np.select([np.isin(level, ["1", "2"]), np.isin(level, ["3", "4", "5"])], [0.0, 1.0])
    use_level = strength == ""
    bad_level = use_level & (level != "") & ~np.isin(level, ["1", "2", "3", "4", "5"])
    pos = _first(bad_word | bad_level)
    if pos is not None and bad_word[pos]:
        raise table.error(f"'{strength[pos]}' is not weak or strong", pos, "strength")
    if pos is not None:
        raise table.error(f"'{level[pos]}' is not a level 1–5", pos, "level")
    fill = use_level & (level != "")
    out[fill] = by_level[fill]
    return out


def _ratings(table: Table, name: str) -> np.ndarray:
    low, high = RATING_RANGE
    text = table.values(name)
    filled = text != ""
    out = np.full(len(text), np.nan)
    values = text[filled]
    if len(values):
        if np.any(np.strings.find(values, ",") >= 0):
            values = np.strings.replace(values, ",", ".")
        try:
            out[filled] = values.astype(float)
        except ValueError:  # some cell is not a number: find it cell by cell
            out[filled] = [_number(v) for v in values.tolist()]
    # NaN (bad text, or "nan" typed) fails both comparisons, so it is refused too.
    if (pos := _first(filled & ~((out >= low) & (out <= high)))) is not None:
        raise table.error(f"'{text[pos]}' is not a number from {low:g} to {high:g}", pos, name)
    return out


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


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
    ties = read_ties(ties_path, emails=people.key == "email")
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
        in_people = exc.column == "id"
        placed_in = Path(people_path if in_people else ties_path).name
        row = int((people.rows if in_people else ties.rows)[exc.index])
        raise InputError(exc.message, file=placed_in, row=row, column=exc.column) from None
