"""Who may open each route of meetings and live sessions (see tests/access.py).

Facilitation needs the facilitator role: a member gets 403, like MANAGE in the matrix.
"""

from suhde.workshops import domain, live
from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, MANAGE_POST, VIEW
from tests.workshops.helpers import join, meeting, session


def _meeting(w):
    return {"slug": "core", "meeting_id": meeting(w.network).pk}


def _block(w):
    m = meeting(w.network)
    block = domain.block_add(meeting=m, title="Talk", minutes=30, method="learning_cafe")
    return {"slug": "core", "meeting_id": m.pk, "block_id": block.pk}


def _method(network):
    return domain.method_create(network=network, name="Walk and talk")


def _session(w):
    return {"slug": "core", "session_id": session(w.network).pk}


def _prompt(w):
    s = session(w.network)
    return {"slug": "core", "session_id": s.pk, "prompt_id": s.open_prompt_id}


def _post(w):
    s = session(w.network)
    participant, _ = join(s)
    post, _ = live.post_create(participant=participant, text="Good")
    return {"slug": "core", "session_id": s.pk, "post_id": post.pk}


PAGES = {
    "workshops:meetings": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "workshops:meeting_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "workshops:participation": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "workshops:meeting": ("get", _meeting, VIEW, None),
    "workshops:meeting_edit": ("get", _meeting, MANAGE, None),
    "workshops:meeting_delete": ("post", _meeting, MANAGE_POST, {}),
    "workshops:meeting_notes": ("post", _meeting, MANAGE_POST, {"notes": "Agreed."}),
    "workshops:meeting_attendees": ("get", _meeting, MANAGE, None),
    "workshops:block_add": ("get", _meeting, MANAGE, None),
    "workshops:block_edit": ("get", _block, MANAGE, None),
    "workshops:block_move": ("post", _block, MANAGE_POST, {"direction": "up"}),
    "workshops:block_delete": ("post", _block, MANAGE_POST, {}),
    "workshops:methods": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "workshops:method_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "workshops:method_delete": (
        "post",
        lambda w: {"slug": "core", "method_id": _method(w.network).pk},
        MANAGE_POST,
        {},
    ),
    "workshops:sessions": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "workshops:session_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "workshops:session": ("get", _session, MANAGE, None),
    "workshops:prompt_add": (
        "post",
        _session,
        MANAGE_POST,
        {"kind": "gradients", "question": "Do we agree?", "scale_max": 5, "dots": 3},
    ),
    "workshops:prompt_edit": ("get", _prompt, MANAGE, None),
    "workshops:prompt_move": ("post", _prompt, MANAGE_POST, {"direction": "down"}),
    "workshops:prompt_open": ("post", _prompt, MANAGE_POST, {}),
    "workshops:prompt_reveal": ("post", _prompt, MANAGE_POST, {"revealed": "1"}),
    "workshops:session_end": ("post", _session, MANAGE_POST, {}),
    "workshops:post_moderate": ("post", _post, MANAGE_POST, {"action": "hide"}),
    "workshops:presenter": ("get", _session, MANAGE, None),
    "workshops:presenter_board": ("get", _session, MANAGE, None),
    "workshops:session_qr": ("get", _session, MANAGE, None),
    # The push stream: the gate as for the presenter screen; past it the test client, a WSGI
    # server, gets 503 (a stream would hold a WSGI worker) and the page polls instead. The stream
    # itself is tried under uvicorn in tests/workshops/test_push.py and tests/e2e/test_live.py.
    "workshops:session_events": ("get", _session, {**MANAGE, "coordinator": 503}, None),
    "workshops:session_export": (
        "get",
        lambda w: {**_session(w), "fmt": "csv"},
        MANAGE,
        None,
    ),
}

PUBLIC = {
    name: "a live session's participant side: the join code and the participant's own cookie "
    "are the keys (tests/workshops/test_live.py)"
    for name in (
        "live_join_start",
        "live_join",
        "live_join_post",
        "live_join_vote",
        "live_join_upvote",
        "live_join_watch",
        "live_join_results",
        "live_join_events",
    )
}


def _other_meeting(w):
    return meeting(w.other).pk


def _other_session(w):
    return session(w.other).pk


OBJECT_ROUTES = {
    **{
        name: ("meeting_id", _other_meeting)
        for name in (
            "workshops:meeting",
            "workshops:meeting_edit",
            "workshops:meeting_delete",
            "workshops:meeting_notes",
            "workshops:meeting_attendees",
            "workshops:block_add",
        )
    },
    "workshops:method_delete": ("method_id", lambda w: _method(w.other).pk),
    **{
        name: ("session_id", _other_session)
        for name in (
            "workshops:session",
            "workshops:prompt_add",
            "workshops:session_end",
            "workshops:presenter",
            "workshops:presenter_board",
            "workshops:session_qr",
            "workshops:session_events",
        )
    },
}

ANYONE_CREATES = {"anonymous": 201, "outsider": 201, "member": 201, "coordinator": 201}
ANYONE_ANSWERED = {"anonymous": 200, "outsider": 200, "member": 200, "coordinator": 200}


def _question(w):
    """A Q&A with someone's question, and another participant's token to upvote it with."""
    s = session(w.network, kind="qa")
    asker, _ = join(s)
    post, _ = live.post_create(participant=asker, text="When do we start?")
    _, raw = join(s)
    return {"participant": raw, "post": post.pk}


def _joined(w, kind="highlights"):
    s = session(w.network, kind=kind)
    _, raw = join(s)
    return raw


API = {
    "meeting_list": ("get", lambda w: "/networks/core/meetings", None, API_VIEW),
    "meeting_create": (
        "post",
        lambda w: "/networks/core/meetings",
        lambda w: {
            "title": "Spring meeting",
            "starts_at": "2030-03-01T09:00:00+02:00",
            "minutes": 90,
            "blocks": [{"title": "Café", "minutes": 60, "method": "learning_cafe"}],
        },
        API_CREATE,
    ),
    "meeting_get": ("get", lambda w: f"/meetings/{meeting(w.network).pk}", None, API_VIEW),
    "method_list": ("get", lambda w: "/networks/core/methods", None, API_VIEW),
    "live_session_create": (
        "post",
        lambda w: "/networks/core/live-sessions",
        lambda w: {"title": "Highlights", "prompts": [{"kind": "highlights", "question": "Q?"}]},
        API_CREATE,
    ),
    "live_prompt_create": (
        "post",
        lambda w: f"/live-sessions/{session(w.network).pk}/prompts",
        lambda w: {"kind": "gradients", "question": "Agree?", "open": True},
        API_CREATE,
    ),
    "live_session_end": (
        "post",
        lambda w: f"/live-sessions/{session(w.network).pk}/end",
        None,
        API_MANAGE,
    ),
    "live_results": (
        "get",
        lambda w: f"/live-sessions/{session(w.network).pk}/results",
        None,
        API_MANAGE,
    ),
    "live_join": (
        "post",
        lambda w: "/live/join",
        lambda w: {"code": session(w.network).code},
        ANYONE_CREATES,
    ),
    "live_post_create": (
        "post",
        lambda w: "/live/posts",
        lambda w: {"participant": _joined(w), "text": "We know each other now."},
        ANYONE_CREATES,
    ),
    "live_vote_create": (
        "post",
        lambda w: "/live/votes",
        lambda w: {"participant": _joined(w, "gradients"), "value": 3},
        ANYONE_CREATES,
    ),
    "live_post_moderate": (
        "post",
        lambda w: "/live-sessions/{session_id}/posts/{post_id}".format(**_post(w)),
        lambda w: {"action": "pin"},
        API_MANAGE,
    ),
    "live_upvote_set": ("post", lambda w: "/live/upvotes", _question, ANYONE_ANSWERED),
    "live_prompt_update": (
        "post",
        lambda w: "/live-sessions/{session_id}/prompts/{prompt_id}".format(**_prompt(w)),
        lambda w: {"question": "Reworded?"},
        API_MANAGE,
    ),
    "live_prompt_move": (
        "post",
        lambda w: "/live-sessions/{session_id}/prompts/{prompt_id}/move".format(**_prompt(w)),
        lambda w: {"direction": "down"},
        API_MANAGE,
    ),
}
