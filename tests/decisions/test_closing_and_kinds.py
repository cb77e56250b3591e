"""Closing the loop, the five kinds of poll, results visibility and turnout (issue 20)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.coordination.models import Event
from suhde.decisions import domain
from suhde.decisions.models import Ballot, Comment, Poll
from suhde.decisions.queries import needs_my_vote, poll_result
from tests.decisions.helpers import decision

pytestmark = pytest.mark.django_db


def _open(world, **fields):
    return domain.poll_open(
        decision=decision(world.network, mode=fields.pop("mode", "facilitated")),
        deadline=timezone.now() + timedelta(days=2),
        **fields,
    )


def _headers(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_close_records_outcome_status_distribution_and_review_on_the_clock(client, world):
    p = _open(world)
    domain.poll_vote(poll=p, person=world.member.person, point=3)
    domain.poll_vote(poll=p, person=world.coordinator.person, point=1)
    client.force_login(world.coordinator)
    url = reverse("decisions:poll_close", args=["core", p.decision_id])
    review = timezone.localdate() + timedelta(days=200)
    response = client.post(
        url,
        {"outcome": "Päätettiin kokeilla.", "status": "decided", "review_on": review.isoformat()},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    d = p.decision
    assert (d.status, d.decided_on, d.review_on) == ("decided", timezone.localdate(), review)
    assert p.outcome == "Päätettiin kokeilla." and p.closed_at is not None
    assert p.final["voted"] == 2 and [row[2] for row in p.final["rows"]] == [1, 0, 1, 0, 0, 0, 0, 0]
    event = Event.objects.get(source_kind="decision_review", source_id=str(d.pk))
    assert (event.category.key, event.start.date()) == ("steering", review)
    page = client.get(reverse("decisions:decision", args=["core", d.pk])).content.decode()
    assert "Päätettiin kokeilla." in page and "Distribution of 2 answers" in page


def test_close_without_outcome_or_with_a_bad_status_changes_nothing(client, world):
    p = _open(world)
    client.force_login(world.coordinator)
    url = reverse("decisions:poll_close", args=["core", p.decision_id])
    for data, field in (
        ({"outcome": "", "status": "decided"}, "outcome"),
        ({"outcome": "x", "status": "carried_out"}, "status"),
        ({"outcome": "x", "status": "decided", "review_on": "2001-01-01"}, "review_on"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert list(response.context["form"].errors) == [field]
    p.refresh_from_db()
    assert (p.closed_at, p.decision.status) == (None, "proposed")
    assert not Event.objects.filter(source_kind="decision_review").exists()


def test_close_twice_through_the_api_is_a_400_with_the_message(client, world):
    p = _open(world)
    url = f"/api/v1/decisions/{p.decision_id}/poll/close"
    body = {"outcome": "Ei päätetty.", "status": "not_decided"}
    headers = _headers(world.coordinator)
    first = client.post(url, body, content_type="application/json", headers=headers)
    assert first.status_code == 200 and first.json()["outcome"] == "Ei päätetty."
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert again.status_code == 400
    assert "The poll has already been closed." in again.content.decode()


def test_poll_open_through_the_api_with_dots_and_voting(client, world):
    d = decision(world.network)
    headers = _headers(world.coordinator)
    body = {
        "kind": "dots",
        "deadline": (timezone.now() + timedelta(days=1)).isoformat(),
        "options": ["Kirjasto", "Nuorisotalo", "Koulu"],
        "dots": 3,
        "results": "always",
    }
    opened = client.post(
        f"/api/v1/decisions/{d.pk}/poll", body, content_type="application/json", headers=headers
    )
    assert opened.status_code == 201
    url = f"/api/v1/decisions/{d.pk}/poll/votes"
    too_many = client.post(
        url, {"dots": [2, 2, 0]}, content_type="application/json", headers=headers
    )
    assert (
        too_many.status_code == 400 and "Spread between 1 and 3 dots." in too_many.content.decode()
    )
    ok = client.post(url, {"dots": [2, 0, 1]}, content_type="application/json", headers=headers)
    assert ok.status_code == 201
    assert [(r["label"], r["count"]) for r in ok.json()["distribution"]] == [
        ("Kirjasto", 2),
        ("Nuorisotalo", 0),
        ("Koulu", 1),
    ]
    assert ok.json()["mine"]["dots"] == [2, 0, 1]


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [("consent", 3, 4), ("score", 0, 11), ("sense", 2, 0), ("gradients", 8, 0)],
)
def test_each_kind_takes_its_own_scale(world, kind, good, bad):
    p = _open(world, kind=kind)
    with pytest.raises(Exception, match="Choose one of the answers"):
        domain.poll_vote(poll=p, person=world.member.person, point=bad)
    domain.poll_vote(poll=p, person=world.member.person, point=good)
    assert list(Ballot.objects.values_list("point", flat=True)) == [good]


def test_consent_poll_on_a_top_down_decision_and_its_labels(client, world):
    p = _open(world, kind="consent", mode="top_down")
    domain.poll_vote(poll=p, person=world.member.person, point=3, reason="Liian kallis.")
    client.force_login(world.member)
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("decisions:decision", args=["core", p.decision_id])).content.decode()
    assert "Vastauksesi: Vastalause" in page
    assert "Vastalause</strong> — " in page and "Liian kallis." in page


def test_results_hidden_until_voted_then_shown(client, world):
    p = _open(world, results="voted")
    domain.poll_vote(poll=p, person=world.coordinator.person, point=2, reason="Hyvä.")
    client.force_login(world.member)
    url = reverse("decisions:decision", args=["core", p.decision_id])
    before = client.get(url).content.decode()
    assert "The results are shown once you have answered." in before
    assert "Hyvä." not in before and "poll-result" not in before
    api = client.get(f"/api/v1/decisions/{p.decision_id}/poll", headers=_headers(world.member))
    assert (api.json()["results_shown"], api.json()["distribution"][1]["count"]) == (False, 0)
    client.post(reverse("decisions:poll_vote", args=["core", p.decision_id]), {"point": "1"})
    after = client.get(url).content.decode()
    assert "Hyvä." in after and "Distribution of 2 answers" in after


def test_turnout_and_who_has_not_answered_in_fi_with_plurals(client, world):
    p = _open(world, results="closed")
    result = poll_result(p)
    eligible = result.eligible
    domain.poll_vote(poll=p, person=world.member.person, point=2)
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    url = reverse("decisions:decision", args=["core", p.decision_id])
    page = client.get(url).content.decode()
    assert f"1/{eligible} on vastannut" in page
    assert world.people[0].name in page
    assert f"{eligible - 1} eivät ole vielä vastanneet" in page
    domain.poll_vote(poll=p, person=world.people[0], point=2)
    assert f"2/{eligible} ovat vastanneet" in client.get(url).content.decode()


def test_anonymous_poll_names_nobody_who_has_not_answered(client, world):
    p = _open(world, anonymous=True)
    assert p.results == "closed"  # whatever was asked
    domain.poll_vote(poll=p, person=world.member.person, point=2)
    client.force_login(world.coordinator)
    page = client.get(reverse("decisions:decision", args=["core", p.decision_id])).content.decode()
    assert world.people[0].name not in page and "not answered yet" not in page
    assert "The answers of an anonymous poll are shown once it has closed." in page


def test_anonymous_poll_closed_with_two_answers_never_shows_them(world):
    p = _open(world, anonymous=True)
    domain.poll_vote(poll=p, person=world.member.person, point=8, reason="Ei.")
    domain.poll_vote(poll=p, person=world.coordinator.person, point=1)
    p = domain.poll_close(poll=p, outcome="Ei päätetty.", status="not_decided")
    result = poll_result(p, world.coordinator.person)
    assert (result.visible, result.total, result.reasons) == (False, 0, [])
    assert result.hidden_why.startswith("Fewer than 3 answered")
    assert result.mine.label == "Endorsement"  # one's own answer stays one's own to see


def test_needs_my_vote_lists_open_polls_i_have_not_answered(world):
    p = _open(world)
    assert needs_my_vote(world.member) == [p]
    assert needs_my_vote(world.observer) == []
    domain.poll_vote(poll=p, person=world.member.person, point=1)
    assert needs_my_vote(world.member) == []
    Poll.objects.filter(pk=p.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    assert needs_my_vote(world.coordinator) == []


def test_comment_links_edit_window_hide_and_show_again(client, world):
    d = decision(world.network)
    client.force_login(world.member)
    url = reverse("decisions:comment_create", args=["core", d.pk])
    client.post(url, {"body": "Katso https://example.org/tilat <b>tämä</b>"})
    comment = Comment.objects.get()
    page = client.get(reverse("decisions:decision", args=["core", d.pk])).content.decode()
    assert '<a href="https://example.org/tilat" rel="nofollow">' in page
    assert "&lt;b&gt;tämä&lt;/b&gt;" in page
    edit = reverse("decisions:comment_edit", args=["core", d.pk, comment.pk])
    assert client.post(edit, {"body": "Korjattu."}).status_code == 302
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    late = client.post(edit, {"body": "Myöhässä."})
    assert (
        late.status_code == 400
        and "A comment can be edited for 15 minutes." in late.content.decode()
    )
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at is not None) == ("Korjattu.", True)
    client.force_login(world.coordinator)
    hide = reverse("decisions:comment_hide", args=["core", d.pk, comment.pk])
    client.post(hide)
    api = client.get(f"/api/v1/decisions/{d.pk}/comments", headers=_headers(world.member))
    assert api.json() == []
    client.post(hide, {"hidden": "0"})
    api = client.get(f"/api/v1/decisions/{d.pk}/comments", headers=_headers(world.member))
    assert [c["body"] for c in api.json()] == ["Korjattu."]


def test_comment_mentions_mail_the_member_named(client, world):
    d = decision(world.network)
    named = world.people[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        domain.comment_create(
            decision=d,
            person=world.member.person,
            body=f"@{named.name.upper()} mitä mieltä? @Nobody Here",
            language="en",
        )
    assert [m.to for m in mail.outbox] == [[named.email]]
    assert "mentioned you in the discussion" in mail.outbox[0].body


# Blank bodies and a NUL are refused by the domain (400 with its message); an overlong body by
# the API's schema before the domain is asked (422 naming the field).
@pytest.mark.parametrize(
    "body, status", [("", 400), ("   ", 400), ("x" * 2001, 422), ("a\x00b", 400)]
)
def test_comment_bad_input_is_refused_by_field(client, world, body, status):
    d = decision(world.network)
    response = client.post(
        f"/api/v1/decisions/{d.pk}/comments",
        {"body": body},
        content_type="application/json",
        headers=_headers(world.member),
    )
    assert response.status_code == status
    assert not Comment.objects.exists()


def test_needs_my_vote_on_my_networks_and_the_poll_in_the_digest(client, world):
    from suhde.decisions.digest import polls_section

    p = _open(world)
    client.force_login(world.member)
    page = client.get(reverse("networks:my_networks")).content.decode()
    link = reverse("decisions:decision", args=["core", p.decision_id])
    assert "Needs your vote: Decision (Core)" in page and f'href="{link}"' in page
    domain.poll_vote(poll=p, person=world.member.person, point=1)
    domain.comment_create(decision=p.decision, person=world.member.person, body="Hyvä.")
    assert "Needs your vote" not in client.get(reverse("networks:my_networks")).content.decode()
    section = polls_section(world.network, today=timezone.localdate())
    eligible = poll_result(p).eligible
    assert section.lines[0].startswith(f"Decision: 1/{eligible} has answered, answers by ")
    assert section.lines[1] == "1 new comment in the decisions' discussions this week"


@pytest.mark.parametrize(
    ("deadline", "status"),
    [
        ("2099-01-01T12:00:00", 201),
        ("2099-01-01T12:00:00-21:00", 201),
        ("2001-01-01T12:00:00", 400),
    ],
)
def test_poll_open_api_takes_a_moment_with_or_without_an_offset(client, world, deadline, status):
    d = decision(world.network)
    response = client.post(
        f"/api/v1/decisions/{d.pk}/poll",
        {"deadline": deadline},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == status
    assert Poll.objects.filter(decision=d).count() == (1 if status == 201 else 0)
