"""The network map's data: people or organizations as nodes with positions, ties as edges.

A fixed number of queries whatever the size of the network (two reads, one for the cached
layout, one more for a theme-network filter, and a write when the layout must be recomputed).
Filters come from allowlists; an unknown value is ignored rather than passed on.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suhde.analysis.centrality import betweenness, choose_pivots
from suhde.analysis.communities import leiden
from suhde.analysis.graph import build_graph
from suhde.analysis.groups import BROKERAGE_ROLES, brokerage
from suhde.analysis.layout import (
    circle_layout,
    concentric_layout,
    digest,
    force_layout,
    grouped_layout,
    pinned_layout,
    radial_layout,
    sector_layout,
)

from .models import FieldFor, MapLayout, Membership, Network, Role, Sector, Strength
from .queries import custom_fields, custom_values_map, ties_current

VIEWS = ("people", "organizations")
ORGANIZATION_SPACING = 110.0  # organizations are drawn bigger and with longer names
SORTS = ("name", "-name", "organization", "sector", "role", "degree", "-degree")
LAYOUTS = ("force", "sector", "concentric", "circle")
SIZES = ("degree", "betweenness", "brokerage", "none")
COLOURS = ("sector", "organization", "role", "theme", "community", "brokerage")
METRICS = ("degree", "betweenness")  # what the concentric layout puts in the centre
GROUPED_LIMIT = 5000  # organizations as separate boxes; beyond, one force layout pulls them
RERUN_LIMIT = 5000  # re-running the layout in a request: beyond this it takes seconds
POSITIONS_LIMIT = 25000  # a saved view's positions: more than the largest map we draw
# From this many people a missing layout or missing measures are computed by the background
# worker (suhde.common.jobs), not in the request: 14–30 s at 5,000 people (docs/map.md).
BACKGROUND_FROM = 1000
MAP_LAYOUT_JOB = "networks.map_layout"
FIELD_COLOUR = re.compile(r"field:\d{1,9}")
SECTOR_REGION = {Sector.PUBLIC: 0, Sector.PRIVATE: 1, Sector.THIRD: 2}


@dataclass
class MapFilters:
    sector: str = ""
    organization: int | None = None
    theme: str = ""
    strength: str = ""
    role: str = ""
    view: str = "people"
    ego: int | None = None
    depth: int = 1
    # One of the network's own fields (its id) and a value: people whose value is it, or whose
    # tags include it (docs/map.md, "The network's own fields")
    field: int | None = None
    field_value: str = ""

    @classmethod
    def parse(cls, params) -> MapFilters:
        """Read filters from a query dict; anything outside the allowlists is dropped."""

        def _int(name):
            value = str(params.get(name) or "")
            return int(value) if value.isdigit() and len(value) < 12 else None

        def _choice(name, allowed, default=""):
            value = params.get(name) or ""
            return value if value in allowed else default

        theme = str(params.get("theme") or "")[:60]
        return cls(
            sector=_choice("sector", Sector.values),
            organization=_int("organization"),
            theme=theme if theme.replace("-", "").replace("_", "").isalnum() else "",
            strength=_choice("strength", Strength.values),
            role=_choice("role", Role.values),
            view=_choice("view", VIEWS, "people"),
            ego=_int("ego"),
            depth=2 if params.get("depth") in ("2", 2) else 1,
            field=_int("field"),
            field_value=str(params.get("field_value") or "")[:100],
        )

    def as_params(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}


@dataclass
class MapEncoding:
    """How the map draws what the filters keep: the layout, and what size and colour say."""

    layout: str = "force"
    size: str = "degree"
    colour: str = "sector"
    metric: str = "degree"

    @classmethod
    def parse(cls, params) -> MapEncoding:
        """Read the encoding from a query dict or a saved view; unknown values fall back."""

        def _choice(name, allowed):
            value = params.get(name) or ""
            return value if value in allowed else allowed[0]

        colour = str(params.get("colour") or "")
        size = str(params.get("size") or "")
        return cls(
            layout=_choice("layout", LAYOUTS),
            # field:<id> sizes by one of the network's own number fields
            size=size if FIELD_COLOUR.fullmatch(size) else _choice("size", SIZES),
            # field:<id> colours by one of the network's own fields (each node's "fields")
            colour=colour if FIELD_COLOUR.fullmatch(colour) else _choice("colour", COLOURS),
            metric=_choice("metric", METRICS),
        )

    def as_params(self) -> dict:
        """Only what differs from the defaults, so that plain addresses stay plain."""
        default = MapEncoding()
        return {k: v for k, v in asdict(self).items() if getattr(default, k) != v}


def positions_parse(raw) -> dict[str, list[float]]:
    """Check positions sent by a browser: ``{"p12": [x, y], …}`` with node ids of the map and
    finite numbers within a million pixels. Raises ValueError saying what is wrong and where."""
    if not isinstance(raw, dict):
        raise ValueError(_("The positions must be an object of node ids and [x, y] pairs."))
    if len(raw) > POSITIONS_LIMIT:
        raise ValueError(
            _("At most %(limit)d positions can be saved.") % {"limit": POSITIONS_LIMIT}
        )
    result = {}
    for key, value in raw.items():
        ok_key = isinstance(key, str) and key[:1] in ("p", "o") and key[1:].isdigit()
        ok_key = ok_key and len(key) < 13
        ok_value = (
            isinstance(value, list | tuple)
            and len(value) == 2
            and all(
                isinstance(v, int | float) and not isinstance(v, bool) and abs(v) <= 1e6
                for v in value
            )
        )
        if not ok_key or not ok_value:
            raise ValueError(
                _("The position of “%(node)s” is not a node id with two numbers.")
                % {"node": str(key)[:20]}
            )
        result[key] = [round(float(value[0]), 1), round(float(value[1]), 1)]
    return result


@dataclass
class MapPerson:
    id: int
    name: str
    title: str
    organization_id: int | None
    organization: str
    sector: str
    role: str
    degree: int = 0
    user_id: int | None = None  # whose own ego network the rings may be arranged by


@dataclass
class MapTie:
    id: int
    source: int
    target: int
    strength: str
    knowing: int | None
    trust: int | None
    commitment: int | None


@dataclass
class NetworkGraph:
    """Everyone in the network and every tie between them, read in two queries."""

    people: dict[int, MapPerson]
    ties: list[MapTie]
    key: tuple[list[int], list[tuple[int, int, str]], str] | None = None  # _people_key

    def neighbours(self, ties=None) -> dict[int, set[int]]:
        result: dict[int, set[int]] = defaultdict(set)
        for tie in self.ties if ties is None else ties:
            result[tie.source].add(tie.target)
            result[tie.target].add(tie.source)
        return result


def network_graph(network: Network) -> NetworkGraph:
    rows = (
        Membership.objects.filter(
            network=network, left_on__isnull=True, person__archived_at__isnull=True
        )
        .order_by("person__name", "person_id")
        .values_list(
            "person_id",
            "person__name",
            "person__title",
            "person__organization_id",
            "person__organization__name",
            "person__organization__sector",
            "role",
            "person__user_id",
        )
    )
    people = {
        pid: MapPerson(pid, name, title, oid, oname or "", sector or "", role, user_id=uid)
        for pid, name, title, oid, oname, sector, role, uid in rows
    }
    graph = NetworkGraph(people=people, ties=_current_ties(network, people))
    for person_id, partners in graph.neighbours().items():
        people[person_id].degree = len(partners)
    return graph


def _current_ties(network: Network, people: dict) -> list[MapTie]:
    """The network's current ties, one row per ordered pair as stored (``queries.ties_current``:
    the same set the home, the ties page and the API count)."""
    rows = (
        ties_current(network)
        .order_by("id")
        .values_list("id", "source_id", "target_id", "strength", "knowing", "trust", "commitment")
    )
    return [MapTie(*row) for row in rows if row[1] in people and row[2] in people]


# --- layouts ---------------------------------------------------------------------------------


def _cached_positions(
    network: Network,
    kind: str,
    key: str,
    compute,
    rows: dict | None = None,
    later: set[str] | None = None,
) -> dict[str, list[float]]:
    """Positions from the cache row when its digest matches, else computed and stored.

    ``rows`` are cache rows read beforehand (``_cache_rows``), so that a map asks the database
    once for its layout and its measures together. With ``later`` (a map of many people) nothing
    is computed here: the kind is added to ``later`` for the background worker and the row's
    older positions, if any, are returned meanwhile."""
    if rows is not None and kind in rows:
        row = rows[kind]
    else:
        row = MapLayout.objects.filter(network=network, kind=kind).first()
    if row is not None and row.digest == key:
        return row.positions
    if later is not None:
        later.add(kind)
        return row.positions if row is not None else {}
    positions = compute()
    try:
        with transaction.atomic():
            MapLayout.objects.update_or_create(
                network=network, kind=kind, defaults={"digest": key, "positions": positions}
            )
    except IntegrityError:  # another request stored the same layout at the same moment
        pass
    return positions


def _cache_rows(network: Network, kinds: list[str]) -> dict[str, MapLayout | None]:
    rows: dict[str, MapLayout | None] = dict.fromkeys(kinds)
    for row in MapLayout.objects.filter(network=network, kind__in=kinds):
        rows[row.kind] = row
    return rows


def _layout_kind(encoding: MapEncoding) -> str:
    return {"force": "people", "concentric": f"conc-{encoding.metric}"}.get(
        encoding.layout, encoding.layout
    )


def _people_key(graph: NetworkGraph) -> tuple[list[int], list[tuple[int, int, str]], str]:
    """The people, the tie set and their digest: worked out once per graph (a map asks for it
    for its layout and its measures, twice each on a big network)."""
    if graph.key is None:
        graph.key = _people_key_of(graph)
    return graph.key


def _people_key_of(graph: NetworkGraph) -> tuple[list[int], list[tuple[int, int, str]], str]:
    ids = sorted(graph.people)
    pairs = sorted(
        {(min(t.source, t.target), max(t.source, t.target), t.strength) for t in graph.ties}
    )
    key = digest([[(pid, graph.people[pid].organization_id) for pid in ids], pairs])
    return ids, pairs, key


def _weighted(ids, pairs) -> tuple[list[tuple[int, int]], list[float]]:
    index = {pid: i for i, pid in enumerate(ids)}
    strongest: dict[tuple[int, int], float] = {}
    for a, b, strength in pairs:
        weight = 2.0 if strength == Strength.STRONG else 1.0
        strongest[(index[a], index[b])] = max(strongest.get((index[a], index[b]), 0), weight)
    return list(strongest), list(strongest.values())


def people_positions(
    network: Network,
    graph: NetworkGraph,
    encoding: MapEncoding | None = None,
    rows: dict | None = None,
    later: set[str] | None = None,
) -> tuple[str, dict[str, list[float]]]:
    """The people's positions in the chosen layout, cached per layout under the same digest
    (``later``: see ``_cached_positions``)."""
    encoding = encoding or MapEncoding()
    ids, pairs, key = _people_key(graph)
    people = graph.people

    def compute():
        edges, weights = _weighted(ids, pairs)
        groups = [people[pid].organization_id or -1 for pid in ids]
        if encoding.layout == "sector":
            regions = [SECTOR_REGION.get(people[pid].sector, 3) for pid in ids]
            coords = sector_layout(len(ids), edges, weights, regions, groups)
        elif encoding.layout == "circle":
            order = sorted(
                range(len(ids)),
                key=lambda i: (
                    SECTOR_REGION.get(people[ids[i]].sector, 3),
                    people[ids[i]].organization.lower(),
                    people[ids[i]].name.lower(),
                ),
            )
            placed = circle_layout(order)
            coords = [placed[i] for i in range(len(ids))]
        elif encoding.layout == "concentric":
            values = _metric_values(network, graph, encoding.metric, rows)
            coords = concentric_layout([values.get(pid, 0.0) for pid in ids])
        elif len(ids) <= GROUPED_LIMIT:
            coords = grouped_layout(len(ids), edges, weights, groups)
        else:
            coords = force_layout(len(ids), edges, weights, groups)
        return {str(pid): list(xy) for pid, xy in zip(ids, coords, strict=True)}

    return key, _cached_positions(network, _layout_kind(encoding), key, compute, rows, later)


def _metric_values(network: Network, graph: NetworkGraph, metric: str, rows) -> dict[int, float]:
    if metric == "betweenness":
        return {pid: m["betweenness"] for pid, m in people_metrics(network, graph, rows).items()}
    return {pid: float(p.degree) for pid, p in graph.people.items()}


def people_metrics(
    network: Network,
    graph: NetworkGraph,
    rows: dict | None = None,
    later: set[str] | None = None,
) -> dict[int, dict]:
    """Betweenness, community (Leiden) and the main brokerage role of everyone, computed with
    ``analysis`` over the whole network and cached with the layout's digest (docs/analysis.md
    defines them)."""
    ids, _pairs, key = _people_key(graph)

    def compute():
        if not ids:
            return {}
        analysed = build_graph(
            ids,
            {"organization": [graph.people[pid].organization_id for pid in ids]},
            [t.source for t in graph.ties],
            [t.target for t in graph.ties],
        )
        between = betweenness(analysed, pivots=choose_pivots(analysed, seed=2026))
        community = leiden(analysed, seed=2026)
        roles = brokerage(analysed, "organization")
        result = {}
        for i, pid in enumerate(ids):
            counts = roles[:, i]
            role = BROKERAGE_ROLES[int(counts.argmax())] if counts.max() > 0 else ""
            result[str(pid)] = [round(float(between[i]), 5), int(community[i]), role]
        return result

    stored = _cached_positions(network, "metrics", key, compute, rows, later)
    return {
        int(pid): {"betweenness": b, "community": c, "brokerage": r}
        for pid, (b, c, r) in stored.items()
    }


def organization_positions(network: Network, nodes, edges) -> dict[str, list[float]]:
    ids = sorted(nodes)
    pairs = sorted((a, b, count) for (a, b), count in edges.items())
    key = digest([ids, pairs])

    def compute():
        index = {oid: i for i, oid in enumerate(ids)}
        coords = force_layout(
            len(ids),
            [(index[a], index[b]) for a, b, _ in pairs],
            [c for *_, c in pairs],
            spacing=ORGANIZATION_SPACING,
        )
        return {str(oid): list(xy) for oid, xy in zip(ids, coords, strict=True)}

    return _cached_positions(network, "organizations", key, compute)


# --- filters ---------------------------------------------------------------------------------


def _theme_people(network: Network, theme: str, visible: list[int] | None) -> set[int] | None:
    """People in a theme network directly under this one that the caller may open (``visible``);
    None when no theme is asked for."""
    if not theme:
        return None
    rows = Membership.objects.filter(
        network__slug=theme, network__parent=network, left_on__isnull=True
    )
    if visible is not None:
        rows = rows.filter(network_id__in=visible)
    return set(rows.values_list("person_id", flat=True))


def _ego_rings(graph: NetworkGraph, ties, ego: int, depth: int) -> list[list[int]]:
    neighbours = graph.neighbours(ties)
    distance = {ego: 0}
    queue = deque([ego])
    while queue:
        current = queue.popleft()
        if distance[current] >= depth:
            continue
        for partner in neighbours.get(current, ()):
            if partner not in distance:
                distance[partner] = distance[current] + 1
                queue.append(partner)
    rings: list[list[int]] = [[] for _ in range(depth + 1)]
    for person_id, steps in distance.items():
        rings[steps].append(person_id)
    order = {Sector.PUBLIC: 0, Sector.PRIVATE: 1, Sector.THIRD: 2}
    for ring in rings:
        ring.sort(
            key=lambda pid: (
                order.get(graph.people[pid].sector, 3),
                graph.people[pid].organization,
                graph.people[pid].name,
            )
        )
    return rings


def _custom_of(network: Network) -> tuple[list, dict[int, dict]]:
    """The network's own fields of people and everyone's values: one query, and one more when
    there are fields."""
    fields = custom_fields(network, FieldFor.PERSON)
    return fields, (custom_values_map(network, FieldFor.PERSON) if fields else {})


def _field_people(values: dict[int, dict], fields: list, filters: MapFilters) -> set[int]:
    """People whose value of the chosen field is the one asked (case aside), or whose tags
    include it; a field of another network, or none, keeps nobody."""
    chosen = next((f for f in fields if f.pk == filters.field), None)
    if chosen is None:
        return set()
    wanted = filters.field_value.strip().casefold()
    kept = set()
    for pid, mine in values.items():
        value = mine.get(chosen.name)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if not wanted or any(_field_text(item) == wanted for item in items):
            kept.add(pid)
    return kept


def _field_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).casefold()


def _keep_person(person: MapPerson, filters: MapFilters, theme_people) -> bool:
    return (
        (not filters.sector or person.sector == filters.sector)
        and (filters.organization is None or person.organization_id == filters.organization)
        and (not filters.role or person.role == filters.role)
        and (theme_people is None or person.id in theme_people)
    )


# --- the map ---------------------------------------------------------------------------------


@dataclass
class MapData:
    network: str
    view: str
    ego: int | None
    depth: int
    digest: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    people: list[MapPerson] = field(default_factory=list)
    ties: list[MapTie] = field(default_factory=list)
    total_people: int = 0
    total_ties: int = 0
    everyone: list[tuple[int, str]] = field(default_factory=list)
    encoding: MapEncoding = field(default_factory=MapEncoding)
    themes: dict[str, str] = field(default_factory=dict)
    # the network's own fields of people: [{id, name, kind, choices}]; each person node carries
    # its values under "fields" (docs/map.md)
    fields: list[dict] = field(default_factory=list)
    # None when the layout and the measures are current; else what the background worker is
    # computing: {"layout": no layout to draw yet, "label": what it does, "percent": how far}
    pending: dict | None = None

    def as_json(self) -> dict:
        keys = (
            "network", "view", "ego", "depth", "digest", "nodes", "edges", "themes", "fields",
            "pending",
        )  # fmt: skip
        return {**{key: getattr(self, key) for key in keys}, "encoding": asdict(self.encoding)}


def _size(degree: int) -> float:
    return round(min(14 + 3 * degree**0.7, 60), 1)


def _themes_of(network: Network, visible: list[int] | None) -> tuple[dict[int, str], dict]:
    """Each person's first theme network (by name) directly under this one that the caller may
    open, and the names of those theme networks: one query."""
    rows = Membership.objects.filter(network__parent=network, left_on__isnull=True)
    if visible is not None:
        rows = rows.filter(network_id__in=visible)
    first: dict[int, str] = {}
    names: dict[str, str] = {}
    for pid, slug, name in rows.order_by("network__name", "network_id").values_list(
        "person_id", "network__slug", "network__name"
    ):
        first.setdefault(pid, slug)
        names[slug] = name
    return first, names


def map_data(
    network: Network,
    filters: MapFilters,
    visible: list[int] | None = None,
    *,
    encoding: MapEncoding | None = None,
    positions: dict[str, list[float]] | None = None,
    rerun: bool = False,
) -> MapData:
    """The map of one network; ``visible`` are the network ids the caller may open.

    ``positions`` (a saved view's or the caller's own) replace the computed ones for the nodes
    they name; with ``rerun`` the layout is run again around them, those staying put.
    """
    encoding = encoding or MapEncoding()
    graph = network_graph(network)
    people_view = filters.view != "organizations" or filters.ego is not None
    rows = _cache_rows(network, [_layout_kind(encoding), "metrics"]) if people_view else None
    later: set[str] | None = set() if len(graph.people) >= BACKGROUND_FROM else None
    pending = None
    if later is not None and people_view:
        people_metrics(network, graph, rows, later)
        if filters.ego is None and filters.view != "organizations":
            people_positions(network, graph, encoding, rows, later)
        if later:
            pending = _layout_job(network, encoding, later, rows)
            later = set()  # what the worker stored already (immediate tasks) is read again
    theme_people = _theme_people(network, filters.theme, visible)
    ties = [t for t in graph.ties if not filters.strength or t.strength == filters.strength]
    keep = {pid for pid, p in graph.people.items() if _keep_person(p, filters, theme_people)}
    custom_fields, custom_values = _custom_of(network) if people_view else ([], {})
    if filters.field is not None:
        keep &= _field_people(custom_values, custom_fields, filters)
    ego = filters.ego if filters.ego in graph.people else None
    if ego is not None:
        rings = _ego_rings(graph, ties, ego, filters.depth)
        keep = {pid for ring in rings for pid in ring if pid in keep or pid == ego}
        rings = [[pid for pid in ring if pid in keep] for ring in rings]
        computed = {str(k): list(v) for k, v in radial_layout(rings).items()}
        key = ""
    elif filters.view == "organizations":
        key, computed = "", {}
    else:
        key, computed = people_positions(network, graph, encoding, rows, later)
        if pending is not None and pending["layout"] is False:
            _place_newcomers(graph, computed)
    ties = [t for t in ties if t.source in keep and t.target in keep]
    people = [graph.people[pid] for pid in graph.people if pid in keep]
    data = MapData(
        network=network.slug,
        view=filters.view,
        ego=ego,
        depth=filters.depth,
        digest=key,
        people=people,
        ties=ties,
        total_people=len(graph.people),
        total_ties=len(graph.ties),
        everyone=[(pid, p.name) for pid, p in graph.people.items()],
        encoding=encoding,
    )
    if filters.view == "organizations" and ego is None:
        _organization_view(network, data, people, ties)
    else:
        metrics = people_metrics(network, graph, rows, later)
        themes: dict[int, str] = {}
        if encoding.colour == "theme":  # one more query, only when the colour asks for it
            themes, data.themes = _themes_of(network, visible)
        data.nodes = [
            _person_node(p, computed.get(str(p.id), [0.0, 0.0]), metrics.get(p.id), themes)
            for p in people
        ]
        data.edges = [_tie_edge(t) for t in ties]
        for node in data.nodes:
            node["fields"] = custom_values.get(node["person_id"], {})
    data.fields = [
        {"id": f.pk, "name": f.name, "kind": f.kind, "choices": f.choices} for f in custom_fields
    ]
    data.pending = pending
    _place(data, positions or {}, rerun and pending is None)
    return data


def _layout_job(network: Network, encoding: MapEncoding, later: set[str], rows) -> dict | None:
    """Hand the missing layout and measures to the background worker (one job per network and
    layout at a time) and say how far it is. When the worker ran at once (``SUHDE_TASKS=
    immediate``, the tests) the rows it stored replace the ones read before, and nothing is
    pending. Three queries, four when a job is started."""
    from suhde.common.jobs import job_start, job_status
    from suhde.common.models import Job

    kind = _layout_kind(encoding)
    running = (
        Job.objects.filter(
            kind=MAP_LAYOUT_JOB,
            network_id=network.pk,
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
            arguments__layout=kind,
        )
        .order_by("-pk")
        .first()
    )
    if running is None:
        running = job_start(
            kind=MAP_LAYOUT_JOB,
            network_id=network.pk,
            user=None,
            arguments={"layout": kind, "encoding": asdict(encoding)},
        )
        running.refresh_from_db(fields=["state"])
    if running.state == Job.State.DONE:
        if rows is not None:
            rows.update(_cache_rows(network, sorted(later)))
        return None
    status = job_status(running)
    no_layout = kind in later and (rows is None or rows.get(kind) is None)
    return {"layout": no_layout, "label": status["label"], "percent": status["percent"]}


def _place_newcomers(graph: NetworkGraph, computed: dict[str, list[float]]) -> None:
    """While a new layout is computed, people the older one did not have stand at the middle of
    their organization's people (or of everyone)."""
    missing = [pid for pid in graph.people if str(pid) not in computed]
    if not missing or not computed:
        return
    sums: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for pid, person in graph.people.items():
        xy = computed.get(str(pid))
        if xy is not None:
            for group in (person.organization_id, None):
                sums[group][0] += xy[0]
                sums[group][1] += xy[1]
                sums[group][2] += 1
    for pid in missing:
        total = sums.get(graph.people[pid].organization_id) or sums[None]
        computed[str(pid)] = [total[0] / total[2], total[1] / total[2]]


def _place(data: MapData, positions: dict[str, list[float]], rerun: bool) -> None:
    """Put the nodes that ``positions`` names where they say; mark them pinned."""
    for node in data.nodes:
        xy = positions.get(node["id"])
        node["pinned"] = xy is not None
        if xy is not None:
            node["x"], node["y"] = xy[0], xy[1]
    if not rerun or not positions or len(data.nodes) > RERUN_LIMIT:
        return
    index = {node["id"]: i for i, node in enumerate(data.nodes)}
    edges = [(index[e["source"]], index[e["target"]]) for e in data.edges]
    weights = [2.0 if e["strength"] == Strength.STRONG else 1.0 for e in data.edges]
    coords = pinned_layout(
        len(data.nodes),
        edges,
        weights,
        [(n["x"], n["y"]) for n in data.nodes],
        [n["pinned"] for n in data.nodes],
    )
    for node, (x, y) in zip(data.nodes, coords, strict=True):
        node["x"], node["y"] = x, y


def _person_node(person: MapPerson, xy, metrics: dict | None, themes: dict[int, str]) -> dict:
    metrics = metrics or {"betweenness": 0.0, "community": 0, "brokerage": ""}
    return {
        "id": f"p{person.id}",
        "kind": "person",
        "person_id": person.id,
        "label": person.name,
        "organization_id": person.organization_id,
        "organization": person.organization,
        "sector": person.sector,
        "role": person.role,
        "title": person.title,
        "degree": person.degree,
        "count": 1,
        "size": _size(person.degree),
        "x": xy[0],
        "y": xy[1],
        "betweenness": metrics["betweenness"],
        "community": metrics["community"],
        "brokerage": metrics["brokerage"],
        "theme": themes.get(person.id, ""),
        "pinned": False,
    }


def _tie_edge(tie: MapTie) -> dict:
    return {
        "id": f"t{tie.id}",
        "source": f"p{tie.source}",
        "target": f"p{tie.target}",
        "strength": tie.strength,
        "knowing": tie.knowing,
        "trust": tie.trust,
        "commitment": tie.commitment,
        "count": 1,
    }


def _organization_view(network: Network, data: MapData, people, ties) -> None:
    """Organizations as nodes; ties between their people summed, strong if any is strong."""
    by_person = {p.id: p for p in people}
    members: dict[int, list[MapPerson]] = defaultdict(list)
    for person in people:
        if person.organization_id:
            members[person.organization_id].append(person)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    strong: set[tuple[int, int]] = set()
    for tie in ties:
        a = by_person[tie.source].organization_id
        b = by_person[tie.target].organization_id
        if a and b and a != b:
            pair = (min(a, b), max(a, b))
            counts[pair] += 1
            if tie.strength == Strength.STRONG:
                strong.add(pair)
    positions = organization_positions(network, members, counts)
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in counts:
        partners[a].add(b)
        partners[b].add(a)
    for oid, group in sorted(members.items(), key=lambda item: item[1][0].organization):
        xy = positions.get(str(oid), [0.0, 0.0])
        degree = len(partners[oid])
        data.nodes.append(
            {
                "id": f"o{oid}",
                "kind": "organization",
                "person_id": None,
                "label": group[0].organization,
                "organization_id": oid,
                "organization": group[0].organization,
                "sector": group[0].sector,
                "role": "",
                "title": "",
                "degree": degree,
                "count": len(group),
                "size": _size(degree + len(group)),
                "x": xy[0],
                "y": xy[1],
                "betweenness": 0.0,
                "community": 0,
                "brokerage": "",
                "theme": "",
                "pinned": False,
            }
        )
    for (a, b), count in sorted(counts.items()):
        data.edges.append(
            {
                "id": f"o{a}-{b}",
                "source": f"o{a}",
                "target": f"o{b}",
                "strength": Strength.STRONG if (a, b) in strong else Strength.WEAK,
                "knowing": None,
                "trust": None,
                "commitment": None,
                "count": count,
            }
        )


def sort_people(people: list[MapPerson], sort: str) -> list[MapPerson]:
    """Sort the table alternative by an allowlisted key (promise 18)."""
    sort = sort if sort in SORTS else "name"
    keys = {
        "name": lambda p: (p.name.lower(), p.id),
        "organization": lambda p: (p.organization.lower(), p.name.lower()),
        "sector": lambda p: (p.sector, p.organization.lower(), p.name.lower()),
        "role": lambda p: (p.role, p.name.lower()),
        "degree": lambda p: (p.degree, p.name.lower()),
    }
    return sorted(people, key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
