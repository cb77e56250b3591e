"""Service paths over the API: the same gate, ``domain`` and ``queries`` as the pages."""

from typing import Any

from django.contrib.auth.models import User
from ninja import Router, Status

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import domain, exports, queries
from .models import ServicePath, Transition
from .schemas import HandoffIn, PathIn, PathOut, PathSummaryOut, TransitionOut

router = Router(tags=["paths"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _path(user: User, path_id: int, need: Need) -> ServicePath:
    return access.object_in_network(user, ServicePath, path_id, need)[0]


def _stages(payload: PathIn) -> dict[str, Any]:
    data = payload.dict()
    if data.get("transitions") is None:
        data.pop("transitions", None)
    return data


@router.get(
    "/networks/{slug}/paths",
    response={200: list[PathSummaryOut], **ERRORS},
    operation_id="path_list",
)
def path_list(request: AuthedRequest, slug: str) -> list[dict[str, object]]:
    network, _ = access.network_access(request.user, slug)
    paths = queries.paths_of(network).prefetch_related("stages")
    return [
        {
            "id": p.pk,
            "name": p.name,
            "client_group": p.client_group,
            "goal": p.goal,
            "stages": len(p.stages.all()),
        }
        for p in paths
    ]


@router.post(
    "/networks/{slug}/paths", response={201: PathOut, **ERRORS}, operation_id="path_create"
)
def path_create(request: AuthedRequest, slug: str, payload: PathIn) -> Status:
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    path = domain.path_create(network=network, user=request.user, **_stages(payload))
    audit_record(request=request, action="service_path_save", obj=path)
    return Status(201, exports.path_data(path))


@router.get("/paths/{path_id}", response={200: PathOut, **ERRORS}, operation_id="path_get")
def path_get(request: AuthedRequest, path_id: Id) -> dict[str, object]:
    """The path with its stages and transitions; per transition the ties across it, the
    organization pairs' figures as the survey published them (or ``suppressed``), and the gap
    rating with its reasons."""
    return exports.path_data(_path(request.user, path_id, Need.VIEW))


@router.put("/paths/{path_id}", response={200: PathOut, **ERRORS}, operation_id="path_update")
def path_update(request: AuthedRequest, path_id: Id, payload: PathIn) -> dict[str, object]:
    """Replace the path whole. Stages are matched by key; a stage left out is removed with its
    transitions, restorable from the network's recently removed things."""
    path = _path(request.user, path_id, Need.MANAGE)
    domain.path_update(path=path, **_stages(payload))
    audit_record(request=request, action="service_path_save", obj=path)
    return exports.path_data(path)


@router.put(
    "/transitions/{transition_id}",
    response={200: TransitionOut, **ERRORS},
    operation_id="transition_update",
)
def transition_update(
    request: AuthedRequest, transition_id: Id, payload: HandoffIn
) -> dict[str, object]:
    transition, network, _role = access.object_in_network(
        request.user, Transition, transition_id, Need.MANAGE, via="path__network"
    )
    domain.transition_update(transition=transition, **payload.dict())
    audit_record(request=request, action="transition_save", obj=transition)
    figures = queries.transitions_with_figures(network, path=transition.path)
    return exports.transition_out(next(f for f in figures if f.transition.pk == transition.pk))
