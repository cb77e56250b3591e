"""Push for live sessions (issue 19): what a snapshot holds, what a stream sends on (re)connecting,
that a held post reaches no screen before approval, and the caps on open streams. The whole path
in a browser under uvicorn is tests/e2e/test_live_push.py."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from suhde.workshops import exports, live, push, queries
from suhde.workshops.models import LiveSession
from tests.workshops.helpers import join, meeting, session

LANGUAGE = "en"


def _events(session_id, have, count, audience="phone"):
    async def read():
        stream = push.events(
            session_id=session_id, audience=audience, language=LANGUAGE, have=have, owner="t"
        )
        chunks = [await asyncio.wait_for(anext(stream), 10) for _ in range(count)]
        await stream.aclose()
        return chunks

    # Its own thread and loop: after the browser tests, Playwright's loop still runs in this
    # thread (the whole suite in one process), and async_to_sync refuses to run beside it.
    # The loop is closed without waiting for its executor: a snapshot still being taken there
    # when the stream is closed must not hold the test (asyncio.run would wait for it).
    def run():
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(read())
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    thread = ThreadPoolExecutor(1)
    try:
        return thread.submit(run).result(timeout=60)
    finally:
        thread.shutdown(wait=False)


def _data(chunk):
    return json.loads(chunk.split("data: ", 1)[1])


@pytest.mark.django_db(transaction=True)
def test_a_phone_that_comes_back_gets_the_question_it_missed(world):
    s = session(world.network)
    live.prompt_add(session=s, kind="choice", question="Morning or evening?", options=["M", "E"])
    live.prompt_open(prompt=s.prompts.get(kind="choice"), session=s)
    s.refresh_from_db()
    retry, event = _events(s.pk, have="1", count=2)  # the phone saw stage 1 before it slept
    assert retry == "retry: 3000\n\n"
    assert event.startswith(f"event: phone\nid: {s.stage}\n")
    data = _data(event)
    assert (data["v"], data["stage"], data["ended"]) == (str(s.stage), s.stage, False)
    assert "Morning or evening?" in data["html"]
    assert "csrfmiddlewaretoken" not in data["html"]  # one render for all: each page adds its own


@pytest.mark.django_db(transaction=True)
def test_a_held_post_reaches_no_screen_until_it_is_approved(world):
    s = session(world.network)
    live.prompt_add(session=s, kind="highlights", question="Held?", approval=True, open=True)
    s.refresh_from_db()
    live.prompt_reveal(prompt=s.open_prompt, revealed=True)
    participant, _ = join(s)
    post, _ = live.post_create(participant=participant, text="Matti jarruttaa kaikkea")
    assert (post.held, post.hidden) == (True, True)
    wanted = {("board", LANGUAGE), ("phone", LANGUAGE)}
    held = push.snapshot_take(s.pk, None, wanted, ("http://x/j/1", "http://x/j/"))
    assert "Matti" not in held.parts[("board", LANGUAGE)]
    assert "Matti" not in held.parts[("phone", LANGUAGE)]
    live.post_moderate(post=post, hidden=False)
    shown = push.snapshot_take(s.pk, held, wanted, ("http://x/j/1", "http://x/j/"))
    assert "Matti jarruttaa kaikkea" in shown.parts[("board", LANGUAGE)]
    post.refresh_from_db()
    assert (post.held, post.hidden) == (False, False)


@pytest.mark.django_db(transaction=True)
def test_rejecting_a_held_post_keeps_it_hidden_in_the_record(world):
    s = session(world.network)
    live.prompt_add(session=s, kind="highlights", question="Held?", approval=True, open=True)
    s.refresh_from_db()
    participant, _ = join(s)
    post, _ = live.post_create(participant=participant, text="No")
    live.post_moderate(post=post, hidden=True)
    post.refresh_from_db()
    assert (post.held, post.hidden) == (False, True)


def test_a_client_cannot_hold_more_than_a_few_streams_per_process():
    hub = push.Hub(asyncio.new_event_loop())
    previous, push.Hub.current = push.Hub.current, hub
    try:
        hub.owners["participant:1"] = push.STREAMS_PER_OWNER
        assert push.stream_allowed("participant:1") is False
        assert push.stream_allowed("participant:2") is True
        hub.streams = push.streams_max()
        assert push.stream_allowed("participant:2") is False
    finally:
        push.Hub.current = previous
        hub.loop.close()


def test_an_unknown_stream_is_refused_with_the_reason(client, world):
    s = session(world.network)
    client.force_login(world.coordinator)
    response = client.get(f"/n/core/live/{s.pk}/events/?a=everything")
    assert response.status_code == 400
    assert "a=board or a=control" in response.content.decode()


def test_a_phone_without_its_cookie_gets_no_stream(client, world):
    s = session(world.network)
    response = client.get(f"/j/{s.code}/events")
    assert response.status_code == 403


def test_the_word_cloud_folds_case_and_punctuation(world):
    s = session(world.network, kind="wordcloud")
    participant, _ = join(s)
    for text in ("Innostunut", "innostunut!", "INNOSTUNUT.", "yhteis-työ"):
        live.post_create(participant=participant, text=text)
    words = queries.prompt_results(s.open_prompt).words
    assert [(word, count) for word, count, _size in words] == [("innostunut", 3), ("yhteis-työ", 1)]


def test_the_exports_carry_the_meetings_date_not_the_sessions(world):
    m = meeting(world.network, starts_at=datetime(2030, 3, 5, 9, 0, tzinfo=UTC))
    s = session(world.network, meeting=m)
    live.post_create(participant=join(s)[0], text="Good")
    table = exports.rows(queries.session_results(s, moderator=True), s)
    column = 9
    assert table[0][column] == "Meeting date"
    assert table[1][column] == "2030-03-05"


def test_the_presenter_moves_to_the_neighbouring_questions(world):
    s = session(world.network)
    second = live.prompt_add(session=s, kind="scale", question="Second?")
    third = live.prompt_add(session=s, kind="scale", question="Third?")
    first = s.open_prompt
    assert queries.prompt_neighbours(s) == queries.Neighbours(0, second.pk)
    live.prompt_open(prompt=second, session=s)
    s.refresh_from_db()
    assert queries.prompt_neighbours(s) == queries.Neighbours(first.pk, third.pk)
    live.prompt_open(prompt=None, session=s)
    s.refresh_from_db()
    assert queries.prompt_neighbours(s) == queries.Neighbours(None, first.pk)


def test_a_session_from_the_reflection_template_has_its_questions_in_finnish(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        "/n/core/live/new/",
        {"title": "Vuoden arvio", "meeting": "", "template": "reflection"},
        headers={"Accept-Language": "fi"},
    )
    assert response.status_code == 302
    s = LiveSession.objects.get(title="Vuoden arvio")
    questions = list(s.prompts.values_list("kind", "question"))
    assert questions == [
        ("scale", "Miten hyvin saavutimme sen, mihin ryhdyimme?"),
        ("highlights", "Mitä opimme yhdessä?"),
        ("highlights", "Mitä teemme tästä eteenpäin toisin?"),
    ]
    assert s.open_prompt.kind == "scale"


def test_an_unknown_template_is_refused_at_its_field(client, world):
    client.force_login(world.coordinator)
    response = client.post("/n/core/live/new/", {"title": "X", "meeting": "", "template": "nope"})
    assert response.status_code == 400
    assert not LiveSession.objects.exists()
