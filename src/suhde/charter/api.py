"""The charter API: the charter's answers with optimistic versioning, goals, progress, roles."""

from django.contrib.auth.models import User
from ninja import Router, Status

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import domain, queries
from .models import Goal, Indicator, Progress
from .schemas import (
    CharterConflictOut,
    CharterIn,
    CharterOut,
    GoalIn,
    GoalOut,
    ProgressIn,
    ProgressOut,
    RoleOut,
)

router = Router(tags=["charter"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _charter_out(network) -> dict:
    current = queries.charter_current(network)
    sections = queries.charter_sections(current)
    return {
        "version": current.number if current else 0,
        "answers": {str(s.question.number): s.answer for s in sections if s.answer},
        "open": [s.question.number for s in sections if not s.answer],
        "versions": [
            {
                "number": v.number,
                "author": v.author_name,
                "saved_at": v.created_at,
                "agreed_on": v.agreed_on,
                "agreed_in": v.agreed_in,
            }
            for v in queries.charter_versions(network)
        ],
    }


@router.get(
    "/networks/{slug}/charter", response={200: CharterOut, **ERRORS}, operation_id="charter_get"
)
def charter_get(request: AuthedRequest, slug: str) -> dict[str, object]:
    network, _ = access.network_access(request.user, slug)
    return _charter_out(network)


@router.put(
    "/networks/{slug}/charter",
    response={200: CharterOut, 409: CharterConflictOut, **ERRORS},
    operation_id="charter_update",
)
def charter_update(
    request: AuthedRequest, slug: str, payload: CharterIn
) -> Status | dict[str, object]:
    """Save the answers as a new version. A stale ``version`` is refused with 409 and the current
    charter, so the client can merge and send again; nothing is lost."""
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    answers = {key: value or "" for key, value in payload.answers.items()}
    try:
        version, created = domain.charter_update(
            network=network, user=request.user, answers=answers, based_on=payload.version
        )
    except domain.StaleVersion:
        detail = "The charter was saved by someone else since that version; merge and send again."
        return Status(409, {"detail": detail, "current": _charter_out(network)})
    if created:
        audit_record(request=request, action="charter_update", obj=version)
    return _charter_out(network)


def _goal(user: User, goal_id: int, need: Need) -> Goal:
    return access.object_in_network(user, Goal, goal_id, need, scope=queries.goals_of)[0]


@router.get(
    "/networks/{slug}/goals", response={200: list[GoalOut], **ERRORS}, operation_id="goal_list"
)
def goal_list(request: AuthedRequest, slug: str) -> list[Goal]:
    network, _ = access.network_access(request.user, slug)
    return list(queries.goals_of(network))


@router.post(
    "/networks/{slug}/goals", response={201: GoalOut, **ERRORS}, operation_id="goal_create"
)
def goal_create(request: AuthedRequest, slug: str, payload: GoalIn) -> Status:
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    fields = payload.model_dump()
    goal = domain.goal_create(network=network, **fields)
    return Status(201, queries.goal_in(network, goal.pk))


@router.put("/goals/{goal_id}", response={200: GoalOut, **ERRORS}, operation_id="goal_update")
def goal_update(request: AuthedRequest, goal_id: Id, payload: GoalIn) -> Goal:
    goal = _goal(request.user, goal_id, Need.MANAGE)
    domain.goal_update(goal=goal, **payload.model_dump())
    return queries.goal_in(goal.network, goal.pk)


@router.post(
    "/indicators/{indicator_id}/progress",
    response={201: ProgressOut, **ERRORS},
    operation_id="goal_progress_create",
)
def goal_progress_create(request: AuthedRequest, indicator_id: Id, payload: ProgressIn) -> Status:
    indicator, _network, _role = access.object_in_network(
        request.user, Indicator, indicator_id, Need.MANAGE, via="goal__network"
    )
    progress = domain.goal_progress_create(indicator=indicator, user=request.user, **payload.dict())
    return Status(201, progress)


def _progress(user: User, progress_id: int) -> Progress:
    return access.object_in_network(
        user, Progress, progress_id, Need.MANAGE, via="indicator__goal__network"
    )[0]


@router.put(
    "/progress/{progress_id}",
    response={200: ProgressOut, **ERRORS},
    operation_id="goal_progress_update",
)
def goal_progress_update(request: AuthedRequest, progress_id: Id, payload: ProgressIn) -> Progress:
    progress = _progress(request.user, progress_id)
    progress = domain.goal_progress_update(progress=progress, **payload.dict())
    audit_record(request=request, action="progress_update", obj=progress)
    return progress


@router.delete(
    "/progress/{progress_id}",
    response={204: None, **ERRORS},
    operation_id="goal_progress_delete",
)
def goal_progress_delete(request: AuthedRequest, progress_id: Id) -> Status:
    progress = _progress(request.user, progress_id)
    audit_record(request=request, action="progress_delete", obj=progress)
    domain.goal_progress_delete(progress=progress)
    return Status(204, None)


@router.get(
    "/networks/{slug}/roles", response={200: list[RoleOut], **ERRORS}, operation_id="role_list"
)
def role_list(request: AuthedRequest, slug: str) -> list[dict[str, object]]:
    network, _ = access.network_access(request.user, slug)
    return [
        {
            "id": row.role.pk,
            "kind": row.role.kind,
            "name": str(row.role.label),
            "description": row.role.description,
            "holders": [{"id": p.pk, "name": p.name} for p in row.holders],
            "vacant": row.vacant,
        }
        for row in queries.roles_of(network)
    ]
