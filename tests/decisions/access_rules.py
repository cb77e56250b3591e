"""Who may open each route of the decision log and its polls (see tests/access.py)."""

from datetime import timedelta

from django.utils import timezone

from suhde.decisions import domain
from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, MANAGE_POST, VIEW
from tests.decisions.helpers import decision, poll

FACILITATE = MANAGE  # member 403; coordinator (above facilitator) 200
FACILITATE_POST = MANAGE_POST


def _slug(w):
    return {"slug": "core"}


def _decision(w):
    return {"slug": "core", "decision_id": decision(w.network).pk}


def _polled(w):
    return {"slug": "core", "decision_id": poll(w.network).decision_id}


def _commented(w):
    """A comment written by the world's member: only its author may edit it."""
    d = decision(w.network)
    comment = domain.comment_create(decision=d, person=w.member.person, body="First.")
    return {"slug": "core", "decision_id": d.pk, "comment_id": comment.pk}


PAGES = {
    "decisions:decisions": ("get", _slug, VIEW, None),
    "decisions:decision_create": ("get", _slug, MANAGE, None),
    "decisions:decision": ("get", _decision, VIEW, None),
    "decisions:decision_edit": ("get", _decision, MANAGE, None),
    "decisions:poll_open": ("get", _decision, FACILITATE, None),
    "decisions:poll_links": ("post", _polled, FACILITATE_POST, {}),
    "decisions:poll_close": (
        "post",
        _polled,
        FACILITATE_POST,
        {"outcome": "Agreed.", "status": "decided"},
    ),
    "decisions:comment_create": (
        "post",
        _decision,
        VIEW | {"member": 302, "coordinator": 302},
        {"body": "Hello."},
    ),
    # Only the author (the world's member) edits; a coordinator hides instead.
    "decisions:comment_edit": ("get", _commented, VIEW | {"coordinator": 403}, None),
    "decisions:comment_hide": ("post", _commented, MANAGE_POST, {}),
    # Any member may answer; the world's member and coordinator both vote (302).
    "decisions:poll_vote": (
        "post",
        _polled,
        VIEW | {"member": 302, "coordinator": 302},
        {"point": "2"},
    ),
}
PUBLIC = {
    "decisions:ballot": "the member's personal poll link: the token is the key "
    "(tests/decisions/test_polls.py)",
}


def _other_decision(w):
    return decision(w.other).pk


def _other_polled(w):
    return poll(w.other).decision_id


OBJECT_ROUTES = {
    "decisions:decision": ("decision_id", _other_decision),
    "decisions:decision_edit": ("decision_id", _other_decision),
    "decisions:poll_open": ("decision_id", _other_decision),
    "decisions:poll_links": ("decision_id", _other_polled),
    "decisions:poll_close": ("decision_id", _other_polled),
    "decisions:poll_vote": ("decision_id", _other_polled),
}


def _body(w):
    return {"title": "T", "proposal": "P", "mode": "top_down"}


API = {
    "decision_list": ("get", lambda w: "/networks/core/decisions", None, API_VIEW),
    "decision_create": ("post", lambda w: "/networks/core/decisions", _body, API_CREATE),
    "decision_update": (
        "put",
        lambda w: f"/decisions/{decision(w.network).pk}",
        _body,
        API_MANAGE,
    ),
    "poll_open": (
        "post",
        lambda w: f"/decisions/{decision(w.network).pk}/poll",
        lambda w: {"deadline": (timezone.now() + timedelta(days=2)).isoformat()},
        API_CREATE,
    ),
    "poll_results": (
        "get",
        lambda w: f"/decisions/{poll(w.network).decision_id}/poll",
        None,
        API_VIEW,
    ),
    "poll_close": (
        "post",
        lambda w: f"/decisions/{poll(w.network).decision_id}/poll/close",
        lambda w: {"outcome": "Agreed.", "status": "decided"},
        API_MANAGE,
    ),
    "comment_list": (
        "get",
        lambda w: f"/decisions/{decision(w.network).pk}/comments",
        None,
        API_VIEW,
    ),
    "comment_create": (
        "post",
        lambda w: f"/decisions/{decision(w.network).pk}/comments",
        lambda w: {"body": "Hello."},
        {"anonymous": 401, "outsider": 404, "member": 201, "coordinator": 201},
    ),
    "poll_vote": (
        "post",
        lambda w: f"/decisions/{poll(w.network).decision_id}/poll/votes",
        lambda w: {"point": 1},
        {"anonymous": 401, "outsider": 404, "member": 201, "coordinator": 201},
    ),
}
