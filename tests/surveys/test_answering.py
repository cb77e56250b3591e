import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from suhde.networks.models import Tie, TieOrigin
from suhde.surveys import closing, domain
from suhde.surveys.models import PartnerAnswer, Response, Wave, WaveTie
from tests.factories import NetworkFactory
from tests.surveys.conftest import answer, invitation_of, members, token_of


def _counts():
    return (Response.objects.count(), PartnerAnswer.objects.count())


def test_respondent_walks_through_the_survey_on_a_phone(client, survey_world):
    people = members(survey_world)
    me, partners = people[3], people[4:6]
    token = token_of(survey_world.wave, me)
    assert "confidential" in client.get(reverse("survey_start", args=[token])).content.decode()
    response = client.post(
        reverse("survey_roster", args=[token]), {"partners": [str(p.pk) for p in partners]}
    )
    assert response["Location"] == reverse("survey_partner", args=[token, 1])
    for number in (1, 2):
        response = client.post(
            reverse("survey_partner", args=[token, number]),
            {
                "level": "4",
                "K1": "4",
                "K2": "3",
                "K3": "",
                "K4": "2",
                "T1": "4",
                "T2": "4",
                "T3": "3",
                "T4": "",
                "C4": "4",
            },
        )
        assert response.status_code == 302
    client.post(
        reverse("survey_self", args=[token]),
        {"C1": "5", "C2": "4", "C3": "2", "barriers": "Too little time."},
    )
    client.post(reverse("survey_open", args=[token]), {"works": "Trust.", "improve": ""})
    response = client.post(reverse("survey_review", args=[token]))
    assert response["Location"] == reverse("survey_thanks", args=[token])
    saved = Response.objects.get(respondent=me)
    assert saved.submitted_at is not None
    assert (saved.c1, saved.c2, saved.c3) == (5, 4, 2)
    answers = saved.partners.order_by("partner_id")
    assert [(a.level, a.k1, a.k3, a.t4, a.c4) for a in answers] == [(4, 4, None, None, 4)] * 2
    assert {a.kind: a.text for a in saved.open_answers.all()} == {
        "barriers": "Too little time.",
        "works": "Trust.",
    }


def test_my_organization_button_ticks_my_colleagues(client, survey_world):
    people = members(survey_world)
    me = next(p for p in people if p.organization == survey_world.ngo)
    token = token_of(survey_world.wave, me)
    client.post(reverse("survey_roster", args=[token]), {"my_organization": "1"})
    chosen = set(Response.objects.get(respondent=me).partners.values_list("partner_id", flat=True))
    assert chosen == {p.pk for p in people if p.organization == survey_world.ngo and p != me}


def test_draft_is_kept_and_answers_can_change_until_closing(survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]], value=2, submit=False)
    answer(survey_world.wave, people[3], [people[5]], value=4, submit=True)
    response = Response.objects.get(respondent=people[3])
    assert list(response.partners.values_list("partner_id", "t1")) == [(people[5].pk, 4)]
    assert Response.objects.count() == 1


# A link that names no invitation is not found; a real link outside the wave's time still finds
# its wave and says so in a page of its own.
@pytest.mark.parametrize(
    ("mutation", "status"), [("unknown", 404), ("closed", 200), ("not_open_yet", 200)]
)
def test_bad_links_get_a_friendly_page_and_change_nothing(client, survey_world, mutation, status):
    token = token_of(survey_world.wave, members(survey_world)[3])
    if mutation == "unknown":
        token = "x" * 43
    elif mutation == "closed":
        closing.wave_close(wave=survey_world.wave)
    else:
        Wave.objects.filter(pk=survey_world.wave.pk).update(
            opens_at=timezone.now() + timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=3),
        )
    before = _counts()
    page = client.post(reverse("survey_roster", args=[token]), {"partners": ["1"]})
    assert page.status_code == status
    assert "survey" in page.content.decode().lower()
    assert _counts() == before


def test_tampered_roster_with_an_outsider_is_refused(client, survey_world):
    me = members(survey_world)[3]
    token = token_of(survey_world.wave, me)
    before = _counts()
    page = client.post(
        reverse("survey_roster", args=[token]), {"partners": [str(survey_world.other_person.pk)]}
    )
    assert page.status_code == 400
    assert "not in this survey" in page.content.decode()
    assert _counts() == before


def test_tampered_partner_values_are_refused(client, survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]], submit=False)
    token = token_of(survey_world.wave, people[3])
    page = client.post(reverse("survey_partner", args=[token, 1]), {"level": "9", "K1": "7"})
    assert page.status_code == 400
    assert PartnerAnswer.objects.get().level == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"partners": [{"person": 0, "level": 3}]}, "partners"),
        ({"partners": [{"person": "me", "level": 3}]}, "partners"),
        ({"self": {"C1": 6}}, "C1"),
        ({"self": {"C9": 1}}, "self"),
        ({"open": {"works": "x" * 2001}}, "works"),
    ],
)
def test_response_put_refuses_bad_values_and_stores_nothing(survey_world, payload, field):
    before = _counts()
    with pytest.raises(domain.ValidationError) as error:
        domain.response_put(
            invitation=invitation_of(survey_world.wave, members(survey_world)[3]), payload=payload
        )
    assert field in error.value.message_dict
    assert _counts() == before


def test_partner_from_another_network_is_refused(survey_world):
    with pytest.raises(domain.ValidationError):
        answer(survey_world.wave, members(survey_world)[3], [survey_world.other_person])
    assert not PartnerAnswer.objects.exists()


def test_one_response_per_respondent_is_a_database_rule(survey_world):
    person = members(survey_world)[3]
    Response.objects.create(wave=survey_world.wave, respondent=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(wave=survey_world.wave, respondent=person)


def test_wave_bad_input_is_refused(survey_world):
    network = survey_world.network
    now = timezone.now()
    cases = [
        ({"title": "", "closes_at": now + timedelta(days=1)}, "title"),
        ({"title": "W", "closes_at": now - timedelta(days=1)}, "closes_at"),
        ({"title": "W", "closes_at": now + timedelta(days=1), "k": 2}, "k"),
        (
            {
                "title": "W",
                "closes_at": now + timedelta(days=1),
                "invitees": [survey_world.other_person.pk],
            },
            "invitees",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(domain.ValidationError) as error:
            domain.wave_create(network=network, user=None, **fields)
        assert field in error.value.message_dict
    assert Wave.objects.count() == 1


def test_invitations_mail_personal_links_and_reminders_skip_the_answered(
    survey_world, django_capture_on_commit_callbacks
):
    people = [p for p in members(survey_world) if p.email]
    with django_capture_on_commit_callbacks(execute=True):
        sent = domain.wave_invitations_send(wave=survey_world.wave, language="en")
    assert (sent.sent, sent.waiting) == (len(people), 0)
    links = {re.search(r"/s/(\S+)/", m.body).group(1) for m in mail.outbox}
    assert len(links) == len(people)
    assert all(len(link) >= 43 for link in links)
    answer(survey_world.wave, people[0], [people[1]])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.wave_invitations_send(wave=survey_world.wave, only_unanswered=True, language="en")
    assert people[0].email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == len(people) - 1
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)


def test_scheduled_reminders_go_once(survey_world, django_capture_on_commit_callbacks):
    wave = survey_world.wave
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() + timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        first = domain.reminders_due()
        second = domain.reminders_due()
    assert first > 0 and second == 0
    assert sorted(Wave.objects.get(pk=wave.pk).reminders_sent) == [1, 7]


def test_survey_link_never_reaches_the_logs(client, survey_world):
    from suhde.common.logging import RedactTokensFilter

    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RedactTokensFilter())
    logging.getLogger("django").addHandler(handler)
    try:
        client.get(reverse("survey_start", args=["y" * 43]))
        client.get("/api/v1/survey/" + "z" * 43)
    finally:
        logging.getLogger("django").removeHandler(handler)
    assert lines
    assert not any("y" * 43 in line or "z" * 43 in line for line in lines)


def test_closing_turns_answers_into_ties_of_the_wave(survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]], level=4)
    answer(survey_world.wave, people[4], [people[3]], level=1)
    answer(survey_world.wave, people[5], [people[3]], submit=False)  # a draft does not count
    wave = closing.wave_close(wave=survey_world.wave)
    ties = Tie.objects.filter(network=survey_world.network, origins__kind="survey")
    assert sorted((t.source_id, t.target_id, t.strength) for t in ties) == sorted(
        [(people[3].pk, people[4].pk, "strong"), (people[4].pk, people[3].pk, "weak")]
    )
    assert set(WaveTie.objects.values_list("wave_id", flat=True)) == {wave.pk}
    assert sorted(WaveTie.objects.values_list("origin__tie_id", flat=True)) == sorted(
        t.pk for t in ties
    )
    assert all(t.knowing is None and t.trust is None for t in ties)
    assert all(t.since is None for t in ties)  # survey ties carry the wave, not a date
    assert set(TieOrigin.objects.filter(kind="survey").values_list("label", "current")) == {
        (wave.title, True)
    }
    assert wave.snapshot["responses"] == {
        "invited": len(people),
        "answered": 2,
        "rate": round(2 / len(people) * 100, 1),
    }
    assert wave.snapshot["structure"]["network"]["ties"] == 2


def test_a_second_wave_replaces_its_respondents_ties(survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]])
    answer(survey_world.wave, people[5], [people[6]])
    closing.wave_close(wave=survey_world.wave)
    second = domain.wave_create(
        network=survey_world.network,
        user=None,
        title="Wave 2",
        closes_at=timezone.now() + timedelta(days=5),
        k=3,
    )
    answer(second, people[3], [people[7]])
    closing.wave_close(wave=second)
    pairs = set(
        Tie.objects.filter(origins__kind="survey", origins__current=True).values_list(
            "source_id", "target_id"
        )
    )
    assert pairs == {(people[3].pk, people[7].pk), (people[5].pk, people[6].pk)}


def test_a_wave_lists_only_its_network(client, survey_world):
    NetworkFactory()
    client.force_login(survey_world.outsider)
    assert client.get(reverse("surveys:waves", args=["core"])).status_code == 404


def test_wave_is_on_the_annual_clock_and_in_the_digest(survey_world):
    from suhde.coordination.digest import DIGEST_PROVIDERS
    from suhde.coordination.models import Event

    wave = survey_world.wave
    event = Event.objects.get(source_kind="survey_wave", source_id=str(wave.pk))
    assert (event.title, event.start, event.end) == (wave.title, wave.opens_at, wave.closes_at)
    assert event.category.key == "surveys"
    sections = [p(survey_world.network, today=timezone.localdate()) for p in DIGEST_PROVIDERS]
    survey_section = next(s for s in sections if s and s.title == "Open survey waves")
    assert survey_section.lines == [
        f"Wave 1: 0 of {wave.invitations.count()} answered, closes on "
        f"{timezone.localtime(wave.closes_at):%-d %b %Y}"
    ]
    closing.wave_close(wave=wave)
    event.refresh_from_db()
    assert event.end <= timezone.now()


def test_wave_counts_do_not_multiply_each_other(survey_world):
    from suhde.surveys import queries

    people = members(survey_world)
    for person in people[3:6]:
        answer(survey_world.wave, person, [people[7]])
    wave = queries.wave_in(survey_world.network, survey_world.wave.pk)
    assert (wave.invited, wave.answered) == (len(people), 3)


def test_percent_and_index_round_rather_than_cut():
    from suhde.surveys.templatetags.surveys import index, percent

    assert percent(0.489) == "49 %"
    assert index(66.66) == "66.7"


def test_a_removed_survey_tie_comes_back_with_its_wave_link(survey_world):
    from suhde.common.removals import removal_restore
    from suhde.networks.domain import tie_delete

    people = members(survey_world)
    answer(survey_world.wave, people[6], [people[7]], level=4)
    wave = closing.wave_close(wave=survey_world.wave)
    tie = Tie.objects.get(source=people[6], target=people[7])
    link, tie_id = WaveTie.objects.get(origin__tie=tie), tie.pk
    removal = tie_delete(tie=tie)
    assert not WaveTie.objects.filter(pk=link.pk).exists()
    removal_restore(removal=removal)
    restored = WaveTie.objects.get(pk=link.pk)
    assert (restored.wave_id, restored.origin.tie_id) == (wave.pk, tie_id)


def test_closing_a_wave_runs_in_the_worker_and_the_page_follows_it(
    client, survey_world, django_capture_on_commit_callbacks
):
    from suhde.common.models import AuditEvent

    wave = survey_world.wave
    client.force_login(survey_world.coordinator)
    url = reverse("surveys:wave_close", args=["core", wave.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/n/core/jobs/")
    wave.refresh_from_db()
    assert wave.status == "closed" and wave.snapshot["k"] == 3
    page = client.get(response["Location"]).content.decode()
    assert "The wave was closed and its results computed." in page
    assert reverse("surveys:results", args=["core", wave.pk]) in page
    assert AuditEvent.objects.filter(action="survey_wave_close").count() == 1
    again = client.post(url)  # a closed wave is not closed twice
    assert again.status_code == 302 and again["Location"] == reverse(
        "surveys:wave", args=["core", wave.pk]
    )


def test_a_large_wave_has_its_invitations_written_by_the_worker(
    client, survey_world, settings, django_capture_on_commit_callbacks
):
    from suhde.common.models import OutboxMessage

    settings.SUHDE_MAIL_INLINE_LIMIT = 2  # this wave of 15 stands for a large one
    wave = survey_world.wave
    client.force_login(survey_world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:wave_invite", args=["core", wave.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/n/core/jobs/")
    invitees = wave.invitations.exclude(person__email="").count()
    assert OutboxMessage.objects.filter(source=f"wave:{wave.pk}", kind="survey").count() == invitees
    assert len(mail.outbox) == invitees
    page = client.get(response["Location"]).content.decode()
    assert f"{invitees} emails are on their way." in page
