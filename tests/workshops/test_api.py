"""The workshops API: the operation ids and shapes the issue names are a contract."""

import pytest

from suhde.accounts.domain import api_token_create
from suhde.coordination.models import Event
from suhde.workshops import live
from suhde.workshops.models import LiveSession, Meeting, Post
from tests.workshops.helpers import join, session


@pytest.fixture
def api(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    headers = {"Authorization": f"Bearer {raw}"}

    def call(method, path, body=None, auth=True):
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(client, method)("/api/v1" + path, headers=headers if auth else {}, **kwargs)

    return call


def test_meeting_create_with_an_agenda(api, world):
    response = api(
        "post",
        "/networks/core/meetings",
        {
            "title": "Spring meeting",
            "starts_at": "2030-03-01T09:00:00+02:00",
            "minutes": 90,
            "blocks": [
                {"title": "Check-in", "minutes": 15, "method": "check_in"},
                {"title": "Café", "minutes": 60, "method": "learning_cafe",
                 "learning_mode": "facilitation"},
            ],
        },
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert [b["start"][11:16] for b in body["blocks"]] == ["07:00", "07:15"]  # UTC
    assert body["planned_minutes"] == 75 and body["warning"] == ""
    assert body["blocks"][1]["method_name"] == "Learning café"
    assert Event.objects.filter(source_kind="meeting", source_id=str(body["id"])).exists()
    assert api("get", f"/meetings/{body['id']}").json()["title"] == "Spring meeting"
    assert [m["id"] for m in api("get", "/networks/core/meetings").json()] == [body["id"]]


# The schema refuses a body it cannot read (422); the domain refuses what it can read but breaks
# a rule of the network, such as an unknown method or another clock's event (400).
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": "", "starts_at": "2030-03-01T09:00:00Z"}, 422),
        ({"title": "A", "starts_at": "yesterday"}, 422),
        ({"title": "A", "starts_at": "2030-03-01T09:00:00Z", "minutes": 0}, 422),
        ({"title": "A", "starts_at": "2030-03-01T09:00:00Z", "blocks": [{"title": "B"}]}, 422),
        ({"title": "A", "starts_at": "2030-03-01T09:00:00Z", "blocks": [
            {"title": "B", "minutes": 10, "method": "nope"}]}, 400),
        ({"title": "A", "starts_at": "2030-03-01T09:00:00Z", "event": 999999}, 400),
    ],
)  # fmt: skip
def test_meeting_create_bad_input_is_a_4xx_and_changes_nothing(api, body, status):
    response = api("post", "/networks/core/meetings", body)
    assert response.status_code == status, response.content
    assert not Meeting.objects.exists()


def test_live_flow_through_the_api(api, world):
    response = api(
        "post",
        "/networks/core/live-sessions",
        {"title": "Highlights", "prompts": [{"kind": "highlights", "question": "What works?"}]},
    )
    assert response.status_code == 201
    created = response.json()
    assert len(created["code"]) == 8 and created["join_url"].endswith(f"/j/{created['code']}")
    joined = api("post", "/live/join", {"code": created["code"], "name": "Anna"}, auth=False)
    assert joined.status_code == 201
    token = joined.json()["participant"]
    assert joined.json()["prompt"]["kind"] == "highlights"
    posted = api("post", "/live/posts", {"participant": token, "text": "<b>Trust</b>"}, auth=False)
    assert posted.status_code == 201 and posted.json()["text"] == "<b>Trust</b>"
    again = api("post", "/live/posts", {"participant": token, "text": "x", "key": "k"}, auth=False)
    same = api("post", "/live/posts", {"participant": token, "text": "x", "key": "k"}, auth=False)
    assert again.status_code == 201 and same.status_code == 200
    assert same.json()["id"] == again.json()["id"]
    results = api("get", f"/live-sessions/{created['id']}/results").json()
    posts = results["prompts"][0]["posts"]
    assert {p["text"] for p in posts} == {"<b>Trust</b>", "x"}
    assert posts[0]["name"] == "Anna" and results["participants"] == 1
    poll = api(
        "post",
        f"/live-sessions/{created['id']}/prompts",
        {"kind": "gradients", "question": "Agree?", "open": True},
    )
    assert poll.status_code == 201
    vote = api("post", "/live/votes", {"participant": token, "value": 2}, auth=False)
    assert vote.status_code == 201
    results = api("get", f"/live-sessions/{created['id']}/results").json()
    assert [d["value"] for d in results["prompts"][1]["distribution"]] == [0, 1, 0, 0, 0, 0, 0, 0]
    twice = api("post", "/live/votes", {"participant": token, "value": 3}, auth=False)
    assert twice.status_code == 200  # a changed answer, not a second one
    results = api("get", f"/live-sessions/{created['id']}/results").json()
    assert [d["value"] for d in results["prompts"][1]["distribution"]] == [0, 0, 1, 0, 0, 0, 0, 0]
    ended = api("post", f"/live-sessions/{created['id']}/end")
    assert ended.json()["state"] == "ended"
    late = api("post", "/live/posts", {"participant": token, "text": "late"}, auth=False)
    assert late.status_code == 400 and "ended" in str(late.json())


def test_unknown_participant_token_is_404(api, world):
    session(world.network)
    for token in ("", "nope", "x" * 150):
        response = api("post", "/live/posts", {"participant": token, "text": "hi"}, auth=False)
        assert response.status_code == 404
    assert not Post.objects.exists()


# A text the schema cannot take (none, or beyond its outer limit) is a 422; an empty post or one
# over the prompt's 280 characters is the domain's refusal, a 400 with a message for the phone.
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": ""}, 400),
        ({"text": "   "}, 400),
        ({"text": "x" * 281}, 400),
        ({"text": "x" * 20000}, 422),
        ({"text": None}, 422),
    ],
)
def test_live_post_bad_input(api, world, body, status):
    _, raw = join(session(world.network))
    response = api("post", "/live/posts", {"participant": raw, **body}, auth=False)
    assert response.status_code == status
    assert not Post.objects.exists()


def test_live_session_for_another_networks_meeting_is_404(api, world):
    from tests.workshops.helpers import meeting

    foreign = meeting(world.other)
    response = api("post", "/networks/core/live-sessions", {"title": "x", "meeting": foreign.pk})
    assert response.status_code == 404
    assert not LiveSession.objects.exists()


def test_live_results_of_another_network_is_404(api, world):
    foreign = session(world.other)
    assert api("get", f"/live-sessions/{foreign.pk}/results").status_code == 404
    assert api("post", f"/live-sessions/{foreign.pk}/end").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_open


def test_join_api_does_not_need_csrf_or_an_account(world):
    from django.test import Client

    s = session(world.network)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/live/join", {"code": s.code}, content_type="application/json")
    assert response.status_code == 201
    assert live.participant_for_token(token=response.json()["participant"]).session == s


# Text that is merely strange is stored as text (201); a NUL is refused at the field, and text of
# nothing but line breaks and tabs is empty once trimmed (400). No weird text is a join code.
WEIRD = [
    ("\x00", 400),
    ("a\x00b", 400),
    ("\u202e\u200dx", 201),
    ("😀" * 100, 201),
    ("\ud7ff", 201),
    ("' OR 1=1 --", 201),
    ("%s%n", 201),
    ("\r\n\t", 400),
]


@pytest.mark.parametrize(("text", "status"), WEIRD)
def test_weird_text_never_gives_a_server_error(api, world, text, status):
    _, raw = join(session(world.network))
    response = api("post", "/live/posts", {"participant": raw, "text": text}, auth=False)
    assert response.status_code == status
    assert "\x00" not in "".join(Post.objects.values_list("text", flat=True))
    response = api("post", "/live/join", {"code": text, "name": text}, auth=False)
    assert response.status_code == 400
    response = api(
        "post",
        "/networks/core/meetings",
        {"title": text, "starts_at": "2030-03-01T09:00:00Z", "purpose": text,
         "blocks": [{"title": text, "minutes": 5, "notes": text}]},
    )  # fmt: skip
    assert response.status_code == status
