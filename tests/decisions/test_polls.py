"""Agreement polls on Kaner's gradients: live, signed in, or by personal link until a deadline."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.tokens import token_digest
from suhde.decisions import domain
from suhde.decisions.models import Ballot, Poll, PollLink
from suhde.decisions.queries import poll_result
from suhde.workshops import live
from suhde.workshops.models import Vote
from tests.decisions.helpers import decision, meeting, poll

pytestmark = pytest.mark.django_db


def _links(world, p):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        domain.poll_links_send(poll=p, language="en")
    urls = {}
    for message in mail.outbox:
        (url,) = re.findall(r"http\S+/vote/\S+/", message.body)
        urls[message.to[0]] = url.split("/vote/")[1].rstrip("/")
    return urls


def test_poll_only_on_a_facilitated_decision(world):
    top = decision(world.network, mode="top_down")
    with pytest.raises(Exception, match="Only a facilitated decision"):
        domain.poll_open(decision=top, deadline=timezone.now() + timedelta(days=1))
    assert not Poll.objects.exists()


def test_poll_vote_signed_in_and_the_distribution(client, world):
    p = poll(world.network)
    client.force_login(world.member)
    url = reverse("decisions:poll_vote", args=["core", p.decision_id])
    assert client.post(url, {"point": "3"}).status_code == 302
    client.force_login(world.coordinator)
    assert client.post(url, {"point": "6", "named": "on", "reason": "Too fast."}).status_code == 302
    result = poll_result(p, world.coordinator.person)
    assert [row.count for row in result.rows] == [0, 0, 1, 0, 0, 1, 0, 0]
    # A named poll lists every answer with its voter and label, reason or not.
    assert [(r.label, r.name, r.reason) for r in result.reasons] == [
        ("Agreement with reservations", world.member.person.name, ""),
        (
            "Formal disagreement, but willing to go with the majority",
            world.coordinator.person.name,
            "Too fast.",
        ),
    ]
    body = client.get(reverse("decisions:decision", args=["core", p.decision_id])).content.decode()
    assert "Your answer: Formal disagreement, but willing to go with the majority" in body
    assert "Distribution of 2 answers" in body
    assert f"2/{result.eligible} have answered" in body


def test_poll_anonymous_disagreement_without_consent_carries_no_name(world):
    d = decision(world.network)
    p = domain.poll_open(decision=d, deadline=timezone.now() + timedelta(days=1), anonymous=True)
    domain.poll_vote(poll=p, person=world.member.person, point=7, named=False, reason="No.")
    domain.poll_vote(poll=p, person=world.coordinator.person, point=1, reason="Yes.")
    domain.poll_vote(poll=p, person=world.people[0], point=6, named=True, reason="Hm.")
    p = domain.poll_close(poll=p, outcome="Done.", status="decided")
    result = poll_result(p)
    assert [(r.label, r.name, r.reason) for r in result.reasons] == [
        ("Endorsement", "", "Yes."),
        (
            "Formal disagreement, but willing to go with the majority",
            world.people[0].name,
            "Hm.",
        ),
        ("Formal disagreement, asking not to take part in carrying it out", "", "No."),
    ]


def test_poll_vote_twice_leaves_one_ballot_the_second(client, world):
    p = poll(world.network)
    domain.poll_vote(poll=p, person=world.member.person, point=1, reason="Good.")
    client.force_login(world.member)
    response = client.post(
        reverse("decisions:poll_vote", args=["core", p.decision_id]),
        {"point": "3", "reason": "Hyvä, mutta kirjaston tilat ovat pienet."},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your answer was changed." in body
    assert "Your answer: Agreement with reservations" in body
    assert list(Ballot.objects.values_list("point", "reason")) == [
        (3, "Hyvä, mutta kirjaston tilat ovat pienet.")
    ]


def test_poll_vote_after_the_deadline_is_refused(client, world):
    p = poll(world.network)
    Poll.objects.filter(pk=p.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(world.member)
    response = client.post(
        reverse("decisions:poll_vote", args=["core", p.decision_id]), {"point": "1"}
    )
    assert response.status_code == 400
    assert "The poll has closed" in response.content.decode()
    assert not Ballot.objects.exists()


def test_poll_vote_with_a_point_outside_the_scale_is_refused(client, world):
    p = poll(world.network)
    client.force_login(world.member)
    for point in ("0", "9", "x", ""):
        response = client.post(
            reverse("decisions:poll_vote", args=["core", p.decision_id]), {"point": point}
        )
        assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_poll_links_by_email_with_128_bit_tokens_stored_as_digests(world):
    p = poll(world.network)
    domain.poll_vote(poll=p, person=world.member.person, point=2)
    urls = _links(world, p)
    assert world.member.person.email not in urls  # already answered
    assert world.coordinator.person.email in urls
    raw = urls[world.coordinator.person.email]
    assert len(raw) >= 43  # 32 random bytes, base64
    link = PollLink.objects.get(person=world.coordinator.person)
    assert link.token_digest == token_digest(raw)
    assert raw not in str(PollLink.objects.values_list())


def test_poll_ballot_by_link_changes_until_the_deadline(client, world):
    p = poll(world.network)
    raw = _links(world, p)[world.coordinator.person.email]
    url = reverse("decisions:ballot", args=[raw])
    page = client.get(url)
    assert page.status_code == 200 and p.decision.title in page.content.decode()
    assert client.post(url, {"point": "5"}).status_code == 200
    assert Ballot.objects.get().channel == "link"
    again = client.post(url, {"point": "1"})
    assert again.status_code == 200
    assert "Your answer: Endorsement" in again.content.decode()
    assert list(Ballot.objects.values_list("point", flat=True)) == [1]


def test_poll_ballot_after_the_deadline_by_link_is_refused(client, world):
    p = poll(world.network)
    raw = _links(world, p)[world.coordinator.person.email]
    Poll.objects.filter(pk=p.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("decisions:ballot", args=[raw]), {"point": "1"})
    assert response.status_code == 400
    assert "The poll has closed" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("raw", ["nonsense", "x" * 43, "x" * 500])
def test_poll_ballot_with_an_unknown_token_is_refused(client, world, raw):
    poll(world.network)
    response = client.post(reverse("decisions:ballot", args=[raw]), {"point": "1"})
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert not Ballot.objects.exists()


def test_poll_ballot_by_someone_no_longer_a_member_is_refused(client, world):
    p = poll(world.network)
    raw = _links(world, p)[world.coordinator.person.email]
    world.coordinator.person.memberships.update(left_on=timezone.localdate())
    response = client.post(reverse("decisions:ballot", args=[raw]), {"point": "1"})
    assert response.status_code == 400
    assert "Only the network&#x27;s members can answer this poll." in response.content.decode()
    assert not Ballot.objects.exists()


def test_poll_vote_by_a_non_member_is_refused(world):
    p = poll(world.network)
    with pytest.raises(Exception, match="Only the network's members"):
        domain.poll_vote(poll=p, person=world.other_person, point=1)
    assert not Ballot.objects.exists()


def test_poll_live_in_a_meeting_session_counts_into_the_distribution(world):
    from suhde.workshops.live import session_create

    session = session_create(
        network=world.network, user=None, title="Meeting", meeting=meeting(world.network)
    )
    d = decision(world.network)
    p = domain.poll_open(
        decision=d, deadline=timezone.now() + timedelta(days=1), session_id=session.pk
    )
    assert p.live_prompt.kind == "gradients"
    live.prompt_open(prompt=p.live_prompt)
    for value in (1, 1, 7):
        participant, _ = live.participant_join(code=session.code)
        Vote.objects.create(prompt=p.live_prompt, participant=participant, value=value)
    domain.poll_vote(poll=p, person=world.member.person, point=2)
    result = poll_result(p, world.member.person)
    assert [row.count for row in result.rows] == [2, 1, 0, 0, 0, 0, 1, 0]
    assert (result.total, result.live, result.voted) == (4, 3, 1)


def test_poll_in_another_networks_session_is_refused(world):
    from suhde.workshops.live import session_create

    theirs = session_create(network=world.other, user=None, title="Theirs")
    with pytest.raises(Exception, match="open sessions"):
        domain.poll_open(
            decision=decision(world.network),
            deadline=timezone.now() + timedelta(days=1),
            session_id=theirs.pk,
        )
    assert not Poll.objects.exists()


def test_poll_open_page_refuses_a_past_deadline_at_the_field(client, world):
    d = decision(world.network)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("decisions:poll_open", args=["core", d.pk]), {"deadline": "2020-01-01T10:00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"deadline": ["The deadline must be in the future."]}
    assert not Poll.objects.exists()


def _headers(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_poll_vote_api_twice_leaves_one_ballot_the_second(client, world):
    p = poll(world.network)
    url = f"/api/v1/decisions/{p.decision_id}/poll/votes"
    headers = _headers(world.member)
    first = client.post(url, {"point": 4}, content_type="application/json", headers=headers)
    assert first.status_code == 201
    assert first.json()["distribution"][3] == {
        "point": 4,
        "label": "Abstain — “I have no opinion.”",
        "count": 1,
    }
    second = client.post(
        url, {"point": 1, "reason": "Better."}, content_type="application/json", headers=headers
    )
    assert second.status_code == 200
    assert second.json()["mine"] == {
        "point": 1,
        "label": "Endorsement",
        "dots": [],
        "reason": "Better.",
    }
    assert [row["count"] for row in second.json()["distribution"]] == [1, 0, 0, 0, 0, 0, 0, 0]
    Poll.objects.filter(pk=p.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = client.post(url, {"point": 2}, content_type="application/json", headers=headers)
    assert late.status_code == 400
    assert list(Ballot.objects.values_list("person", "point")) == [(world.member.person.pk, 1)]


def test_poll_observers_watch_but_do_not_vote(world):
    p = poll(world.network)
    with pytest.raises(Exception, match="Only the network's members"):
        domain.poll_vote(poll=p, person=world.observer.person, point=1)
    assert world.observer.person.email not in _links(world, p)
    assert not Ballot.objects.exists()


def test_poll_links_say_how_many_first_and_send_nothing_on_get(client, world):
    p = poll(world.network)
    domain.poll_vote(poll=p, person=world.member.person, point=2)
    url = reverse("decisions:poll_links", args=["core", p.decision_id])
    count = domain.poll_link_recipients(p).count()
    assert count >= 1 and not domain.poll_link_recipients(p).filter(pk=world.member.person.pk)
    client.force_login(world.member)
    assert client.get(url).status_code == 403
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert f"Send {count} email" in page and f'action="{url}"' in page
    assert not PollLink.objects.exists() and not mail.outbox
    detail = client.get(reverse("decisions:decision", args=["core", p.decision_id])).content
    assert f'href="{url}"'.encode() in detail


def test_poll_links_of_a_closed_poll_are_refused_by_name(client, world):
    p = poll(world.network)
    domain.poll_close(poll=p, outcome="Done.", status="decided")
    client.force_login(world.coordinator)
    url = reverse("decisions:poll_links", args=["core", p.decision_id])
    for method in (client.get, client.post):
        response = method(url, follow=True)
        assert "The poll has closed." in response.content.decode()
    assert not PollLink.objects.exists()


def test_poll_links_to_many_are_written_by_the_worker(client, world, settings):
    from suhde.common.models import OutboxMessage
    from tests.jobs_helpers import job_follow

    settings.SUHDE_MAIL_INLINE_LIMIT = 0  # the network's few stand for thousands
    p = poll(world.network)
    count = domain.poll_link_recipients(p).count()
    client.force_login(world.coordinator)
    page = job_follow(client, reverse("decisions:poll_links", args=["core", p.decision_id]))
    assert ("1 email is on its way." if count == 1 else f"{count} emails are on their way.") in (
        page.content.decode()
    )
    assert OutboxMessage.objects.filter(kind="poll", source=f"poll:{p.pk}").count() == count
    assert PollLink.objects.filter(poll=p).count() == count == len(mail.outbox)
