"""Q&A (issue 19): participants ask, upvote others' questions once, the wall sorts by upvotes,
the facilitator marks answered, hides and pins; with the approval queue, push and exports."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.workshops import live, push, queries
from suhde.workshops.live_views import COOKIE
from suhde.workshops.models import Post, Upvote
from tests.workshops.helpers import join, session

LANGUAGE = "en"
BAD_INPUT = 422  # the API's answer to a body its schema refuses, with the field
JOIN = ("http://x/j/1", "http://x/j/")


def _qa(world, **fields):
    return session(world.network, kind="qa", **fields)


def _ask(participant, text):
    post, created = live.post_create(participant=participant, text=text)
    assert created
    return post


def _up(participant, post, up=True):
    return live.upvote_set(participant=participant, post_id=post.pk, up=up)


def test_the_wall_sorts_open_questions_by_upvotes_and_answered_ones_below(world):
    s = _qa(world)
    anna, ben, cecilia = (join(s)[0] for _ in range(3))
    few = _ask(anna, "Who pays?")
    many = _ask(ben, "When do we start?")
    done = _ask(cecilia, "Where is the room?")
    _up(anna, many)
    _up(cecilia, many)
    _up(ben, few)
    _up(anna, done)
    _up(ben, done)
    live.post_moderate(post=done, answered=True)
    result = queries.prompt_results(s.open_prompt)
    assert [(i.post.text, i.upvotes) for i in result.items] == [
        ("When do we start?", 2),
        ("Who pays?", 1),
        ("Where is the room?", 2),
    ]
    live.post_moderate(post=few, pinned=True)
    result = queries.prompt_results(s.open_prompt)
    assert next(i.post.text for i in result.items) == "Who pays?"


def test_an_upvote_counts_once_and_can_be_taken_back(world):
    s = _qa(world)
    anna, ben = join(s)[0], join(s)[0]
    question = _ask(anna, "Why?")
    assert _up(ben, question) == (question, True)
    assert _up(ben, question) == (question, False)  # twice is once
    assert Upvote.objects.count() == 1
    assert _up(ben, question, up=False) == (question, True)
    assert _up(ben, question, up=False) == (question, False)
    assert Upvote.objects.count() == 0


def test_nobody_upvotes_their_own_question(world):
    s = _qa(world)
    anna, _ = join(s)
    question = _ask(anna, "Mine?")
    with pytest.raises(ValidationError) as error:
        _up(anna, question)
    assert error.value.message_dict == {"post": ["You cannot upvote your own question."]}
    assert Upvote.objects.count() == 0


@pytest.mark.parametrize("post_id", [0, -1, 2**31, 10**30])
def test_an_upvote_of_a_question_that_does_not_exist_is_a_clear_message(world, post_id):
    s = _qa(world)
    anna, _ = join(s)
    with pytest.raises(ValidationError) as error:
        live.upvote_set(participant=anna, post_id=post_id, up=True)
    assert error.value.message_dict == {"post": ["This question is not on the list (any more)."]}


def test_a_held_or_hidden_question_or_one_of_another_session_cannot_be_upvoted(world):
    s = _qa(world)
    anna, ben = join(s)[0], join(s)[0]
    hidden = _ask(anna, "Hidden one")
    live.post_moderate(post=hidden, hidden=True)
    other = _qa(world)
    stranger, _ = join(other)
    elsewhere = _ask(stranger, "Elsewhere")
    for post in (hidden, elsewhere):
        with pytest.raises(ValidationError):
            _up(ben, post)
    assert Upvote.objects.count() == 0


# A snapshot is taken in its own thread in the server and closes stale connections first; in a
# test's transaction that would close the test's own connection on PostgreSQL, hence no wrapping
# transaction here (as in test_push.py).
@pytest.mark.django_db(transaction=True)
def test_the_approval_queue_holds_questions_and_nobody_can_upvote_a_held_one(world):
    s = session(world.network, kind="highlights")
    prompt = live.prompt_add(session=s, kind="qa", question="Ask", approval=True, open=True)
    anna, ben = join(s)[0], join(s)[0]
    held = _ask(anna, "Matti on hankala?")
    assert (held.held, held.hidden) == (True, True)
    with pytest.raises(ValidationError):
        _up(ben, held)
    snapshot = push.snapshot_take(s.pk, None, {("board", LANGUAGE), ("phone", LANGUAGE)}, JOIN)
    assert "Matti" not in snapshot.parts[("board", LANGUAGE)]
    assert "Matti" not in snapshot.parts[("phone", LANGUAGE)]
    live.post_moderate(post=held, hidden=False)  # approved
    assert _up(ben, held)[1] is True
    snapshot.phone_at -= push.PHONE_RESULTS_SECONDS  # a second has passed for the phones
    shown = push.snapshot_take(s.pk, snapshot, {("board", LANGUAGE), ("phone", LANGUAGE)}, JOIN)
    assert "Matti on hankala?" in shown.parts[("phone", LANGUAGE)]
    assert prompt.pk == s.open_prompt_id


# A snapshot is taken in its own thread in the server and closes stale connections first; in a
# test's transaction that would close the test's own connection on PostgreSQL, hence no wrapping
# transaction here (as in test_push.py).
@pytest.mark.django_db(transaction=True)
def test_an_upvote_changes_the_boards_version_and_reaches_the_phones(world):
    s = _qa(world)
    anna, ben = join(s)[0], join(s)[0]
    question = _ask(anna, "Pushed?")
    wanted = {("board", LANGUAGE), ("phone", LANGUAGE)}
    before = push.snapshot_take(s.pk, None, wanted, JOIN)
    assert "▲ 0" in before.parts[("phone", LANGUAGE)]
    _up(ben, question)
    before.phone_at -= push.PHONE_RESULTS_SECONDS  # a second has passed for the phones
    after = push.snapshot_take(s.pk, before, wanted, JOIN)
    assert after.version != before.version
    assert "▲ 1" in after.parts[("board", LANGUAGE)]
    assert "▲ 1" in after.parts[("phone", LANGUAGE)]
    assert push.part_key(after, "phone") != push.part_key(before, "phone")


def test_upvoting_a_merged_duplicate_upvotes_the_question_it_was_merged_into(world):
    s = _qa(world)
    anna, ben, cecilia = (join(s)[0] for _ in range(3))
    original = _ask(anna, "Budget?")
    duplicate = _ask(ben, "What about the budget?")
    live.post_merge(post=duplicate, into=original)
    post, changed = _up(cecilia, duplicate)
    assert (post.pk, changed) == (original.pk, True)
    with pytest.raises(ValidationError):  # anna's own question, reached through the duplicate
        _up(anna, duplicate)
    assert queries.upvote_count(original) == 1


def test_only_a_qa_question_can_be_marked_answered(world):
    s = session(world.network)
    anna, _ = join(s)
    post = _ask(anna, "A highlight")
    with pytest.raises(ValidationError):
        live.post_moderate(post=post, answered=True)
    assert Post.objects.get().answered is False


def test_upvoting_outside_a_qa_is_refused(world):
    s = session(world.network)
    anna, ben = join(s)[0], join(s)[0]
    post = _ask(anna, "A highlight")
    with pytest.raises(ValidationError) as error:
        _up(ben, post)
    assert "not a Q&A" in error.value.messages[0]


# --- the participant's page ---------------------------------------------------------------------


def _phone(client, s, name=""):
    response = client.post(reverse("live_join", args=[s.code]), {"name": name})
    assert response.status_code == 302
    return live.participant_for_token(token=client.cookies[COOKIE].value)


def test_the_phone_lists_the_questions_with_upvote_buttons_but_none_for_its_own(world, client):
    s = _qa(world)
    me = _phone(client, s)
    other, _ = join(s)
    mine = _ask(me, "My own question")
    theirs = _ask(other, "Their question")
    page = client.get(reverse("live_join", args=[s.code])).content.decode()
    assert page.count('class="qa-upvote"') == 1
    assert f'name="post" value="{theirs.pk}"' in page
    assert f'name="post" value="{mine.pk}"' not in page
    assert f'data-own="{mine.pk}"' in page
    assert 'aria-pressed="false"' in page


def test_the_phone_upvotes_and_takes_it_back_with_the_same_button(world, client):
    s = _qa(world)
    me = _phone(client, s)
    other, _ = join(s)
    theirs = _ask(other, "Their question")
    url = reverse("live_join_upvote", args=[s.code])
    response = client.post(url, {"post": theirs.pk, "up": "1"})
    assert response.status_code == 302
    assert response.url == reverse("live_join", args=[s.code]) + f"#q-{theirs.pk}"
    page = client.get(reverse("live_join", args=[s.code])).content.decode()
    assert 'aria-pressed="true"' in page
    assert 'name="up" value="0"' in page
    assert f'data-upvoted="{theirs.pk}"' in page
    client.post(url, {"post": theirs.pk, "up": "0"})
    assert Upvote.objects.filter(participant=me).count() == 0


@pytest.mark.parametrize("post", ["", "abc", "1e9", "99999999999999999999999", "-5"])
def test_a_bad_upvote_from_the_phone_changes_nothing_and_says_why(world, client, post):
    s = _qa(world)
    _phone(client, s)
    response = client.post(reverse("live_join_upvote", args=[s.code]), {"post": post}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose a question to upvote." in text or "not on the list" in text
    assert Upvote.objects.count() == 0


def test_an_upvote_without_joining_goes_to_the_join_form(world, client):
    s = _qa(world)
    other, _ = join(s)
    theirs = _ask(other, "Their question")
    response = client.post(reverse("live_join_upvote", args=[s.code]), {"post": theirs.pk})
    assert response.status_code == 302
    assert response.url == reverse("live_join", args=[s.code])
    assert Upvote.objects.count() == 0


# --- the facilitator, the API and the exports ---------------------------------------------


def test_the_facilitator_marks_a_question_answered_on_the_session_page(world, client):
    s = _qa(world)
    anna, _ = join(s)
    question = _ask(anna, "Answered soon?")
    client.force_login(world.coordinator)
    url = reverse("workshops:post_moderate", args=["core", s.pk, question.pk])
    response = client.post(url, {"action": "answered"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered is True
    page = client.get(reverse("workshops:session", args=["core", s.pk])).content.decode()
    assert "Not answered after all" in page
    assert "Show the results to participants" not in page  # a Q&A's list is always shown


@pytest.fixture
def api(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")

    def call(path, body, auth=True):
        headers = {"Authorization": f"Bearer {raw}"} if auth else {}
        return client.post("/api/v1" + path, body, content_type="application/json", headers=headers)

    return call


def test_the_api_upvotes_once_and_takes_it_back(world, api):
    s = _qa(world)
    anna, _ = join(s)
    _ben, raw = join(s)
    question = _ask(anna, "Via the API?")
    body = {"participant": raw, "post": question.pk}
    first = api("/live/upvotes", body, auth=False)
    assert first.status_code == 200
    assert first.json() == {"post": question.pk, "upvoted": True, "upvotes": 1, "changed": True}
    again = api("/live/upvotes", body, auth=False)
    assert again.json() == {"post": question.pk, "upvoted": True, "upvotes": 1, "changed": False}
    back = api("/live/upvotes", {**body, "up": False}, auth=False)
    assert back.json() == {"post": question.pk, "upvoted": False, "upvotes": 0, "changed": True}
    stranger = api("/live/upvotes", {**body, "participant": "x" * 43}, auth=False)
    assert stranger.status_code == 404
    own = api("/live/upvotes", {**body, "participant": raw, "post": 10**12}, auth=False)
    assert own.status_code == 400


def test_the_api_moderates_a_question(world, api):
    s = _qa(world)
    anna, _ = join(s)
    question = _ask(anna, "Moderated?")
    path = f"/live-sessions/{s.pk}/posts/{question.pk}"
    response = api(path, {"action": "answered"})
    assert response.status_code == 200
    assert response.json() == {
        "id": question.pk,
        "hidden": False,
        "pinned": False,
        "answered": True,
    }
    bad = api(path, {"action": "explode"})
    assert bad.status_code == BAD_INPUT
    assert "action" in bad.content.decode()
    other = _qa(world)
    stranger, _ = join(other)
    foreign = _ask(stranger, "Not yours")
    assert api(f"/live-sessions/{s.pk}/posts/{foreign.pk}", {"action": "hide"}).status_code == 404
    question.refresh_from_db()
    assert (question.answered, question.hidden) == (True, False)


def test_the_results_api_lists_upvotes_and_answered(world, client):
    s = _qa(world)
    anna, ben = join(s)[0], join(s)[0]
    question = _ask(anna, "Counted?")
    _up(ben, question)
    _, raw = api_token_create(user=world.coordinator, name="t")
    response = client.get(
        f"/api/v1/live-sessions/{s.pk}/results", headers={"Authorization": f"Bearer {raw}"}
    )
    post = response.json()["prompts"][0]["posts"][0]
    assert (post["upvotes"], post["answered"]) == (1, False)


def test_the_export_has_each_questions_upvotes_and_answered_mark(world, client):
    s = _qa(world)
    anna, ben = join(s)[0], join(s)[0]
    question = _ask(anna, "Exported?")
    _up(ben, question)
    live.post_moderate(post=question, answered=True)
    client.force_login(world.coordinator)
    response = client.get(reverse("workshops:session_export", args=["core", s.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Upvotes", "Answered"]
    assert next(row for row in rows if row[2] == "Exported?")[-2:] == ["1", "yes"]


def test_the_phones_qa_page_costs_the_same_for_1_and_3_questions(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (1, 3):
        s = _qa(world)
        me = _phone(client, s)
        for n in range(size):
            asker, _ = join(s)
            _up(me, _ask(asker, f"Question {n}"))
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("live_join", args=[s.code])).status_code == 200
        with CaptureQueriesContext(connection) as results:
            assert client.get(reverse("live_join_results", args=[s.code])).status_code == 200
        counts.append((len(page), len(results)))
        client.cookies.clear()
    assert counts[0] == counts[1]
