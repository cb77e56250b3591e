"""Live sessions: joining without an account, posting, polls, moderation, and every abuse case."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from suhde.common.tokens import token_digest
from suhde.workshops import live, queries
from suhde.workshops.live_views import COOKIE
from suhde.workshops.models import Participant, Post, Vote
from tests.workshops.helpers import join, session

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _joined_client(client, s, name=""):
    response = client.post(reverse("live_join", args=[s.code]), {"name": name})
    assert response.status_code == 302
    return client


# --- joining --------------------------------------------------------------------------------


def test_join_code_has_eight_digits_and_is_unique(world):
    codes = {session(world.network).code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(c) == 8 and c.isdigit() for c in codes)


def test_join_stores_only_the_tokens_digest(world):
    s = session(world.network)
    participant, raw = join(s, name="Anna", organization="City")
    assert len(raw) >= 43  # 256 bits, URL-safe base64
    assert participant.token_digest == token_digest(raw)
    assert raw not in str(list(Participant.objects.values_list()))
    assert live.participant_for_token(token=raw) == participant


def test_no_address_or_browser_is_stored_with_a_participant_or_a_post():
    words = {
        word
        for model in (Participant, Post, Vote)
        for field in model._meta.get_fields()
        for word in field.name.split("_")
    }
    assert not words & {"ip", "address", "addr", "agent", "browser", "remote", "host"}


def test_join_tolerates_spaces_and_dashes_in_the_code(world):
    s = session(world.network)
    participant, _ = live.participant_join(code=f" {s.code[:4]}-{s.code[4:]} ")
    assert participant.session == s


@pytest.mark.parametrize("code", ["", "abc", "12345678", "1" * 500, "<script>", "١٢٣٤٥٦٧٨"])
def test_join_with_a_wrong_code_is_a_clear_message(world, code):
    session(world.network)
    with pytest.raises(ValidationError) as error:
        live.participant_join(code=code, address="10.0.0.9")
    assert "No session has this code" in " ".join(error.value.messages)


def test_join_name_length_is_limited(world):
    s = session(world.network)
    with pytest.raises(ValidationError):
        live.participant_join(code=s.code, name="x" * 81)


def test_guessing_codes_in_bulk_is_rate_limited(world, client):
    real = session(world.network)
    for number in range(live.FAILED_JOIN_PER_ADDRESS[0]):
        response = client.get(reverse("live_join", args=[f"1{number:07d}"]))
        assert response.status_code == 404
    response = client.get(reverse("live_join", args=["19999999"]))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Wait a moment" in response.content.decode()
    # the right code is refused too for a while: the guesser learns nothing
    assert client.get(reverse("live_join", args=[real.code])).status_code == 429
    # another address is not affected
    other = client.get(reverse("live_join", args=[real.code]), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_guessing_through_the_api_is_rate_limited(world, client):
    for number in range(live.FAILED_JOIN_PER_ADDRESS[0]):
        response = client.post(
            "/api/v1/live/join", {"code": f"2{number:07d}"}, content_type="application/json"
        )
        assert response.status_code == 400
    response = client.post(
        "/api/v1/live/join", {"code": "29999999"}, content_type="application/json"
    )
    assert response.status_code == 429


def test_a_room_of_1000_behind_one_address_can_join_and_post(world):
    s = session(world.network)
    for number in range(1000):
        participant, _ = live.participant_join(code=s.code, address="192.0.2.1")
        _post, created = live.post_create(
            participant=participant, text=f"Highlight {number}", address="192.0.2.1"
        )
        assert created
    assert Post.objects.filter(prompt__session=s).count() == 1000


def test_joining_an_ended_session_is_refused(world):
    s = session(world.network)
    live.session_end(session=s)
    with pytest.raises(ValidationError) as error:
        live.participant_join(code=s.code)
    assert "ended" in " ".join(error.value.messages)


# --- posting --------------------------------------------------------------------------------


def test_post_goes_to_the_open_prompt(world):
    s = session(world.network)
    participant, _ = join(s)
    post, created = live.post_create(participant=participant, text="  Trust   grows  ")
    assert created and post.prompt_id == s.open_prompt_id
    assert post.text == "Trust grows"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_post_is_refused(world, text):
    participant, _ = join(session(world.network))
    with pytest.raises(ValidationError) as error:
        live.post_create(participant=participant, text=text)
    assert "Write something first" in " ".join(error.value.messages)


def test_post_length_is_limited(world):
    participant, _ = join(session(world.network))
    live.post_create(participant=participant, text="x" * 280)
    with pytest.raises(ValidationError) as error:
        live.post_create(participant=participant, text="x" * 281)
    assert "280" in " ".join(error.value.messages)


def test_word_cloud_entries_are_short(world):
    participant, _ = join(session(world.network, kind="wordcloud"))
    with pytest.raises(ValidationError):
        live.post_create(participant=participant, text="x" * 41)


def test_posting_to_an_ended_session_is_refused(world):
    s = session(world.network)
    participant, _ = join(s)
    live.session_end(session=s)
    participant.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        live.post_create(participant=participant, text="late")
    assert "ended" in " ".join(error.value.messages)


def test_posting_when_no_question_is_open_is_refused(world):
    s = session(world.network)
    participant, _ = join(s)
    live.prompt_open(prompt=None, session=s)
    participant = live.participant_for_token(token=join(s)[1])
    with pytest.raises(ValidationError) as error:
        live.post_create(participant=participant, text="hello")
    assert "No question is open" in " ".join(error.value.messages)


def test_the_same_key_posts_once(world):
    participant, _ = join(session(world.network))
    first, created = live.post_create(participant=participant, text="A", key="k1")
    again, created_again = live.post_create(participant=participant, text="A", key="k1")
    assert created and not created_again and first.pk == again.pk
    assert Post.objects.count() == 1


def test_posting_too_fast_is_rate_limited_per_participant(world):
    s = session(world.network)
    participant, _ = join(s)
    limit = live.POSTS_PER_PARTICIPANT[0]
    for number in range(limit):
        live.post_create(participant=participant, text=f"p{number}")
    with pytest.raises(live.RateLimited):
        live.post_create(participant=participant, text="one too many")
    other, _ = join(s)
    live.post_create(participant=other, text="others may still post")


def test_friendly_429_on_the_participant_page(world, client):
    s = session(world.network)
    _joined_client(client, s)
    for number in range(live.POSTS_PER_PARTICIPANT[0]):
        client.post(reverse("live_join_post", args=[s.code]), {"text": f"p{number}"})
    response = client.post(reverse("live_join_post", args=[s.code]), {"text": "again"})
    assert response.status_code == 429
    assert "Wait a moment" in response.content.decode()


def test_friendly_429_in_the_api(world, client):
    s = session(world.network)
    _, raw = join(s)
    for number in range(live.POSTS_PER_PARTICIPANT[0]):
        client.post(
            "/api/v1/live/posts",
            {"participant": raw, "text": f"p{number}"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/live/posts", {"participant": raw, "text": "x"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == str(live.POSTS_PER_PARTICIPANT[1])


def test_per_address_post_limit_is_explicit_and_high(world, monkeypatch):
    s = session(world.network)
    monkeypatch.setattr(live, "POST_PER_ADDRESS", (3, 60))
    for _ in range(3):
        participant, _ = join(s)
        live.post_create(participant=participant, text="ok", address="10.1.1.1")
    participant, _ = join(s)
    with pytest.raises(live.RateLimited):
        live.post_create(participant=participant, text="no", address="10.1.1.1")


def test_per_address_limits_leave_room_for_1000_participants():
    assert live.JOIN_PER_ADDRESS[0] >= 1000
    import importlib

    fresh = importlib.reload(live)
    assert fresh.POST_PER_ADDRESS[0] >= 5 * 1000


def test_html_and_script_are_shown_as_text_everywhere(world, client):
    s = session(world.network)
    participant, _ = join(s, name=XSS, organization=XSS)
    live.post_create(participant=participant, text=XSS[:280])
    client.force_login(world.coordinator)
    for url in (
        reverse("workshops:session", args=["core", s.pk]),
        reverse("workshops:presenter", args=["core", s.pk]),
        reverse("workshops:presenter_board", args=["core", s.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_profanity_is_held_back_for_the_facilitator(world):
    participant, _ = join(session(world.network))
    for text in ("This is SHIT", "Vittu mikä kokous", "jävla möte", "a fine point"):
        live.post_create(participant=participant, text=text)
    flagged = set(Post.objects.filter(flagged=True, hidden=True).values_list("text", flat=True))
    assert flagged == {"This is SHIT", "Vittu mikä kokous", "jävla möte"}
    result = queries.prompt_results(participant.session.open_prompt)
    assert [i.post.text for i in result.items] == ["a fine point"]


def test_a_participant_cannot_post_more_highlights_than_the_prompt_takes(world, monkeypatch):
    monkeypatch.setattr(live, "POSTS_PER_PARTICIPANT", (100, 60))
    participant, _ = join(session(world.network))
    for number in range(live.POSTS_PER_PROMPT["highlights"]):
        live.post_create(participant=participant, text=f"p{number}")
    with pytest.raises(ValidationError):
        live.post_create(participant=participant, text="one more")


# --- polls ----------------------------------------------------------------------------------


def test_one_vote_per_participant_per_poll_changes_until_the_poll_closes(world):
    s = session(world.network, kind="gradients")
    participant, _ = join(s)
    assert live.vote_create(participant=participant, value=2)[1] is True
    vote, created = live.vote_create(participant=participant, value=3)
    assert (created, vote.value, Vote.objects.count()) == (False, 3, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(prompt=s.open_prompt, participant=participant, value=5)
    live.prompt_open(prompt=None, session=s)
    participant.session.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        live.vote_create(participant=participant, value=5)
    assert "No question is open" in " ".join(error.value.messages)
    assert Vote.objects.get().value == 3


def test_gradients_show_the_distribution_never_an_average(world):
    s = session(world.network, kind="gradients")
    for value in (1, 1, 3, 8):
        live.vote_create(participant=join(s)[0], value=value)
    result = queries.prompt_results(s.open_prompt)
    assert [bar.value for bar in result.bars] == [2, 0, 1, 0, 0, 0, 0, 1]
    assert result.bars[7].label.startswith("8. Block")
    assert not hasattr(result, "mean") and not hasattr(result, "average")


@pytest.mark.parametrize(
    ("kind", "options", "good", "bad"),
    [
        ("choice", ["A", "B"], 1, [2, -1, "1", [0], True, None]),
        ("scale", [], 5, [0, 6, 2.5]),
        ("gradients", [], 8, [0, 9]),
        ("ranking", ["A", "B", "C"], [2, 0, 1], [[0, 0, 1], [0, 1], [0, 1, 3], 1]),
        ("dots", ["A", "B", "C"], [2, 0, 1], [[4, 0, 0], [0, 0, 0], [-1, 2, 0], [1, 1]]),
    ],
)
def test_poll_values_are_checked(world, kind, options, good, bad):
    s = session(world.network, kind=kind, options=options)
    for value in bad:
        with pytest.raises(ValidationError):
            live.vote_create(participant=join(s)[0], value=value)
    live.vote_create(participant=join(s)[0], value=good)
    assert Vote.objects.count() == 1


def test_ranking_and_dots_results(world):
    ranking = session(world.network, kind="ranking", options=["A", "B", "C"])
    live.vote_create(participant=join(ranking)[0], value=[2, 0, 1])
    live.vote_create(participant=join(ranking)[0], value=[2, 1, 0])
    bars = queries.prompt_results(ranking.open_prompt).bars
    assert [(b.label, b.value) for b in bars] == [("A", 1), ("B", 1), ("C", 4)]
    dots = session(world.network, kind="dots", options=["A", "B"])
    live.vote_create(participant=join(dots)[0], value=[3, 0])
    live.vote_create(participant=join(dots)[0], value=[1, 2])
    assert [b.value for b in queries.prompt_results(dots.open_prompt).bars] == [4, 2]


def test_text_to_a_poll_and_a_vote_to_a_text_prompt_are_refused(world):
    participant, _ = join(session(world.network, kind="gradients"))
    with pytest.raises(ValidationError):
        live.post_create(participant=participant, text="hello")
    participant, _ = join(session(world.network))
    with pytest.raises(ValidationError):
        live.vote_create(participant=participant, value=1)


# --- moderation -----------------------------------------------------------------------------


def test_hide_pin_and_merge(world):
    s = session(world.network)
    participant, _ = join(s)
    a, _ = live.post_create(participant=participant, text="Trust")
    b, _ = live.post_create(participant=participant, text="trust!")
    c, _ = live.post_create(participant=participant, text="Time")
    live.post_merge(post=b, into=a)
    live.post_moderate(post=c, pinned=True)
    result = queries.prompt_results(s.open_prompt)
    assert [(i.post.text, i.count) for i in result.items] == [("Time", 1), ("Trust", 2)]
    live.post_moderate(post=c, hidden=True)
    assert [i.post.text for i in queries.prompt_results(s.open_prompt).items] == ["Trust"]
    moderated = queries.prompt_results(s.open_prompt, moderator=True)
    assert len(moderated.items) == 2
    with pytest.raises(ValidationError):
        live.post_merge(post=a, into=a)
    with pytest.raises(ValidationError):
        live.post_merge(post=a, into=b)  # b is merged into a: no loop


def test_merge_across_sessions_is_refused_by_the_page(world, client):
    s = session(world.network)
    other = session(world.other)
    p, _ = join(s)
    q, _ = join(other)
    mine, _ = live.post_create(participant=p, text="mine")
    theirs, _ = live.post_create(participant=q, text="theirs")
    client.force_login(world.coordinator)
    url = reverse("workshops:post_moderate", args=["core", s.pk, mine.pk])
    client.post(url, {"action": "merge", "into": theirs.pk})
    mine.refresh_from_db()
    assert mine.merged_into is None
    url = reverse("workshops:post_moderate", args=["core", s.pk, theirs.pk])
    assert client.post(url, {"action": "hide"}).status_code == 404


# --- the participant's pages ----------------------------------------------------------------


def test_participant_page_flow(world, client):
    s = session(world.network)
    response = client.get(reverse("live_join", args=[s.code]))
    assert response.status_code == 200 and "Take part" in response.content.decode()
    _joined_client(client, s, name="Anna")
    page = client.get(reverse("live_join", args=[s.code])).content.decode()
    assert "What works well?" in page and "Anna" in page
    key = "form-key-1"
    for _ in range(2):  # the same form sent twice is stored once
        response = client.post(
            reverse("live_join_post", args=[s.code]), {"text": "We share clients", "key": key}
        )
        assert response.status_code == 302
    assert Post.objects.filter(text="We share clients").count() == 1
    assert Post.objects.get().participant.name == "Anna"


def test_participant_cookie_is_scoped_and_http_only(world, client):
    s = session(world.network)
    response = client.post(reverse("live_join", args=[s.code]), {})
    morsel = response.cookies[COOKIE]
    assert morsel["path"] == f"/j/{s.code}" and morsel["httponly"]
    assert morsel["samesite"] == "Lax"


def test_participant_page_bad_input_is_a_clear_400(world, client):
    s = session(world.network)
    _joined_client(client, s)
    url = reverse("live_join_post", args=[s.code])
    assert client.post(url, {"text": ""}).status_code == 400
    response = client.post(url, {"text": "x" * 281})
    assert response.status_code == 400
    assert "280" in response.content.decode()
    assert client.post(reverse("live_join_vote", args=[s.code]), {"value": "x"}).status_code == 302


def test_posting_without_joining_goes_to_the_join_form(world, client):
    s = session(world.network)
    response = client.post(reverse("live_join_post", args=[s.code]), {"text": "hi"})
    assert response.status_code == 302 and response["Location"] == f"/j/{s.code}"
    assert not Post.objects.exists()


def test_a_cookie_from_another_session_does_not_work(world, client):
    first, second = session(world.network), session(world.network)
    _, raw = join(first)
    client.cookies[COOKIE] = raw
    client.cookies[COOKIE]["path"] = "/"
    response = client.post(reverse("live_join_post", args=[second.code]), {"text": "hi"})
    assert response.status_code == 302
    assert not Post.objects.exists()


def test_participant_vote_through_the_page(world, client):
    s = session(world.network, kind="gradients")
    _joined_client(client, s)
    client.post(reverse("live_join_vote", args=[s.code]), {"value": "3"})
    client.post(reverse("live_join_vote", args=[s.code]), {"value": "4"})
    assert list(Vote.objects.values_list("value", flat=True)) == [4]  # changed, not doubled
    page = client.get(reverse("live_join", args=[s.code])).content.decode()
    assert "You can change it until the question closes" in page
    assert 'name="value" id="value4" value="4" required checked' in page


def test_ranking_and_dots_through_the_page(world, client):
    s = session(world.network, kind="ranking", options=["A", "B", "C"])
    _joined_client(client, s)
    client.post(
        reverse("live_join_vote", args=[s.code]), {"place0": "3", "place1": "1", "place2": "2"}
    )
    assert Vote.objects.get().value == [1, 2, 0]


def test_results_are_shown_to_participants_only_when_revealed(world, client):
    s = session(world.network)
    participant, _ = join(s)
    live.post_create(participant=participant, text="Shared secret highlight")
    _joined_client(client, s)
    assert "Shared secret highlight" not in client.get(f"/j/{s.code}").content.decode()
    assert client.get(reverse("live_join_results", args=[s.code])).status_code == 404
    live.prompt_reveal(prompt=s.open_prompt, revealed=True)
    assert "Shared secret highlight" in client.get(f"/j/{s.code}").content.decode()
    assert client.get(reverse("live_join_results", args=[s.code])).status_code == 200


def test_watch_answers_204_until_the_facilitator_moves_on(world, client):
    s = session(world.network)
    url = reverse("live_join_watch", args=[s.code])
    s.refresh_from_db()
    assert client.get(url, {"stage": s.stage}).status_code == 204
    live.prompt_add(session=s, kind="wordcloud", question="One word?", open=True)
    response = client.get(url, {"stage": s.stage - 1})
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


def test_board_version_changes_with_every_post_vote_and_facilitator_action(world):
    session(world.network)  # another session's posts must not move this one's version
    s = session(world.network)
    seen = {queries.board_version(s.pk)}
    participant, raw = join(s)
    for text in ("a", "b", "c"):
        live.post_create(participant=participant, text=text)
        seen.add(queries.board_version(s.pk))
    post = Post.objects.filter(prompt__session=s).first()
    live.post_moderate(post=post, hidden=True)
    seen.add(queries.board_version(s.pk))
    live.prompt_add(session=s, kind="scale", question="How useful?", open=True)
    seen.add(queries.board_version(s.pk))
    live.vote_create(participant=live.participant_for_token(token=raw), value=4)
    seen.add(queries.board_version(s.pk))
    assert len(seen) == 7


def test_presenter_board_answers_204_when_nothing_changed(world, client):
    s = session(world.network)
    client.force_login(world.coordinator)
    url = reverse("workshops:presenter_board", args=["core", s.pk])
    version = queries.board_version(s.pk)
    assert client.get(url, {"v": version}).status_code == 204
    participant, _ = join(s)
    live.post_create(participant=participant, text="New highlight")
    response = client.get(url, {"v": version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "New highlight" in body and "<html" not in body


def test_session_end_keeps_everything_in_the_meeting_record(world, client):
    from tests.workshops.helpers import meeting

    m = meeting(world.network)
    s = live.session_create(
        network=world.network,
        user=None,
        title="Café highlights",
        meeting=m,
        prompts=[{"kind": "highlights", "question": "What did your table find?"}],
    )
    participant, _ = join(s)
    live.post_create(participant=participant, text="We need one door for the young")
    live.session_end(session=s)
    client.force_login(world.member)
    page = client.get(reverse("workshops:meeting", args=["core", m.pk])).content.decode()
    assert "We need one door for the young" in page and "Café highlights" in page


def test_session_for_a_meeting_of_another_network_is_refused(world):
    from tests.workshops.helpers import meeting

    foreign = meeting(world.other)
    with pytest.raises(ValidationError):
        live.session_create(network=world.network, user=None, title="x", meeting=foreign)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "choice", "question": "Pick", "options": "only one"},
        {"kind": "nonsense", "question": "Q"},
        {"kind": "highlights", "question": ""},
        {"kind": "highlights", "question": "x" * 301},
        {"kind": "scale", "question": "Q", "scale_max": "11"},
    ],
)
def test_prompt_form_bad_input_is_a_400(world, client, data):
    s = session(world.network)
    client.force_login(world.coordinator)
    base = {"scale_max": "5", "dots": "3"}
    response = client.post(reverse("workshops:prompt_add", args=["core", s.pk]), {**base, **data})
    assert response.status_code == 400
    assert s.prompts.count() == 1


def test_presenter_shows_pinned_and_newest_highlights_with_merged_counts(world, monkeypatch):
    monkeypatch.setattr(live, "POSTS_PER_PARTICIPANT", (100, 60))
    s = session(world.network)
    participant, _ = join(s)
    posts = [live.post_create(participant=participant, text=f"p{i}")[0] for i in range(6)]
    live.post_merge(post=posts[5], into=posts[1])
    live.post_moderate(post=posts[0], pinned=True)
    live.post_moderate(post=posts[4], hidden=True)
    result = queries.board_results(s.open_prompt, limit=3)
    assert [(i.post.text, i.count) for i in result.items] == [("p0", 1), ("p3", 1), ("p2", 1)]
    assert result.more == 1 and result.answers == 5
    full = queries.board_results(s.open_prompt, limit=10)
    assert [(i.post.text, i.count) for i in full.items][-1] == ("p1", 2)
