"""Export: every format, formula escaping, contacts by role, audit, round trip, command."""

import csv
import io
import json

import networkx as nx
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from suhde.common.models import AuditEvent
from suhde.networks.exports import escape_cell, export_data, export_render
from suhde.networks.imports import Upload, import_apply
from suhde.networks.models import Network, Person, Role
from tests.factories import MembershipFactory, PersonFactory, TieFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+358 40 1", "'+358 40 1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (4, 4),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


@pytest.fixture
def tricky(world):
    person = PersonFactory(
        name='=HYPERLINK("http://evil")', organization=world.organization, phone="+358 1"
    )
    MembershipFactory(person=person, network=world.network)
    TieFactory(network=world.network, source=person, target=world.people[0], strength="strong")
    return person


def _csv_rows(body: bytes):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_escapes_formulas(world, tricky):
    body, content_type, name = export_render(export_data(world.network, contacts=True), "csv")
    rows = _csv_rows(body)
    assert rows[0] == ["id", "name", "email", "organization", "sector", "title", "phone", "role"]
    row = next(r for r in rows if r[0] == str(tricky.pk))
    assert row[1] == '\'=HYPERLINK("http://evil")'
    assert row[6] == "'+358 1"
    assert name == "core-people.csv"
    assert content_type == "text/csv; charset=utf-8"


def test_xlsx_export_escapes_formulas_and_has_two_sheets(world, tricky):
    body, *_ = export_render(export_data(world.network, contacts=True), "xlsx")
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["people", "ties"]
    names = [row[1] for row in workbook["people"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in names
    assert workbook["ties"].max_row == 3


def test_gexf_opens_in_networkx_with_every_node_and_tie(world, tricky, tmp_path):
    body, *_ = export_render(export_data(world.network, contacts=True), "gexf")
    path = tmp_path / "core.gexf"
    path.write_bytes(body)
    graph = nx.read_gexf(path)
    people = {str(p.pk) for p in Person.objects.filter(memberships__network=world.network)}
    assert set(graph.nodes) == people
    assert graph.number_of_edges() == 2
    assert graph.nodes[str(tricky.pk)]["label"] == tricky.name
    assert graph.nodes[str(tricky.pk)]["sector"] == "public"
    assert graph.edges[str(tricky.pk), str(world.people[0].pk)]["strength"] == "strong"


def test_graphml_and_json_open_in_networkx(world, tricky, tmp_path):
    data = export_data(world.network, contacts=True)
    path = tmp_path / "core.graphml"
    path.write_bytes(export_render(data, "graphml")[0])
    graphml = nx.read_graphml(path)
    assert graphml.number_of_nodes() == 7
    assert graphml.number_of_edges() == 2
    document = json.loads(export_render(data, "json")[0])
    graph = nx.node_link_graph(document, edges="links")
    assert graph.number_of_nodes() == 7
    # ids are the people's keys in the network, text like any file's own id
    assert graph.edges[str(tricky.pk), str(world.people[0].pk)]["strength"] == "strong"


def test_vcard_has_one_card_per_person_with_escaped_text(world):
    world.people[0].name = "Smith; John, Jr."
    world.people[0].save()
    body = export_render(export_data(world.network, contacts=True), "vcard")[0].decode()
    assert body.count("BEGIN:VCARD") == 6
    assert "FN:Smith\\; John\\, Jr." in body
    assert f"EMAIL;TYPE=INTERNET:{world.people[0].email}" in body


def test_export_page_and_download_write_the_audit_log(client, world):
    client.force_login(world.member)
    assert client.get(reverse("networks:export", args=["core"])).status_code == 200
    response = client.get(reverse("networks:export_file", args=["core", "gexf"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="core.gexf"'
    event = AuditEvent.objects.get(action="export:gexf")
    assert (event.actor, event.object_id) == (world.member, str(world.network.pk))


def test_observer_exports_without_contacts_and_gets_no_vcard(client, world):
    client.force_login(world.observer)
    response = client.get(reverse("networks:export_file", args=["core", "csv"]))
    assert _csv_rows(response.content)[0] == [
        "id",
        "name",
        "organization",
        "sector",
        "title",
        "role",
    ]
    assert world.people[0].email not in response.content.decode()
    vcard = client.get(reverse("networks:export_file", args=["core", "vcard"]))
    assert vcard.status_code == 403


def test_export_checks_the_role_at_download_time(client, world):
    client.force_login(world.member)
    url = reverse("networks:export_file", args=["core", "xlsx"])
    assert client.get(url).status_code == 200
    world.member.person.memberships.update(left_on="2026-01-01")
    assert client.get(url).status_code == 404


def test_unknown_format_or_table_is_not_found(client, world):
    client.force_login(world.member)
    assert client.get(reverse("networks:export_file", args=["core", "exe"])).status_code == 404
    url = reverse("networks:export_file", args=["core", "csv"]) + "?table=secrets"
    assert client.get(url).status_code == 404


def test_api_export(client, world):
    client.force_login(world.member)
    response = client.get("/api/v1/networks/core/export?format=csv&table=ties")
    assert response.status_code == 200
    assert _csv_rows(response.content)[0] == [
        "source",
        "target",
        "strength",
        "knowing",
        "trust",
        "commitment",
    ]


def _normalized(network):
    """The export with ids replaced by emails, so two networks can be compared."""
    data = export_data(network, contacts=True)
    email = {row[0]: row[2] for row in data.people}
    people = sorted(
        ";".join(map(str, row[1:])) for row in _csv_rows(export_render(data, "csv")[0])[1:]
    )
    ties = sorted(
        (email[r[0]], email[r[1]], *r[2:])
        for r in _csv_rows(export_render(data, "csv", "ties")[0])[1:]
    )
    return people, ties


def test_round_trip_export_import_export_gives_the_same_content(world, tricky):
    world.people[1].title = "-- dashes"
    world.people[1].save()
    data = export_data(world.network, contacts=True)
    people = Upload("people.csv", export_render(data, "csv")[0])
    ties = Upload("ties.csv", export_render(data, "csv", "ties")[0])
    empty = Network.objects.create(name="Empty", slug="empty")
    import_apply(network=empty, people=people, ties=ties)
    assert _normalized(empty) == _normalized(world.network)
    again = export_data(empty, contacts=True)
    assert Person.objects.get(memberships__network=empty, name=tricky.name).phone == "+358 1"
    assert len(again.people) == len(data.people)


def test_round_trip_through_excel(world, tricky):
    data = export_data(world.network, contacts=True)
    workbook = Upload("core.xlsx", export_render(data, "xlsx")[0])
    empty = Network.objects.create(name="Empty", slug="empty")
    import_apply(network=empty, people=workbook, ties=workbook)
    assert _normalized(empty) == _normalized(world.network)


def test_export_command_writes_each_format(world, tmp_path):
    for fmt in ("csv", "xlsx", "gexf", "graphml", "json", "vcard"):
        path = tmp_path / f"out.{fmt}"
        call_command("export", "core", "--format", fmt, "-o", str(path))
        assert path.stat().st_size > 100
    assert AuditEvent.objects.filter(action="export:gexf", actor_label="command line").exists()
    graph = nx.read_gexf(tmp_path / "out.gexf")
    assert graph.number_of_nodes() == 6


def test_export_leaves_out_other_networks(world):
    data = export_data(world.network, contacts=True)
    assert "Secret Person" not in [row[1] for row in data.people]
    assert Role.MEMBER in {row[7] for row in data.people}
