"""Weaving suggestions: each kind on a small network built to need it, and brute force."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from suhde.analysis import suggestions
from suhde.analysis.graph import build_graph
from suhde.analysis.suggestions import suggest
from tests.analysis.analysis_helpers import directed_versions, to_graph

PEOPLE = {
    # person: (organization, sector)
    "x1": ("X", "public"),
    "x2": ("X", "public"),
    "x3": ("X", "public"),
    "y1": ("Y", "private"),
    "y2": ("Y", "private"),
    "c1": ("C", "third"),
    "z": ("Z", "third"),
}


def network(ties, trust=None, strength=None, people=PEOPLE):
    ids = list(people)
    return build_graph(
        ids,
        {"organization": [people[p][0] for p in ids], "sector": [people[p][1] for p in ids]},
        [s for s, _ in ties],
        [t for _, t in ties],
        trust=trust,
        strength=strength,
    )


def of_kind(items, kind):
    return [s for s in items if s["kind"] == kind]


def test_broker_dependence_finds_sole_gateway_of_an_organization():
    ties = [("x2", "x1"), ("x3", "x1"), ("x1", "y1"), ("y2", "x1"), ("y1", "y2"), ("y2", "c1")]
    found = of_kind(suggest(network(ties), seed=1), "broker_dependence")
    by_org = [s for s in found if s["numbers"]["column"] == "organization"]
    assert by_org[0]["people"] == ["x1"] and by_org[0]["groups"] == ["X"]
    assert by_org[0]["numbers"] == {"column": "organization", "group_size": 3, "external_ties": 2}
    assert "x1" in by_org[0]["reason"]["en"] and "X" in by_org[0]["reason"]["fi"]
    # Y reaches out through y1 and y2, so nobody alone carries Y.
    assert all(s["groups"] != ["Y"] for s in by_org)


def test_include_lists_isolates_and_newcomers_with_few_ties():
    ties = [("x1", "x2"), ("x2", "x1"), ("y1", "x1")]
    g = network(ties)
    items = of_kind(suggest(g, seed=1, newcomers=np.array([g.index_of("y1")])), "include")
    people = [s["people"] for s in items]
    isolates = [["c1"], ["x3"], ["y2"], ["z"]]
    assert people == [*isolates, ["y1"]]
    assert items[-1]["numbers"] == {"ties": 1, "newcomer": True}


def test_bridge_flags_sectors_without_ties_and_organizations_sharing_partners():
    ties = [("x1", "c1"), ("c1", "y1"), ("x2", "x1"), ("y1", "y2"), ("z", "c1")]
    items = of_kind(suggest(network(ties), seed=1, limit=50), "bridge")
    sector_pairs = [s["groups"] for s in items if s["numbers"]["column"] == "sector"]
    assert ["private", "public"] in sector_pairs
    org_pairs = {
        tuple(s["groups"]): s["numbers"] for s in items if "shared_partners" in s["numbers"]
    }
    assert org_pairs[("X", "Y")] == {"column": "organization", "ties": 0, "shared_partners": 1}
    assert ("C", "X") not in org_pairs  # they have a tie
    public_private = next(s for s in items if s["groups"] == ["private", "public"])
    assert "(yksityinen sektori ja julkinen sektori)" in public_private["reason"]["fi"]


def test_bridge_names_organizations_with_no_outside_ties():
    ties = [("x1", "x2"), ("y1", "c1")]
    items = of_kind(suggest(network(ties), seed=1), "bridge")
    alone = [s["groups"] for s in items if "external_ties" in s["numbers"]]
    assert alone == [["X"], ["Z"]]


def test_introduce_prefers_pairs_with_more_trusted_shared_partners():
    ties = [("x1", "y1"), ("y1", "x2"), ("x1", "c1"), ("c1", "x2"), ("x3", "y1"), ("y1", "z")]
    ties += [("x3", "c1"), ("c1", "z")]
    trust = [4, 4, 4, 4, 1, 1, 1, 1]
    items = of_kind(suggest(network(ties, trust=trust), seed=1), "introduce")
    # y1 and c1 share all four: 1·1 + 1·1 + ¼·¼ + ¼·¼ = 2.125
    assert items[0]["people"] == ["y1", "c1"]
    assert items[0]["numbers"] == {"shared_partners": 4, "score": 2.125}
    assert items[1]["people"] == ["x1", "x2"]
    assert items[1]["numbers"] == {"shared_partners": 2, "score": 2.0}
    assert ["x3", "z"] in [s["people"] for s in items]
    assert next(s for s in items if s["people"] == ["x3", "z"])["numbers"]["score"] == 0.125


def brute_force_introductions(d: nx.DiGraph, trust: dict, limit: int) -> list[list]:
    """Top pairs by (score, shared partners, ids), walking every pair of people."""
    u = d.to_undirected()
    ids = {v: str(v) for v in d}

    def weight(a, b):
        known = [trust[e] for e in ((a, b), (b, a)) if e in trust and not math.isnan(trust[e])]
        return (sum(known) / len(known) if known else 2.5) / 4

    rows = []
    nodes = list(d)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if u.has_edge(a, b):
                continue
            common = set(u[a]) & set(u[b])
            if len(common) >= 2:
                score = sum(weight(a, w) * weight(w, b) for w in common)
                lo, hi = (a, b) if nodes.index(a) < nodes.index(b) else (b, a)
                rows.append((-score, -len(common), ids[lo], ids[hi], [ids[lo], ids[hi]], score))
    rows.sort(key=lambda r: r[:4])
    return [[r[4], round(r[5], 4), -r[1]] for r in rows[:limit]]


@pytest.mark.parametrize("name", ["karate", "florentine", "lesmis"])
def test_introduce_equals_brute_force_on_datasets(name):
    d = directed_versions(name)["oriented"]
    g = to_graph(d)
    trust = {e: g.ratings["trust"][i] for i, e in enumerate(d.edges())}
    items = suggestions.introduce(g, seed=1, limit=15)
    ours = [[list(s.people), s.numbers["score"], s.numbers["shared_partners"]] for s in items]
    assert ours == brute_force_introductions(d, trust, 15)


def test_introduce_samples_people_in_large_networks(monkeypatch):
    d = directed_versions("lesmis")["oriented"]
    g = to_graph(d)
    monkeypatch.setattr(suggestions, "CANDIDATE_SAMPLE", 10)
    first = suggestions.introduce(g, seed=3, limit=10)
    assert first == suggestions.introduce(g, seed=3, limit=10)
    sampled = set(np.random.default_rng(3).choice(g.n, 10, replace=False).tolist())
    assert all({g.index_of(p) for p in s.people} & sampled for s in first)


def test_answer_one_sided_lists_strong_one_sided_ties_first():
    ties = [("x1", "x2"), ("x2", "x1"), ("y1", "x1"), ("c1", "z"), ("x3", "y2")]
    strength = ["weak", "weak", "weak", "strong", None]
    items = of_kind(suggest(network(ties, strength=strength), seed=1), "answer_one_sided")
    assert [s["people"] for s in items] == [["c1", "z"], ["y1", "x1"], ["x3", "y2"]]
    assert [s["numbers"]["strong"] for s in items] == [True, False, None]


def test_suggestions_are_ranked_deterministic_and_translated():
    g = to_graph(directed_versions("lesmis")["oriented"])
    first = suggest(g, seed=2)
    assert first == suggest(g, seed=2)
    assert [s["rank"] for s in first] == list(range(1, len(first) + 1))
    kinds = [s["kind"] for s in first]
    assert kinds == sorted(kinds, key=suggestions.KINDS.index)
    for s in first:
        assert set(s["reason"]) == {"fi", "sv", "en"}
        assert all(s["reason"][lang] for lang in ("fi", "sv", "en"))
        assert all(str(p) in s["reason"]["en"] for p in s["people"])


def test_suggest_limits_each_kind():
    g = to_graph(directed_versions("lesmis")["oriented"])
    items = suggest(g, seed=2, limit=3)
    assert all(sum(s["kind"] == k for s in items) <= 3 for k in suggestions.KINDS)


def test_reason_templates_use_the_same_fields_in_every_language():
    import string

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    shapes = {
        lang: {key: isinstance(text, tuple) for key, text in texts.items()}
        for lang, texts in suggestions.REASONS.items()
    }
    assert shapes["fi"] == shapes["en"] == shapes["sv"]
    # A plural pair in every language, keyed by a number its plural form shows.
    plural = {key for key, is_pair in shapes["en"].items() if is_pair}
    assert plural == set(suggestions.PLURAL_BY)
    for lang, texts in suggestions.REASONS.items():
        for key, text in texts.items():
            forms = text if isinstance(text, tuple) else (text,)
            used = set().union(*(names(form) for form in forms))
            assert used == set().union(*(names(f) for f in _forms("en", key))), (lang, key)
            if key in plural:  # the count may be words in the singular ("saman"), never plural
                assert suggestions.PLURAL_BY[key] in names(forms[1]), (lang, key)


def _forms(lang: str, key: str) -> tuple[str, ...]:
    text = suggestions.REASONS[lang][key]
    return text if isinstance(text, tuple) else (text,)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_reasons_take_singular_for_one_and_plural_otherwise(lang):
    def introduce(common: int) -> str:
        return suggestions.reason(
            {
                "kind": "introduce",
                "people": ["a", "b"],
                "groups": [],
                "numbers": {"shared_partners": common},
            },
            lang,
        )

    one, many = _forms(lang, "introduce")
    assert introduce(1) == one.format(a="a", b="b", common=1)
    assert introduce(3) == many.format(a="a", b="b", common=3)
    assert introduce(0) == many.format(a="a", b="b", common=0)


def test_reason_uses_the_names_and_number_format_it_is_given():
    s = {
        "kind": "bridge",
        "people": [],
        "groups": ["public", "third"],
        "numbers": {"column": "sector", "ties": 1200, "expected": 2500.4},
    }
    text = suggestions.reason(
        s, "fi", groups=["Julkinen", "Kolmas"], number=lambda v: f"{v:,}".replace(",", " ")
    )
    assert text == (
        "Kahden sektorin (Julkinen ja Kolmas) välillä on 1 200 yhteyttä. Jos sektorilla ei "
        "olisi merkitystä, yhteyksiä olisi odotettavasti noin 2 500."
    )
    # Without names the command's own sector names are used, in the language asked for.
    assert "mellan offentliga sektorn och tredje sektorn" in suggestions.reason(s, "sv")


def random_network(seed: int, people: int = 60, orgs: int = 8):
    """Dense inside organizations, sparse across: some organizations hang on one person."""
    rng = np.random.default_rng(seed)
    org = {v: f"o{rng.integers(orgs)}" for v in range(people)}
    d = nx.DiGraph()
    d.add_nodes_from(org)
    for a in range(people):
        for b in range(people):
            p = 0.3 if org[a] == org[b] else 0.008
            if a != b and rng.random() < p:
                d.add_edge(a, b)
    sector = {v: ("public", "private", "third")[int(org[v][1:]) % 3] for v in d}
    nx.set_node_attributes(d, org, "organization")
    nx.set_node_attributes(d, sector, "sector")
    return d, to_graph(d, ratings=False)


@pytest.mark.parametrize("seed", range(6))
def test_broker_dependence_equals_brute_force(seed):
    d, g = random_network(seed)
    expected = set()
    for column in ("organization", "sector"):
        value = nx.get_node_attributes(d, column)
        for group in set(value.values()):
            members = [v for v in d if value[v] == group]
            gateways = {
                v for v in members if any(value[w] != group for w in nx.all_neighbors(d, v))
            }
            if len(members) >= 2 and len(gateways) == 1:
                expected.add((column, group, str(gateways.pop())))
    found = suggestions.broker_dependence(g, limit=1000)
    assert {(s.numbers["column"], s.groups[0], s.people[0]) for s in found} == expected


@pytest.mark.parametrize("seed", range(6))
def test_organization_bridges_equal_brute_force(seed):
    d, g = random_network(seed, people=40, orgs=10)
    org = nx.get_node_attributes(d, "organization")
    linked = {frozenset((org[a], org[b])) for a, b in d.edges() if org[a] != org[b]}
    names = sorted(set(org.values()))
    expected = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            partners = [c for c in names if c not in (a, b)]
            shared = sum(
                {a, c} in map(set, linked) and {b, c} in map(set, linked) for c in partners
            )
            if frozenset((a, b)) not in linked and shared:
                expected[tuple(sorted((a, b)))] = shared
    found = {
        tuple(sorted(s.groups)): s.numbers["shared_partners"]
        for s in suggestions._organization_bridges(g)
    }
    assert found == expected
