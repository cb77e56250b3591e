"""Weaving suggestions: concrete next steps for a coordinator, with reasons.

Each suggestion is ``{rank, kind, people, groups, reason: {fi, sv, en},
numbers}``. The list is deterministic: every ordering ends in ids or names.
Kinds come in a fixed order (the most urgent first) and each kind keeps at
most ``limit`` suggestions.

The reasons are plain dicts per language here, not Django's gettext, because
this package never imports Django; the web app may re-word them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from suhde.analysis.graph import MISSING, Graph, distinct

KINDS = ("broker_dependence", "include", "bridge", "introduce", "answer_one_sided")
NEUTRAL_TRUST = 2.5  # an unrated tie counts as the middle of the 1–4 scale
CANDIDATE_SAMPLE = 2_000  # people searched for introductions in large networks
MAX_GROUPS = 500  # organizations compared pairwise for bridges

# Sector names as the reasons use them; the web app passes its own translated labels instead.
SECTOR_NAMES = {
    "fi": {
        "public": "julkinen sektori",
        "private": "yksityinen sektori",
        "third": "kolmas sektori",
    },
    "sv": {"public": "offentliga sektorn", "private": "privata sektorn", "third": "tredje sektorn"},
    "en": {"public": "public sector", "private": "private sector", "third": "third sector"},
}
LANGUAGES = ("fi", "sv", "en")

# The one copy of the reasons, in the three languages (the web app words its pages with these
# too). A pair is (one, many), chosen by the number named in PLURAL_BY; Finnish, Swedish and
# English all use the singular for exactly 1. Names are never inflected: the Finnish sentences
# are built so that a name stands in its basic form.
REASONS: dict[str, dict[str, str | tuple[str, str]]] = {
    "en": {
        "broker_dependence": (
            "{a} is the only person in {group} with ties outside it ({external} tie). Without "
            "them, {group} ({size} people) would be cut off; help others build ties too.",
            "{a} is the only person in {group} with ties outside it ({external} ties). Without "
            "them, {group} ({size} people) would be cut off; help others build ties too.",
        ),
        "include_newcomer": (
            "{a} is new since the previous survey and has {ties} tie so far.",
            "{a} is new since the previous survey and has {ties} ties so far.",
        ),
        "include_isolate": "{a} has no ties in the network yet. Invite them to a meeting or "
        "introduce them to someone.",
        "bridge_sectors": (
            "There is {ties} tie between the {a} and the {b}; about {expected} would be "
            "expected if sector did not matter.",
            "There are {ties} ties between the {a} and the {b}; about {expected} would be "
            "expected if sector did not matter.",
        ),
        "bridge_alone": "{a} has no ties with people in other organizations.",
        "bridge_groups": (
            "{a} and {b} have no ties with each other, although both work with {shared} same "
            "organization. A meeting could bridge this gap.",
            "{a} and {b} have no ties with each other, although both work with {shared} of the "
            "same organizations. A meeting could bridge this gap.",
        ),
        "introduce": (
            "{a} and {b} both work with {common} same partner but have no tie with each other. "
            "Introducing them would close the triangle.",
            "{a} and {b} both work with {common} of the same partners but have no tie with each "
            "other. Introducing them would close the triangle.",
        ),
        "answer_one_sided": "{a} named {b} as a partner, but {b} did not name {a}. A "
        "conversation could make the tie mutual.",
        "handoff_no_tie": "Bring {a} and {b} together: the client passes from "
        "“{group}” to “{next}”, but nobody on the two sides has a tie yet.",
        "handoff_one_person": "{a} alone carries the handoff from “{group}” to “{next}”. "
        "Introduce {b}, a colleague on the same side, to the people across it too, so that the "
        "client is not bounced when {a} is away.",
    },
    "fi": {
        "broker_dependence": (
            "{a} on ryhmästä {group} ainoa, jolla on yhteyksiä sen ulkopuolelle ({external} "
            "yhteys). Ilman häntä ryhmä ({size} henkilöä) jäisi erilleen muista; auta muitakin "
            "rakentamaan yhteyksiä.",
            "{a} on ryhmästä {group} ainoa, jolla on yhteyksiä sen ulkopuolelle ({external} "
            "yhteyttä). Ilman häntä ryhmä ({size} henkilöä) jäisi erilleen muista; auta "
            "muitakin rakentamaan yhteyksiä.",
        ),
        "include_newcomer": (
            "{a} on tullut mukaan edellisen kyselyn jälkeen, ja hänellä on toistaiseksi {ties} "
            "yhteys.",
            "{a} on tullut mukaan edellisen kyselyn jälkeen, ja hänellä on toistaiseksi {ties} "
            "yhteyttä.",
        ),
        "include_isolate": "{a}: ei vielä yhteyksiä verkostossa. Kutsu hänet tapaamiseen tai "
        "esittele hänet jollekulle.",
        "bridge_sectors": (
            "Kahden sektorin ({a} ja {b}) välillä on {ties} yhteys. Jos sektorilla ei olisi "
            "merkitystä, yhteyksiä olisi odotettavasti noin {expected}.",
            "Kahden sektorin ({a} ja {b}) välillä on {ties} yhteyttä. Jos sektorilla ei olisi "
            "merkitystä, yhteyksiä olisi odotettavasti noin {expected}.",
        ),
        "bridge_alone": "{a}: ei yhteyksiä muiden organisaatioiden henkilöihin.",
        "bridge_groups": (
            "{a} ja {b}: ei yhteyksiä keskenään, vaikka molemmat tekevät yhteistyötä saman "
            "organisaation kanssa. Tapaaminen voisi kuroa tämän aukon umpeen.",
            "{a} ja {b}: ei yhteyksiä keskenään, vaikka molemmat tekevät yhteistyötä {shared} "
            "saman organisaation kanssa. Tapaaminen voisi kuroa tämän aukon umpeen.",
        ),
        "introduce": (
            "{a} ja {b}: {common} yhteinen kumppani mutta ei yhteyttä keskenään. Jos heidät "
            "esitellään toisilleen, kolmio sulkeutuu.",
            "{a} ja {b}: {common} yhteistä kumppania mutta ei yhteyttä keskenään. Jos heidät "
            "esitellään toisilleen, kolmio sulkeutuu.",
        ),
        "answer_one_sided": "{a} nimesi kumppanikseen: {b}. {b} ei kuitenkaan nimennyt häntä "
        "takaisin. Keskustelu voisi tehdä yhteydestä molemminpuolisen.",
        "handoff_no_tie": "Esittele {a} ja {b} toisilleen: asiakas siirtyy vaiheesta "
        "”{group}” vaiheeseen ”{next}”, mutta kahden puolen välillä ei ole vielä yhtään "
        "yhteyttä.",
        "handoff_one_person": "{a} kantaa yksin siirtymän vaiheesta ”{group}” vaiheeseen "
        "”{next}”. Esittele myös samalla puolella työskentelevä {b} toisen puolen ihmisille, "
        "jottei asiakas jää tyhjän päälle, kun {a} on poissa.",
    },
    "sv": {
        "broker_dependence": (
            "{a} är den enda i {group} med en relation utanför gruppen ({external} relation). "
            "Utan hen skulle {group} ({size} personer) vara avskuren; hjälp också andra att "
            "bygga relationer.",
            "{a} är den enda i {group} med relationer utanför gruppen ({external} relationer). "
            "Utan hen skulle {group} ({size} personer) vara avskuren; hjälp också andra att "
            "bygga relationer.",
        ),
        "include_newcomer": (
            "{a} är ny sedan den förra enkäten och har hittills {ties} relation.",
            "{a} är ny sedan den förra enkäten och har hittills {ties} relationer.",
        ),
        "include_isolate": "{a} har inga relationer i nätverket ännu. Bjud in hen till ett möte "
        "eller presentera hen för någon.",
        "bridge_sectors": (
            "Det finns {ties} relation mellan {a} och {b}; ungefär {expected} kunde förväntas om "
            "sektorn inte spelade någon roll.",
            "Det finns {ties} relationer mellan {a} och {b}; ungefär {expected} kunde förväntas "
            "om sektorn inte spelade någon roll.",
        ),
        "bridge_alone": "{a} har inga relationer med personer i andra organisationer.",
        "bridge_groups": (
            "{a} och {b} har inga relationer med varandra, fast båda arbetar med samma "
            "organisation. Ett möte kunde överbrygga klyftan.",
            "{a} och {b} har inga relationer med varandra, fast båda arbetar med {shared} av "
            "samma organisationer. Ett möte kunde överbrygga klyftan.",
        ),
        "introduce": (
            "{a} och {b} arbetar båda med samma partner men har ingen relation med varandra. Om "
            "de presenteras för varandra sluts triangeln.",
            "{a} och {b} arbetar båda med {common} av samma partner men har ingen relation med "
            "varandra. Om de presenteras för varandra sluts triangeln.",
        ),
        "answer_one_sided": "{a} nämnde {b} som partner, men {b} nämnde inte {a}. Ett samtal "
        "kunde göra relationen ömsesidig.",
        "handoff_no_tie": "Presentera {a} och {b} för varandra: kunden går från ”{group}” till "
        "”{next}”, men det finns ännu ingen relation mellan de två sidorna.",
        "handoff_one_person": "{a} bär ensam överlämningen från ”{group}” till ”{next}”. "
        "Presentera också {b}, en kollega på samma sida, för dem på andra sidan, så att kunden "
        "inte blir utan hjälp när {a} är borta.",
    },
}
PLURAL_BY = {
    "broker_dependence": "external",
    "include_newcomer": "ties",
    "bridge_sectors": "ties",
    "bridge_groups": "shared",
    "introduce": "common",
}


@dataclass(frozen=True)
class Suggestion:
    """One weaving suggestion before ranking and rendering."""

    kind: str
    people: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    numbers: dict | None = None

    def render(self, rank: int) -> dict:
        """The suggestion as it appears in the report."""
        out = {
            "rank": rank,
            "kind": self.kind,
            "people": list(self.people),
            "groups": list(self.groups),
            "numbers": dict(self.numbers or {}),
        }
        out["reason"] = {lang: reason(out, lang) for lang in LANGUAGES}
        return out


def template_of(suggestion: Mapping) -> str:
    """Which reason a suggestion takes, from its kind and numbers."""
    kind, numbers = suggestion["kind"], suggestion.get("numbers") or {}
    if kind == "include":
        return "include_newcomer" if numbers.get("newcomer") else "include_isolate"
    if kind == "handoff":  # a service path's transition (the paths app words these)
        return "handoff_one_person" if numbers.get("carrier") else "handoff_no_tie"
    if kind == "bridge":
        if numbers.get("column") == "sector":
            return "bridge_sectors"
        return "bridge_alone" if len(suggestion["groups"]) == 1 else "bridge_groups"
    return kind


def reason(
    suggestion: Mapping,
    lang: str,
    *,
    people: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    number: Callable[[int], str] = str,
) -> str:
    """A suggestion's reason in ``lang`` (fi, sv or en; anything else reads English).

    ``people`` and ``groups`` are the names to show, in the suggestion's order (default: the ids
    and group labels, sectors named in ``lang``); ``number`` formats counts for the reader.

    Examples
    --------
    >>> s = {"kind": "introduce", "people": ["a", "b"], "groups": [],
    ...      "numbers": {"shared_partners": 1}}
    >>> reason(s, "fi", people=["Aino", "Bo"])[:43]
    'Aino ja Bo: 1 yhteinen kumppani mutta ei yh'
    """
    lang = lang if lang in REASONS else "en"
    template = template_of(suggestion)
    numbers = suggestion.get("numbers") or {}
    names = list(people if people is not None else suggestion["people"])
    labels = list(groups if groups is not None else suggestion["groups"])
    if groups is None and template == "bridge_sectors":
        labels = [SECTOR_NAMES[lang].get(g, g) for g in labels]
    counts = {
        "external": numbers.get("external_ties", 0),
        "size": numbers.get("group_size", 0),
        "ties": numbers.get("ties", 0),
        "expected": round(numbers.get("expected", 0)),
        "shared": numbers.get("shared_partners", 0),
        "common": numbers.get("shared_partners", 0),
    }
    text = REASONS[lang][template]
    if isinstance(text, tuple):
        text = text[0] if counts[PLURAL_BY[template]] == 1 else text[1]
    fields = {key: number(value) for key, value in counts.items()}
    fields["a"] = names[0] if names else (labels[0] if labels else "")
    fields["b"] = names[1] if len(names) > 1 else (labels[1] if len(labels) > 1 else "")
    fields["group"] = labels[0] if labels else ""
    fields["next"] = labels[1] if len(labels) > 1 else ""
    if template.startswith("bridge"):
        fields["a"] = labels[0]
        fields["b"] = labels[1] if len(labels) > 1 else ""
    return text.format(**fields)


def suggest(
    graph: Graph,
    *,
    seed: int,
    betweenness: np.ndarray | None = None,
    newcomers: np.ndarray | None = None,
    limit: int = 10,
) -> list[dict]:
    """All suggestions, ranked: kinds in ``KINDS`` order, best first within a kind.

    Examples
    --------
    >>> from suhde.analysis.graph import build_graph
    >>> g = build_graph(list("abc"), None, ["a"], ["b"])
    >>> [s["kind"] for s in suggest(g, seed=1)]
    ['include', 'answer_one_sided']
    """
    found = (
        broker_dependence(graph, limit=limit)
        + include(graph, newcomers=newcomers, limit=limit)
        + bridge(graph, limit=limit)
        + introduce(graph, seed=seed, limit=limit)
        + answer_one_sided(graph, limit=limit)
    )
    return [s.render(rank) for rank, s in enumerate(found, start=1)]


def _id(graph: Graph, i: int) -> str:
    return str(graph.ids[i])


def broker_dependence(graph: Graph, *, limit: int) -> list[Suggestion]:
    """People who alone carry all ties between their organization (or sector) and the rest.

    Only groups of two or more people count: removing the one gateway person
    would leave the others without any tie outside the group.
    """
    found: list[tuple] = []
    for column in ("organization", "sector"):
        if column not in graph.groups:
            continue
        found += _sole_gateways(graph, column)
    found.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    return [
        Suggestion(
            "broker_dependence",
            people=(person,),
            groups=(group,),
            numbers={"column": column, "group_size": size, "external_ties": external},
        )
        for size, external, group, person, column in found[:limit]
    ]


def _sole_gateways(graph: Graph, column: str) -> list[tuple]:
    code = graph.groups[column]
    gs, gt = code[graph.source], code[graph.target]
    cross = (gs != MISSING) & (gt != MISSING) & (gs != gt)
    group = np.concatenate([gs[cross], gt[cross]])
    person = np.concatenate([graph.source[cross], graph.target[cross]])
    external = np.bincount(group, minlength=len(graph.labels[column]))
    pairs = distinct(group * graph.n + person)
    gateways = np.bincount(pairs // graph.n, minlength=len(external))
    sizes = np.bincount(code[code != MISSING], minlength=len(external))
    groups_of_pairs, first = np.unique(pairs // graph.n, return_index=True)
    gateway_of = np.full(len(external), -1, dtype=np.int64)
    gateway_of[groups_of_pairs] = pairs[first] % graph.n
    out = []
    for g in np.flatnonzero((gateways == 1) & (sizes >= 2)).tolist():
        label = graph.labels[column][g]
        out.append((int(sizes[g]), int(external[g]), label, _id(graph, gateway_of[g]), column))
    return out


def include(graph: Graph, *, newcomers: np.ndarray | None, limit: int) -> list[Suggestion]:
    """Isolates first, then newcomers since the previous wave with at most two ties."""
    degree = graph.in_degree + graph.out_degree
    out = [
        Suggestion(
            "include",
            people=(_id(graph, i),),
            numbers={"ties": 0},
        )
        for i in _sorted_by_id(graph, np.flatnonzero(degree == 0))
    ]
    if newcomers is not None:
        few = newcomers[(degree[newcomers] > 0) & (degree[newcomers] <= 2)]
        few = sorted(few.tolist(), key=lambda i: (degree[i], str(graph.ids[i])))
        out += [
            Suggestion(
                "include",
                people=(_id(graph, i),),
                numbers={"ties": int(degree[i]), "newcomer": True},
            )
            for i in few
        ]
    return out[:limit]


def _sorted_by_id(graph: Graph, idx: np.ndarray) -> list[int]:
    return sorted(idx.tolist(), key=lambda i: str(graph.ids[i]))


def bridge(graph: Graph, *, limit: int) -> list[Suggestion]:
    """Sector pairs with under half the expected ties, then organizations to connect."""
    out: list[Suggestion] = []
    if "sector" in graph.groups:
        out += _sector_bridges(graph)
    if "organization" in graph.groups:
        out += _lonely_organizations(graph) + _organization_bridges(graph)
    return out[:limit]


@dataclass(frozen=True)
class _GroupPairs:
    """Distinct pairs of groups joined by ties (either direction), without a k × k matrix.

    With tens of thousands of organizations a dense matrix would take gigabytes.
    """

    lo: np.ndarray
    hi: np.ndarray
    ties: np.ndarray
    sizes: np.ndarray

    @classmethod
    def build(cls, graph: Graph, column: str) -> _GroupPairs:
        code = graph.groups[column]
        k = len(graph.labels[column])
        gs, gt = code[graph.source], code[graph.target]
        known = (gs != MISSING) & (gt != MISSING)
        lo, hi = np.minimum(gs[known], gt[known]), np.maximum(gs[known], gt[known])
        keys, ties = np.unique(lo * k + hi, return_counts=True)
        sizes = np.bincount(code[code != MISSING], minlength=k)
        return cls(keys // max(k, 1), keys % max(k, 1), ties, sizes)

    def external(self) -> np.ndarray:
        """Ties from each group to other groups."""
        cross = self.lo != self.hi
        k = len(self.sizes)
        return np.bincount(self.lo[cross], self.ties[cross], minlength=k) + np.bincount(
            self.hi[cross], self.ties[cross], minlength=k
        )


def _sector_bridges(graph: Graph) -> list[Suggestion]:
    pairs = _GroupPairs.build(graph, "sector")
    labels, sizes = graph.labels["sector"], pairs.sizes
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    counts[pairs.lo, pairs.hi] = pairs.ties
    n_known = int(sizes.sum())
    if n_known < 2 or graph.m == 0:
        return []
    found = []
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            # Ties if everyone were equally likely to name anyone: m × share of ordered pairs.
            expected = graph.m * 2 * sizes[a] * sizes[b] / (n_known * (n_known - 1))
            if counts[a, b] < 0.5 * expected:
                found.append(
                    (counts[a, b] / expected, labels[a], labels[b], int(counts[a, b]), expected)
                )
    found.sort()
    return [
        Suggestion(
            "bridge",
            groups=(a, b),
            numbers={"column": "sector", "ties": ties, "expected": round(float(exp), 1)},
        )
        for _, a, b, ties, exp in found
    ]


def _lonely_organizations(graph: Graph) -> list[Suggestion]:
    pairs = _GroupPairs.build(graph, "organization")
    labels = graph.labels["organization"]
    if len(labels) < 2:  # nobody to bridge to
        return []
    alone = np.flatnonzero((pairs.external() == 0) & (pairs.sizes > 0))
    return [
        Suggestion(
            "bridge",
            groups=(labels[g],),
            numbers={"column": "organization", "external_ties": 0},
        )
        for g in alone.tolist()  # codes follow the sorted labels: alphabetical
    ]


def _organization_bridges(graph: Graph) -> list[Suggestion]:
    """Organization pairs with no tie that share partner organizations (structural holes).

    Only pairs among the ``MAX_GROUPS`` largest organizations are considered;
    their shared partners are counted among all organizations.
    """
    pairs = _GroupPairs.build(graph, "organization")
    labels, k = graph.labels["organization"], len(pairs.sizes)
    top = np.argsort(-pairs.sizes, kind="stable")[:MAX_GROUPS]  # ties by name
    row = np.full(k, -1)
    row[top] = np.arange(len(top))
    partners = np.zeros((len(top), k), dtype=np.float32)  # float32: BLAS, exact below 2²⁴
    cross = pairs.lo != pairs.hi
    for a, b in ((pairs.lo[cross], pairs.hi[cross]), (pairs.hi[cross], pairs.lo[cross])):
        mine = row[a] >= 0
        partners[row[a][mine], b[mine]] = 1.0
    shared = np.rint(partners @ partners.T).astype(np.int64)
    linked = partners[:, top] > 0
    a, b = np.nonzero(np.triu(~linked & (shared > 0), k=1))
    # most shared partners first, then names (labels are sorted, so codes order them)
    best = np.lexsort((top[b], top[a], -shared[a, b]))[:MAX_GROUPS]
    return [
        Suggestion(
            "bridge",
            groups=(labels[top[i]], labels[top[j]]),
            numbers={"column": "organization", "ties": 0, "shared_partners": int(shared[i, j])},
        )
        for i, j in zip(a[best].tolist(), b[best].tolist(), strict=True)
    ]


def introduce(graph: Graph, *, seed: int, limit: int) -> list[Suggestion]:
    """Pairs without a tie who share two or more partners, weighted by trust.

    Score = Σ over shared partners w of ``t(u, w) · t(w, v) / 16``, where ``t`` is
    the mean trust rating on the tie (either direction; unrated = 2.5). In
    networks above ``CANDIDATE_SAMPLE`` people only a seeded sample of people
    is searched (``meta`` says so).
    """
    adj = _UndirectedAdjacency.build(graph)
    people = np.arange(graph.n)
    if graph.n > CANDIDATE_SAMPLE:
        people = np.sort(np.random.default_rng(seed).choice(graph.n, CANDIDATE_SAMPLE, False))
    best = _best_pairs(graph, adj, people, limit)
    return [
        Suggestion(
            "introduce",
            people=(_id(graph, u), _id(graph, v)),
            numbers={"shared_partners": common, "score": round(score, 4)},
        )
        for score, common, u, v in best
    ]


@dataclass(frozen=True)
class _UndirectedAdjacency:
    """Undirected ties in compressed rows, with a trust weight per entry."""

    ptr: np.ndarray
    nbr: np.ndarray
    weight: np.ndarray
    keys: np.ndarray  # sorted lo * n + hi of every undirected tie

    @classmethod
    def build(cls, graph: Graph) -> _UndirectedAdjacency:
        n = graph.n
        lo, hi = np.minimum(graph.source, graph.target), np.maximum(graph.source, graph.target)
        keys, inverse = np.unique(lo * n + hi, return_inverse=True)
        trust = graph.ratings["trust"]
        rated = ~np.isnan(trust)
        total = np.bincount(inverse[rated], trust[rated], minlength=len(keys))
        count = np.bincount(inverse[rated], minlength=len(keys))
        mean = np.where(count > 0, total / np.maximum(count, 1), NEUTRAL_TRUST) / 4.0
        a, b = keys // max(n, 1), keys % max(n, 1)
        rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
        order = np.lexsort((cols, rows))
        ptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
        return cls(ptr, cols[order], np.concatenate([mean, mean])[order], keys)


def _best_pairs(graph: Graph, adj: _UndirectedAdjacency, people: np.ndarray, limit: int):
    n = graph.n
    deg = np.diff(adj.ptr)
    u, w, wt1 = _expand(adj, people, deg)
    _u2, v, wt2 = _expand(adj, w, deg)
    u = np.repeat(u, deg[w])
    wt = np.repeat(wt1, deg[w]) * wt2
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = (u != v) & ~_member(adj.keys, lo * n + hi)
    pair = lo[keep] * n + hi[keep]
    # a pair found from both of its ends must count once: keep the lower end's view
    # unless only the higher end was searched.
    searched = np.zeros(n, dtype=bool)
    searched[people] = True
    own = (u[keep] == lo[keep]) | ~searched[lo[keep]]
    keys, inverse = np.unique(pair[own], return_inverse=True)
    common = np.bincount(inverse, minlength=len(keys))
    score = np.bincount(inverse, wt[keep][own], minlength=len(keys))
    good = np.flatnonzero(common >= 2)
    rank = id_rank(graph)
    lo, hi = keys[good] // n, keys[good] % n
    # best score first, then more shared partners, then the two ids as text
    order = np.lexsort((rank[hi], rank[lo], -common[good], -score[good]))[:limit]
    ranked = good[order].tolist()
    return [(float(score[i]), int(common[i]), int(keys[i] // n), int(keys[i] % n)) for i in ranked]


def _expand(adj: _UndirectedAdjacency, rows: np.ndarray, deg: np.ndarray):
    """Every (row, neighbour, weight) for the given rows (repeats allowed)."""
    reps = deg[rows]
    starts = np.repeat(adj.ptr[rows] - (np.cumsum(reps) - reps), reps)
    pos = np.arange(int(reps.sum())) + starts
    return np.repeat(rows, reps), adj.nbr[pos], adj.weight[pos]


def _member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def id_rank(graph: Graph) -> np.ndarray:
    """Each person's position when ids are sorted as text: a cheap, stable tie-breaker."""
    rank = np.empty(graph.n, dtype=np.int64)
    rank[np.argsort(graph.ids.astype(str), kind="stable")] = np.arange(graph.n)
    return rank


def answer_one_sided(graph: Graph, *, limit: int) -> list[Suggestion]:
    """One-sided ties, strong ones first; ties break by the two ids."""
    one_sided = np.flatnonzero(graph.reverse_index < 0)
    strength = np.nan_to_num(graph.strong[one_sided], nan=-1.0)
    rank = id_rank(graph)
    n = max(graph.n, 1)
    # One int64 sort key (strength class, source rank, target rank): n² × 3 < 2⁶³.
    key = (1 - strength).astype(np.int64) * n * n + rank[graph.source[one_sided]] * n
    key += rank[graph.target[one_sided]]
    top = np.argsort(key, kind="stable")[:limit] if len(key) <= limit else _smallest(key, limit)
    out = []
    for i in top.tolist():
        a, b = _id(graph, graph.source[one_sided[i]]), _id(graph, graph.target[one_sided[i]])
        strong = None if strength[i] < 0 else bool(strength[i])
        out.append(
            Suggestion(
                "answer_one_sided",
                people=(a, b),
                numbers={"strong": strong},
            )
        )
    return out


def _smallest(key: np.ndarray, limit: int) -> np.ndarray:
    part = np.argpartition(key, limit)[:limit]
    return part[np.argsort(key[part], kind="stable")]
