"""Cheap writes for live sessions: concurrent posts and votes are committed together.

A room of 1,000 phones posts at once. Each post used to be one transaction of its own, and every
request of a process queued for SQLite's one writer in turn. Here a process commits what its
requests bring in *groups*: a request validates its post (``live.post_create``), puts the row in
the process's queue and waits; whoever holds the writer takes everything queued so far and writes
it in one transaction, then answers every request of the group. While one group is being written
the next one gathers, so a quiet room writes one row at a time with no added wait, and a busy
one writes tens of rows per transaction (group commit, as databases do for their own log).

Nothing is acknowledged before its row has committed, so killing a process (``kill -9``) loses
no acknowledged post (``tests/workshops/test_kill.py``); a request that was cut off before its
answer is sent again by the phone with the same key, and ``(participant, key)`` stores it once.
A group that the database refuses as a whole (two processes wrote the same key at the same
moment) is written again one row at a time, so one row's trouble is never another's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from django.db import IntegrityError, transaction

from .models import Post, Vote
from .push import changed


class GroupCommit:
    """Run ``write(items)`` for whatever was queued while the previous group was being written.

    ``write`` gets a list of items and returns one result per item, in order; an exception it
    raises goes to every request of that group.
    """

    def __init__(self, write: Callable[[list[Any]], list[Any]]):
        self.write = write
        self.queue: list[tuple[Any, Future]] = []
        self.queue_lock = threading.Lock()  # held only to put into or take from the queue
        self.writer = threading.Lock()  # held by the request that writes a group
        self.groups = 0  # how many groups this process wrote (the tests read it)

    def submit(self, item: Any) -> Any:
        future: Future = Future()
        with self.queue_lock:
            self.queue.append((item, future))
        with self.writer:
            if not future.done():  # nobody wrote it while this request waited: write the group
                with self.queue_lock:
                    group, self.queue = self.queue, []
                self._write(group)
        return future.result()

    def _write(self, group: list[tuple[Any, Future]]) -> None:
        self.groups += 1
        try:
            results = self.write([item for item, _future in group])
        except BaseException as error:  # every request of the group learns of it
            for _item, future in group:
                future.set_exception(error)
            return
        for (_item, future), result in zip(group, results, strict=True):
            future.set_result(result)


# --- posts ---------------------------------------------------------------------------------------


def _posts_write(posts: list[Post]) -> list[tuple[Post, bool]]:
    """Most groups carry only new keys: one INSERT. A key stored before costs a second look."""
    first: dict[tuple[int, str], Post] = {}
    new = [p for p in posts if not p.key or first.setdefault((p.participant_id, p.key), p) is p]
    try:
        with transaction.atomic():
            Post.objects.bulk_create(new)
            _announce(new)
    except IntegrityError:  # a key of this group was stored before (a retry after a lost answer)
        return _posts_retry(posts)
    return [(p, True) if not p.key or first[(p.participant_id, p.key)] is p
            else (first[(p.participant_id, p.key)], False) for p in posts]  # fmt: skip


def _posts_retry(posts: list[Post]) -> list[tuple[Post, bool]]:
    try:
        with transaction.atomic():
            return _posts_insert(posts)
    except IntegrityError:  # another process stored one of these keys just now
        results = []
        for post in posts:
            with transaction.atomic():
                results.extend(_posts_insert([post]))
        return results


def _announce(rows: list[Post] | list[Vote]) -> None:
    for session_id in {row.participant.session_id for row in rows}:
        changed(session_id)  # once the group has committed


def _posts_insert(posts: list[Post]) -> list[tuple[Post, bool]]:
    """Insert what is new in the group; a key seen before answers with the first post."""
    for post in posts:
        post.pk = None  # a failed first attempt may have numbered them
    keyed = [(p.participant_id, p.key) for p in posts if p.key]
    earlier: dict[tuple[int, str], Post] = {}
    if keyed:
        found = Post.objects.filter(
            participant_id__in={pid for pid, _key in keyed}, key__in={key for _pid, key in keyed}
        )
        earlier = {(p.participant_id, p.key): p for p in found}
    new: list[Post] = []
    for post in posts:
        if not post.key:
            new.append(post)
        elif (post.participant_id, post.key) not in earlier:
            earlier[(post.participant_id, post.key)] = post
            new.append(post)
    Post.objects.bulk_create(new)
    _announce(new)
    fresh = {id(p) for p in new}
    return [
        (post, True) if id(post) in fresh else (earlier[(post.participant_id, post.key)], False)
        for post in posts
    ]


# --- votes ---------------------------------------------------------------------------------------


def _votes_write(votes: list[Vote]) -> list[tuple[Vote, bool]]:
    """First answers are one INSERT; a group with a changed answer costs a look at the rows."""
    last: dict[tuple[int, int], Vote] = {}
    for vote in votes:
        last[(vote.prompt_id, vote.participant_id)] = vote
    if len(last) == len(votes):  # nobody answered twice within the group
        try:
            with transaction.atomic():
                Vote.objects.bulk_create(votes)
                _announce(votes)
            return [(vote, True) for vote in votes]
        except IntegrityError:  # someone changes an earlier answer
            for vote in votes:
                vote.pk = None
    try:
        with transaction.atomic():
            return _votes_upsert(votes)
    except IntegrityError:  # another process stored a first answer of the same person just now
        results = []
        for vote in votes:
            with transaction.atomic():
                results.extend(_votes_upsert([vote]))
        return results


def _votes_upsert(votes: list[Vote]) -> list[tuple[Vote, bool]]:
    """One row per participant and poll: a first answer is inserted, a later one replaces it."""
    pairs = {(v.prompt_id, v.participant_id) for v in votes}
    found = Vote.objects.filter(
        prompt_id__in={prompt for prompt, _p in pairs},
        participant_id__in={participant for _q, participant in pairs},
    )
    rows = {(v.prompt_id, v.participant_id): v for v in found}
    new: list[Vote] = []
    results: list[tuple[Vote, bool]] = []
    for vote in votes:  # in the order they came: the last answer of the group is the one kept
        pair = (vote.prompt_id, vote.participant_id)
        row = rows.get(pair)
        if row is None:
            rows[pair] = vote
            new.append(vote)
            results.append((vote, True))
        else:
            row.value = vote.value
            results.append((row, False))
    Vote.objects.bulk_create(new)
    fresh = {id(v) for v in new}
    changed_rows = [v for pair, v in rows.items() if id(v) not in fresh and pair in pairs]
    if changed_rows:
        Vote.objects.bulk_update(changed_rows, ["value"])
    _announce(votes)
    return results


POSTS = GroupCommit(_posts_write)
VOTES = GroupCommit(_votes_write)


def post_append(post: Post) -> tuple[Post, bool]:
    """Store a validated post with whatever else is arriving; ``(post, created)`` once committed."""
    return POSTS.submit(post)


def vote_append(vote: Vote) -> tuple[Vote, bool]:
    """Store a validated vote (or change the earlier one); ``(vote, created)`` once committed."""
    return VOTES.submit(vote)
