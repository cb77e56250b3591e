"""The network map and the rings view."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from .. import access, queries
from ..access import network_view
from ..map import SORTS, MapFilters, map_data, network_graph, sort_people
from ..models import Role, Sector, Strength
from ..rings import organization_rings, person_rings

TABLE_PAGE = 100
TIE_SORTS = {  # the ties table's sort orders: an allowlist (promise 18)
    "source": lambda row: (row[1].lower(), row[2].lower()),
    "target": lambda row: (row[2].lower(), row[1].lower()),
    "strength": lambda row: (row[0].strength != "strong", row[1].lower(), row[2].lower()),
}


def _labels() -> dict:
    """Translated labels the map's script shows in its cards and legend."""
    return {
        "sector": {value: str(label) for value, label in Sector.choices},
        "role": {value: str(label) for value, label in Role.choices},
        "strength": {value: str(label) for value, label in Strength.choices},
    }


@network_view()
def network_map(request, network, role):
    filters = MapFilters.parse(request.GET)
    data = map_data(network, filters, list(access.network_roles(request.user)))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    people = Paginator(sort_people(data.people, sort), TABLE_PAGE).get_page(request.GET.get("page"))
    names = dict(data.everyone)
    tsort = request.GET.get("tsort") if request.GET.get("tsort") in TIE_SORTS else "source"
    tie_rows = sorted(
        ((tie, names[tie.source], names[tie.target]) for tie in data.ties),
        key=TIE_SORTS[tsort],
    )
    ties = Paginator(tie_rows, TABLE_PAGE).get_page(request.GET.get("tpage"))
    params = filters.as_params()
    api_url = reverse("api:network_map", args=[network.slug]) + "?" + urlencode(params)
    ego_name = names.get(data.ego, "")
    labels_by_id = {node["id"]: node["label"] for node in data.nodes}
    organization_links = [
        (labels_by_id[edge["source"]], labels_by_id[edge["target"]], edge)
        for edge in data.edges
        if data.view == "organizations"
    ]
    context = {
        "network": network,
        "role": role,
        "filters": filters,
        "data": data,
        "people_page": people,
        "ties_page": ties,
        "tie_rows": list(ties),
        "tsort": tsort,
        "sort": sort,
        "query": urlencode(params),
        "api_url": api_url,
        "ego_name": ego_name,
        "organization_links": organization_links,
        "organizations": access.organizations_in(network).order_by("name", "id"),
        "themes": queries.subnetworks(request.user, network),
        "sectors": Sector.choices,
        "roles": Role.choices,
        "strengths": Strength.choices,
        "labels": _labels(),
        "can_manage": access.role_allows(role, access.Need.MANAGE),
    }
    return render(request, "networks/map.html", context)


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 12 else None


@network_view()
def network_rings(request, network, role):
    graph = network_graph(network)
    person_id = _int(request.GET.get("person"))
    organization_id = _int(request.GET.get("organization"))
    rings = None
    if organization_id is not None:
        rings = organization_rings(graph, organization_id)
    if rings is None:
        if person_id not in graph.people:
            own = getattr(getattr(request.user, "person", None), "pk", None)
            person_id = own if own in graph.people else next(iter(graph.people), None)
        organization_id = None
        rings = person_rings(graph, person_id) if person_id is not None else None
    organizations = sorted(
        {(p.organization_id, p.organization) for p in graph.people.values() if p.organization_id},
        key=lambda item: item[1].lower(),
    )
    context = {
        "network": network,
        "rings": rings,
        "person_id": person_id if organization_id is None else None,
        "organization_id": organization_id,
        "people": [(pid, p.name) for pid, p in graph.people.items()],
        "organizations": organizations,
    }
    return render(request, "networks/rings.html", context)
