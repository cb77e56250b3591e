"""The decision log API, and answering a decision's agreement poll as a signed-in member."""

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.translation import get_language
from ninja import Router, Status

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.models import Person
from suhde.networks.schemas import ErrorOut

from . import domain, queries
from .models import Comment, Decision, Poll
from .schemas import (
    CommentIn,
    CommentOut,
    DecisionIn,
    DecisionOut,
    PollCloseIn,
    PollIn,
    PollOut,
    VoteIn,
)

router = Router(tags=["decisions"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _out(decision: Decision) -> dict[str, object]:
    fields = (
        "id", "title", "proposal", "mode", "status", "decided_by", "decided_on", "rationale",
        "meeting_id", "review_on",
    )  # fmt: skip
    out = {name: getattr(decision, name) for name in fields}
    out["has_poll"] = queries.poll_of(decision) is not None
    return out


def _decision(user: User, decision_id: int, need: Need) -> Decision:
    return access.object_in_network(user, Decision, decision_id, need, scope=queries.decisions_of)[
        0
    ]


@router.get(
    "/networks/{slug}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    operation_id="decision_list",
)
def decision_list(request: AuthedRequest, slug: str) -> list[dict[str, object]]:
    network, _ = access.network_access(request.user, slug)
    return [_out(decision) for decision in queries.decisions_of(network)]


@router.post(
    "/networks/{slug}/decisions",
    response={201: DecisionOut, **ERRORS},
    operation_id="decision_create",
)
def decision_create(request: AuthedRequest, slug: str, payload: DecisionIn) -> Status:
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    decision = domain.decision_create(network=network, user=request.user, **payload.dict())
    audit_record(request=request, action="decision_save", obj=decision)
    return Status(201, _out(queries.decision_in(network, decision.pk)))


@router.put(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    operation_id="decision_update",
)
def decision_update(
    request: AuthedRequest, decision_id: Id, payload: DecisionIn
) -> dict[str, object]:
    decision = _decision(request.user, decision_id, Need.MANAGE)
    domain.decision_update(decision=decision, **payload.dict())
    audit_record(request=request, action="decision_save", obj=decision)
    return _out(queries.decision_in(decision.network, decision.pk))


def _poll(user: User, decision_id: int, need: Need) -> Poll:
    decision = _decision(user, decision_id, need)
    poll = queries.poll_of(decision)
    if poll is None:
        raise Http404("poll")
    return poll


def _poll_out(poll: Poll, person: Person | None) -> dict[str, object]:
    result = queries.poll_result(poll, person)
    mine = result.mine
    return {
        "kind": poll.kind,
        "options": poll.options,
        "dots": poll.dots,
        "anonymous": poll.anonymous,
        "results": poll.results,
        "deadline": poll.deadline,
        "open": poll.is_open,
        "outcome": poll.outcome,
        "voted": result.voted,
        "eligible": result.eligible,
        "results_shown": result.visible,
        "total": result.total,
        "distribution": [
            {"point": r.number, "label": r.label, "count": r.count} for r in result.rows
        ],
        "reasons": [{"label": r.label, "name": r.name, "reason": r.reason} for r in result.reasons],
        "not_answered": result.waiting,
        "mine": None
        if mine is None
        else {"point": mine.point, "label": mine.label, "dots": mine.dots, "reason": mine.reason},
    }


@router.post(
    "/decisions/{decision_id}/poll",
    response={201: PollOut, **ERRORS},
    operation_id="poll_open",
)
def poll_open(request: AuthedRequest, decision_id: Id, payload: PollIn) -> Status:
    """Open a poll on the decision (facilitators and coordinators)."""
    decision = _decision(request.user, decision_id, Need.FACILITATE)
    poll = domain.poll_open(decision=decision, user=request.user, **payload.dict())
    audit_record(request=request, action="poll_open", obj=poll)
    return Status(201, _poll_out(poll, queries.person_of(request.user)))


@router.get(
    "/decisions/{decision_id}/poll",
    response={200: PollOut, **ERRORS},
    operation_id="poll_results",
)
def poll_results(request: AuthedRequest, decision_id: Id) -> dict[str, object]:
    """Turnout always; the distribution and reasons as the poll's visibility allows you."""
    poll = _poll(request.user, decision_id, Need.VIEW)
    return _poll_out(poll, queries.person_of(request.user))


@router.post(
    "/decisions/{decision_id}/poll/votes",
    response={200: PollOut, 201: PollOut, **ERRORS},
    operation_id="poll_vote",
)
def poll_vote(request: AuthedRequest, decision_id: Id, payload: VoteIn) -> Status:
    """Answer the poll as yourself, or change your answer until it closes: 201 for the first
    answer, 200 when it replaced yours. One ballot per member either way."""
    poll = _poll(request.user, decision_id, Need.VIEW)
    person = queries.person_of(request.user)
    created = domain.poll_vote(poll=poll, person=person, **payload.dict())
    return Status(201 if created else 200, _poll_out(poll, person))


@router.post(
    "/decisions/{decision_id}/poll/close",
    response={200: PollOut, **ERRORS},
    operation_id="poll_close",
)
def poll_close(request: AuthedRequest, decision_id: Id, payload: PollCloseIn) -> dict[str, object]:
    """Close the poll with its outcome; the decision takes the status (facilitators)."""
    poll = _poll(request.user, decision_id, Need.FACILITATE)
    poll = domain.poll_close(poll=poll, user=request.user, **payload.dict())
    audit_record(request=request, action="poll_close", obj=poll)
    return _poll_out(poll, queries.person_of(request.user))


def _comment_out(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.pk,
        "author": comment.author.name if comment.author else "",
        "body": comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


@router.get(
    "/decisions/{decision_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    operation_id="comment_list",
)
def comment_list(request: AuthedRequest, decision_id: Id) -> list[dict[str, object]]:
    """The decision's discussion, oldest first, without hidden posts."""
    decision = _decision(request.user, decision_id, Need.VIEW)
    return [_comment_out(c) for c in queries.comments_of(decision, show_hidden=False)]


@router.post(
    "/decisions/{decision_id}/comments",
    response={201: CommentOut, **ERRORS},
    operation_id="comment_create",
)
def comment_create(request: AuthedRequest, decision_id: Id, payload: CommentIn) -> Status:
    """Add to the discussion as yourself; members named with @ get a mail."""
    decision = _decision(request.user, decision_id, Need.VIEW)
    comment = domain.comment_create(
        decision=decision,
        person=queries.person_of(request.user),
        body=payload.body,
        language=get_language(),
    )
    return Status(201, _comment_out(comment))
