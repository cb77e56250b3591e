"""Editing and reordering a session's questions (issue 19): the facilitator rewords a question,
and an open one that people have answered asks first and keeps the answers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.workshops import live, queries
from suhde.workshops.models import Post, Prompt, Vote
from tests.workshops.helpers import join, session


def _questions(s):
    return list(
        Prompt.objects.filter(session=s).order_by("order", "pk").values_list("question", flat=True)
    )


def test_moving_a_question_swaps_it_with_its_neighbour_and_the_presenter_follows(world):
    s = session(world.network)
    second = live.prompt_add(session=s, kind="scale", question="Second?")
    live.prompt_add(session=s, kind="scale", question="Third?")
    live.prompt_move(prompt=second, up=True)
    assert _questions(s) == ["Second?", "What works well?", "Third?"]
    live.prompt_move(prompt=second, up=True)  # already first: nothing moves
    assert _questions(s) == ["Second?", "What works well?", "Third?"]
    s.refresh_from_db()
    assert queries.prompt_neighbours(s).previous == second.pk


def test_editing_keeps_the_answers_and_the_phones_get_the_new_wording(world):
    s = session(world.network, kind="choice", options=["Yes", "No"])
    prompt = s.open_prompt
    participant, _ = join(s)
    live.vote_create(participant=participant, value=1)
    stage = s.stage
    live.prompt_update(prompt=prompt, question="Really?", options=["Yes!", "No!"])
    prompt.refresh_from_db()
    s.refresh_from_db()
    assert (prompt.question, prompt.options) == ("Really?", ["Yes!", "No!"])
    assert list(Vote.objects.values_list("value", flat=True)) == [1]
    assert s.stage == stage + 1


def test_an_answered_poll_keeps_the_number_of_its_options_and_its_scale(world):
    s = session(world.network, kind="choice", options=["Yes", "No"])
    participant, _ = join(s)
    live.vote_create(participant=participant, value=0)
    with pytest.raises(ValidationError) as error:
        live.prompt_update(prompt=s.open_prompt, question="Q", options=["Yes", "No", "Maybe"])
    assert list(error.value.message_dict) == ["options"]
    scale = live.prompt_add(session=s, kind="scale", question="Scale?", open=True)
    later, _ = join(s)
    live.vote_create(participant=later, value=3)
    with pytest.raises(ValidationError) as error:
        live.prompt_update(prompt=scale, question="Scale?", scale_max=3)
    assert list(error.value.message_dict) == ["scale_max"]
    scale.refresh_from_db()
    assert (scale.question, scale.scale_max) == ("Scale?", 5)


@pytest.mark.parametrize("question", ["", "   ", "x" * 301])
def test_a_bad_question_changes_nothing(world, question):
    s = session(world.network)
    with pytest.raises(ValidationError) as error:
        live.prompt_update(prompt=s.open_prompt, question=question)
    assert list(error.value.message_dict) == ["question"]
    assert _questions(s) == ["What works well?"]


def test_editing_an_open_answered_question_on_the_page_asks_first(world, client):
    s = session(world.network)
    participant, _ = join(s)
    live.post_create(participant=participant, text="Trust")
    client.force_login(world.coordinator)
    url = reverse("workshops:prompt_edit", args=["core", s.pk, s.open_prompt_id])
    asked = client.post(url, {"question": "What works really well?"})
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "1 answer has come in. It is kept as it is." in text
    assert 'name="confirmed" value="1"' in text
    assert _questions(s) == ["What works well?"]
    done = client.post(url, {"question": "What works really well?", "confirmed": "1"})
    assert done.status_code == 302
    assert _questions(s) == ["What works really well?"]
    assert list(Post.objects.values_list("text", flat=True)) == ["Trust"]


def test_editing_on_the_page_with_bad_input_says_where(world, client):
    s = session(world.network)
    client.force_login(world.coordinator)
    url = reverse("workshops:prompt_edit", args=["core", s.pk, s.open_prompt_id])
    response = client.post(url, {"question": ""})
    assert response.status_code == 400
    assert _questions(s) == ["What works well?"]


def test_the_move_buttons_are_on_the_session_page_and_move(world, client):
    s = session(world.network)
    second = live.prompt_add(session=s, kind="scale", question="Second?")
    client.force_login(world.coordinator)
    page = client.get(reverse("workshops:session", args=["core", s.pk])).content.decode()
    assert "Move Second? earlier" in page
    assert "Move What works well? later" in page
    moved = client.post(
        reverse("workshops:prompt_move", args=["core", s.pk, second.pk]), {"direction": "up"}
    )
    assert moved.status_code == 302
    assert _questions(s) == ["Second?", "What works well?"]


def test_the_api_edits_and_moves_a_question(world, client):
    s = session(world.network, kind="choice", options=["A", "B"])
    second = live.prompt_add(session=s, kind="scale", question="Second?")
    _, raw = api_token_create(user=world.coordinator, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    base = f"/api/v1/live-sessions/{s.pk}/prompts"
    edited = client.post(
        f"{base}/{s.open_prompt_id}", {"question": "Which?"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert edited.status_code == 200
    assert (edited.json()["question"], edited.json()["options"]) == ("Which?", ["A", "B"])
    moved = client.post(
        f"{base}/{second.pk}/move", {"direction": "up"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert moved.status_code == 200
    assert [p["question"] for p in moved.json()["prompts"]] == ["Second?", "Which?"]
    other = session(world.other)
    foreign = client.post(
        f"/api/v1/live-sessions/{s.pk}/prompts/{other.open_prompt_id}", {"question": "Mine"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert foreign.status_code == 404


def test_a_question_of_another_networks_session_is_not_found_on_the_page(world, client):
    s = session(world.network)
    other = session(world.other)
    client.force_login(world.coordinator)
    for name in ("workshops:prompt_edit", "workshops:prompt_move"):
        url = reverse(name, args=["core", s.pk, other.open_prompt_id])
        assert client.post(url, {"question": "Mine", "direction": "up"}).status_code == 404
    assert _questions(other) == ["What works well?"]
