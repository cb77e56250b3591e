"""One tie per pair: every page, export and API answer counts the same ties.

The data mix every source: pairs entered by hand, a file imported over them, a survey wave that
reports a pair already entered and one nobody entered, a pair both ways, and ties of a person who
left and of an archived person (kept, not counted).
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suhde.analysis.io import load_graph
from suhde.networks import domain as network_domain
from suhde.networks.continuum import checklist_for
from suhde.networks.imports import Upload, import_apply
from suhde.networks.map import network_graph
from suhde.networks.models import Membership, Tie, TieOrigin
from suhde.networks.rings import person_rings
from suhde.surveys import closing
from suhde.surveys import domain as survey_domain
from tests.factories import MembershipFactory, PersonFactory, TieFactory
from tests.surveys.conftest import answer


@pytest.fixture
def mixed(world):
    p0, p1, p2 = world.people
    coordinator = world.coordinator.person
    TieFactory(network=world.network, source=p1, target=p0, strength="strong")
    organization = f"{world.organization.name},{world.organization.sector}"
    people = "name,email,organization,sector\n" + "".join(
        f"{p.name},{p.email},{organization}\n" for p in (p0, p1, p2)
    )
    ties = (
        "source,target,strength,knowing,trust,commitment\n"
        f"{p0.email},{p1.email},strong,4,,\n"  # the pair entered by hand: a second source
        f"{p0.email},{p2.email},weak,,,\n"  # a new pair
    )
    import_apply(
        network=world.network,
        people=Upload("people.csv", people.encode()),
        ties=Upload("ties.csv", ties.encode()),
    )
    wave = survey_domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Spring",
        closes_at=timezone.now() + timedelta(days=7),
        k=3,
    )
    answer(wave, p0, [p1], level=1)  # reports a pair entered and imported
    answer(wave, p2, [coordinator], level=4)  # a pair only the survey knows
    closing.wave_close(wave=wave)
    gone = PersonFactory(organization=world.organization)
    MembershipFactory(person=gone, network=world.network)
    TieFactory(network=world.network, source=p0, target=gone)
    network_domain.membership_end(
        membership=Membership.objects.get(person=gone, network=world.network)
    )
    hidden = PersonFactory(organization=world.organization)
    MembershipFactory(person=hidden, network=world.network)
    TieFactory(network=world.network, source=hidden, target=p0)
    network_domain.person_archive(person=hidden)
    world.wave = wave
    world.expected = {
        (p0.pk, p1.pk),
        (p1.pk, p0.pk),
        (p0.pk, p2.pk),
        (p2.pk, coordinator.pk),
    }
    return world


def _get(client, name, slug, *args, query=""):
    response = client.get(reverse(name, args=[slug, *args]) + query)
    assert response.status_code == 200
    return response


def _export(client, fmt, table="ties"):
    return _get(client, "networks:export_file", "core", fmt, query=f"?table={table}").content


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _xml_count(body: bytes, tag: str) -> int:
    root = ET.fromstring(body)  # noqa: S314 — our own export
    return sum(1 for element in root.iter() if element.tag.endswith(tag))


def test_every_count_of_ties_is_the_same_number(client, mixed, tmp_path):
    expected = len(mixed.expected)
    assert Tie.objects.filter(network=mixed.network).count() == expected + 2  # kept, not shown
    client.force_login(mixed.coordinator)
    pairs = {}

    pairs["home"] = _get(client, "networks:home", "core").context["counts"]["ties"]
    ties_page = _get(client, "networks:ties", "core").context["page"]
    pairs["ties page"] = ties_page.paginator.count
    map_page = _get(client, "networks:map", "core").context
    pairs["map"] = map_page["data"].total_ties
    pairs["map table"] = map_page["ties_page"].paginator.count
    api_map = client.get(reverse("api:network_map", args=["core"])).json()
    pairs["map API"] = len(api_map["edges"])
    dashboard = _get(client, "evaluation:dashboard", "core", mixed.wave.pk).context
    pairs["dashboard"] = dashboard["network_ties"]
    api = client.get("/api/v1/ties?network=core&limit=100").json()
    pairs["API"] = api["count"]
    pairs["checklist"] = int(checklist_for(mixed.network, 1)[2].detail.split()[0])

    csv_rows = _csv(_export(client, "csv"))
    pairs["CSV"] = len(csv_rows) - 1
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx")))["ties"]
    pairs["Excel"] = sheet.max_row - 1
    pairs["GEXF"] = _xml_count(_export(client, "gexf"), "}edge")
    pairs["GraphML"] = _xml_count(_export(client, "graphml"), "}edge")
    pairs["JSON"] = len(json.loads(_export(client, "json"))["links"])

    (tmp_path / "people.csv").write_bytes(_export(client, "csv", "people"))
    (tmp_path / "ties.csv").write_bytes(_export(client, "csv"))
    pairs["analysis"] = load_graph(tmp_path / "people.csv", tmp_path / "ties.csv").m

    person_pages = 0
    for person_id in network_graph(mixed.network).people:
        page = _get(client, "networks:person", "core", person_id).context
        person_pages += sum(1 for tie in page["ties"] if tie.tie.source_id == person_id)
    pairs["person pages"] = person_pages

    assert pairs == dict.fromkeys(pairs, expected)
    assert {(int(row[0]), int(row[1])) for row in csv_rows[1:]} == mixed.expected
    assert {(t.source_id, t.target_id) for t in ties_page} == mixed.expected


def test_the_rings_show_the_same_ties(mixed):
    graph = network_graph(mixed.network)
    undirected = {frozenset(pair) for pair in mixed.expected}
    seen = set()
    for person_id in graph.people:
        for alter in (
            person_rings(graph, person_id).alters + person_rings(graph, person_id).unplaced
        ):
            seen.add(frozenset((person_id, alter.key)))
    assert seen == undirected


def test_the_merged_pair_keeps_each_source_and_the_latest_decides(mixed):
    p0, p1, _ = mixed.people
    tie = Tie.objects.get(network=mixed.network, source=p0, target=p1)
    origins = list(tie.origins.order_by("recorded_at", "id"))
    assert [(o.kind, o.strength, o.knowing, o.label) for o in origins] == [
        ("entered", "weak", None, ""),
        ("imported", "strong", 4, ""),
        ("survey", "weak", None, "Spring"),
    ]
    # The wave closed last: its strength counts; the import's rating is the latest rating.
    assert (tie.strength, tie.knowing) == ("weak", 4)
    assert TieOrigin.objects.filter(tie__network=mixed.network, kind="survey").count() == 2
