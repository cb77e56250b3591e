"""The network map, its saved views and presentation, and the rings view."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.confirm import confirm_render, undo_message

from .. import access, domain, queries
from ..access import Need, network_view
from ..map import (
    COLOURS,
    LAYOUTS,
    METRICS,
    SIZES,
    SORTS,
    MapEncoding,
    MapFilters,
    map_data,
    network_graph,
    positions_parse,
    sort_people,
)
from ..models import Role, Sector, Strength
from ..rings import organization_rings, person_rings, ring_candidates

ENCODING_KEYS = ("layout", "size", "colour", "metric")
FILTER_KEYS = (
    "view", "sector", "organization", "theme", "strength", "role", "ego", "depth", "field",
    "field_value",
)  # fmt: skip

TABLE_PAGE = 100
TIE_SORTS = {  # the ties table's sort orders: an allowlist (promise 18)
    "source": lambda row: (row[1].lower(), row[2].lower()),
    "target": lambda row: (row[2].lower(), row[1].lower()),
    "strength": lambda row: (row[0].strength != "strong", row[1].lower(), row[2].lower()),
}


def _labels() -> dict:
    """Translated labels the map's script shows in its cards, legend and exports."""
    return {
        "sector": {value: str(label) for value, label in Sector.choices},
        "role": {value: str(label) for value, label in Role.choices},
        "strength": {value: str(label) for value, label in Strength.choices},
        "brokerage": dict(_brokerage_roles()),
        "no_sector": _("no sector"),
        "no_theme": _("in no theme network"),
        "no_brokerage": _("no brokerage role"),
        "no_field": _("no value"),
        "other": _("others"),
        "community": _("community %s"),
        "size": {
            "degree": _("A bigger shape has more ties."),
            "betweenness": _("A bigger shape lies on more shortest paths (betweenness)."),
            "brokerage": _("A bigger shape brokers between organizations."),
            "none": "",
            "field": _("A bigger shape has a higher “%s”; the smallest have no value."),
        },
        "strong": _("strong tie (solid)"),
        "weak": _("weak tie (dashed)"),
        "direction": _("An arrow points from the person who named the tie."),
        "legend": _("Legend"),
        "source": _("Source: Suhde, network “%(network)s”, %(date)s"),
        "moved": _("Moved and not yet kept: %s."),
        "kept": _("Your positions are kept."),
        # a big network's layout and measures come from the background worker (docs/map.md)
        "computing": _("%(label)s (%(percent)s done)"),
        "ready": _("The new layout and measures are ready."),
        "show": _("Show them"),
    }


def _brokerage_roles() -> list[tuple[str, str]]:
    return [
        ("coordinator", _("coordinator (within one organization)")),
        ("gatekeeper", _("gatekeeper (lets others in)")),
        ("representative", _("representative (speaks outwards)")),
        ("consultant", _("consultant (links two of one other)")),
        ("liaison", _("liaison (links three organizations)")),
    ]


def _encoding_choices() -> dict:
    names = {
        "force": _("force-directed, organizations as groups"),
        "sector": _("by sector: three regions"),
        "concentric": _("concentric by a measure"),
        "circle": _("circle"),
        "degree": _("number of partners"),
        "betweenness": _("betweenness"),
        "brokerage": _("brokerage role"),
        "none": _("all the same"),
        "organization": _("organization"),
        "role": _("role"),
        "theme": _("theme network"),
        "community": _("community"),
        "sector_colour": _("sector"),
    }
    return {
        "layouts": [(v, names[v]) for v in LAYOUTS],
        "sizes": [(v, names[v]) for v in SIZES],
        "colours": [(v, names["sector_colour"] if v == "sector" else names[v]) for v in COLOURS],
        "metrics": [(v, names[v]) for v in METRICS],
    }


def _editing(params) -> bool:
    """Whether the address changes a saved view's filters or encoding (its form was used)."""
    return any(key in params for key in FILTER_KEYS + ENCODING_KEYS)


@network_view()
def network_map(request, network, role, view_id=None):
    saved = access.map_view_in(network, view_id) if view_id is not None else None
    source = request.GET if saved is None or _editing(request.GET) else None
    if source is None:
        filters = MapFilters.parse(saved.filters)
        encoding = MapEncoding.parse(saved.encoding)
    else:
        filters, encoding = MapFilters.parse(source), MapEncoding.parse(source)
    # A saved view shows its own positions to everyone; the plain map the caller's own pins.
    own = saved is None
    positions = queries.map_pins_of(network, request.user) if own else saved.positions
    data = map_data(
        network,
        filters,
        list(access.network_roles(request.user)),
        encoding=encoding,
        positions=positions,
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    people = Paginator(sort_people(data.people, sort), TABLE_PAGE).get_page(request.GET.get("page"))
    names = dict(data.everyone)
    tsort = request.GET.get("tsort") if request.GET.get("tsort") in TIE_SORTS else "source"
    tie_rows = sorted(
        ((tie, names[tie.source], names[tie.target]) for tie in data.ties),
        key=TIE_SORTS[tsort],
    )
    ties = Paginator(tie_rows, TABLE_PAGE).get_page(request.GET.get("tpage"))
    params = {**filters.as_params(), **encoding.as_params()}
    api_params = {"saved": saved.pk} if saved is not None and source is None else params
    api_url = reverse("api:network_map", args=[network.slug]) + "?" + urlencode(api_params)
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
        "encoding": encoding,
        "choices": _encoding_choices(),
        # the network's own fields of people, as the map's data carry them (no query more)
        "custom_fields": [(f"field:{f['id']}", f["name"]) for f in data.fields],
        "number_fields": [
            (f"field:{f['id']}", f["name"]) for f in data.fields if f["kind"] == "number"
        ],
        "filter_field": next((f for f in data.fields if f["id"] == filters.field), None),
        "saved": saved,
        "saved_views": list(queries.map_views(network)),
        "form_action": request.path,
        "params": params,
    }
    return render(request, "networks/map.html", context)


def _view_form(request) -> dict:
    """A saved view's fields from a posted form: the map's filters and encoding come as the
    query string the map was shown with; positions as JSON from the map's script."""
    shown = MapFilters.parse(request.POST)
    encoding = MapEncoding.parse(request.POST)
    raw = (request.POST.get("positions") or "").strip()
    positions = None
    if raw:
        try:
            positions = positions_parse(_positions_json(raw))
        except ValueError as error:
            raise ValidationError({"positions": str(error)}) from error
    return {
        "title": request.POST.get("title", ""),
        "note": request.POST.get("note", ""),
        "filters": shown.as_params(),
        "encoding": encoding.as_params(),
        "positions": positions,
    }


def _form_errors(request, error: ValidationError) -> None:
    """Each problem as a message at the top of the map, which the form is part of."""
    for problem in error.messages:
        messages.error(request, problem)


def _positions_json(raw: str | bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise ValueError(_("The positions are not valid JSON.")) from error


@require_POST
@network_view(Need.MANAGE)
def map_view_create(request, network, role):
    back = reverse("networks:map", args=[network.slug])
    try:
        fields = _view_form(request)
        fields["positions"] = fields["positions"] or {}
        view = domain.map_view_create(network=network, user=request.user, **fields)
    except ValidationError as error:
        _form_errors(request, error)
        return redirect(back)
    messages.success(request, _("The view “%(title)s” was saved.") % {"title": view.title})
    return redirect("networks:map_view", network.slug, view.pk)


@require_POST
@network_view(Need.MANAGE)
def map_view_update(request, network, role, view_id):
    view = access.map_view_in(network, view_id)
    try:
        domain.map_view_update(view=view, user=request.user, **_view_form(request))
    except ValidationError as error:
        _form_errors(request, error)
        return redirect("networks:map_view", network.slug, view.pk)
    messages.success(request, _("The view “%(title)s” was saved.") % {"title": view.title})
    return redirect("networks:map_view", network.slug, view.pk)


@require_POST
@network_view(Need.MANAGE)
def map_view_move(request, network, role, view_id):
    view = access.map_view_in(network, view_id)
    domain.map_view_move(view=view, step=1 if request.POST.get("step") == "later" else -1)
    return redirect(reverse("networks:map", args=[network.slug]) + "#saved-views")


@network_view(Need.MANAGE)
def map_view_delete(request, network, role, view_id):
    view = access.map_view_in(network, view_id)
    back = reverse("networks:map", args=[network.slug])
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove the saved view “%(title)s”?") % {"title": view.title},
            lines=[_("The view leaves the presentation; its share link stops working.")],
            action=request.path,
            button=_("Remove the view"),
            cancel=reverse("networks:map_view", args=[network.slug, view.pk]),
            undoable=True,
        )
    removal = domain.map_view_delete(view=view, user=request.user)
    undo_message(
        request,
        _("The view “%(title)s” was removed.") % {"title": removal.name},
        reverse("networks:removal_restore", args=[network.slug, removal.pk]),
    )
    return redirect(back)


@network_view()
def map_present(request, network, role):
    """The saved views one after another, full screen: the arrow keys step through them."""
    views = list(queries.map_views(network))
    api = reverse("api:network_map", args=[network.slug])
    slides = [
        {
            "id": view.pk,
            "title": view.title,
            "note": view.note,
            "url": f"{api}?saved={view.pk}",
            "link": reverse("networks:map_view", args=[network.slug, view.pk]),
        }
        for view in views
    ]
    context = {"network": network, "slides": slides, "labels": _labels()}
    return render(request, "networks/map_present.html", context)


@network_view()
def map_pins(request, network, role):
    """Keep the caller's own positions (anyone who may view the map): JSON in, JSON out."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if request.content_type == "application/json":
            body = _positions_json(request.body or b"{}")
            raw = body.get("positions") if isinstance(body, dict) else None
        else:  # a plain form posts the same object as text
            raw = _positions_json(request.POST.get("positions") or "{}")
        positions = positions_parse(raw)
    except ValueError as error:
        return JsonResponse({"detail": str(error), "field": "positions"}, status=400)
    domain.map_pins_save(network=network, user=request.user, positions=positions)
    return JsonResponse({"kept": len(positions)})


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
    centre = person_id if organization_id is None else None
    can_place = centre is not None and access.rings_may_place(
        request.user, role, graph.people[centre]
    )
    context = {
        "network": network,
        "rings": rings,
        "person_id": centre,
        "organization_id": organization_id,
        "people": [(pid, p.name) for pid, p in graph.people.items()],
        "organizations": organizations,
        "can_place": can_place,
        "candidates": ring_candidates(graph, centre) if can_place else [],
        "labels": _rings_labels(network),
    }
    return render(request, "networks/rings.html", context)


def _rings_labels(network) -> dict:
    return {
        "source": _("Source: Suhde, network “%(network)s”, %(date)s")
        % {"network": network.name, "date": "%(date)s"},
        "legend": _("Legend"),
        "sectors": _("Circle: public, diamond: private, square: third sector."),
        "rings": _("Inner ring: strong ties (solid lines). Outer ring: weak ties (dashed lines)."),
    }


@require_POST
@network_view()
def rings_place(request, network, role, person_id):
    """Place a partner on a person's rings: a strong (inner) or weak (outer) tie from them."""
    ego = access.person_in(network, person_id)
    access.rings_place_check(request.user, role, ego)
    back = reverse("networks:rings", args=[network.slug]) + f"?person={ego.pk}"
    partner = _int(request.POST.get("partner"))
    try:
        if partner is None:
            raise ValidationError({"partner": _("Choose the partner to place.")})
        tie = domain.ring_place(
            network=network, ego=ego, partner_id=partner, strength=request.POST.get("strength", "")
        )
    except ValidationError as error:
        _form_errors(request, error)
        return redirect(back + "#rings-place")
    if tie.strength == Strength.STRONG:
        done = _("%(partner)s is on the inner ring.")
    else:
        done = _("%(partner)s is on the outer ring.")
    messages.success(request, done % {"partner": tie.target.name})
    return redirect(back + "#rings-place")
