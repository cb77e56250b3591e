"""GEXF and GraphML: one file holds people and ties; Les Misérables goes in and comes back out.

The graphs are written by NetworkX itself (a test dependency), as a user's file would be.
"""

import io

import networkx as nx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.networks.exports import export_data, export_render
from suhde.networks.imports import Upload, import_apply, import_check
from suhde.networks.models import Membership, PendingImport, Person, Tie
from tests.factories import NetworkFactory

WRITERS = {"gexf": nx.write_gexf, "graphml": nx.write_graphml}
READERS = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}
PEOPLE_77 = {"created": 77, "updated": 0, "unchanged": 0, "not_applied": 0, "joined": 0}
TIES_254 = {"created": 254, "updated": 0, "unchanged": 0, "not_applied": 0, "joined": 0}


def _written(graph, fmt: str) -> bytes:
    out = io.BytesIO()
    WRITERS[fmt](graph, out)
    return out.getvalue()


def _problems(network, data: bytes, name: str = "graph.gexf"):
    plan = import_check(network=network, people=Upload(name, data))
    return [(p.file, p.row, p.column, p.message) for p in plan.problems]


def _counts(network):
    return (
        Membership.objects.filter(network=network).count(),
        Tie.objects.filter(network=network).count(),
        Person.objects.count(),
    )


@pytest.fixture
def empty(db):
    return NetworkFactory(name="Les Mis", slug="lesmis")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_les_miserables_imports_77_people_and_254_ties(empty, fmt):
    graph = nx.les_miserables_graph()
    counts = import_apply(network=empty, people=Upload(f"lesmis.{fmt}", _written(graph, fmt)))
    assert counts["people"] == PEOPLE_77
    assert counts["ties"] == TIES_254
    names = set(Membership.objects.filter(network=empty).values_list("person__name", flat=True))
    assert names == set(graph.nodes)
    # weight → strength: 2 or more is strong (docs/import-export.md)
    strong = sum(1 for _s, _t, w in graph.edges(data="weight") if w >= 2)
    assert strong == 157
    assert Tie.objects.filter(network=empty, strength="strong").count() == strong


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_les_miserables_exports_back_as_the_same_graph(empty, fmt):
    graph = nx.les_miserables_graph()
    import_apply(network=empty, people=Upload(f"lesmis.{fmt}", _written(graph, fmt)))
    body, _type, _name = export_render(export_data(empty, contacts=True), fmt)
    back = READERS[fmt](io.BytesIO(body))
    assert set(back.nodes) == set(graph.nodes)  # the file's ids are kept as the people's keys
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.number_of_edges() == 254  # one directed tie per undirected edge
    label = "label" if fmt == "gexf" else "name"
    assert {n: d[label] for n, d in back.nodes(data=True)} == {n: n for n in graph.nodes}
    if fmt == "gexf":  # strength back as a weight: 1 weak, 2 strong
        weights = {frozenset((s, t)): w for s, t, w in back.edges(data="weight")}
        assert weights == {
            frozenset((s, t)): (2.0 if w >= 2 else 1.0) for s, t, w in graph.edges(data="weight")
        }


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_our_own_export_imports_again_unchanged(empty, fmt):
    data = _written(nx.les_miserables_graph(), fmt)
    import_apply(network=empty, people=Upload(f"lesmis.{fmt}", data))
    body, _type, _name = export_render(export_data(empty, contacts=True), fmt)
    plan = import_check(network=empty, people=Upload(f"again.{fmt}", body))
    assert plan.problems == []
    assert plan.counts()["people"]["unchanged"] == 77
    assert plan.counts()["ties"]["unchanged"] == 254


def test_the_command_reads_a_graphml_as_the_people_file(empty, tmp_path, capsys):
    path = tmp_path / "lesmis.graphml"
    path.write_bytes(_written(nx.les_miserables_graph(), "graphml"))
    call_command("import", "lesmis", "--people", str(path), "--no-progress")
    assert "people: 77 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Tie.objects.filter(network=empty).count() == 254


def test_the_page_previews_a_gexf_like_a_spreadsheet(client, world):
    client.force_login(world.coordinator)
    graph = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(graph, {"a": "Aino", "b": "Bo", "c": "Cilla"}, "label")
    upload = SimpleUploadedFile("small.gexf", _written(graph, "gexf"))
    before = _counts(world.network)
    response = client.post(reverse("networks:import", args=["core"]), {"people": upload})
    assert response.status_code == 200
    assert response.context["counts"]["people"]["created"] == 3
    assert response.context["counts"]["ties"]["created"] == 2
    assert _counts(world.network) == before


def test_the_api_writes_a_graphml(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    graph = nx.DiGraph([("x", "y"), ("y", "x")])  # directed: two ties
    upload = SimpleUploadedFile("d.graphml", _written(graph, "graphml"))
    response = client.post(
        "/api/v1/networks/core/import",
        {"people": upload, "confirm": "true"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert response.json()["ties"]["created"] == 2


def test_a_graph_file_is_recognised_by_its_content_whatever_its_name(empty):
    data = _written(nx.path_graph(3), "graphml")
    plan = import_check(network=empty, people=Upload("export.xml", data))
    assert plan.problems == []
    assert plan.counts()["ties"]["created"] == 2


def test_a_graph_file_with_a_ties_file_is_refused(empty):
    data = _written(nx.path_graph(3), "gexf")
    ties = Upload("ties.csv", b"source,target\n0,1\n")
    plan = import_check(network=empty, people=Upload("g.gexf", data), ties=ties)
    assert [(p.file, p.message) for p in plan.problems] == [
        ("ties.csv", "The GEXF or GraphML file holds the ties itself: leave the ties file out.")
    ]


# --- hostile and broken files: named by line, nothing written --------------------------------

GEXF_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
    '<graph defaultedgetype="undirected">\n'
)


def _gexf(nodes: str, edges: str = "", attributes: str = "") -> bytes:
    return (
        f"{GEXF_HEAD}{attributes}<nodes>\n{nodes}</nodes>\n<edges>\n{edges}</edges>\n"
        "</graph>\n</gexf>\n"
    ).encode()


NODES = '<node id="a" label="Aino"/>\n<node id="b" label="Bo"/>\n'
ENTITIES = "The file declares a document type or entities; they are not read."


def test_billion_laughs_is_refused_before_any_entity_grows(empty):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE gexf [{entities}]>\n'
        '<gexf><graph><nodes><node id="a" label="&l9;"/></nodes></graph></gexf>'
    ).encode()
    before = _counts(empty)
    assert _problems(empty, data) == [("graph.gexf", 2, "", ENTITIES)]
    assert _counts(empty) == before


def test_an_external_entity_is_never_fetched(empty):
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE graphml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<graphml><graph><node id="&x;"/></graph></graphml>'
    )
    assert _problems(empty, data, "g.graphml") == [("g.graphml", 2, "", ENTITIES)]


def test_deep_nesting_is_refused_at_its_line(empty):
    data = (GEXF_HEAD + "<nodes>\n" + "<x>" * 100_000 + "</x>" * 100_000).encode()
    assert _problems(empty, data) == [
        ("graph.gexf", 5, "", "The file nests elements more than 16 levels deep, the limit.")
    ]


def test_a_file_over_the_size_limit_is_not_parsed(empty, settings):
    settings.SUHDE_IMPORT_MAX_BYTES = 1024 * 1024
    value = "A" * (2 * 1024 * 1024)
    data = _gexf(f'<node id="a" label="{value}"/>\n')
    assert _problems(empty, data) == [
        ("graph.gexf", None, "", "The file is 2.0 MB; the limit is 1 MB.")
    ]


def test_a_giant_attribute_value_is_refused_at_its_line(empty):
    attributes = '<attributes class="node"><attribute id="0" title="note"/></attributes>\n'
    node = f'<node id="a" label="A"><attvalues><attvalue for="0" value="{"x" * 40_000}"/>'
    data = _gexf(node + "</attvalues></node>\n", attributes=attributes)
    assert _problems(empty, data) == [
        ("graph.gexf", 6, "", "A cell holds more than 32,767 characters, the limit.")
    ]


def test_thousands_of_declared_attributes_pass_the_column_limit(empty):
    declared = "".join(f'<attribute id="{i}" title="a{i}"/>' for i in range(300))
    data = _gexf(NODES, attributes=f'<attributes class="node">{declared}</attributes>\n')
    assert _problems(empty, data) == [
        ("graph.gexf", 4, "", "The file has more than 256 columns, the limit.")
    ]


def test_a_graphml_data_text_is_counted_while_it_is_read(empty):
    text = "y" * 40_000
    data = (
        '<graphml><key id="n" for="node" attr.name="note"/><graph>\n'
        f'<node id="a"><data key="n">{text}</data></node></graph></graphml>'
    ).encode()
    assert _problems(empty, data, "g.graphml") == [
        ("g.graphml", 2, "", "A cell holds more than 32,767 characters, the limit.")
    ]


def test_edges_to_unknown_nodes_self_loops_and_bad_weights_are_named_by_line(empty):
    edges = (
        '<edge id="0" source="a" target="zz"/>\n'
        '<edge id="1" source="a" target="a"/>\n'
        '<edge id="2" source="a" target="b" weight="heavy"/>\n'
        '<edge id="3" source="b" target="a" weight="NaN"/>\n'
    )
    before = _counts(empty)
    assert _problems(empty, _gexf(NODES, edges)) == [
        (
            "graph.gexf",
            9,
            "target",
            "No person with the id or email “zz” in the people file or the network.",
        ),
        ("graph.gexf", 10, "target", "A tie must join two different people."),
        ("graph.gexf", 11, "weight", "The weight must be a number, such as 1 or 2,5."),
        ("graph.gexf", 12, "weight", "The weight must be a number, such as 1 or 2,5."),
    ]
    assert _counts(empty) == before


def test_duplicate_node_ids_and_an_undirected_edge_twice_are_named(empty):
    nodes = NODES + '<node id="a" label="Another A"/>\n'
    edges = '<edge source="a" target="b"/>\n<edge source="b" target="a"/>\n'
    plan = import_check(network=empty, people=Upload("g.gexf", _gexf(nodes, edges)))
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (7, "id", "The same id is already on row 5."),
        (11, "target", "The same tie is already on row 10."),
    ]


def test_a_directed_edge_and_its_reverse_are_two_ties(empty):
    edges = (
        '<edge source="a" target="b" type="directed"/>\n'
        '<edge source="b" target="a" type="directed"/>\n'
    )
    counts = import_apply(network=empty, people=Upload("g.gexf", _gexf(NODES, edges)))
    assert counts["ties"]["created"] == 2


def test_malformed_xml_is_refused_with_its_line(empty):
    data = _gexf(NODES)[:-30]
    assert _problems(empty, data) == [
        ("graph.gexf", 8, "", "The file is not a well-formed GEXF file.")
    ]


def test_a_hierarchy_of_nodes_is_refused(empty):
    nodes = '<node id="a" label="A"><nodes><node id="b" label="B"/></nodes></node>\n'
    assert _problems(empty, _gexf(nodes)) == [
        ("graph.gexf", 5, "", "A node or edge inside another one (a hierarchy) is not read.")
    ]


def test_the_page_refuses_a_billion_laughs_and_keeps_nothing(client, world):
    client.force_login(world.coordinator)
    data = b'<?xml version="1.0"?><!DOCTYPE gexf [<!ENTITY a "b">]><gexf/>'
    response = client.post(
        reverse("networks:import", args=["core"]),
        {"people": SimpleUploadedFile("bomb.gexf", data)},
    )
    assert response.status_code == 400
    assert ENTITIES in response.content.decode()
    assert not PendingImport.objects.exists()
