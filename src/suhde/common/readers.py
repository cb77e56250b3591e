"""Bounded readers for the files people upload: CSV, Excel workbooks (.xlsx) and iCalendar (.ics).

A file is hostile until read. Every reader here streams and counts what it really finds against
explicit :class:`Limits` — rows, columns, cells, characters in a cell, bytes unpacked from a zip
member, seconds — and stops with :class:`ReadRefused`, whose message names the limit, as soon as
one is passed. Nothing is ever allocated from what a file *declares*: an .xlsx's
``<dimension ref="A1:XFD1048576"/>`` or a zip member's stated size is only compared with the
limits, so peak memory follows the content actually read (issue 14: a 1.6 KB workbook that
declared a full sheet grew openpyxl's reader to 6.9 GB).

The map's GEXF and GraphML readers belong here too, on :func:`xml_parser` (no DOCTYPE, no
entities, fed in chunks) and the same limits.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from posixpath import dirname, join, normpath
from xml.parsers import expat

from django.utils.translation import gettext as _

Row = tuple[int, list[str]]  # the row's number as the spreadsheet or text editor shows it, cells

# Characters no spreadsheet cell or CSV field of ours means: they are binary files, or NUL bytes
# that PostgreSQL refuses to store. Tab, line feed and carriage return are allowed.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_BYTES = re.compile(b"[\x00-\x08\x0e\x0f\x1a\x1b]")
CHUNK = 1 << 20
DEFAULT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may hold. The defaults fit a 20 MB upload; :meth:`scaled` grows them."""

    bytes: int = DEFAULT_BYTES  # the file as uploaded
    unpacked: int = 10 * DEFAULT_BYTES  # all members of a zip together, decompressed
    rows: int = 1_000_000
    columns: int = 256
    cells: int = 5_000_000  # cells with a value, in the whole file
    strings: int = 2_000_000  # an .xlsx's table of shared strings
    cell_chars: int = 32_767  # Excel's own limit for one cell
    seconds: float = 30.0

    @classmethod
    def scaled(cls, max_bytes: int) -> Limits:
        """Limits for a file of up to ``max_bytes``: ``suhde import --max-mb 200`` raises all."""
        factor = max(1.0, max_bytes / DEFAULT_BYTES)
        base = cls()
        return replace(
            base,
            bytes=max_bytes,
            unpacked=int(base.unpacked * factor),
            rows=int(base.rows * factor),
            cells=int(base.cells * factor),
            strings=int(base.strings * factor),
            seconds=base.seconds * factor,
        )


class ReadRefused(Exception):
    """The file is not what it says, or passes a limit; the message says which, for people."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def _count(value: int) -> str:
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


class _Budget:
    """Counts what a reader has really read and refuses beyond the limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.unpacked = 0
        self.cells = 0
        self.rows = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReadRefused(
                _("Reading the file took longer than the limit of %(seconds)s seconds.")
                % {"seconds": _count(int(self.limits.seconds))}
            )

    def add_unpacked(self, size: int) -> None:
        self.unpacked += size
        if self.unpacked > self.limits.unpacked:
            raise ReadRefused(_unpacked_message(self.limits))

    def texts(self, cells: list[str], row: int) -> None:
        """Check a row's cells as :meth:`text` does, in one pass while all is well."""
        if max(map(len, cells)) > self.limits.cell_chars or CONTROL.search("".join(cells)):
            for column, cell in enumerate(cells, start=1):
                self.text(cell, row, column)

    def add_row(self, number: int, cells: list[str]) -> None:
        self.rows += 1
        if self.rows > self.limits.rows:
            raise ReadRefused(
                _("The file has more than %(limit)s rows, the limit.")
                % {"limit": _count(self.limits.rows)},
                row=number,
            )
        self.columns(len(cells), number)
        self.cells += len(cells) - cells.count("")
        if self.cells > self.limits.cells:
            raise ReadRefused(
                _("The file has more than %(limit)s filled cells, the limit.")
                % {"limit": _count(self.limits.cells)},
                row=number,
            )
        if not self.rows % 1024:
            self.tick()

    def columns(self, count: int, row: int | None = None) -> None:
        if count > self.limits.columns:
            raise ReadRefused(
                _("The file has more than %(limit)s columns, the limit.")
                % {"limit": _count(self.limits.columns)},
                row=row,
            )

    def too_long(self, row: int | None = None, column: int = 0) -> ReadRefused:
        return ReadRefused(
            _("A cell holds more than %(limit)s characters, the limit.")
            % {"limit": _count(self.limits.cell_chars)},
            row=row,
            column=column_letters(column),
        )

    def text(self, value: str, row: int | None = None, column: int = 0) -> str:
        """``value`` if it fits in a cell; ``column`` counts from 1 (A)."""
        if len(value) > self.limits.cell_chars:
            raise self.too_long(row, column)
        if CONTROL.search(value):
            raise ReadRefused(
                _("A cell holds control characters (such as NUL) that text cannot hold."),
                row=row,
                column=column_letters(column),
            )
        return value


def _unpacked_message(limits: Limits) -> str:
    return _("The workbook unpacks to more than %(limit)s MB, the limit.") % {
        "limit": _mb(limits.unpacked)
    }


def _size_check(data: bytes, limits: Limits) -> None:
    if len(data) > limits.bytes:
        raise ReadRefused(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": len(data) / 1024 / 1024, "limit": limits.bytes / 1024 / 1024}
        )


# --- CSV -------------------------------------------------------------------------------------


def csv_encoding(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadRefused(_("The file is in UTF-16; save it as CSV UTF-8."))
    if CONTROL_BYTES.search(data):
        raise ReadRefused(
            _("The file is not text in UTF-8 or Latin-1: save it as CSV UTF-8 or as .xlsx.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:  # in pieces, so that no copy of the whole file is made only to test it
            for start in range(0, len(data), CHUNK):
                decoder.decode(data[start : start + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def csv_rows(data: bytes, limits: Limits) -> list[Row]:
    """The non-empty records of a CSV file, numbered from 1, separated by ``;``, ``,`` or tab."""
    _size_check(data, limits)
    encoding = csv_encoding(data)
    budget = _Budget(limits)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first = text.readline(limits.cell_chars * limits.columns)
    text.seek(0)
    reader = csv.reader(text, delimiter=_delimiter(first))
    rows: list[Row] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            while cells and not cells[-1]:  # Excel ends rows with separators of empty columns
                cells.pop()
            if not any(map(str.strip, cells)):
                if not number % 1024:
                    budget.tick()
                continue
            budget.columns(len(cells), number)
            budget.texts(cells, number)
            budget.add_row(number, cells)
            rows.append((number, cells))
    except csv.Error as error:
        if "field larger" in str(error):  # the csv module's own cap, above ours
            raise budget.too_long(number + 1) from error
        raise ReadRefused(
            _("The CSV file cannot be read: %(error)s") % {"error": error}, row=number + 1
        ) from error
    return rows


# --- XML, streamed ---------------------------------------------------------------------------


def xml_parser(start: Callable, end: Callable, text: Callable) -> expat.XMLParserType:
    """An expat parser that refuses DOCTYPE and entity declarations (no entity bombs).

    Names arrive as written (``row`` or ``x:row``); :func:`local` drops the prefix. Resolving
    namespaces cost a third of the time of reading a sheet and no reader here needs them.
    """
    parser = expat.ParserCreate()

    def refuse(*_args):
        raise ReadRefused(_("The file declares a document type or entities; they are not read."))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    return parser


def local(name: str) -> str:
    return name.rpartition(":")[2]


def xml_feed(parser: expat.XMLParserType, chunks: Iterator[bytes], bad: str) -> None:
    """Feed ``chunks`` to ``parser``; a malformed document is refused with ``bad``."""
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ReadRefused(bad) from error


# --- Excel workbooks -------------------------------------------------------------------------

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")
DIGITS = "0123456789"
EXCEL_ROWS = 1_048_576
ZIP_MAX_MEMBERS = 10_000


def _not_excel() -> ReadRefused:
    return ReadRefused(
        _("The file is not an Excel workbook (.xlsx), though its name or content says so.")
    )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unescape(value: str) -> str:
    """Excel writes characters XML cannot hold as ``_xHHHH_`` (and ``_`` itself as ``_x005F_``)."""
    if "_x" not in value:
        return value
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def _number_text(value: str) -> str:
    """A numeric cell as the spreadsheet shows it: ``5`` rather than ``5.0``."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return repr(number) if "." in value or "e" in value.lower() else value


class _Workbook:
    def __init__(self, data: bytes, limits: Limits, budget: _Budget):
        self.limits = limits
        self.budget = budget
        # Each member costs a few hundred bytes of bookkeeping before anything is unpacked.
        if data.count(b"PK\x01\x02") > ZIP_MAX_MEMBERS:
            raise _not_excel()
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
            raise _not_excel() from error
        self.sizes = {info.filename: info.file_size for info in infos}
        if "[Content_Types].xml" not in self.sizes or "xl/workbook.xml" not in self.sizes:
            raise _not_excel()
        # What the zip declares is only compared with the limit; what is read is counted again.
        if sum(self.sizes.values()) > limits.unpacked:
            raise ReadRefused(_unpacked_message(limits))

    def chunks(self, name: str) -> Iterator[bytes]:
        try:
            with self.archive.open(name) as member:
                while chunk := member.read(CHUNK):
                    self.budget.add_unpacked(len(chunk))
                    self.budget.tick()
                    yield chunk
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as e:
            raise _not_excel() from e
        except (NotImplementedError, ValueError) as error:  # unknown compression, encryption
            raise _not_excel() from error

    def parse(self, name: str, start, end=None, text=None) -> None:
        parser = xml_parser(start, end or (lambda name: None), text or (lambda data: None))
        xml_feed(parser, self.chunks(name), _not_excel().message)

    def relationships(self, name: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, member name)."""
        folder, base = dirname(name), name.rpartition("/")[2]
        rels = join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels not in self.sizes:
            return found

        def start(tag, attrs):
            if local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else join(folder, target)
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), normpath(path))
                if len(found) > 10_000:
                    raise _not_excel()

        self.parse(rels, start)
        return found

    def sheets(self) -> list[tuple[str, str]]:
        """(name, member) of each worksheet, in the workbook's order."""
        rels = self.relationships("xl/workbook.xml")
        sheets: list[tuple[str, str]] = []

        def start(tag, attrs):
            if local(tag) == "sheet":
                rel = next((v for k, v in attrs.items() if k.endswith(":id")), "")
                kind, member = rels.get(rel, ("", ""))
                if member in self.sizes and kind.endswith("/worksheet"):
                    sheets.append((attrs.get("name", ""), member))
                if len(sheets) > 1000:
                    raise _not_excel()

        self.parse("xl/workbook.xml", start)
        if not sheets:
            raise _not_excel()
        self.shared = next(
            (m for kind, m in rels.values() if kind.endswith("/sharedStrings")),
            "xl/sharedStrings.xml",
        )
        return sheets

    def strings(self) -> list[str]:
        """The shared strings: each ``<si>``'s text, its phonetic hints (``<rPh>``) left out."""
        strings: list[str] = []
        if self.shared not in self.sizes:
            return strings
        parts: list[str] = []
        limit, budget, most = self.limits.cell_chars, self.budget, self.limits.strings
        collecting = False
        phonetic = chars = 0

        def start(tag, attrs):
            nonlocal collecting, phonetic, chars
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "t":
                collecting = not phonetic
            elif tag == "si":
                parts.clear()
                chars = 0
            elif tag == "rPh":
                phonetic += 1

        def end(tag):
            nonlocal collecting, phonetic
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "t":
                collecting = False
            elif tag == "si":
                strings.append(_unescape("".join(parts)))
                if len(strings) > most:
                    raise ReadRefused(
                        _("The workbook has more than %(limit)s different texts, the limit.")
                        % {"limit": _count(most)}
                    )
            elif tag == "rPh":
                phonetic -= 1

        def text(data):
            nonlocal chars
            if collecting:
                chars += len(data)
                if chars > limit:  # refused before it is joined
                    raise budget.too_long()
                parts.append(data)

        self.parse(self.shared, start, end, text)
        return strings


def _dimension_check(ref: str, limits: Limits) -> None:
    """A sheet's declared size is never used, only compared with the limits."""
    found = [CELL_REF.match(part) for part in ref.split(":")]
    corners = [match for match in found if match is not None]
    if not ref or len(corners) != len(found):
        return
    last_column = max(_column_number(m.group(1)) for m in corners)
    last_row = max(int(m.group(2)) for m in corners)
    if last_column > limits.columns or last_row > max(limits.rows, EXCEL_ROWS):
        raise ReadRefused(
            _(
                "The sheet declares %(rows)s rows and %(columns)s columns; "
                "the limit is %(row_limit)s rows and %(column_limit)s columns."
            )
            % {
                "rows": _count(last_row),
                "columns": _count(last_column),
                "row_limit": _count(limits.rows),
                "column_limit": _count(limits.columns),
            }
        )


def _sheet_rows(workbook: _Workbook, member: str, strings: list[str]) -> list[Row]:
    """Stream one worksheet's ``<row>``s; empty rows are skipped and no row is padded.

    The handlers are closures over plain variables: expat calls them several times per cell, and
    attribute look-ups made a 100,000-row sheet read twice as slowly.
    """
    limits, budget = workbook.limits, workbook.budget
    cell_chars, column_limit = limits.cell_chars, limits.columns
    rows: list[Row] = []
    cells: list[str] = []
    parts: list[str] = []
    letters_seen: dict[str, int] = {}
    row_number = column = chars = 0
    kind = "n"
    collecting = inline = False

    def start(tag, attrs):
        nonlocal row_number, column, chars, kind, collecting, inline
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(DIGITS)
                column = letters_seen.get(letters) or _column_number(letters)
                letters_seen.setdefault(letters, column)
            else:
                column += 1
            kind = attrs.get("t", "n")
            parts.clear()
            chars = 0
        elif tag == "v":
            collecting = True
        elif tag == "t":
            collecting = inline
        elif tag == "is":
            inline = True
        elif tag == "row":
            number = attrs.get("r", "")
            row_number = int(number) if number.isdigit() else row_number + 1
            cells.clear()
            column = 0
        elif tag == "dimension":
            _dimension_check(attrs.get("ref", ""), limits)

    def text(data):
        nonlocal chars
        if collecting:
            chars += len(data)
            if chars > cell_chars:
                raise budget.too_long(row_number, column)
            parts.append(data)

    def end(tag):
        nonlocal collecting, inline
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "c":
            value = _cell_value(kind, "".join(parts), strings) if parts else ""
            if value:  # an empty cell that only carries a style counts for nothing
                if column > column_limit or column < 1:
                    budget.columns(column, row_number)
                budget.text(value, row_number, column)
                if column > len(cells):
                    cells.extend([""] * (column - 1 - len(cells)))
                    cells.append(value)
                else:
                    cells[column - 1] = value
        elif tag == "v" or tag == "t":
            collecting = False
        elif tag == "is":
            inline = False
        elif tag == "row" and cells and any(map(str.strip, cells)):
            row = list(cells)
            budget.add_row(row_number, row)
            rows.append((row_number, row))

    workbook.parse(member, start, end, text)
    return rows


def _cell_value(kind: str, raw: str, strings: list[str]) -> str:
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise _not_excel() from None
    if kind == "n":
        return raw if raw.isdigit() and raw[0] != "0" else _number_text(raw.strip())
    if kind == "inlineStr" or kind == "str":
        return _unescape(raw)
    if kind == "b":
        return "True" if raw.strip() == "1" else "False"
    return raw  # an error such as #N/A, or an ISO date


def xlsx_rows(data: bytes, limits: Limits, sheets: Collection[str] = ()) -> list[Row]:
    """The non-empty rows of the first sheet whose name is in ``sheets``, else of the first.

    Reads a cell's value as last calculated (never a formula) and skips empty rows.
    """
    _size_check(data, limits)
    budget = _Budget(limits)
    workbook = _Workbook(data, limits, budget)
    found = workbook.sheets()
    wanted = {name.strip().lower() for name in sheets}
    member = next((m for name, m in found if name.strip().lower() in wanted), found[0][1])
    strings = workbook.strings()
    return _sheet_rows(workbook, member, strings)


def xlsx_sheet_names(data: bytes, limits: Limits) -> list[str]:
    """The names of a workbook's sheets, in order; reads only the workbook part."""
    _size_check(data, limits)
    return [name for name, _member in _Workbook(data, limits, _Budget(limits)).sheets()]


def is_xlsx(data: bytes, name: str) -> bool:
    return data.startswith(b"PK\x03\x04") or name.lower().endswith((".xlsx", ".xlsm"))


# --- iCalendar -------------------------------------------------------------------------------

ICS_MAX_DEPTH = 8
ICS_MAX_COMPONENTS = 5_000
ICS_MAX_LINES = 100_000


def ics_check(data: bytes, limits: Limits) -> None:
    """Count an .ics file's lines and components before icalendar builds objects from them.

    icalendar walks nested components recursively; a file of nothing but ``BEGIN:`` lines would
    otherwise end in a RecursionError, and a million tiny properties in a long wait.
    """
    _size_check(data, limits)
    if CONTROL_BYTES.search(data):
        raise ReadRefused(
            _("This is not a valid iCalendar (.ics) file.")  # binary, or NUL in a text
        )
    depth = components = 0
    for lines, line in enumerate(data.splitlines(), start=1):
        head = line[:6].upper()
        if head == b"BEGIN:":
            depth += 1
            components += 1
        elif head[:4] == b"END:":
            depth -= 1
        if depth > ICS_MAX_DEPTH:
            raise ReadRefused(
                _("The calendar nests more than %(limit)s levels of components, the limit.")
                % {"limit": ICS_MAX_DEPTH}
            )
        if components > ICS_MAX_COMPONENTS or lines > ICS_MAX_LINES:
            raise ReadRefused(
                _(
                    "The calendar has more than %(components)s components or %(lines)s lines, "
                    "the limit."
                )
                % {"components": _count(ICS_MAX_COMPONENTS), "lines": _count(ICS_MAX_LINES)}
            )


# --- GEXF and GraphML ------------------------------------------------------------------------

# gexf > graph > nodes > node > attvalues > attvalue is six levels and GraphML needs five; the
# margin leaves room for viz elements and comments, and stops a file of nested tags early.
GRAPH_MAX_DEPTH = 16
GRAPH_KINDS = {".gexf": "gexf", ".graphml": "graphml"}


@dataclass
class GraphRows:
    """A graph file as two tables: each has its header as its first row, numbered 1.

    A node's or edge's row number is the line on which it begins, so that a problem points into
    the file as a text editor shows it. ``direction`` of an edge is ``directed``, ``undirected``
    or ``mutual``, from the edge or else from the graph's default.
    """

    nodes: list[Row]
    edges: list[Row]


def graph_kind(data: bytes, name: str) -> str | None:
    """``gexf`` or ``graphml`` by the file's name, else by its first element; otherwise None."""
    for suffix, kind in GRAPH_KINDS.items():
        if name.lower().endswith(suffix):
            return kind
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    for kind in ("gexf", "graphml"):
        if re.search(rb"<(?:\w+:)?" + kind.encode() + rb"[\s>]", head):
            return kind
    return None


def _graph_refused(message: str, line: int) -> ReadRefused:
    return ReadRefused(message, row=line)


class _GraphReader:
    """One pass over a GEXF or GraphML file with expat; values are counted as cells are."""

    def __init__(self, kind: str, limits: Limits):
        self.kind, self.limits = kind, limits
        self.budget = _Budget(limits)
        self.depth = 0
        self.declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}  # id → title
        self.section = "node"  # the class of GEXF <attributes> being read
        self.default_direction = "directed" if kind == "graphml" else "undirected"
        self.current: dict[str, str] | None = None
        self.current_line = 0
        self.current_is_edge = False
        self.data_key: str | None = None
        self.parts: list[str] = []
        self.chars = 0
        self.nodes: list[tuple[int, dict[str, str]]] = []
        self.edges: list[tuple[int, dict[str, str]]] = []
        self.columns: dict[str, list[str]] = {"node": [], "edge": []}
        self.parser = xml_parser(self.start, self.end, self.text)

    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def value(self, value: str) -> str:
        return self.budget.text(value, self.line())

    def column(self, klass: str, title: str) -> None:
        if title not in self.columns[klass]:
            self.columns[klass].append(title)
            self.budget.columns(len(self.columns[klass]) + 4, self.line())

    def start(self, tag: str, attrs: dict) -> None:
        self.depth += 1
        if self.depth > GRAPH_MAX_DEPTH:
            raise _graph_refused(
                _("The file nests elements more than %(limit)s levels deep, the limit.")
                % {"limit": GRAPH_MAX_DEPTH},
                self.line(),
            )
        tag = local(tag)
        if self.kind == "gexf":
            self.gexf_start(tag, attrs)
        else:
            self.graphml_start(tag, attrs)

    def gexf_start(self, tag: str, attrs: dict) -> None:
        if tag == "graph":
            self.default_direction = attrs.get("defaultedgetype", "undirected")
        elif tag == "attributes":
            self.section = "edge" if attrs.get("class") == "edge" else "node"
        elif tag == "attribute":
            key = attrs.get("id", "")
            title = self.value(attrs.get("title") or key)
            self.declared[self.section][key] = title
            self.column(self.section, title)
        elif tag in ("node", "edge"):
            self.open_item(tag, attrs)
        elif tag == "attvalue" and self.current is not None:
            key = attrs.get("for", attrs.get("id", ""))
            klass = "edge" if self.current_is_edge else "node"
            title = self.declared[klass].get(key, key)
            self.column(klass, title)
            self.current[title] = self.value(attrs.get("value", ""))

    def graphml_start(self, tag: str, attrs: dict) -> None:
        if tag == "key":
            key = attrs.get("id", "")
            title = self.value(attrs.get("attr.name") or key)
            where = attrs.get("for", "all")
            for klass in ("node", "edge"):
                if where in (klass, "all"):
                    self.declared[klass][key] = title
                    self.column(klass, title)
        elif tag == "graph":
            if self.current is not None:
                raise _graph_refused(_("A graph inside a node is not read."), self.line())
            self.default_direction = attrs.get("edgedefault", "directed")
        elif tag in ("node", "edge"):
            self.open_item(tag, attrs)
        elif tag == "data" and self.current is not None:
            self.data_key = attrs.get("key", "")
            self.parts, self.chars = [], 0

    def open_item(self, tag: str, attrs: dict) -> None:
        if self.current is not None:
            raise _graph_refused(
                _("A node or edge inside another one (a hierarchy) is not read."), self.line()
            )
        self.current_line = self.line()
        self.current_is_edge = tag == "edge"
        if tag == "node":
            self.current = {"id": self.value(attrs.get("id", ""))}
            if self.kind == "gexf":
                self.current["label"] = self.value(attrs.get("label", ""))
            return
        direction = attrs.get("type") or self.default_direction
        if self.kind == "graphml" and "directed" in attrs:
            direction = "directed" if attrs["directed"].lower() == "true" else "undirected"
        self.current = {
            "source": self.value(attrs.get("source", "")),
            "target": self.value(attrs.get("target", "")),
            "weight": self.value(attrs.get("weight", "")),
            "direction": self.value(direction),
        }

    def text(self, data: str) -> None:
        if self.data_key is not None:
            self.chars += len(data)
            if self.chars > self.limits.cell_chars:  # refused before it is joined
                raise self.budget.too_long(self.line())
            self.parts.append(data)

    def end(self, tag: str) -> None:
        self.depth -= 1
        tag = local(tag)
        if tag == "data" and self.data_key is not None and self.current is not None:
            klass = "edge" if self.current_is_edge else "node"
            title = self.declared[klass].get(self.data_key, self.data_key)
            self.column(klass, title)
            self.current[title] = self.value("".join(self.parts).strip())
            self.data_key = None
        elif tag in ("node", "edge") and self.current is not None:
            item, self.current = self.current, None
            self.budget.add_row(self.current_line, list(item.values()))
            (self.edges if tag == "edge" else self.nodes).append((self.current_line, item))

    def read(self, data: bytes) -> GraphRows:
        chunks = (data[start : start + CHUNK] for start in range(0, len(data), CHUNK))
        bad = _("The file is not a well-formed %(kind)s file.") % {"kind": self.kind_label()}
        try:
            xml_feed(self.parser, chunks, bad)
        except ReadRefused as refused:
            if refused.row is None:  # where the parser stopped, for a document type too
                refused.row = (
                    self.parser.ErrorLineNumber
                    if refused.message == bad
                    else self.parser.CurrentLineNumber
                )
            raise
        return GraphRows(self.table("node", self.nodes), self.table("edge", self.edges))

    def kind_label(self) -> str:
        return "GEXF" if self.kind == "gexf" else "GraphML"

    def table(self, klass: str, items: list[tuple[int, dict[str, str]]]) -> list[Row]:
        if klass == "edge":
            base = ["source", "target", "weight", "direction"]
        else:
            base = ["id", "label"] if self.kind == "gexf" else ["id"]
        header = base + [c for c in self.columns[klass] if c not in base]
        if not items:
            return []
        return [(1, header)] + [(line, [item.get(c, "") for c in header]) for line, item in items]


def graph_rows(data: bytes, limits: Limits, kind: str) -> GraphRows:
    """Read a GEXF (1.1–1.3) or GraphML file into a table of nodes and one of edges.

    The parser refuses a document type and entities (no billion laughs, no external files),
    nesting deeper than :data:`GRAPH_MAX_DEPTH`, and passes the same row, cell and character
    limits as a spreadsheet. Attributes become columns by their titles (GEXF) or names (GraphML).
    """
    _size_check(data, limits)
    return _GraphReader(kind, limits).read(data)
