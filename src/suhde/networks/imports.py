"""Importing people and ties from CSV and Excel files.

Two steps, the same for the page, the API and ``suhde import``: :func:`import_check` reads the
files and plans every change without writing anything, naming each problem by file, row and
column; :func:`import_apply` re-checks and writes the whole plan in one transaction, or nothing.
Importing the same file again updates people instead of duplicating them: a row's ``id`` is the
file's own key, remembered per network (``ExternalKey``), and a row without a known key is matched
by email. Database ids are never read from a file. A row that would change someone the importer
may not change (``access.people_unchangeable``) is listed as not applied and left out; the rest
is written. Writes use bulk operations, so 100,000 people and 600,000 ties fit in about a minute.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suhde.common import readers
from suhde.common.folding import organization_key
from suhde.common.text import email_normal

from . import access, queries
from .domain import (
    CUSTOM_FIELDS_MAX,
    SECTOR_ALIASES,
    custom_value_parse,
    number_parse,
    person_email_record,
    ties_settle,
)
from .models import (
    CUSTOM_FIELD_NAME_MAX,
    EXTERNAL_KEY_MAX,
    NAME_MAX,
    CustomField,
    CustomValue,
    ExternalKey,
    FieldFor,
    FieldKind,
    Membership,
    Network,
    Organization,
    OriginKind,
    Person,
    Role,
    Sector,
    Tie,
    TieOrigin,
)

PEOPLE_COLUMNS = ("id", "name", "email", "organization", "sector", "title", "phone", "role")
PEOPLE_REQUIRED = ("name",)  # and "sector" when there is an "organization"
TIES_COLUMNS = (
    "source",
    "target",
    "strength",
    "knowing",
    "trust",
    "commitment",
    "weight",
    "direction",
)
TIES_REQUIRED = ("source", "target")
RATINGS = ("knowing", "trust", "commitment")
# Headers and values are read in any of the three languages, whatever the reader's own is: a
# Finnish file is often imported by a Swedish-speaking coordinator and the other way round.
HEADER_ALIASES = {
    "label": "name",  # Gephi's node table
    "nimi": "name",
    "namn": "name",
    "sähköposti": "email",
    "e-mail": "email",
    "e-post": "email",
    "sähköpostiosoite": "email",
    "e-postadress": "email",
    "email address": "email",
    "e-mail address": "email",
    "puhelinnumero": "phone",
    "telefonnummer": "phone",
    "organisaatio": "organization",
    "organisation": "organization",
    "sektori": "sector",
    "sektor": "sector",
    "tehtävänimike": "title",
    "nimike": "title",
    "titteli": "title",
    "titel": "title",
    "puhelin": "phone",
    "telefon": "phone",
    "rooli": "role",
    "roll": "role",
    "lähde": "source",
    "källa": "source",
    "kohde": "target",
    "mål": "target",
    "vahvuus": "strength",
    "styrka": "strength",
    "tunteminen": "knowing",
    "kännedom": "knowing",
    "luottamus": "trust",
    "tillit": "trust",
    "sitoutuminen": "commitment",
    "engagemang": "commitment",
    "paino": "weight",
    "vikt": "weight",
    "suunta": "direction",
    "riktning": "direction",
}
# Only in a ties file: Gephi's edge table calls the direction "Type", Kumu's connections "From"
# and "To".
TIES_HEADER_ALIASES = {"type": "direction", "from": "source", "to": "target"}
# weight → strength (docs/import-export.md): a weight of at least this is a strong tie, as the
# export writes 1 for weak and 2 for strong.
STRONG_WEIGHT = 2.0
DIRECTION_ALIASES = {
    "": "directed",
    "directed": "directed",
    "suunnattu": "directed",
    "riktad": "directed",
    "undirected": "undirected",
    "suuntaamaton": "undirected",
    "oriktad": "undirected",
    "mutual": "undirected",
    "molemmat": "undirected",
    "ömsesidig": "undirected",
}
# A people file's columns that are none of the above become the network's own fields
# (``CustomField``): the table keeps them under this prefix and their header as written.
FIELD_PREFIX = "field:"
TAGS_HEADERS = {"tags", "tag", "tunnisteet", "tunniste", "avainsanat", "taggar", "tagg"}
STRENGTH_ALIASES = {"heikko": "weak", "vahva": "strong", "svag": "weak", "stark": "strong"}
ROLE_ALIASES = {
    "koordinaattori": "coordinator",
    "koordinator": "coordinator",
    "fasilitaattori": "facilitator",
    "viestijä": "communicator",
    "kommunikatör": "communicator",
    "jäsen": "member",
    "medlem": "member",
    "tarkkailija": "observer",
    "observatör": "observer",
}


def column_label(column: str) -> str:
    """A column's name in the reader's language, as the import template writes it."""
    labels = {
        "id": pgettext("import column", "id"),
        "name": pgettext("import column", "name"),
        "email": pgettext("import column", "email"),
        "organization": pgettext("import column", "organization"),
        "sector": pgettext("import column", "sector"),
        "title": pgettext("import column", "title"),
        "phone": pgettext("import column", "phone"),
        "role": pgettext("import column", "role"),
        "source": pgettext("import column", "source"),
        "target": pgettext("import column", "target"),
        "strength": pgettext("import column", "strength"),
        "knowing": pgettext("import column", "knowing"),
        "trust": pgettext("import column", "trust"),
        "commitment": pgettext("import column", "commitment"),
        "weight": pgettext("import column", "weight"),
        "direction": pgettext("import column", "direction"),
    }
    return labels.get(column, column)


ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_MAX = 40
EMAIL_MAX = 254
BATCH = 5000

Progress = Callable[[str, int, int], None]


def max_bytes() -> int:
    return settings.SUHDE_IMPORT_MAX_BYTES


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += ", " + _("row %(row)d") % {"row": self.row}
        if self.column:
            where += ", " + _("column “%(column)s”") % {"column": column_label(self.column)}
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(str(problems[0]) if problems else "")
        self.problems = problems


@dataclass
class Upload:
    name: str
    data: bytes
    limit: int | None = None  # bytes; the command line may raise it, pages use the setting

    @property
    def max_bytes(self) -> int:
        return self.limit or max_bytes()


@dataclass
class Table:
    name: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return unescape(cells[index].strip())


def unescape(value: str) -> str:
    """Undo the export's guard against formulas: ``'=1+1`` was ``=1+1``."""
    if len(value) > 1 and value[0] == "'" and value[1] in ESCAPED_STARTS:
        return value[1:]
    return value


# --- reading files ---------------------------------------------------------------------------


# Sheet names in the three languages; the template names its sheet in the reader's language.
SHEET_NAMES = {
    "people": ("people", "henkilöt", "ihmiset", "personer"),
    "ties": ("ties", "yhteydet", "siteet", "suhteet", "relationer"),
}


def sheet_label(kind: str) -> str:
    return {
        "people": pgettext("sheet of the import file", "people"),
        "ties": pgettext("sheet of the import file", "ties"),
    }[kind]


def read_table(
    upload: Upload, kind: str, problems: list[Problem], ignored: list[Problem] | None = None
) -> Table | None:
    """Read a people or ties file; header problems end the reading of that file. Columns that
    are not imported are added to ``ignored``, once each."""
    if len(upload.data) > upload.max_bytes:
        problems.append(size_problem(upload.name, len(upload.data), upload.max_bytes))
        return None
    if upload.data.startswith(b"\xd0\xcf\x11\xe0"):
        problems.append(
            Problem(upload.name, None, "", _("Old Excel files (.xls) are not read: save as .xlsx."))
        )
        return None
    limits = readers.Limits.scaled(upload.max_bytes)
    try:
        if readers.is_xlsx(upload.data, upload.name):
            raw = readers.xlsx_rows(upload.data, limits, SHEET_NAMES[kind])
        else:
            raw = readers.csv_rows(upload.data, limits)
    except readers.ReadRefused as refused:
        problems.append(Problem(upload.name, refused.row, refused.column, refused.message))
        return None
    if not raw:
        problems.append(Problem(upload.name, None, "", _("The file is empty.")))
        return None
    ignored = [] if ignored is None else ignored
    columns = _header(upload.name, raw[0][1], kind, problems, ignored)
    if columns is None:
        return None
    if (
        kind == "people"
        and "id" in columns
        and raw[0][1][columns["name"]].strip().lower() == "label"
    ):
        _names_from_ids([(1, ["id", "label"])] + [(n, c) for n, c in raw[1:]], columns)
    return Table(upload.name, columns, raw[1:])


def read_tables(
    people: Upload, ties: Upload | None, problems: list[Problem], ignored: list[Problem]
) -> tuple[Table | None, Table | None]:
    """The people and ties tables, whatever shape the files have: a GEXF or GraphML file holds
    both, otherwise each file (or a workbook's sheets) is read as a table."""
    if ties is not None and readers.graph_kind(ties.data, ties.name):
        problems.append(
            Problem(
                ties.name,
                None,
                "",
                _("A GEXF or GraphML file holds people and ties: give it as the people file."),
            )
        )
        return None, None
    kind = readers.graph_kind(people.data, people.name)
    if kind is None and ties is None and _is_kumu(people):
        return _kumu_tables(people, problems, ignored)
    if kind is None:
        people_table = read_table(people, "people", problems, ignored)
        ties_table = read_table(ties, "ties", problems, ignored) if ties is not None else None
        return people_table, ties_table
    if ties is not None:
        problems.append(
            Problem(
                ties.name,
                None,
                "",
                _("The GEXF or GraphML file holds the ties itself: leave the ties file out."),
            )
        )
        return None, None
    return _graph_tables(people, kind, problems, ignored)


def _graph_tables(
    upload: Upload, kind: str, problems: list[Problem], ignored: list[Problem]
) -> tuple[Table | None, Table | None]:
    if len(upload.data) > upload.max_bytes:
        problems.append(size_problem(upload.name, len(upload.data), upload.max_bytes))
        return None, None
    try:
        graph = readers.graph_rows(upload.data, readers.Limits.scaled(upload.max_bytes), kind)
    except readers.ReadRefused as refused:
        problems.append(Problem(upload.name, refused.row, refused.column, refused.message))
        return None, None
    if not graph.nodes:
        problems.append(Problem(upload.name, None, "", _("The file has no nodes.")))
        return None, None
    _names_from_ids(graph.nodes)
    people_columns = _header(upload.name, graph.nodes[0][1], "people", problems, ignored)
    ties_columns = (
        _header(upload.name, graph.edges[0][1], "ties", problems, ignored) if graph.edges else None
    )
    if people_columns is None or (graph.edges and ties_columns is None):
        return None, None
    people_table = Table(upload.name, people_columns, graph.nodes[1:])
    ties_table = Table(upload.name, ties_columns, graph.edges[1:]) if graph.edges else None
    return people_table, ties_table


# Kumu's element types that make an organization; any other type is a person.
KUMU_ORGANIZATION_TYPES = {
    "organization",
    "organisation",
    "org",
    "company",
    "organisaatio",
    "yritys",
    "yhdistys",
    "järjestö",
    "företag",
    "förening",
}
KUMU_PERSON_TYPES = {"", "person", "people", "individual", "henkilö", "ihminen"}


def _is_kumu(upload: Upload) -> bool:
    """A workbook with Kumu's two sheets, "Elements" and "Connections"."""
    if len(upload.data) > upload.max_bytes or not readers.is_xlsx(upload.data, upload.name):
        return False
    try:
        names = readers.xlsx_sheet_names(upload.data, readers.Limits.scaled(upload.max_bytes))
    except readers.ReadRefused:
        return False  # read_table names what is wrong with it
    return {"elements", "connections"} <= {name.strip().lower() for name in names}


def _kumu_tables(
    upload: Upload, problems: list[Problem], ignored: list[Problem]
) -> tuple[Table | None, Table | None]:
    """Kumu's workbook as a people and a ties table: labels are the keys, an element whose
    Type is an organization becomes one (and a person's connection to it their organization),
    Tags a tags field, the other columns fields of the network's own."""
    limits = readers.Limits.scaled(upload.max_bytes)
    elements_name = f"{upload.name} (Elements)"
    connections_name = f"{upload.name} (Connections)"
    try:
        elements = readers.xlsx_rows(upload.data, limits, ["elements"])
        connections = readers.xlsx_rows(upload.data, limits, ["connections"])
    except readers.ReadRefused as refused:
        problems.append(Problem(upload.name, refused.row, refused.column, refused.message))
        return None, None
    if not elements:
        problems.append(Problem(elements_name, None, "", _("The sheet is empty.")))
        return None, None
    header = [cell.strip() for cell in elements[0][1]]
    lowered = [HEADER_ALIASES.get(c.lower(), c.lower()) for c in header]
    if "name" not in lowered:
        problems.append(Problem(elements_name, 1, "name", _("The column is missing.")))
        return None, None
    at = {
        column: lowered.index(column) for column in ("name", "type", "sector") if column in lowered
    }
    organizations, people = _kumu_elements(elements, at, elements_name, ignored)
    links, tie_rows = _kumu_connections(connections, organizations, connections_name, ignored)
    rest = [i for i in range(len(header)) if i not in at.values()]
    people_rows: list[readers.Row] = [
        (1, ["id", "name", "organization", "sector", *(header[i] for i in rest)])
    ]
    for number, cells, label in people:
        organization = links.get(label.casefold(), "")
        sector = organizations[organization.casefold()][1] if organization else ""
        extra = [cells[i] if i < len(cells) else "" for i in rest]
        people_rows.append((number, [label, label, organization, sector, *extra]))
    people_columns = _header(elements_name, people_rows[0][1], "people", problems, ignored)
    ties_table = None
    if tie_rows:
        ties_header = [
            "Connection type" if c.strip().lower() == "type" else c for c in tie_rows[0][1]
        ]
        ties_columns = _header(connections_name, ties_header, "ties", problems, ignored)
        ties_table = Table(connections_name, ties_columns or {}, tie_rows[1:])
    if people_columns is None:
        return None, None
    return Table(elements_name, people_columns, people_rows[1:]), ties_table


def _kumu_elements(elements, at, file_name, ignored):
    """Organizations by casefolded label → (label, sector), and the people's rows."""
    organizations: dict[str, tuple[str, str]] = {}
    people: list[tuple[int, list[str], str]] = []
    read_as_person: set[str] = set()
    unplaced = organization_details = False

    def cell(cells, column):
        index = at.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in elements[1:]:
        label, kind = cell(cells, "name"), cell(cells, "type")
        if kind.lower() in KUMU_ORGANIZATION_TYPES:
            sector = SECTOR_ALIASES.get(
                cell(cells, "sector").lower(), cell(cells, "sector").lower()
            )
            if sector not in Sector.values:
                sector, unplaced = Sector.THIRD, True
            organizations.setdefault(label.casefold(), (label, sector))
            rest = [c for i, c in enumerate(cells) if i not in at.values() and c.strip()]
            if rest and not organization_details:
                organization_details = True
                ignored.append(
                    Problem(
                        file_name,
                        number,
                        "",
                        _(
                            "Not imported: the other columns of organizations; only people's "
                            "columns become fields."
                        ),
                    )
                )
            continue
        if kind.lower() not in KUMU_PERSON_TYPES and kind.casefold() not in read_as_person:
            read_as_person.add(kind.casefold())
            ignored.append(
                Problem(
                    file_name,
                    number,
                    "Type",
                    _("The type “%(type)s” is read as a person.") % {"type": kind},
                )
            )
        people.append((number, cells, label))
    if unplaced:
        ignored.append(
            Problem(
                file_name,
                1,
                "Sector",
                _(
                    "Organizations without a sector (public, private or third) are placed in "
                    "the third sector; change it on the organization's page."
                ),
            )
        )
    return organizations, people


def _kumu_connections(connections, organizations, file_name, ignored):
    """A person's connection to an organization makes it their organization; connections
    between people are ties; the rest is listed as not imported."""
    links: dict[str, str] = {}
    if not connections:
        return links, []
    header = [c.strip().lower() for c in connections[0][1]]
    ends = [
        header.index(c) if c in header else None for c in ("from", "to")
    ]  # the ties table names what is missing
    rows: list[readers.Row] = [connections[0]]
    for number, cells in connections[1:]:
        source, target = (
            cells[i].strip() if i is not None and i < len(cells) else "" for i in ends
        )
        orgs = [end.casefold() in organizations for end in (source, target)]
        if not any(orgs):
            rows.append((number, cells))
        elif all(orgs):
            ignored.append(
                Problem(
                    file_name,
                    number,
                    "To",
                    _("Not imported: a connection between two organizations."),
                )
            )
        else:
            person, organization = (target, source) if orgs[0] else (source, target)
            known = links.setdefault(person.casefold(), organizations[organization.casefold()][0])
            if known.casefold() != organization.casefold():
                ignored.append(
                    Problem(
                        file_name,
                        number,
                        "To",
                        _("Not imported: %(person)s is already in %(organization)s.")
                        % {"person": person, "organization": known},
                    )
                )
    return links, rows


def _names_from_ids(rows: list[readers.Row], columns: dict[str, int] | None = None) -> None:
    """A node without a label is named by its id, as Gephi and NetworkX show it (a GraphML file
    from NetworkX has only ids, and Gephi's node table leaves a Label empty)."""
    if columns is not None:  # a Gephi node table, its columns already known
        for _number, cells in rows[1:]:
            name, key = columns["name"], columns["id"]
            if key < len(cells) and (name >= len(cells) or not cells[name].strip()):
                cells.extend([""] * (name + 1 - len(cells)))
                cells[name] = cells[key]
        return
    header = rows[0][1]
    labels = [
        i
        for i, cell in enumerate(header)
        if HEADER_ALIASES.get(cell.strip().lower(), cell.strip().lower()) == "name"
    ]
    if not labels:
        header.append("label")
        for _number, cells in rows[1:]:
            cells.append(cells[0])
        return
    first = labels[0]
    for _number, cells in rows[1:]:
        if not cells[first].strip():
            cells[first] = cells[0]


def size_problem(name: str, size: int, limit: int | None = None) -> Problem:
    return Problem(
        name,
        None,
        "",
        _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
        % {"size": size / 1024 / 1024, "limit": (limit or max_bytes()) / 1024 / 1024},
    )


def _header(
    name: str, cells: list[str], kind: str, problems: list[Problem], ignored: list[Problem]
) -> dict | None:
    """Map the header to the known columns. A column that is not one of them is set aside as
    ignored (Gephi's ``modularity_class``, a register's own fields), never an error on its own;
    it is one only when it looks like a misspelling of a column that is missing."""
    known = PEOPLE_COLUMNS if kind == "people" else TIES_COLUMNS
    columns: dict[str, int] = {}
    aliased: set[str] = set()
    unknown: list[tuple[str, str, int]] = []
    before = len(problems)
    for index, cell in enumerate(cells):
        label = cell.strip().lstrip("\ufeff").strip().lower()
        if not label:
            continue
        column = HEADER_ALIASES.get(label, label)
        if kind == "ties":
            column = TIES_HEADER_ALIASES.get(label, column)
        if column not in known:
            unknown.append((cell, column, index))
        elif column in columns and (label != column or column in aliased):
            # "name" and Gephi's "label" side by side: the first one counts
            ignored.append(
                Problem(
                    name, 1, cell, _("Not imported: the same detail is read from another column.")
                )
            )
        elif column in columns:
            problems.append(Problem(name, 1, cell, _("This column appears twice.")))
        else:
            columns[column] = index
            if label != column:
                aliased.add(column)
    required = list(PEOPLE_REQUIRED if kind == "people" else TIES_REQUIRED)
    if kind == "people" and "organization" in columns:
        required.append("sector")
    missing = [column for column in required if column not in columns]
    names = {column_label(c).lower(): c for c in known} | {c: c for c in known}
    for cell, column, index in unknown:
        close = difflib.get_close_matches(column, list(names), n=1)
        suggestion = names[close[0]] if close else None
        field = FIELD_PREFIX + " ".join(cell.split())
        if kind == "people" and column in TAGS_HEADERS and field not in columns:
            columns[field] = index  # Kumu's Tags: read as a tags field, never "did you mean"
        elif suggestion in missing:
            problems.append(
                Problem(
                    name,
                    1,
                    cell,
                    _("Unknown column “%(column)s”; did you mean “%(suggestion)s”?")
                    % {"column": cell, "suggestion": column_label(suggestion)},
                )
            )
        elif suggestion and suggestion not in columns:
            ignored.append(
                Problem(
                    name,
                    1,
                    cell,
                    _("Not imported; did you mean “%(suggestion)s”?")
                    % {"suggestion": column_label(suggestion)},
                )
            )
        elif kind == "people" and field not in columns:
            columns[field] = index  # a field of the network's own (see _plan_fields)
        else:
            ignored.append(Problem(name, 1, cell, _("Not imported: not a column Suhde reads.")))
    for column in missing:
        problems.append(Problem(name, 1, column, _("The column is missing.")))
    return None if len(problems) > before else columns


# --- planning --------------------------------------------------------------------------------


@dataclass
class PersonRow:
    row: int
    key: tuple  # ("p", person id) for an existing person, ("n", row) for a new one
    # created, updated, unchanged, not_applied (see ImportPlan.not_applied), or joined: someone
    # of the importer's other networks found by email, who becomes a member here
    status: str
    name: str
    email: str
    organization: str
    sector: str
    title: str
    phone: str
    role: str
    file_id: str = ""
    write_details: bool = False  # a joining person's details change too
    custom: dict = field(default_factory=dict)  # field name → value (None clears), this network's


@dataclass
class TieRow:
    row: int
    source: tuple
    target: tuple
    status: str
    strength: str
    ratings: dict
    existing_id: int | None = None


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    ties: list[TieRow] = field(default_factory=list)
    new_organizations: dict[str, str] = field(default_factory=dict)  # casefolded name → sector
    organization_names: dict[str, str] = field(default_factory=dict)  # casefolded → as written
    people_columns: set[str] = field(default_factory=set)
    # Rows that are read but will not be written, each with why: named in the preview.
    not_applied: list[Problem] = field(default_factory=list)
    # Columns that are not imported, once per file.
    ignored: list[Problem] = field(default_factory=list)
    matched: dict[int, int] = field(default_factory=dict)  # existing person id → row
    # organizations of the importer's other networks that the file names: casefolded → id
    joining_organizations: dict[str, int] = field(default_factory=dict)
    existing: Existing | None = field(default=None, repr=False)  # what the check read
    new_keys: dict[str, str] = field(default_factory=dict)  # organization_key → casefolded
    organization_alias: dict[str, str] = field(default_factory=dict)  # spelling → casefolded
    field_columns: list[FieldColumn] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        result = {
            "people": {
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "not_applied": 0,
                "joined": 0,
            },
            "ties": {"created": 0, "updated": 0, "unchanged": 0, "not_applied": 0, "joined": 0},
            "organizations": {
                "created": len(self.new_organizations),
                "updated": 0,
                "unchanged": 0,
                "not_applied": 0,
                "joined": len(self.joining_organizations),
            },
        }
        for row in self.people:
            result["people"][row.status] += 1
        for row in self.ties:
            result["ties"][row.status] += 1
        return result

    def summary(self) -> dict:
        """The counts, with the rows not applied, the columns ignored and the fields the import
        makes (JSON, for a job)."""
        return {
            **self.counts(),
            "not_applied": [problem_dict(p) for p in self.not_applied],
            "ignored_columns": [problem_dict(p) for p in self.ignored],
            "fields_created": self.fields_created(),
        }

    def fields_created(self) -> list[dict]:
        return [
            {"name": c.field.name, "kind": c.field.kind, "column": c.header}
            for c in self.field_columns
            if c.new
        ]


@dataclass
class FieldColumn:
    """A column read as one of the network's own fields: one it has, or one the import makes
    (``new``, not saved until the import is written)."""

    header: str
    field: CustomField
    new: bool


def problem_dict(problem: Problem) -> dict:
    """A problem as the API and the job pages show it, its column in the reader's language."""
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "message": str(problem.message),
    }


@dataclass
class Existing:
    """What the network already holds, read in a fixed number of queries."""

    people: dict[int, dict]
    by_email: dict[str, int]  # normalised email → person id
    organizations: dict[str, tuple[int, str]]  # casefolded name → (id, sector)
    ties: dict[tuple[int, int], tuple]
    keys: dict[str, int] = field(default_factory=dict)  # external key → person id, members only
    key_rows: dict[str, int] = field(default_factory=dict)  # every key of the network → person
    unchangeable: dict[int, str] = field(default_factory=dict)  # person id → why (access)
    # People of the importer's other networks, found by the file's emails (see others_load).
    others: dict[int, dict] = field(default_factory=dict)
    others_by_email: dict[str, int] = field(default_factory=dict)
    # Organizations by organization_key: this network's, then the importer's other networks'.
    organizations_keyed: dict[str, tuple[int, str]] = field(default_factory=dict)
    organizations_elsewhere: dict[str, tuple[int, str]] = field(default_factory=dict)
    user: object = None
    network: Network | None = None
    custom: dict[int, dict[str, object]] = field(default_factory=dict)  # person → field values

    @classmethod
    def load(cls, network: Network, user=None) -> Existing:
        people = {}
        members = Membership.objects.filter(network=network, left_on__isnull=True)
        for pid, name, email, title, phone, oid, role, mid in members.values_list(
            "person_id",
            "person__name",
            "person__email",
            "person__title",
            "person__phone",
            "person__organization_id",
            "role",
            "id",
        ):
            people[pid] = {
                "name": name,
                "email": email,
                "title": title,
                "phone": phone,
                "organization_id": oid,
                "role": role,
                "membership_id": mid,
            }
        by_email = {email_normal(p["email"]): pid for pid, p in people.items() if p["email"]}
        key_rows = dict(ExternalKey.objects.filter(network=network).values_list("key", "person_id"))
        keys = {key: pid for key, pid in key_rows.items() if pid in people}
        # The command line has no user: it may change only people of this network alone.
        coordinated = [network.pk] if user is None else None
        unchangeable = access.people_unchangeable(
            user, members.values("person_id"), coordinated=coordinated
        )
        organizations = {
            name.casefold(): (oid, sector)
            for oid, name, sector in network.organizations.values_list("id", "name", "sector")
        }
        # A pair's values to compare the file with: its earlier import's, else the tie's own.
        imported = {
            tid: rest
            for tid, *rest in TieOrigin.objects.filter(
                tie__network=network, kind=OriginKind.IMPORTED
            ).values_list("tie_id", "strength", *RATINGS)
        }
        ties = {
            (s, t): (tid, *imported.get(tid, (strength, k, tr, c)))
            for tid, s, t, strength, k, tr, c in Tie.objects.filter(network=network).values_list(
                "id", "source_id", "target_id", "strength", "knowing", "trust", "commitment"
            )
        }
        existing = cls(people, by_email, organizations, ties, keys, key_rows, unchangeable)
        existing.user, existing.network = user, network
        existing.organizations_load()
        return existing

    def organizations_load(self) -> None:
        """Organizations written another way ("Kahvila Oy" for "kahvila"), in this network or in
        the importer's other networks, so that a file does not make a second one (issue 12)."""
        network = self.network
        for oid, key, sector in network.organizations.values_list("id", "key", "sector"):
            self.organizations_keyed.setdefault(key, (oid, sector))
        if self.user is None:
            return
        elsewhere = [pk for pk in access.network_ids_where(self.user, access.Need.VIEW)]
        rows = (
            Organization.objects.filter(networks__in=elsewhere, archived_at__isnull=True)
            .exclude(networks=network)
            .order_by("id")
            .values_list("id", "key", "sector")
            .distinct()
        )
        for oid, key, sector in rows:
            self.organizations_elsewhere.setdefault(key, (oid, sector))

    def others_load(self, emails: set[str]) -> None:
        """People of the importer's other networks with these addresses, where the importer may
        see addresses (as ``queries.person_by_email``): they join this network instead of being
        made a second time. One query per 5,000 addresses; two more for the rule of who may
        change them."""
        if self.user is None:
            return
        emails = sorted(e for e in emails if e and e not in self.by_email)
        contacts = [
            pk
            for pk in access.network_ids_where(self.user, access.Need.CONTACTS)
            if pk != self.network.pk
        ]
        if not emails or not contacts:
            return
        for start in range(0, len(emails), BATCH):
            rows = (
                Person.objects.filter(
                    memberships__network_id__in=contacts,
                    memberships__left_on__isnull=True,
                    archived_at__isnull=True,
                )
                .annotate(lower_email=Lower("email"))
                .filter(lower_email__in=emails[start : start + BATCH])
                .exclude(pk__in=list(self.people))
                .order_by("id")
                .values_list("id", "name", "email", "title", "phone", "organization_id")
                .distinct()
            )
            for pid, name, email, title, phone, oid in rows:
                self.others[pid] = {
                    "name": name,
                    "email": email,
                    "title": title,
                    "phone": phone,
                    "organization_id": oid,
                    "role": None,
                    "membership_id": None,
                }
                self.others_by_email.setdefault(email_normal(email), pid)
        if self.others:
            self.unchangeable.update(access.people_unchangeable(self.user, list(self.others)))

    def person(self, pid: int) -> dict:
        return self.people[pid] if pid in self.people else self.others[pid]


def _sector(value: str) -> str | None:
    lowered = value.strip().lower()
    lowered = SECTOR_ALIASES.get(lowered, lowered)
    return lowered if lowered in Sector.values else None


def _too_long(value: str, limit: int) -> bool:
    return len(value) > limit


def _person_row(table: Table, number: int, cells, plan: ImportPlan, existing: Existing, seen):
    name_ = table.name
    problems = plan.problems
    get = lambda column: table.cell(cells, column)  # noqa: E731
    values = {column: get(column) for column in PEOPLE_COLUMNS}
    before = len(problems)
    if not values["name"]:
        problems.append(Problem(name_, number, "name", _("The name is missing.")))
    for column, limit in (
        ("name", NAME_MAX),
        ("title", NAME_MAX),
        ("organization", NAME_MAX),
        ("phone", PHONE_MAX),
        ("email", EMAIL_MAX),
    ):
        if _too_long(values[column], limit):
            problems.append(
                Problem(
                    name_, number, column, _("At most %(limit)d characters.") % {"limit": limit}
                )
            )
    email = email_normal(values["email"])
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(Problem(name_, number, "email", _("This is not an email address.")))
    sector = ""
    if values["organization"]:
        sector = _sector(values["sector"]) or ""
        if not sector:
            problems.append(
                Problem(
                    name_,
                    number,
                    "sector",
                    _(
                        "Unknown sector “%(value)s”: use public, private or third "
                        "(julkinen, yksityinen, kolmas)."
                    )
                    % {"value": values["sector"]},
                )
            )
    role = values["role"].lower()
    role = ROLE_ALIASES.get(role, role)
    if role and role not in Role.values:
        problems.append(
            Problem(
                name_,
                number,
                "role",
                _("Unknown role “%(value)s”; the roles are: %(roles)s.")
                % {"value": values["role"], "roles": ", ".join(map(str, Role.labels))},
            )
        )
    whole = ("row", tuple(values.values()))
    if whole in seen:
        problems.append(
            Problem(name_, number, "", _("This row repeats row %(row)d.") % {"row": seen[whole]})
        )
        return None
    seen[whole] = number
    file_id = values["id"]
    if _too_long(file_id, EXTERNAL_KEY_MAX):
        problems.append(
            Problem(
                name_,
                number,
                "id",
                _("At most %(limit)d characters.") % {"limit": EXTERNAL_KEY_MAX},
            )
        )
    for column, value in (("id", file_id), ("email", email)):
        if value and (column, value) in seen:
            problems.append(
                Problem(
                    name_,
                    number,
                    column,
                    _("The same %(column)s is already on row %(row)d.")
                    % {"column": column_label(column), "row": seen[(column, value)]},
                )
            )
        elif value:
            seen[(column, value)] = number
    custom = _custom_values(table, number, cells, plan)
    if len(problems) > before:
        return None
    row = _match_person(table, number, values, email, sector, role, plan, existing)
    if row is not None and custom:
        row.custom = custom
        pid = row.key[1] if row.key[0] == "p" else None
        now = existing.custom.get(pid, {}) if pid is not None else {}
        if row.status == "unchanged" and any(now.get(k) != v for k, v in custom.items()):
            row.status = "updated"
    return row


def _custom_values(table: Table, number: int, cells, plan: ImportPlan) -> dict[str, object]:
    """The row's values of the network's own fields, each checked as a form checks it."""
    custom: dict[str, object] = {}
    for column in plan.field_columns:
        raw = table.cell(cells, FIELD_PREFIX + column.header)
        try:
            custom[column.field.name] = custom_value_parse(column.field, raw)
        except ValidationError as error:
            for message in error.messages:
                plan.problems.append(Problem(table.name, number, column.header, message))
    return custom


def _plan_fields(table: Table, plan: ImportPlan, existing: Existing) -> None:
    """Each extra column of the people file is one of the network's fields, found by name, or
    a new one: tags for a Tags column, a number when every value is one, else text. An empty
    column makes none; neither does one past the network's limit of fields."""
    if not any(key.startswith(FIELD_PREFIX) for key in table.columns):
        return  # a file without extra columns costs no query
    have = {
        f.name.casefold(): f
        for f in CustomField.objects.filter(network=existing.network, applies_to=FieldFor.PERSON)
    }
    existing.custom = queries.custom_values_map(existing.network, FieldFor.PERSON)
    count = len(have)
    for key, index in table.columns.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        header = key[len(FIELD_PREFIX) :]
        found = have.get(header[:CUSTOM_FIELD_NAME_MAX].casefold())
        if found is not None:
            plan.field_columns.append(FieldColumn(header, found, new=False))
            continue
        values = [unescape(c[index].strip()) for _n, c in table.rows if index < len(c)]
        values = [v for v in values if v]
        if not values:
            plan.ignored.append(
                Problem(table.name, 1, header, _("Not imported: the column is empty."))
            )
            continue
        if count >= CUSTOM_FIELDS_MAX:
            plan.ignored.append(
                Problem(
                    table.name,
                    1,
                    header,
                    _("Not imported: a network has at most %(limit)d fields.")
                    % {"limit": CUSTOM_FIELDS_MAX},
                )
            )
            continue
        if header.lower() in TAGS_HEADERS:
            kind = FieldKind.TAGS
        elif all(number_parse(v) is not None for v in values):
            kind = FieldKind.NUMBER
        else:
            kind = FieldKind.TEXT
        field_ = CustomField(
            network=existing.network,
            applies_to=FieldFor.PERSON,
            name=header[:CUSTOM_FIELD_NAME_MAX],
            kind=kind,
            choices=[],
        )
        have[field_.name.casefold()] = field_
        plan.field_columns.append(FieldColumn(header, field_, new=True))
        count += 1


def _match_person(table, number, values, email, sector, role, plan, existing: Existing):
    """Find the row's person: by the file's id among this network's keys, else by email among
    this network's people, else a new person. A file's id is never a database id."""
    file_id = values["id"]
    by_key = existing.keys.get(file_id) if file_id else None
    by_email = existing.by_email.get(email) if email else None
    if by_email is None and email:
        by_email = existing.others_by_email.get(email)
    if by_key is not None and by_email is not None and by_key != by_email:
        plan.problems.append(
            Problem(
                table.name,
                number,
                "email",
                _(
                    "The id “%(id)s” belongs to %(person)s in this network, but the email "
                    "to %(other)s: correct one of them."
                )
                % {
                    "id": file_id,
                    "person": existing.person(by_key)["name"],
                    "other": existing.person(by_email)["name"],
                },
            )
        )
        return None
    pid = by_key if by_key is not None else by_email
    if pid is not None and pid in plan.matched:
        plan.problems.append(
            Problem(
                table.name,
                number,
                "id" if by_key is not None else "email",
                _("This is %(person)s, who is already on row %(row)d.")
                % {"person": existing.person(pid)["name"], "row": plan.matched[pid]},
            )
        )
        return None
    if pid is not None:
        plan.matched[pid] = number
    organization = values["organization"]
    if organization and not _organization_ok(table, number, organization, sector, plan, existing):
        return None
    row = PersonRow(
        row=number,
        key=("p", pid) if pid is not None else ("n", number),
        status="created",
        name=values["name"],
        email=email,
        organization=organization,
        sector=sector,
        title=values["title"],
        phone=values["phone"],
        role=role,
        file_id=file_id,
    )
    if pid is None:
        return row
    changes = _person_changes(row, existing.person(pid), plan, existing)
    details = [column for column in changes if column != "role"]
    why = existing.unchangeable.get(pid)
    if pid in existing.others:
        # Someone of the importer's other networks: they join, and their details change only
        # where the importer may change them.
        row.status = "joined"
        row.write_details = bool(details) and not why
        if details and why:
            plan.not_applied.append(
                Problem(table.name, number, details[0], _joins_as_is_message(why, existing, pid))
            )
        return row
    if details and why:
        row.status = "not_applied"
        plan.not_applied.append(
            Problem(table.name, number, details[0], _not_applied_message(why, row, existing, pid))
        )
    else:
        row.status = "updated" if changes else "unchanged"
    return row


def _joins_as_is_message(why: str, existing: Existing, pid: int) -> str:
    name = existing.person(pid)["name"]
    if why == access.CHANGE_ACCOUNT:
        return _(
            "%(name)s joins this network as they are, without this row's changes: they have "
            "an account and change their own details."
        ) % {"name": name}
    return _(
        "%(name)s joins this network as they are, without this row's changes: they are also "
        "in a network you do not coordinate, so only its coordinators can change their details."
    ) % {"name": name}


def _not_applied_message(why: str, row: PersonRow, existing: Existing, pid: int) -> str:
    name = existing.person(pid)["name"]
    if why == access.CHANGE_ACCOUNT:
        return _(
            "Not applied: %(name)s has an account and changes their own details; "
            "nothing on this row is written."
        ) % {"name": name}
    return _(
        "Not applied: %(name)s is also in a network you do not coordinate, so only "
        "its coordinators can change their details; nothing on this row is written."
    ) % {"name": name}


def _organization_ok(table, number, organization, sector, plan, existing) -> bool:
    folded = organization.casefold()
    known = existing.organizations.get(folded)
    if known is None and folded not in plan.new_organizations:
        # Written another way ("Kahvila Oy", "kahvila"): this network's, else one of the
        # importer's other networks', which then takes part here too.
        key = organization_key(organization)
        known = existing.organizations_keyed.get(key)
        if known is None and key in existing.organizations_elsewhere:
            known = existing.organizations_elsewhere[key]
            plan.joining_organizations[folded] = known[0]
        if known is not None:
            existing.organizations[folded] = known
        elif key and plan.new_keys.setdefault(key, folded) != folded:
            # another spelling of an organization this file makes: one organization
            folded = plan.organization_alias.setdefault(folded, plan.new_keys[key])
    wanted = known[1] if known else plan.new_organizations.setdefault(folded, sector)
    plan.organization_names.setdefault(folded, organization)
    if wanted != sector:
        plan.problems.append(
            Problem(
                table.name,
                number,
                "sector",
                _("“%(organization)s” is already in the %(sector)s.")
                % {"organization": organization, "sector": Sector(wanted).label},
            )
        )
        return False
    return True


def _organization_id(row: PersonRow, existing: Existing) -> int | None:
    known = existing.organizations.get(row.organization.casefold()) if row.organization else None
    return known[0] if known else None


def _person_changes(row: PersonRow, current: dict, plan: ImportPlan, existing: Existing) -> dict:
    """The fields this row would change on an existing person (absent columns change nothing)."""
    changes = {}
    for column in ("name", "email", "title", "phone"):
        if column not in plan.people_columns:
            continue
        value, now = getattr(row, column), current[column]
        if column == "email":
            value, now = email_normal(value), email_normal(now)
        if value != now:
            changes[column] = getattr(row, column)
    if "organization" in plan.people_columns:
        new_org = _organization_id(row, existing)
        if new_org != current["organization_id"] or (row.organization and new_org is None):
            changes["organization"] = row.organization
    if row.role and row.role != current["role"]:
        changes["role"] = row.role
    return changes


def _plan_people(table: Table, plan: ImportPlan, existing: Existing, progress: Progress) -> None:
    plan.people_columns = set(table.columns)
    _plan_fields(table, plan, existing)
    if "email" in table.columns:
        existing.others_load({email_normal(table.cell(cells, "email")) for _n, cells in table.rows})
    seen: dict = {}
    total = len(table.rows)
    for i, (number, cells) in enumerate(table.rows):
        row = _person_row(table, number, cells, plan, existing, seen)
        if row is not None:
            plan.people.append(row)
        if i % 10000 == 0:
            progress("check_people", i, total)
    progress("check_people", total, total)


def _resolve(value: str, by_file_id: dict, by_email: dict, existing: Existing):
    """A tie's end: an id of the people file, an id an earlier file gave someone in this
    network, or an email, in that order. Never a database id."""
    if value in by_file_id:
        return by_file_id[value]
    if value in existing.keys:
        return ("p", existing.keys[value])
    lowered = email_normal(value)
    if lowered in by_email:
        return by_email[lowered]
    if lowered in existing.by_email:
        return ("p", existing.by_email[lowered])
    return None


def _rating(value: str):
    if not value:
        return None, True
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None, False
    return (int(number), True) if number.is_integer() and 1 <= number <= 4 else (None, False)


def _plan_ties(table: Table, plan: ImportPlan, existing: Existing, progress: Progress) -> None:
    by_file_id = {row.file_id: row.key for row in plan.people if row.file_id}
    by_email = {row.email: row.key for row in plan.people if row.email}
    seen: dict[tuple, int] = {}
    total = len(table.rows)
    for i, (number, cells) in enumerate(table.rows):
        row = _tie_row(table, number, cells, plan, existing, by_file_id, by_email, seen)
        if row is not None:
            plan.ties.append(row)
        if i % 50000 == 0:
            progress("check_ties", i, total)
    progress("check_ties", total, total)


def _tie_row(table, number, cells, plan, existing, by_file_id, by_email, seen):
    problems = plan.problems
    before = len(problems)
    ends = {}
    for column in ("source", "target"):
        value = table.cell(cells, column)
        if not value:
            problems.append(Problem(table.name, number, column, _("The person is missing.")))
            continue
        key = _resolve(value, by_file_id, by_email, existing)
        if key is None:
            problems.append(
                Problem(
                    table.name,
                    number,
                    column,
                    _(
                        "No person with the id or email “%(value)s” "
                        "in the people file or the network."
                    )
                    % {"value": value},
                )
            )
        ends[column] = key
    strength = _strength(table, number, cells, problems)
    direction = DIRECTION_ALIASES.get(table.cell(cells, "direction").lower())
    if direction is None:
        problems.append(
            Problem(
                table.name,
                number,
                "direction",
                _("Use directed or undirected (suunnattu or suuntaamaton)."),
            )
        )
    ratings = {}
    for column in RATINGS:
        value, ok = _rating(table.cell(cells, column))
        if not ok:
            problems.append(
                Problem(table.name, number, column, _("Use a whole number from 1 to 4."))
            )
        ratings[column] = value
    if len(problems) > before:
        return None
    source, target = ends["source"], ends["target"]
    if source == target:
        problems.append(
            Problem(table.name, number, "target", _("A tie must join two different people."))
        )
        return None
    # An undirected edge is one tie, in the order the file writes it, or the way round the
    # network already has it; the same pair the other way round repeats it.
    pair = (source, target) if direction == "directed" else frozenset((source, target))
    if pair in seen:
        problems.append(
            Problem(
                table.name,
                number,
                "target",
                _("The same tie is already on row %(row)d.") % {"row": seen[pair]},
            )
        )
        return None
    seen[pair] = number
    if direction == "undirected" and _reverse_known(source, target, existing):
        source, target = target, source
    row = TieRow(number, source, target, "created", strength, ratings)
    if source[0] == "p" and target[0] == "p":
        current = existing.ties.get((source[1], target[1]))
        if current is not None:
            row.existing_id = current[0]
            same = current[1:] == (
                strength,
                ratings["knowing"],
                ratings["trust"],
                ratings["commitment"],
            )
            row.status = "unchanged" if same else "updated"
    return row


def _reverse_known(source: tuple, target: tuple, existing: Existing) -> bool:
    if source[0] != "p" or target[0] != "p":
        return False
    ids = (source[1], target[1])
    return ids not in existing.ties and ids[::-1] in existing.ties


def _strength(table: Table, number: int, cells: list[str], problems: list[Problem]) -> str:
    """``strength`` as written (weak or strong, or a number), else from ``weight``: a number of
    at least :data:`STRONG_WEIGHT` is strong, a smaller one weak; neither means weak."""
    raw = table.cell(cells, "strength").lower()
    raw = STRENGTH_ALIASES.get(raw, raw)
    if raw in ("weak", "strong"):
        return raw
    column = "strength" if raw else "weight"
    value = raw or table.cell(cells, "weight")
    if not value:
        return "weak"
    try:
        weight = float(value.replace(",", "."))
    except ValueError:
        weight = math.nan
    if math.isfinite(weight):
        return "strong" if weight >= STRONG_WEIGHT else "weak"
    message = (
        _("Use weak or strong (heikko or vahva).")
        if column == "strength"
        else _("The weight must be a number, such as 1 or 2,5.")
    )
    problems.append(Problem(table.name, number, column, message))
    return "weak"


def import_check(
    *,
    network: Network,
    people: Upload,
    ties: Upload | None = None,
    progress: Progress = _no_progress,
    user=None,
) -> ImportPlan:
    """Read and check the files; plan every change. Writes nothing.

    ``user`` is who imports: rows that would change someone they may not change are planned as
    not applied. Without a user (the command line) only people who are in this network alone
    and have no account are changed.
    """
    plan = ImportPlan()
    progress("read", 0, 1)
    people_table, ties_table = read_tables(people, ties, plan.problems, plan.ignored)
    progress("read", 1, 1)
    if people_table is None:
        return plan
    existing = Existing.load(network, user)
    plan.existing = existing
    _plan_people(people_table, plan, existing, progress)
    if ties_table is not None:
        _plan_ties(ties_table, plan, existing, progress)
    _check_coordinators(plan, existing, people.name)
    return plan


def _check_coordinators(plan: ImportPlan, existing: Existing, name: str) -> None:
    roles: dict[tuple, str] = {("p", pid): p["role"] for pid, p in existing.people.items()}
    for row in plan.people:
        if row.role and row.status != "not_applied":
            roles[row.key] = row.role
    had = any(p["role"] == Role.COORDINATOR for p in existing.people.values())
    coordinators = [key for key, role in roles.items() if role == Role.COORDINATOR]
    if had and not coordinators:  # an import may not demote the last coordinator
        plan.problems.append(
            Problem(name, None, "role", _("A network needs at least one coordinator."))
        )


# --- writing ---------------------------------------------------------------------------------


STEPS = ("check", "write_people", "write_ties", "done")


def import_steps(
    *,
    network: Network,
    people: Upload,
    ties: Upload | None = None,
    progress: Progress = _no_progress,
    user=None,
):
    """Check again and write the whole plan in one transaction, or nothing (promise 28).

    A generator, so that a page can show progress while it runs: it yields the name of each step
    as it begins and returns the counts. Stopping it part way (a closed connection) rolls the
    whole import back.
    """
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        yield "check"
        plan = import_check(network=network, people=people, ties=ties, progress=progress, user=user)
        if plan.problems:
            raise ImportRefused(plan.problems)
        yield "write_people"
        existing = plan.existing  # read inside this transaction, with the network locked
        organization_ids = _write_organizations(network, plan, existing)
        keys = _write_people(network, plan, existing, organization_ids, progress, user)
        _write_keys(network, plan, existing, keys)
        _write_custom(network, plan, existing, keys)
        yield "write_ties"
        _write_ties(network, plan, keys, progress)
    yield "done"
    return plan.summary()


def import_apply(
    *,
    network: Network,
    people: Upload,
    ties: Upload | None = None,
    progress: Progress = _no_progress,
    user=None,
) -> dict:
    """Run :func:`import_steps` to the end and return :meth:`ImportPlan.summary`."""
    steps = import_steps(network=network, people=people, ties=ties, progress=progress, user=user)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def _write_organizations(network: Network, plan: ImportPlan, existing: Existing) -> dict:
    ids = {folded: oid for folded, (oid, _sector) in existing.organizations.items()}
    new = [
        Organization(name=plan.organization_names[folded], sector=sector)
        for folded, sector in plan.new_organizations.items()
        if folded not in ids
    ]
    Organization.objects.bulk_create(new, batch_size=BATCH)
    for organization in new:
        ids[organization.name.casefold()] = organization.pk
    for spelling, folded in plan.organization_alias.items():
        ids[spelling] = ids[folded]
    Link = Organization.networks.through
    Link.objects.bulk_create(
        [Link(organization_id=o.pk, network_id=network.pk) for o in new], batch_size=BATCH
    )
    Link.objects.bulk_create(
        [
            Link(organization_id=oid, network_id=network.pk)
            for oid in set(plan.joining_organizations.values())
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return ids


def _write_custom(network: Network, plan: ImportPlan, existing: Existing, keys: dict) -> None:
    """The new fields, then each written row's values of the fields in the file (an empty cell
    clears); rows not applied keep theirs."""
    if not plan.field_columns:
        return
    start = CustomField.objects.filter(network=network, applies_to=FieldFor.PERSON).count()
    new = [c.field for c in plan.field_columns if c.new]
    for position, field_ in enumerate(new, start=start):
        field_.position = position
    CustomField.objects.bulk_create(new)
    fields = {c.field.name: c.field for c in plan.field_columns}
    rows = [r for r in plan.people if r.custom and r.status not in ("not_applied", "unchanged")]
    person_ids = [keys[r.key] for r in rows]
    for start in range(0, len(person_ids), BATCH):
        CustomValue.objects.filter(
            field__in=list(fields.values()), person_id__in=person_ids[start : start + BATCH]
        ).delete()
    values = [
        CustomValue(field=fields[name], person_id=keys[r.key], value=value)
        for r in rows
        for name, value in r.custom.items()
        if value is not None
    ]
    CustomValue.objects.bulk_create(values, batch_size=BATCH)
    for field_ in fields.values():
        if field_.kind == FieldKind.TAGS:
            used = {t: None for v in values if v.field is field_ for t in v.value}
            known = {c.casefold() for c in field_.choices}
            field_.choices = (field_.choices + [t for t in used if t.casefold() not in known])[:100]
            field_.save(update_fields=["choices"])


def _write_keys(network: Network, plan: ImportPlan, existing: Existing, keys: dict) -> None:
    """Remember each row's id as its person's key in this network, in plain INSERTs as the
    memberships are (100,000 keys). A key that pointed at someone no longer in the network is
    moved to whom the file now means by it."""
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM would store it
    new, moved = [], []
    for row in plan.people:
        if not row.file_id:
            continue
        person_id = keys[row.key]
        current = existing.key_rows.get(row.file_id)
        if current is not None and current != person_id:
            moved.append(row.file_id)
        if current != person_id:
            new.append((network.pk, person_id, row.file_id, stamp))
    for start in range(0, len(moved), BATCH):
        ExternalKey.objects.filter(network=network, key__in=moved[start : start + BATCH]).delete()
    _insert_many(
        ExternalKey, ["network", "person", "key", "created_at"], new, _no_progress, "write_keys"
    )


def external_keys_assign(network: Network, person_ids: list[int]) -> dict[int, str]:
    """Each person's key in this network, as an export writes it in its ``id`` column.

    A person who has none yet gets one (their database number as text, unless a file already
    used it for someone else), so that the exported file, edited and imported again, finds the
    same people even where it has no emails. Two queries; a third when keys were added.
    """
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for key, person_id in (
        ExternalKey.objects.filter(network=network).order_by("id").values_list("key", "person_id")
    ):
        taken.add(key)
        keys[person_id] = key  # the most recent file's key, when there are several
    new = []
    for person_id in person_ids:
        if person_id in keys:
            continue
        candidate, n = str(person_id), 1
        while candidate in taken:
            n += 1
            candidate = f"{person_id}-{n}"
        taken.add(candidate)
        keys[person_id] = candidate
        new.append(ExternalKey(network=network, person_id=person_id, key=candidate))
    if new:
        ExternalKey.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        # An import at the same moment may have given one of these keys to someone else.
        stored = dict(
            ExternalKey.objects.filter(
                network=network, person_id__in=[k.person_id for k in new]
            ).values_list("person_id", "key")
        )
        if any(stored.get(k.person_id) != k.key for k in new):
            return external_keys_assign(network, person_ids)
    return {person_id: keys[person_id] for person_id in person_ids}


def _write_people(network, plan, existing: Existing, organization_ids, progress, user) -> dict:
    keys: dict[tuple, int] = {}
    created = []
    joined: list[PersonRow] = []
    updated: list[Person] = []
    roles: list[Membership] = []
    for row in plan.people:
        organization_id = (
            organization_ids.get(row.organization.casefold()) if row.organization else None
        )
        if row.key[0] == "p":
            keys[row.key] = row.key[1]
            if row.status == "updated" or row.write_details:
                _collect_update(
                    row, existing.person(row.key[1]), organization_id, plan, updated, roles
                )
            if row.status == "joined":
                joined.append(row)
            continue
        person = Person(
            name=row.name,
            email=row.email,
            title=row.title,
            phone=row.phone,
            organization_id=organization_id,
        )
        created.append((row, person))
    total = len(created)
    for start in range(0, total, BATCH):
        Person.objects.bulk_create([p for _, p in created[start : start + BATCH]])
        progress("write_people", min(start + BATCH, total), total)
    for row, person in created:
        keys[row.key] = person.pk
    today = timezone.localdate()
    _insert_many(
        Membership,
        ["person", "network", "role", "in_steering_group", "joined_on"],
        [(person.pk, network.pk, row.role or Role.MEMBER, False, today) for row, person in created]
        + [(row.key[1], network.pk, row.role or Role.MEMBER, False, today) for row in joined],
        progress,
        "write_memberships",
    )
    if updated:
        Person.objects.bulk_update(
            updated, ["name", "email", "title", "phone", "organization_id"], batch_size=1000
        )
    if roles:
        Membership.objects.bulk_update(roles, ["role"], batch_size=1000)
    _emails_record(updated, existing, user)
    if joined:  # their home organizations take part here too, as when a member is added
        homes = {person.pk: person.organization_id for person in updated}
        organization_ids = {
            homes.get(row.key[1], existing.person(row.key[1])["organization_id"]) for row in joined
        } - {None}
        Link = Organization.networks.through
        Link.objects.bulk_create(
            [Link(organization_id=oid, network_id=network.pk) for oid in organization_ids],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
    return keys


def _emails_record(updated: list[Person], existing: Existing, user) -> None:
    """Every changed address goes to the audit log with the old one, and what follows such a
    change (invitations to the old address end) follows, as for a change on a page."""
    for person in updated:
        old = existing.person(person.pk)["email"]
        if email_normal(old) != email_normal(person.email):
            person_email_record(person=person, old_email=old, user=user)


def _collect_update(row, current, organization_id, plan, updated, roles) -> None:
    person = Person(pk=row.key[1])
    for column in ("name", "email", "title", "phone"):
        value = getattr(row, column) if column in plan.people_columns else current[column]
        setattr(person, column, value)
    person.organization_id = (
        organization_id if "organization" in plan.people_columns else current["organization_id"]
    )
    updated.append(person)
    if row.role and current["membership_id"] and row.role != current["role"]:
        roles.append(Membership(pk=current["membership_id"], role=row.role))


def _insert_many(model, columns: list[str], rows: list[tuple], progress, stage: str) -> None:
    """Plain multi-row INSERTs: several times faster than ``bulk_create`` for 600,000 ties.

    The SQL is built from the model's own table and column names only; every value is a
    parameter.
    """
    meta = model._meta
    names = ", ".join(connection.ops.quote_name(meta.get_field(c).column) for c in columns)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    total = len(rows)
    with connection.cursor() as cursor:
        for start in range(0, total, BATCH * 4):
            cursor.executemany(sql, rows[start : start + BATCH * 4])
            progress(stage, min(start + BATCH * 4, total), total)


def _write_ties(network: Network, plan: ImportPlan, keys: dict, progress: Progress) -> None:
    """New pairs become ties with an imported origin; a pair whose tie says something else than
    the file gets (or updates) its imported origin, which as the most recent source decides."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)  # as the ORM would store it
    new, changed = [], {}
    for row in plan.ties:
        if row.status == "unchanged":
            continue
        ratings = row.ratings
        values = (row.strength, ratings["knowing"], ratings["trust"], ratings["commitment"])
        if row.existing_id:
            changed[row.existing_id] = values
        else:
            new.append((network.pk, keys[row.source], keys[row.target], *values, stamp))
    columns = ["network", "source", "target", "strength", *RATINGS, "created_at"]
    _insert_many(Tie, columns, new, progress, "write_ties")
    if new:
        _origins_for_new_ties(network, stamp)
    origins: list[tuple] = []
    _imported_origins_update(changed, now, stamp, origins)
    columns = ["tie", "kind", "strength", *RATINGS, "label", "recorded_at", "current"]
    _insert_many(TieOrigin, columns, origins, progress, "write_ties")
    ties_settle(tie_ids=list(changed))


def _origins_for_new_ties(network: Network, stamp) -> None:
    """Each tie this import made gets its imported origin in one INSERT … SELECT: the new ties
    are those of the network stamped with this import's time and without an origin yet, so no
    id has to travel back to Python (600,000 of them would). Names come from the models only;
    every value is a parameter."""
    q = connection.ops.quote_name
    tie, origin = Tie._meta, TieOrigin._meta

    def tcol(name):
        return "t." + q(tie.get_field(name).column)

    def ocol(name):
        return q(origin.get_field(name).column)

    targets = ["tie", "kind", "strength", *RATINGS, "label", "recorded_at", "current"]
    sql = (
        f"INSERT INTO {q(origin.db_table)} ({', '.join(ocol(c) for c in targets)}) "  # noqa: S608
        f"SELECT {tcol('id')}, %s, {tcol('strength')}, "
        f"{', '.join(tcol(c) for c in RATINGS)}, %s, %s, %s "
        f"FROM {q(tie.db_table)} t WHERE {tcol('network')} = %s AND {tcol('created_at')} = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {q(origin.db_table)} o "
        f"WHERE o.{ocol('tie')} = {tcol('id')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [OriginKind.IMPORTED, "", stamp, True, network.pk, stamp])


def _imported_origins_update(changed: dict, now, stamp, origins: list[tuple]) -> None:
    """Update the imported origin of each changed tie, or queue a new one into ``origins``."""
    ids = list(changed)
    found: dict[int, TieOrigin] = {}
    for start in range(0, len(ids), BATCH):
        for origin in TieOrigin.objects.filter(
            tie_id__in=ids[start : start + BATCH], kind=OriginKind.IMPORTED
        ):
            found[origin.tie_id] = origin
    for tie_id, (strength, *ratings) in changed.items():
        origin = found.get(tie_id)
        if origin is None:
            origins.append((tie_id, OriginKind.IMPORTED, strength, *ratings, "", stamp, True))
            continue
        origin.strength, origin.recorded_at, origin.current = strength, now, True
        for name, value in zip(RATINGS, ratings, strict=True):
            setattr(origin, name, value)
    TieOrigin.objects.bulk_update(
        found.values(), ["strength", *RATINGS, "recorded_at", "current"], batch_size=BATCH
    )
