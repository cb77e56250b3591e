"""Files as Kumu and Gephi write them import without editing; extra columns become fields.

What is not understood is listed in the preview as not imported, never an error.
"""

import csv
import io

import networkx as nx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from suhde.networks.exports import export_data, export_render
from suhde.networks.imports import Upload, import_apply, import_check
from suhde.networks.models import CustomField, Membership, Organization, Tie
from suhde.networks.queries import custom_values_of

KUMU_ELEMENTS = [
    ["Label", "Type", "Description", "Tags", "Image"],
    ["Aino Aalto", "Person", "Youth worker", "youth|sports", ""],
    ["Bo Berg", "Person", "", "sports", ""],
    ["Cilla Cho", "Stakeholder", "Parish", "", ""],
    ["Järvelän kaupunki", "Organization", "The city", "", ""],
    ["Kahvila Kukko", "Organization", "", "", ""],
]
KUMU_CONNECTIONS = [
    ["From", "To", "Type", "Direction", "Strength", "Tags"],
    ["Aino Aalto", "Bo Berg", "collaboration", "undirected", "3", "x"],
    ["Bo Berg", "Cilla Cho", "", "directed", "", ""],
    ["Aino Aalto", "Järvelän kaupunki", "works at", "", "", ""],
    ["Bo Berg", "Kahvila Kukko", "", "", "", ""],
    ["Aino Aalto", "Kahvila Kukko", "", "", "", ""],
    ["Järvelän kaupunki", "Kahvila Kukko", "", "", "", ""],
]


def _kumu() -> bytes:
    """A workbook as Kumu's export writes it: sheets Elements and Connections."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (("Elements", KUMU_ELEMENTS), ("Connections", KUMU_CONNECTIONS)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([value or None for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_kumu_workbook_imports_without_editing(world):
    network = world.network
    plan = import_check(network=network, people=Upload("map.xlsx", _kumu()), user=world.coordinator)
    assert plan.problems == []
    assert [(p.file, p.row, p.column, p.message) for p in plan.ignored] == [
        ("map.xlsx (Elements)", 4, "Type", "The type “Stakeholder” is read as a person."),
        (
            "map.xlsx (Elements)",
            5,
            "",
            "Not imported: the other columns of organizations; only people's columns become "
            "fields.",
        ),
        (
            "map.xlsx (Elements)",
            1,
            "Sector",
            "Organizations without a sector (public, private or third) are placed in the third "
            "sector; change it on the organization's page.",
        ),
        (
            "map.xlsx (Connections)",
            6,
            "To",
            "Not imported: Aino Aalto is already in Järvelän kaupunki.",
        ),
        (
            "map.xlsx (Connections)",
            7,
            "To",
            "Not imported: a connection between two organizations.",
        ),
        ("map.xlsx (Connections)", 1, "Connection type", "Not imported: not a column Suhde reads."),
        ("map.xlsx (Connections)", 1, "Tags", "Not imported: not a column Suhde reads."),
        ("map.xlsx (Elements)", 1, "Image", "Not imported: the column is empty."),
    ]
    assert plan.fields_created() == [
        {"name": "Description", "kind": "text", "column": "Description"},
        {"name": "Tags", "kind": "tags", "column": "Tags"},
    ]
    summary = import_apply(
        network=network, people=Upload("map.xlsx", _kumu()), user=world.coordinator
    )
    assert summary["people"]["created"] == 3
    assert summary["organizations"]["created"] == 2
    assert summary["ties"]["created"] == 2
    aino = Membership.objects.get(network=network, person__name="Aino Aalto").person
    assert aino.organization.name == "Järvelän kaupunki"
    assert Organization.objects.get(name="Kahvila Kukko").sector == "third"
    assert custom_values_of(network, person=aino) == {
        "Description": "Youth worker",
        "Tags": ["youth", "sports"],
    }
    tie = Tie.objects.get(network=network, source=aino)
    assert (tie.target.name, tie.strength) == ("Bo Berg", "strong")  # Strength 3 ≥ 2
    assert CustomField.objects.get(network=network, name="Tags").choices == ["youth", "sports"]


def test_a_kumu_workbook_imported_again_changes_nothing(world):
    import_apply(network=world.network, people=Upload("map.xlsx", _kumu()), user=world.coordinator)
    plan = import_check(
        network=world.network, people=Upload("map.xlsx", _kumu()), user=world.coordinator
    )
    assert plan.problems == []
    assert plan.counts()["people"]["unchanged"] == 3
    assert plan.counts()["ties"]["unchanged"] == 2
    assert plan.fields_created() == []


def _gephi_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_a_gephi_pair_imports_with_its_columns_as_fields(world):
    nodes = _gephi_csv(
        [
            ["Id", "Label", "timeset", "modularity_class", "Degree"],
            ["0", "Aino", "", "1", "2"],
            ["1", "Bo", "", "0", "1"],
            ["2", "", "", "1", "1"],
        ]
    )
    edges = _gephi_csv(
        [
            ["Source", "Target", "Type", "Id", "Label", "timeset", "Weight"],
            ["0", "1", "Undirected", "0", "", "", "2.0"],
            ["0", "2", "Undirected", "1", "", "", "1.0"],
        ]
    )
    summary = import_apply(
        network=world.network,
        people=Upload("nodes.csv", nodes),
        ties=Upload("edges.csv", edges),
        user=world.coordinator,
    )
    assert summary["fields_created"] == [
        {"name": "modularity_class", "kind": "number", "column": "modularity_class"},
        {"name": "Degree", "kind": "number", "column": "Degree"},
    ]
    strengths = dict(
        Tie.objects.filter(network=world.network, source__name="Aino").values_list(
            "target__name", "strength"
        )
    )
    assert strengths == {"Bo": "strong", "2": "weak"}  # a node without a label is named by its id
    bo = Membership.objects.get(network=world.network, person__name="Bo").person
    assert custom_values_of(world.network, person=bo) == {"modularity_class": 0, "Degree": 1}


def test_a_field_value_that_does_not_fit_is_named_by_row_and_column(world):
    CustomField.objects.create(
        network=world.network, applies_to="person", name="Unit", kind="choice", choices=["A"]
    )
    text = b"name,unit\nAino,A\nBo,Z\n"
    plan = import_check(network=world.network, people=Upload("p.csv", text))
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (3, "unit", "“Z” is not one of the choices: A.")
    ]


def test_finnish_and_swedish_rating_headers_are_read(world):
    people = b"id;nimi\n1;Aino\n2;Bo\n3;Cilla\n"
    fi = (
        "lähde;kohde;vahvuus;tunteminen;luottamus;sitoutuminen;paino;suunta\n"
        "1;2;;4;3;2;2,5;suunnattu\n"
    )
    sv = "källa;mål;styrka;kännedom;tillit;engagemang;vikt;riktning\n2;3;svag;1;2;3;;oriktad\n"
    for ties in (fi, sv):
        plan = import_check(
            network=world.network,
            people=Upload("p.csv", people),
            ties=Upload("t.csv", ties.encode()),
        )
        assert plan.problems == []
        assert plan.ignored == []
    plan = import_check(
        network=world.network, people=Upload("p.csv", people), ties=Upload("t.csv", fi.encode())
    )
    tie = plan.ties[0]
    assert (tie.strength, tie.ratings) == ("strong", {"knowing": 4, "trust": 3, "commitment": 2})


def test_fields_go_out_in_every_format_and_come_back(world):
    network = world.network
    text = "id,name,Tags,Years\nk1,Aino,youth|sports,3\nk2,Bo,,2.5\n"
    import_apply(network=network, people=Upload("p.csv", text.encode()), user=world.coordinator)
    data = export_data(network, contacts=True)
    csv_body, _t, _n = export_render(data, "csv")
    header = csv_body.decode("utf-8-sig").split("\r\n")[0]
    assert header.endswith(";Tags;Years")
    assert "k1;Aino;" in csv_body.decode("utf-8-sig")
    graphml, _t, _n = export_render(data, "graphml")
    back = nx.read_graphml(io.BytesIO(graphml))
    assert back.nodes["k1"]["Tags"] == "youth|sports"
    assert back.nodes["k1"]["Years"] == "3"
    assert "Tags" not in back.nodes["k2"]  # an empty value is left out
    gexf, _t, _n = export_render(data, "gexf")
    assert nx.read_gexf(io.BytesIO(gexf)).nodes["k2"]["Years"] == "2.5"
    for fmt, body in (("csv", csv_body), ("gexf", gexf), ("graphml", graphml)):
        plan = import_check(
            network=network, people=Upload(f"again.{fmt}", body), user=world.coordinator
        )
        assert plan.problems == [], fmt
        aino = next(r for r in plan.people if r.name == "Aino")
        assert aino.custom == {"Tags": ["youth", "sports"], "Years": 3}, fmt
        assert plan.fields_created() == [], fmt


def test_the_preview_lists_the_new_fields(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("networks:import", args=["core"]),
        {"people": SimpleUploadedFile("map.xlsx", _kumu())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 columns become new fields of this network's people" in html
    assert "map.xlsx (Connections), row 7: “To”" in html
    assert "“Tags”</span> – tags" in html
    assert "The type “Stakeholder” is read as a person." in html
    assert "8 columns are not imported" in html
