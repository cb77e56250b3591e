"""Weaving suggestions: concrete next steps for a coordinator, with reasons.

Each suggestion is ``{rank, kind, people, groups, reason: {fi, sv, en},
numbers}``. The list is deterministic: every ordering ends in ids or names.
Kinds come in a fixed order (the most urgent first) and each kind keeps at
most ``limit`` suggestions.

The reasons are plain dicts per language here, not Django's gettext, because
this package never imports Django; the web app may re-word them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from suhde.analysis.graph import MISSING, Graph

KINDS = ("broker_dependence", "include", "bridge", "introduce", "answer_one_sided")
NEUTRAL_TRUST = 2.5  # an unrated tie counts as the middle of the 1–4 scale
CANDIDATE_SAMPLE = 2_000  # people searched for introductions in large networks
MAX_GROUPS = 500  # organizations compared pairwise for bridges

SECTOR_NAMES = {
    "fi": {"public": "julkisen", "private": "yksityisen", "third": "kolmannen"},
    "sv": {"public": "offentliga", "private": "privata", "third": "tredje"},
    "en": {"public": "public", "private": "private", "third": "third"},
}

REASONS = {
    "en": {
        "introduce": "{a} and {b} both work with {common} of the same partners but have no tie "
        "with each other. Introducing them would close the triangle.",
        "bridge_groups": "{a} and {b} have no ties with each other, although both work with "
        "{shared} of the same organizations. A meeting could bridge this structural hole.",
        "bridge_sectors": "There are {ties} ties between the {a} and {b} sectors; about "
        "{expected} would be expected if sector did not matter.",
        "bridge_alone": "{a} has no ties with people in other organizations.",
        "include_isolate": "{a} has no ties in the network yet. Invite them to a meeting or "
        "introduce them to someone.",
        "include_newcomer": "{a} is new since the previous survey and has {degree} ties so far.",
        "broker_dependence": "{a} is the only person in {group} with ties outside it "
        "({external} ties). Without {a}, {group} ({size} people) would be cut off; help "
        "others build ties too.",
        "answer_one_sided": "{a} named {b} as a partner, but {b} did not name {a}. A "
        "conversation could make the tie mutual.",
    },
    "fi": {
        "introduce": "{a} ja {b} tekevät yhteistyötä {common} saman kumppanin kanssa, mutta "
        "eivät keskenään. Esittely sulkisi kolmion.",
        "bridge_groups": "{a} ja {b} eivät ole yhteydessä toisiinsa, vaikka molemmat tekevät "
        "yhteistyötä {shared} saman organisaation kanssa. Tapaaminen voisi kuroa aukon umpeen.",
        "bridge_sectors": "{a} ja {b} sektorin välillä on {ties} yhteyttä; jos sektorilla ei "
        "olisi merkitystä, niitä olisi noin {expected}.",
        "bridge_alone": "Organisaatiolla {a} ei ole yhteyksiä muiden organisaatioiden ihmisiin.",
        "include_isolate": "Henkilöllä {a} ei ole vielä yhteyksiä verkostossa. Kutsu hänet "
        "tapaamiseen tai esittele hänet jollekulle.",
        "include_newcomer": "{a} on uusi edellisen kyselyn jälkeen, ja hänellä on toistaiseksi "
        "{degree} yhteyttä.",
        "broker_dependence": "{a} on ainoa, jolla on yhteyksiä organisaation {group} ulkopuolelle "
        "({external} yhteyttä). Ilman häntä {group} ({size} henkilöä) jäisi irralleen; auta "
        "muitakin luomaan yhteyksiä.",
        "answer_one_sided": "{a} nimesi kumppanikseen henkilön {b}, mutta {b} ei nimennyt "
        "henkilöä {a}. Keskustelu voisi tehdä yhteydestä molemminpuolisen.",
    },
    "sv": {
        "introduce": "{a} och {b} samarbetar båda med {common} av samma partner men har ingen "
        "kontakt med varandra. En introduktion skulle sluta triangeln.",
        "bridge_groups": "{a} och {b} har inga kontakter med varandra, fast båda samarbetar med "
        "{shared} av samma organisationer. Ett möte kunde överbrygga detta strukturella hål.",
        "bridge_sectors": "Mellan {a} och {b} sektorn finns {ties} kontakter; om sektorn inte "
        "spelade någon roll skulle det finnas ungefär {expected}.",
        "bridge_alone": "{a} har inga kontakter med personer i andra organisationer.",
        "include_isolate": "{a} har ännu inga kontakter i nätverket. Bjud in hen till ett möte "
        "eller introducera hen för någon.",
        "include_newcomer": "{a} är ny sedan förra enkäten och har hittills {degree} kontakter.",
        "broker_dependence": "{a} är den enda i {group} med kontakter utanför ({external} "
        "kontakter). Utan {a} skulle {group} ({size} personer) bli avskuren; hjälp också andra "
        "att knyta kontakter.",
        "answer_one_sided": "{a} nämnde {b} som partner, men {b} nämnde inte {a}. Ett samtal "
        "kunde göra kontakten ömsesidig.",
    },
}


@dataclass(frozen=True)
class Suggestion:
    """One weaving suggestion before ranking and rendering."""

    kind: str
    template: str
    people: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    numbers: dict | None = None
    fields: dict | None = None

    def render(self, rank: int) -> dict:
        """The suggestion as it appears in the report."""
        return {
            "rank": rank,
            "kind": self.kind,
            "people": list(self.people),
            "groups": list(self.groups),
            "reason": {lang: _reason(lang, self) for lang in ("fi", "sv", "en")},
            "numbers": dict(self.numbers or {}),
        }


def _reason(lang: str, s: Suggestion) -> str:
    fields = dict(s.fields or {})
    if s.template == "bridge_sectors":
        names = SECTOR_NAMES[lang]
        fields["a"], fields["b"] = (names.get(v, v) for v in (fields["a"], fields["b"]))
    return REASONS[lang][s.template].format(**fields)


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
            "broker_dependence",
            people=(person,),
            groups=(group,),
            numbers={"column": column, "group_size": size, "external_ties": external},
            fields={"a": person, "group": group, "size": size, "external": external},
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
    pairs = np.unique(group * graph.n + person)
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
            "include_isolate",
            people=(_id(graph, i),),
            numbers={"ties": 0},
            fields={"a": _id(graph, i)},
        )
        for i in _sorted_by_id(graph, np.flatnonzero(degree == 0))
    ]
    if newcomers is not None:
        few = newcomers[(degree[newcomers] > 0) & (degree[newcomers] <= 2)]
        few = sorted(few.tolist(), key=lambda i: (degree[i], str(graph.ids[i])))
        out += [
            Suggestion(
                "include",
                "include_newcomer",
                people=(_id(graph, i),),
                numbers={"ties": int(degree[i]), "newcomer": True},
                fields={"a": _id(graph, i), "degree": int(degree[i])},
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
            "bridge_sectors",
            groups=(a, b),
            numbers={"column": "sector", "ties": ties, "expected": round(float(exp), 1)},
            fields={"a": a, "b": b, "ties": ties, "expected": round(float(exp))},
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
            "bridge_alone",
            groups=(labels[g],),
            numbers={"column": "organization", "external_ties": 0},
            fields={"a": labels[g]},
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
            "bridge_groups",
            groups=(labels[top[i]], labels[top[j]]),
            numbers={"column": "organization", "ties": 0, "shared_partners": int(shared[i, j])},
            fields={"a": labels[top[i]], "b": labels[top[j]], "shared": int(shared[i, j])},
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
            "introduce",
            people=(_id(graph, u), _id(graph, v)),
            numbers={"shared_partners": common, "score": round(score, 4)},
            fields={"a": _id(graph, u), "b": _id(graph, v), "common": common},
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
                "answer_one_sided",
                people=(a, b),
                numbers={"strong": strong},
                fields={"a": a, "b": b},
            )
        )
    return out


def _smallest(key: np.ndarray, limit: int) -> np.ndarray:
    part = np.argpartition(key, limit)[:limit]
    return part[np.argsort(key[part], kind="stable")]
