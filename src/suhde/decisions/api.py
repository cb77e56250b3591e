"""The decision log API, and answering a decision's agreement poll as a signed-in member."""

from django.http import Http404
from ninja import Router, Status

from suhde.common.audit import audit_record
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import domain, queries
from .models import Decision
from .schemas import DecisionIn, DecisionOut, PollOut, VoteIn

router = Router(tags=["decisions"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _out(decision: Decision) -> dict:
    fields = (
        "id", "title", "proposal", "mode", "status", "decided_by", "decided_on", "rationale",
        "meeting_id", "review_on",
    )  # fmt: skip
    out = {name: getattr(decision, name) for name in fields}
    out["has_poll"] = queries.poll_of(decision) is not None
    return out


def _decision(user, decision_id: int, need: Need) -> Decision:
    return access.object_in_network(user, Decision, decision_id, need, scope=queries.decisions_of)[
        0
    ]


@router.get(
    "/networks/{slug}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    operation_id="decision_list",
)
def decision_list(request, slug: str):
    network, _ = access.network_access(request.user, slug)
    return [_out(decision) for decision in queries.decisions_of(network)]


@router.post(
    "/networks/{slug}/decisions",
    response={201: DecisionOut, **ERRORS},
    operation_id="decision_create",
)
def decision_create(request, slug: str, payload: DecisionIn):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    decision = domain.decision_create(network=network, user=request.user, **payload.dict())
    audit_record(request=request, action="decision_save", obj=decision)
    return Status(201, _out(queries.decision_in(network, decision.pk)))


@router.put(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    operation_id="decision_update",
)
def decision_update(request, decision_id: Id, payload: DecisionIn):
    decision = _decision(request.user, decision_id, Need.MANAGE)
    domain.decision_update(decision=decision, **payload.dict())
    audit_record(request=request, action="decision_save", obj=decision)
    return _out(queries.decision_in(decision.network, decision.pk))


@router.post(
    "/decisions/{decision_id}/poll/votes",
    response={201: PollOut, **ERRORS},
    operation_id="poll_vote",
)
def poll_vote(request, decision_id: Id, payload: VoteIn):
    """Answer the decision's agreement poll as yourself: once, and only before the deadline."""
    decision = _decision(request.user, decision_id, Need.VIEW)
    poll = queries.poll_of(decision)
    if poll is None:
        raise Http404("poll")
    person = getattr(request.user, "person", None)
    domain.poll_vote(poll=poll, person=person, **payload.dict())
    result = queries.poll_result(poll)
    return Status(
        201,
        {
            "deadline": poll.deadline,
            "open": poll.is_open,
            "total": result.total,
            "distribution": [{"point": r.number, "count": r.count} for r in result.rows],
        },
    )
