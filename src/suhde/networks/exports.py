"""Exporting a network: CSV, Excel, GEXF (Gephi), GraphML, node-link JSON and vCard.

The people and ties files have the same columns as the import, so export → import into an empty
network → export gives the same content, and export → edit → import updates the same people: the
``id`` column is each person's key in the network (``ExternalKey``), never a database id.
Spreadsheet cells that begin with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading apostrophe
so that no spreadsheet runs them as a formula (promise 19); the import removes it again.
Contact details are left out for roles that may not see them (promise 4).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import pgettext

from . import queries
from .imports import ESCAPED_STARTS, column_label, external_keys_assign, sheet_label
from .map import network_graph, people_positions
from .models import FieldFor, Network, Person, Role, Strength

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
    "json": ("application/json", "json"),
    "vcard": ("text/vcard; charset=utf-8", "vcf"),
}
TABLES = ("people", "ties")
PEOPLE_HEADER = ["id", "name", "email", "organization", "sector", "title", "phone", "role"]
TIES_HEADER = ["source", "target", "strength", "knowing", "trust", "commitment"]
SECTOR_COLOURS = {"public": (0, 114, 178), "private": (230, 159, 0), "third": (0, 158, 115)}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_cell(value: object) -> object:
    """Neutralise a spreadsheet formula: a text cell starting with =, +, -, @, tab or CR."""
    if isinstance(value, str) and value.startswith(ESCAPED_STARTS):
        return "'" + value
    return value


@dataclass
class ExportData:
    """Rows as the files write them: a person's ``id`` is their key in this network (the id a
    file gave them, or one made for them), never read back as a database id."""

    network: Network
    people: list[list]
    ties: list[list]
    contacts: bool
    person_ids: list[int]  # the database id of each row of ``people``, for positions and UIDs
    fields: list[str] = field(default_factory=list)  # the network's own fields, after the rest


def export_data(network: Network, *, contacts: bool) -> ExportData:
    """People and ties in a fixed order, read in three queries whatever the size."""
    graph = network_graph(network)
    details = {
        pid: (email, phone)
        for pid, email, phone in Person.objects.filter(pk__in=list(graph.people)).values_list(
            "id", "email", "phone"
        )
    }
    people = []
    for person in graph.people.values():
        email, phone = details.get(person.id, ("", ""))
        people.append(
            [
                person.id,
                person.name,
                email,
                person.organization,
                person.sector,
                person.title,
                phone,
                person.role,
            ]
        )
    names = {pid: p.name for pid, p in graph.people.items()}
    person_ids = [row[0] for row in people]
    keys = external_keys_assign(network, person_ids)
    for row in people:
        row[0] = keys[row[0]]
    ties = [
        [keys[tie.source], keys[tie.target], tie.strength, tie.knowing, tie.trust, tie.commitment]
        for tie in sorted(graph.ties, key=lambda t: (names[t.source], names[t.target], t.id))
    ]
    if not contacts:
        people = [[row[0], row[1], row[3], row[4], row[5], row[7]] for row in people]
    fields = [f.name for f in queries.custom_fields(network, FieldFor.PERSON)]
    if fields:
        values = queries.custom_values_map(network, FieldFor.PERSON, person_ids)
        for row, person_id in zip(people, person_ids, strict=True):
            mine = values.get(person_id, {})
            row.extend(_field_cell(mine.get(name)) for name in fields)
    return ExportData(network, people, ties, contacts, person_ids, fields)


def _field_cell(value) -> object:
    """A field's value in a cell: tags joined with | as Kumu writes them, which the import
    splits again."""
    if isinstance(value, list):
        return "|".join(value)
    return value


def people_header(data: ExportData) -> list[str]:
    if data.contacts:
        return PEOPLE_HEADER + data.fields
    return ["id", "name", "organization", "sector", "title", "role", *data.fields]


def _blank(value) -> object:
    return "" if value is None else value


def to_csv(data: ExportData, table: str = "people") -> bytes:
    """UTF-8 with a byte order mark and semicolons, as Finnish Excel opens it directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header, rows = (
        (people_header(data), data.people) if table == "people" else (TIES_HEADER, data.ties)
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(_blank(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(data: ExportData) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in (
        ("people", people_header(data), data.people),
        ("ties", TIES_HEADER, data.ties),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append([escape_cell(_blank(value)) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xml_text(value) -> str:
    return XML_INVALID.sub("", "" if value is None else str(value))


def _positions(data: ExportData) -> dict:
    _key, positions = people_positions(data.network, network_graph(data.network))
    return positions


def to_gexf(data: ExportData) -> bytes:
    """GEXF 1.2, the format Gephi and NetworkX's ``read_gexf`` read, with positions and colours."""
    ns = "http://www.gexf.net/1.2draft"
    viz = "http://www.gexf.net/1.2draft/viz"
    ET.register_namespace("", ns)
    ET.register_namespace("viz", viz)
    root = ET.Element(f"{{{ns}}}gexf", {"version": "1.2"})
    meta = ET.SubElement(
        root, f"{{{ns}}}meta", {"lastmodifieddate": timezone.localdate().isoformat()}
    )
    ET.SubElement(meta, f"{{{ns}}}creator").text = "Suhde"
    ET.SubElement(meta, f"{{{ns}}}description").text = _xml_text(data.network.name)
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    header = people_header(data)
    node_attrs = [h for h in header if h not in ("id", "name")]
    attrs = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": "node"})
    for i, name in enumerate(node_attrs):
        ET.SubElement(attrs, f"{{{ns}}}attribute", {"id": str(i), "title": name, "type": "string"})
    edge_attrs = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": "edge"})
    ET.SubElement(
        edge_attrs, f"{{{ns}}}attribute", {"id": "0", "title": "strength", "type": "string"}
    )
    for i, name in enumerate(("knowing", "trust", "commitment"), start=1):
        ET.SubElement(
            edge_attrs, f"{{{ns}}}attribute", {"id": str(i), "title": name, "type": "integer"}
        )
    positions = _positions(data)
    nodes = ET.SubElement(graph, f"{{{ns}}}nodes")
    for row, person_id in zip(data.people, data.person_ids, strict=True):
        values = dict(zip(header, row, strict=True))
        node = ET.SubElement(
            nodes, f"{{{ns}}}node", {"id": str(row[0]), "label": _xml_text(row[1])}
        )
        attvalues = ET.SubElement(node, f"{{{ns}}}attvalues")
        for i, name in enumerate(node_attrs):
            ET.SubElement(
                attvalues, f"{{{ns}}}attvalue", {"for": str(i), "value": _xml_text(values[name])}
            )
        r, g, b = SECTOR_COLOURS.get(values["sector"], (128, 128, 128))
        ET.SubElement(node, f"{{{viz}}}color", {"r": str(r), "g": str(g), "b": str(b)})
        x, y = positions.get(str(person_id), [0.0, 0.0])
        ET.SubElement(node, f"{{{viz}}}position", {"x": str(x), "y": str(-y), "z": "0.0"})
    edges = ET.SubElement(graph, f"{{{ns}}}edges")
    for i, (source, target, strength, *ratings) in enumerate(data.ties):
        edge = ET.SubElement(
            edges,
            f"{{{ns}}}edge",
            {
                "id": str(i),
                "source": str(source),
                "target": str(target),
                "weight": "2.0" if strength == Strength.STRONG else "1.0",
            },
        )
        attvalues = ET.SubElement(edge, f"{{{ns}}}attvalues")
        ET.SubElement(attvalues, f"{{{ns}}}attvalue", {"for": "0", "value": strength})
        for j, rating in enumerate(ratings, start=1):
            if rating is not None:
                ET.SubElement(attvalues, f"{{{ns}}}attvalue", {"for": str(j), "value": str(rating)})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_graphml(data: ExportData) -> bytes:
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    header = people_header(data)
    # The network's own fields get key ids of their own: a field's name may be anything.
    key_ids = {
        name: name if i < len(header) - len(data.fields) else f"field{i}"
        for i, name in enumerate(header)
    }
    for name in header[1:]:
        ET.SubElement(
            root,
            f"{{{ns}}}key",
            {"id": key_ids[name], "for": "node", "attr.name": name, "attr.type": "string"},
        )
    ET.SubElement(
        root,
        f"{{{ns}}}key",
        {"id": "strength", "for": "edge", "attr.name": "strength", "attr.type": "string"},
    )
    for name in ("knowing", "trust", "commitment"):
        ET.SubElement(
            root, f"{{{ns}}}key", {"id": name, "for": "edge", "attr.name": name, "attr.type": "int"}
        )
    graph = ET.SubElement(
        root, f"{{{ns}}}graph", {"id": _xml_text(data.network.slug), "edgedefault": "directed"}
    )
    for row in data.people:
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": str(row[0])})
        for i, (name, value) in enumerate(zip(header, row, strict=True)):
            if i and (value is not None or name not in data.fields):
                key = {"key": key_ids[name]}
                ET.SubElement(node, f"{{{ns}}}data", key).text = _xml_text(value)
    for source, target, strength, *ratings in data.ties:
        edge = ET.SubElement(graph, f"{{{ns}}}edge", {"source": str(source), "target": str(target)})
        ET.SubElement(edge, f"{{{ns}}}data", {"key": "strength"}).text = strength
        for name, rating in zip(("knowing", "trust", "commitment"), ratings, strict=True):
            if rating is not None:
                ET.SubElement(edge, f"{{{ns}}}data", {"key": name}).text = str(rating)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_json(data: ExportData) -> bytes:
    """Node-link JSON as NetworkX's ``node_link_graph(data, edges="links")`` reads it."""
    header = people_header(data)
    nodes = [dict(zip(header, row, strict=True)) for row in data.people]
    links = [dict(zip(TIES_HEADER, row, strict=True)) for row in data.ties]
    document = {
        "directed": True,
        "multigraph": False,
        "graph": {"name": data.network.name, "slug": data.network.slug},
        "nodes": nodes,
        "links": links,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _vcard_text(value) -> str:
    text = XML_INVALID.sub("", "" if value is None else str(value))
    for old, new in (("\\", "\\\\"), (",", "\\,"), (";", "\\;"), ("\r\n", "\\n"), ("\n", "\\n")):
        text = text.replace(old, new)
    return text.replace("\r", "")


def _fold(line: str) -> str:
    """vCard lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)


def to_vcard(data: ExportData) -> bytes:
    cards = []
    for pid, (_key, name, email, organization, _sector, title, phone, _role, *_fields) in zip(
        data.person_ids, data.people, strict=True
    ):
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{_vcard_text(name)}",
            f"N:{_vcard_text(name)};;;;",
        ]
        if organization:
            lines.append(f"ORG:{_vcard_text(organization)}")
        if title:
            lines.append(f"TITLE:{_vcard_text(title)}")
        if email:
            lines.append(f"EMAIL;TYPE=INTERNET:{_vcard_text(email)}")
        if phone:
            lines.append(f"TEL;TYPE=WORK:{_vcard_text(phone)}")
        lines.append(f"UID:suhde-person-{pid}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(_fold(line) for line in lines))
    return ("\r\n".join(cards) + "\r\n").encode("utf-8")


def export_render(data: ExportData, fmt: str, table: str = "people") -> tuple[bytes, str, str]:
    """The file's bytes, content type and a file name."""
    content_type, extension = FORMATS[fmt]
    renderers = {
        "xlsx": to_xlsx,
        "gexf": to_gexf,
        "graphml": to_graphml,
        "json": to_json,
        "vcard": to_vcard,
    }
    body = to_csv(data, table) if fmt == "csv" else renderers[fmt](data)
    stem = data.network.slug + (f"-{table}" if fmt == "csv" else "")
    if fmt == "vcard":
        stem = f"{data.network.slug}-contacts"
    return body, content_type, f"{stem}.{extension}"


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty people or ties file with its header and one example row, in the reader's
    language: the import reads the headers and values of all three languages."""
    header = [column_label(c) for c in (PEOPLE_HEADER if kind == "people" else TIES_HEADER)]
    example = (
        [
            "",
            "Maija Meikäläinen",
            "maija@example.fi",
            "Järvelän kaupunki",
            pgettext("import value", "public"),
            "nuorisotyöntekijä",
            "+358 40 123 4567",
            str(Role.MEMBER.label),
        ]
        if kind == "people"
        else ["maija@example.fi", "matti@example.fi", str(Strength.STRONG.label), "4", "3", "3"]
    )
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_label(kind))
        sheet.append(header)
        sheet.append([escape_cell(value) for value in example])
        book = io.BytesIO()
        workbook.save(book)
        return book.getvalue(), FORMATS["xlsx"][0], f"suhde-{kind}.xlsx"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow([escape_cell(value) for value in example])
    return ("\ufeff" + out.getvalue()).encode("utf-8"), FORMATS["csv"][0], f"suhde-{kind}.csv"
