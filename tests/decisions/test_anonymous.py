"""Anonymous polls stay anonymous (issue 20, docs/privacy.md "Anonymous polls").

Two identical decisions are polled at once in one network. In poll A the member endorses and
another member blocks; in poll B the same two people answer the other way round; a third
answers the same in both. After each answer and after closing, the coordinator reads every page
and every API operation about the polls. If anything they can see told how one person voted,
A's and B's answers would differ somewhere; they do not, byte for byte. The same run on named
polls does differ, so the comparison would see a leak (the attack is real).
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.decisions import domain
from suhde.decisions.models import Ballot, SecretBallot, Voter
from tests.decisions.helpers import decision

pytestmark = pytest.mark.django_db

NOISE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r'nonce="[^"]+"'), "NONCE"),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), "CSRF"),
]


def _pair(world, anonymous: bool):
    polls, deadline = [], (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    for _ in range(2):
        d = decision(world.network, title="Kirjaston tilat")
        polls.append(
            domain.poll_open(
                decision=d,
                deadline=deadline,
                anonymous=anonymous,
                results="always",
            )
        )
    return polls


def _seen(client, headers, world, poll) -> list[str]:
    """Everything the coordinator can read about one poll, with its own ids masked."""
    did = poll.decision_id
    urls = [
        reverse("decisions:decision", args=["core", did]),
        reverse("decisions:poll_close", args=["core", did]),
        reverse("decisions:poll_links", args=["core", did]),
    ]
    # Followed, so that a redirect's message is read in the same poll's turn.
    seen = [client.get(url, follow=True).content.decode() for url in urls]
    api = [f"/api/v1/decisions/{did}/poll", f"/api/v1/decisions/{did}/comments"]
    seen += [client.get(url, headers=headers).content.decode() for url in api]
    masked = []
    for text in seen:
        text = text.replace(f"/decisions/{did}/", "/decisions/ID/")
        text = text.replace(f"poll:{poll.pk}", "poll:ID").replace(f"%22{poll.pk}%22", "ID")
        for pattern, word in NOISE:
            text = pattern.sub(word, text)
        masked.append(text)
    return masked


def _run(client, world, anonymous: bool, steps: int = 3) -> tuple[list, list]:
    a, b = _pair(world, anonymous)
    member, blocker, third = world.member.person, world.people[0], world.people[1]
    client.force_login(world.coordinator)
    headers = {"Authorization": f"Bearer {api_token_create(user=world.coordinator, name='t')[1]}"}
    seen_a, seen_b = [], []

    def look():
        seen_a.extend(_seen(client, headers, world, a))
        seen_b.extend(_seen(client, headers, world, b))

    look()
    # The same people answer in the same order; only who said what is swapped.
    answers = [
        (member, (1, "Hyvä."), (8, "Ei käy.")),
        (blocker, (8, "Ei käy."), (1, "Hyvä.")),
        (third, (3, "Voin elää sen kanssa."), (3, "Voin elää sen kanssa.")),
    ]
    for person, in_a, in_b in answers[:steps]:
        domain.poll_vote(poll=a, person=person, point=in_a[0], reason=in_a[1])
        domain.poll_vote(poll=b, person=person, point=in_b[0], reason=in_b[1])
        look()
    if steps < len(answers):
        return seen_a, seen_b
    # The member answers again: a replaced ballot must not stand out either.
    domain.poll_vote(poll=a, person=member, point=1, reason="Hyvä.")
    domain.poll_vote(poll=b, person=member, point=8, reason="Ei käy.")
    look()
    for poll in (a, b):
        domain.poll_close(poll=poll, outcome="Päätettiin.", status="decided")
    look()
    return seen_a, seen_b


def test_anonymous_poll_a_coordinator_cannot_tell_how_one_person_voted(client, world):
    seen_a, seen_b = _run(client, world, anonymous=True)
    assert len(seen_a) == 6 * 5
    for index, (in_a, in_b) in enumerate(zip(seen_a, seen_b, strict=True)):
        assert in_a == in_b, index
    # The results are shown after closing (three answered), so the test saw real numbers.
    assert "Distribution of 3 answers" in seen_a[-5]
    # Nothing in the tables joins a voter to a ballot.
    assert not Ballot.objects.exists()
    assert Voter.objects.count() == SecretBallot.objects.count() == 6
    assert {f.name for f in SecretBallot._meta.get_fields()} == {
        "id",
        "poll",
        "key",
        "point",
        "dots",
        "signed",
        "reason",
    }


def test_named_poll_the_same_comparison_sees_who_voted_what(client, world):
    """The control: with names, the coordinator's view of A and B differs (the test can fail)."""
    seen_a, seen_b = _run(client, world, anonymous=False, steps=1)
    assert seen_a[5] != seen_b[5]  # after the first answer, the decision's page
