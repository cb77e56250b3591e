"""The workshops API: meetings for facilitators, live sessions, and joining without an account."""

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from ninja import Router, Status

from suhde.common.http import AuthedRequest
from suhde.common.net import client_ip
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import domain, live, queries
from .methods import METHODS
from .models import LiveSession, Meeting, Participant, Prompt
from .schemas import (
    JoinIn,
    JoinOut,
    LiveResultsOut,
    LiveVoteIn,
    MeetingIn,
    MeetingListItem,
    MeetingOut,
    MethodOut,
    ModerateIn,
    ModerateOut,
    PostIn,
    PostOut,
    PromptIn,
    PromptMoveIn,
    PromptOut,
    PromptUpdateIn,
    SessionIn,
    SessionOut,
    UpvoteIn,
    UpvoteOut,
    VoteOut,
)

router = Router(tags=["workshops"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def _limited(limited: live.RateLimited) -> JsonResponse:
    response = JsonResponse(
        {"detail": "Too many requests: wait a moment and try again."}, status=429
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    agenda = queries.agenda(meeting)
    return {
        "id": meeting.pk,
        "network": meeting.network.slug,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "starts_at": meeting.starts_at,
        "minutes": meeting.minutes,
        "place": meeting.place,
        "event": meeting.event_id,
        "planned_minutes": agenda.planned,
        "warning": agenda.warning,
        "blocks": [
            {
                "id": row.block.pk,
                "title": row.block.title,
                "minutes": row.block.minutes,
                "start": row.start,
                "method": row.block.method_key
                or (f"custom:{row.block.method_id}" if row.block.method_id else ""),
                "method_name": row.method_name,
                "learning_mode": row.block.learning_mode,
                "decision_mode": row.block.decision_mode,
            }
            for row in agenda.rows
        ],
        "attendees": meeting.attendees.count(),
        "live_sessions": queries.session_ids_of_meeting(meeting),
    }


def _meeting(user: User, meeting_id: int, need: Need) -> Meeting:
    return access.object_in_network(user, Meeting, meeting_id, need, scope=queries.meetings_in)[0]


def _session(user: User, session_id: int) -> LiveSession:
    found = access.object_in_network(
        user, LiveSession, session_id, Need.FACILITATE, scope=queries.sessions_in
    )
    return found[0]


@router.get(
    "/networks/{slug}/meetings",
    response={200: list[MeetingListItem], **ERRORS},
    operation_id="meeting_list",
)
def meeting_list(request: AuthedRequest, slug: str) -> list[dict[str, Any]]:
    network, _ = access.network_access(request.user, slug)
    return [
        {
            "id": m.pk,
            "title": m.title,
            "starts_at": m.starts_at,
            "minutes": m.minutes,
            "planned_minutes": m.planned,
            "attendees": m.attendee_count,
        }
        for m in queries.meetings_of(network)
    ]


@router.post(
    "/networks/{slug}/meetings", response={201: MeetingOut, **ERRORS}, operation_id="meeting_create"
)
def meeting_create(request: AuthedRequest, slug: str, payload: MeetingIn) -> Status[dict[str, Any]]:
    network, _ = access.network_access(request.user, slug, Need.FACILITATE)
    data = payload.model_dump()
    meeting = domain.meeting_create(
        network=network,
        user=request.user,
        title=data["title"],
        starts_at=data["starts_at"],
        minutes=data["minutes"],
        purpose=data["purpose"],
        place=data["place"],
        event_id=data["event"],
        blocks=data["blocks"],
    )
    return Status(201, _meeting_out(queries.meeting_in(network, meeting.pk)))


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, operation_id="meeting_get"
)
def meeting_get(request: AuthedRequest, meeting_id: Id) -> dict[str, Any]:
    return _meeting_out(_meeting(request.user, meeting_id, Need.VIEW))


@router.get(
    "/networks/{slug}/methods",
    response={200: list[MethodOut], **ERRORS},
    operation_id="method_list",
)
def method_list(request: AuthedRequest, slug: str) -> list[dict[str, Any]]:
    network, _ = access.network_access(request.user, slug)
    builtin = [
        {
            "key": m.key,
            "name": str(m.name),
            "description": str(m.description),
            "minutes": m.minutes,
            "learning_mode": m.learning_mode,
            "builtin": True,
        }
        for m in METHODS
    ]
    own = [
        {
            "key": f"custom:{m.pk}",
            "name": m.name,
            "description": m.description,
            "minutes": m.minutes,
            "learning_mode": m.learning_mode,
            "builtin": False,
        }
        for m in queries.methods_of(network)
    ]
    return builtin + own


def _prompt_out(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": prompt.pk,
        "kind": prompt.kind,
        "question": prompt.question,
        "options": prompt.options,
        "revealed": prompt.revealed,
    }


def _session_out(request: HttpRequest, session: LiveSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "code": session.code,
        "join_url": request.build_absolute_uri(reverse("live_join", args=[session.code])),
        "state": session.state,
        "meeting": session.meeting_id,
        "open_prompt": session.open_prompt_id,
        "prompts": [_prompt_out(p) for p in session.prompts.order_by("order", "pk")],
    }


@router.post(
    "/networks/{slug}/live-sessions",
    response={201: SessionOut, **ERRORS},
    operation_id="live_session_create",
)
def live_session_create(
    request: AuthedRequest, slug: str, payload: SessionIn
) -> Status[dict[str, Any]]:
    network, _ = access.network_access(request.user, slug, Need.FACILITATE)
    meeting = None
    if payload.meeting is not None:
        meeting = queries.meeting_in(network, payload.meeting)
    session = live.session_create(
        network=network,
        user=request.user,
        title=payload.title,
        meeting=meeting,
        prompts=[p.model_dump(exclude={"open"}) for p in payload.prompts],
    )
    return Status(201, _session_out(request, queries.session_in(network, session.pk)))


@router.post(
    "/live-sessions/{session_id}/prompts",
    response={201: PromptOut, **ERRORS},
    operation_id="live_prompt_create",
)
def live_prompt_create(
    request: AuthedRequest, session_id: Id, payload: PromptIn
) -> Status[dict[str, Any]]:
    session = _session(request.user, session_id)
    return Status(201, _prompt_out(live.prompt_add(session=session, **payload.model_dump())))


@router.post(
    "/live-sessions/{session_id}/end",
    response={200: SessionOut, **ERRORS},
    operation_id="live_session_end",
)
def live_session_end(request: AuthedRequest, session_id: Id) -> dict[str, Any]:
    session = _session(request.user, session_id)
    live.session_end(session=session)
    return _session_out(request, queries.session_in(session.network, session.pk))


@router.get(
    "/live-sessions/{session_id}/results",
    response={200: LiveResultsOut, **ERRORS},
    operation_id="live_results",
)
def live_results(request: AuthedRequest, session_id: Id) -> dict[str, Any]:
    """The facilitator's view: every post, hidden and flagged ones too, and each distribution."""
    session = _session(request.user, session_id)
    results = queries.session_results(session, moderator=True)
    prompts = []
    for result in results:
        posts = []
        for item in result.items:
            for post in [item.post, *item.merged]:
                posts.append(
                    {
                        "id": post.pk,
                        "text": post.text,
                        "count": item.count if post is item.post else 0,
                        "name": post.participant.name,
                        "organization": post.participant.organization,
                        "hidden": post.hidden,
                        "flagged": post.flagged,
                        "pinned": post.pinned,
                        "answered": post.answered,
                        "upvotes": getattr(post, "upvote_count", 0),
                        "merged_into": post.merged_into_id,
                        "created_at": post.created_at,
                    }
                )
        prompts.append(
            {
                "id": result.prompt.pk,
                "kind": result.prompt.kind,
                "question": result.prompt.question,
                "answers": result.answers,
                "revealed": result.prompt.revealed,
                "posts": posts,
                "distribution": [{"label": str(b.label), "value": b.value} for b in result.bars],
            }
        )
    return {
        "session": session.pk,
        "state": session.state,
        "participants": session.participants.count(),
        "prompts": prompts,
    }


@router.post(
    "/live-sessions/{session_id}/prompts/{prompt_id}",
    response={200: PromptOut, **ERRORS},
    operation_id="live_prompt_update",
)
def live_prompt_update(
    request: AuthedRequest, session_id: Id, prompt_id: Id, payload: PromptUpdateIn
) -> dict[str, Any]:
    """Reword a question (its answers stay); its type stays."""
    session = _session(request.user, session_id)
    prompt = queries.prompt_in(session, prompt_id)
    return _prompt_out(live.prompt_update(prompt=prompt, **payload.model_dump()))


@router.post(
    "/live-sessions/{session_id}/prompts/{prompt_id}/move",
    response={200: SessionOut, **ERRORS},
    operation_id="live_prompt_move",
)
def live_prompt_move(
    request: AuthedRequest, session_id: Id, prompt_id: Id, payload: PromptMoveIn
) -> dict[str, Any]:
    """Move a question one place up or down; the session's questions in their new order."""
    session = _session(request.user, session_id)
    live.prompt_move(prompt=queries.prompt_in(session, prompt_id), up=payload.direction == "up")
    return _session_out(request, queries.session_in(session.network, session.pk))


MODERATIONS = {
    "hide": {"hidden": True},
    "show": {"hidden": False},
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "answered": {"answered": True},
    "unanswered": {"answered": False},
}


@router.post(
    "/live-sessions/{session_id}/posts/{post_id}",
    response={200: ModerateOut, **ERRORS},
    operation_id="live_post_moderate",
)
def live_post_moderate(
    request: AuthedRequest, session_id: Id, post_id: Id, payload: ModerateIn
) -> dict[str, Any]:
    """Hide or show (approve or reject a held post), pin, or mark a Q&A question answered."""
    session = _session(request.user, session_id)
    post = live.post_moderate(post=queries.post_in(session, post_id), **MODERATIONS[payload.action])
    return {"id": post.pk, "hidden": post.hidden, "pinned": post.pinned, "answered": post.answered}


# --- participants: no account; the join code, then the participant's token ---------------------


@router.post(
    "/live/join",
    response={201: JoinOut, **PUBLIC_ERRORS},
    auth=None,
    operation_id="live_join",
)
def live_join(request: HttpRequest, payload: JoinIn) -> Status[dict[str, Any]] | JsonResponse:
    try:
        participant, raw = live.participant_join(
            code=payload.code,
            name=payload.name,
            organization=payload.organization,
            address=client_ip(request),
        )
    except live.RateLimited as limited:
        return _limited(limited)
    prompt = participant.session.open_prompt
    return Status(
        201,
        {
            "participant": raw,
            "session": participant.session.title,
            "prompt": _prompt_out(prompt) if prompt else None,
        },
    )


def _participant(token: str) -> Participant:
    participant = live.participant_for_token(token=token)
    if participant is None:
        raise Http404("participant")
    return participant


@router.post(
    "/live/posts",
    response={201: PostOut, 200: PostOut, **PUBLIC_ERRORS},
    auth=None,
    operation_id="live_post_create",
)
def live_post_create(
    request: HttpRequest, payload: PostIn
) -> Status[dict[str, Any]] | JsonResponse:
    participant = _participant(payload.participant)
    try:
        post, created = live.post_create(
            participant=participant, text=payload.text, key=payload.key, address=client_ip(request)
        )
    except live.RateLimited as limited:
        return _limited(limited)
    body = {"id": post.pk, "prompt": post.prompt_id, "text": post.text, "created": created}
    return Status(201 if created else 200, body)


@router.post(
    "/live/votes",
    response={201: VoteOut, 200: VoteOut, **PUBLIC_ERRORS},
    auth=None,
    operation_id="live_vote_create",
)
def live_vote_create(
    request: HttpRequest, payload: LiveVoteIn
) -> Status[dict[str, Any]] | JsonResponse:
    """201 for a first answer, 200 when it changes the participant's earlier answer."""
    participant = _participant(payload.participant)
    try:
        vote, created = live.vote_create(
            participant=participant, value=payload.value, address=client_ip(request)
        )
    except live.RateLimited as limited:
        return _limited(limited)
    return Status(201 if created else 200, {"prompt": vote.prompt_id, "value": vote.value})


@router.post(
    "/live/upvotes",
    response={200: UpvoteOut, **PUBLIC_ERRORS},
    auth=None,
    operation_id="live_upvote_set",
)
def live_upvote_set(request: HttpRequest, payload: UpvoteIn) -> dict | JsonResponse:
    """Upvote a question of the open Q&A once, or take the upvote back (``up: false``)."""
    participant = _participant(payload.participant)
    try:
        post, changed = live.upvote_set(
            participant=participant, post_id=payload.post, up=payload.up, address=client_ip(request)
        )
    except live.RateLimited as limited:
        return _limited(limited)
    return {
        "post": post.pk,
        "upvoted": payload.up,
        "upvotes": queries.upvote_count(post),
        "changed": changed,
    }
