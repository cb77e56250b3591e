"""Cheap writes (issue 19, point 2): posts and votes that arrive together commit together."""

import threading

import pytest

from suhde.workshops import appends, live
from suhde.workshops.appends import GroupCommit
from suhde.workshops.models import Post, Vote
from tests.workshops.helpers import join, session


def _waiting(group: GroupCommit, count: int) -> None:
    """Until ``count`` requests wait in the queue (bounded: the threads only append to a list)."""
    for _attempt in range(10_000):
        with group.queue_lock:
            if len(group.queue) == count:
                return
        threading.Event().wait(0.001)
    raise AssertionError("the requests never queued")


def _submit_all(group: GroupCommit, items: list) -> dict:
    """Submit ``items`` from threads of their own while the writer is busy, then let it go."""
    answers: dict = {}

    def submit(item):
        try:
            answers[item] = group.submit(item)
        except ValueError as error:
            answers[item] = error

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    with group.writer:  # a group is being written: the next requests gather meanwhile
        for thread in threads:
            thread.start()
        _waiting(group, len(items))
    for thread in threads:
        thread.join(timeout=10)
    return answers


def test_group_commit_writes_what_gathered_meanwhile_in_one_group():
    written: list[list[int]] = []

    def write(items):
        written.append(sorted(items))
        return [item * 10 for item in items]

    group = GroupCommit(write)
    answers = _submit_all(group, [1, 2, 3, 4, 5])
    assert written == [[1, 2, 3, 4, 5]]
    assert answers == {1: 10, 2: 20, 3: 30, 4: 40, 5: 50}
    assert group.groups == 1
    assert group.queue == []


def test_group_commit_of_one_request_alone_writes_at_once():
    group = GroupCommit(lambda items: [item + 1 for item in items])
    assert group.submit(41) == 42
    assert group.groups == 1


def test_group_commit_gives_a_refused_group_its_error_and_the_next_group_goes_on():
    def write(items):
        if 13 in items:
            raise ValueError("refused")
        return items

    group = GroupCommit(write)
    answers = _submit_all(group, [12, 13])
    assert {item: str(answer) for item, answer in answers.items()} == {
        12: "refused",
        13: "refused",
    }
    assert group.submit(14) == 14


def _post(participant, prompt, text, key=""):
    return Post(prompt=prompt, participant=participant, text=text, key=key)


def test_a_group_stores_a_key_sent_twice_once_and_answers_both_with_the_first_post(world):
    s = session(world.network)
    prompt = s.open_prompt
    anna, _ = join(s)
    ben, _ = join(s)
    group = [
        _post(anna, prompt, "First", key="k1"),
        _post(anna, prompt, "First again", key="k1"),
        _post(ben, prompt, "Ben's", key="k1"),
        _post(ben, prompt, "No key"),
    ]
    results = appends._posts_write(group)
    assert [created for _post_, created in results] == [True, False, True, True]
    assert results[1][0].pk == results[0][0].pk
    stored = list(Post.objects.order_by("pk").values_list("participant_id", "text", "key"))
    assert stored == [
        (anna.pk, "First", "k1"),
        (ben.pk, "Ben's", "k1"),
        (ben.pk, "No key", ""),
    ]
    assert all(post.pk for post, _created in results)


def test_a_key_stored_by_an_earlier_group_answers_with_the_first_post(world):
    s = session(world.network)
    anna, _ = join(s)
    first, created = live.post_create(participant=anna, text="First", key="abc")
    again, created_again = live.post_create(participant=anna, text="Changed text", key="abc")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert list(Post.objects.values_list("text", flat=True)) == ["First"]


def test_a_group_that_the_database_refuses_is_written_again_one_row_at_a_time(world, monkeypatch):
    s = session(world.network)
    prompt = s.open_prompt
    anna, _ = join(s)
    earlier = Post.objects.create(prompt=prompt, participant=anna, text="Stored", key="k")
    real_filter = Post.objects.filter
    calls = {"n": 0}

    def blind_filter(*args, **kwargs):  # the first look misses the row another process wrote
        calls["n"] += 1
        return Post.objects.none() if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Post.objects, "filter", blind_filter)
    results = appends._posts_write(
        [_post(anna, prompt, "Other", "k2"), _post(anna, prompt, "x", "k")]
    )
    monkeypatch.undo()
    assert [(post.text, created) for post, created in results] == [
        ("Other", True),
        ("Stored", False),
    ]
    assert results[1][0].pk == earlier.pk
    assert Post.objects.count() == 2


def test_votes_of_one_group_keep_one_row_each_with_the_last_answer(world):
    s = session(world.network, kind="scale")
    prompt = s.open_prompt
    anna, _ = join(s)
    ben, _ = join(s)
    Vote.objects.create(prompt=prompt, participant=ben, value=1)
    results = appends._votes_write(
        [
            Vote(prompt=prompt, participant=anna, value=2),
            Vote(prompt=prompt, participant=ben, value=3),
            Vote(prompt=prompt, participant=anna, value=5),
        ]
    )
    assert [created for _vote, created in results] == [True, False, False]
    stored = dict(Vote.objects.values_list("participant_id", "value"))
    assert stored == {anna.pk: 5, ben.pk: 3}


@pytest.mark.django_db(transaction=True)
def test_posts_sent_at_the_same_moment_through_the_api_are_stored_in_one_group(world, client):
    s = session(world.network)
    tokens = [join(s, address="")[1] for _ in range(6)]
    before = appends.POSTS.groups
    answers: list[int] = []

    def send(token, number):
        participant = live.participant_for_token(token=token)
        post, created = live.post_create(participant=participant, text=f"Post {number}", key="k")
        answers.append(post.pk if created else -1)

    threads = [threading.Thread(target=send, args=(t, n)) for n, t in enumerate(tokens)]
    with appends.POSTS.writer:
        for thread in threads:
            thread.start()
        _waiting(appends.POSTS, len(tokens))
    for thread in threads:
        thread.join(timeout=10)
    assert appends.POSTS.groups == before + 1
    assert sorted(answers) == sorted(Post.objects.values_list("pk", flat=True))
    assert len(answers) == 6


def test_a_group_in_which_one_participant_changes_an_answer_stores_the_others_as_new(world):
    s = session(world.network, kind="scale")
    prompt = s.open_prompt
    anna, _ = join(s)
    ben, _ = join(s)
    Vote.objects.create(prompt=prompt, participant=ben, value=1)
    results = appends._votes_write(
        [
            Vote(prompt=prompt, participant=anna, value=2),
            Vote(prompt=prompt, participant=ben, value=4),
        ]
    )
    assert [(vote.value, created) for vote, created in results] == [(2, True), (4, False)]
    assert dict(Vote.objects.values_list("participant_id", "value")) == {anna.pk: 2, ben.pk: 4}
