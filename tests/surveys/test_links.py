"""The personal link reaches only its person, and nothing reads an answer back (issue 13, 1–2).

The attack these tests replay: a coordinator changes a respondent's email to their own, sends the
invitations again (or lets the reminder job do it), and opens the link that arrives to read or
overwrite what the respondent answered.
"""

import json
import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.coordination import domain as coordination_domain
from suhde.coordination.models import ConfirmRequest
from suhde.networks import domain as network_domain
from suhde.networks.models import Person
from suhde.surveys import closing, domain
from suhde.surveys.models import PartnerAnswer, Response, Wave
from tests.surveys.conftest import answer, invitation_of, members, token_of

ATTACKER = "coordinator.inbox@evil.example"
SECRET_TEXT = "Only the respondent wrote this sentence."


def _ratings_shown(page: str) -> list[str]:
    """The rating radios a page shows as chosen ("can't say", the empty value, is the default)."""
    return re.findall(r'type="radio"[^>]*name="(\w+)"[^>]*value="(\d)"[^>]*checked', page)


def _api(client, user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _victim_answers(world):
    people = members(world)
    victim, partners = people[3], people[4:7]
    answer(
        world.wave, victim, partners, value=1, level=5, self_value=2, texts={"works": SECRET_TEXT}
    )
    return victim, partners


def _send(capture, **kwargs):
    mail.outbox.clear()
    with capture(execute=True):
        return domain.wave_invitations_send(language="en", **kwargs)


def _links_to(address):
    return [
        re.search(r"/s/(\S+)/", message.body).group(1)
        for message in mail.outbox
        if address in message.to
    ]


def test_changing_the_address_revokes_the_link_at_once(
    client, survey_world, django_capture_on_commit_callbacks
):
    victim, _ = _victim_answers(survey_world)
    old_token = token_of(survey_world.wave, victim)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/people/{victim.pk}",
            data={"network": "core", "email": ATTACKER},
            content_type="application/json",
            headers=_api(client, survey_world.coordinator),
        )
    assert response.status_code == 200
    assert client.get(f"/api/v1/survey/{old_token}").status_code == 404
    page = client.get(reverse("survey_start", args=[old_token]))
    assert page.status_code == 404
    invitation = invitation_of(survey_world.wave, victim)
    assert (invitation.generation, invitation.sent_to) == (1, "")


def test_resending_after_an_address_change_sends_nothing_to_the_new_address(
    client, survey_world, django_capture_on_commit_callbacks
):
    wave = survey_world.wave
    victim, _ = _victim_answers(survey_world)
    _send(django_capture_on_commit_callbacks, wave=wave)
    assert len(_links_to(victim.email)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        network_domain.person_update(
            network=survey_world.network,
            person=victim,
            user=survey_world.coordinator,
            email=ATTACKER,
        )
    sending = _send(django_capture_on_commit_callbacks, wave=wave)
    assert _links_to(ATTACKER) == [] and sending.waiting == 1
    Response.objects.filter(respondent=victim).update(submitted_at=None)  # "not answered"
    _send(django_capture_on_commit_callbacks, wave=wave, only_unanswered=True)
    assert _links_to(ATTACKER) == []
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.reminders_due() > 0  # the reminder job ran and mailed the others
    assert _links_to(ATTACKER) == []


def test_the_old_address_hears_of_the_change_and_gets_no_link(
    survey_world, django_capture_on_commit_callbacks
):
    """Whoever redirected the address could answer in the person's name: the person hears of
    it at the old address, which gets neither the new address nor any survey link."""
    wave = survey_world.wave
    victim, _ = _victim_answers(survey_world)
    old_address = victim.email
    _send(django_capture_on_commit_callbacks, wave=wave)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        network_domain.person_update(
            network=survey_world.network,
            person=victim,
            user=survey_world.coordinator,
            email=ATTACKER,
        )
    to_old = [m for m in mail.outbox if old_address in m.to]
    assert len(to_old) == 1
    assert ATTACKER not in to_old[0].body and "/s/" not in to_old[0].body
    _send(django_capture_on_commit_callbacks, wave=wave)
    assert _links_to(ATTACKER) == [] and _links_to(old_address) == []


def test_a_link_bound_to_one_address_never_goes_to_another_even_without_the_signal(
    survey_world, django_capture_on_commit_callbacks
):
    """A path that changes the address in bulk sends no signal; sending still refuses."""
    wave = survey_world.wave
    victim, _ = _victim_answers(survey_world)
    _send(django_capture_on_commit_callbacks, wave=wave)
    first = _links_to(victim.email)
    Person.objects.filter(pk=victim.pk).update(email=ATTACKER)
    sending = _send(django_capture_on_commit_callbacks, wave=wave)
    assert _links_to(ATTACKER) == [] and sending.waiting == 1
    assert domain.invitation_for_token(first[0]) is None  # the old link was revoked, too


def test_after_confirmation_a_new_link_goes_to_the_new_address_and_reads_nothing_back(
    client, survey_world, django_capture_on_commit_callbacks
):
    wave = survey_world.wave
    victim, partners = _victim_answers(survey_world)
    _send(django_capture_on_commit_callbacks, wave=wave)
    old_link = _links_to(victim.email)[0]
    with django_capture_on_commit_callbacks(execute=True):
        network_domain.person_update(
            network=survey_world.network,
            person=victim,
            user=survey_world.coordinator,
            email=ATTACKER,
        )
    network_domain.person_confirm(person=Person.objects.get(pk=victim.pk))
    _send(django_capture_on_commit_callbacks, wave=wave)
    (new_link,) = _links_to(ATTACKER)
    assert new_link != old_link
    assert domain.invitation_for_token(old_link) is None
    body = client.get(f"/api/v1/survey/{new_link}").json()
    assert body["partners"] == [] and body["submitted"] is False
    assert "1" not in json.dumps(body["partners"]) and SECRET_TEXT not in json.dumps(body)
    for name, args in [
        ("survey_start", []),
        ("survey_roster", []),
        ("survey_partner", [1]),
        ("survey_self", []),
        ("survey_open", []),
        ("survey_review", []),
    ]:
        page = client.get(reverse(name, args=[new_link, *args]), follow=True).content.decode()
        assert SECRET_TEXT not in page
        assert _ratings_shown(page) == []
        assert not re.search(r'type="checkbox"[^>]*checked', page)  # no partner ticked
    # The earlier answers still count until the new link writes; then they are replaced whole.
    assert Response.objects.get(respondent=victim).submitted_at is not None
    client.post(reverse("survey_roster", args=[new_link]), {"partners": [str(partners[0].pk)]})
    response = Response.objects.get(respondent=victim)
    assert response.submitted_at is None and response.c1 is None
    assert list(response.partners.values_list("partner_id", "level", "k1")) == [
        (partners[0].pk, None, None)
    ]
    assert not response.open_answers.exists()


def test_the_persons_own_confirmation_of_a_new_address_lets_the_link_follow(
    client, survey_world, django_capture_on_commit_callbacks
):
    """Correcting one's own address through the confirm-your-details link is confirmation."""
    wave = survey_world.wave
    victim, _ = _victim_answers(survey_world)
    with django_capture_on_commit_callbacks(execute=True):
        coordination_domain.confirm_requests_send(network=survey_world.network, people=[victim])
    request = ConfirmRequest.objects.get(person=victim)
    with django_capture_on_commit_callbacks(execute=True):
        coordination_domain.confirm_submit(request=request, email="new.me@example.org")
    sending = _send(django_capture_on_commit_callbacks, wave=wave)
    assert sending.waiting == 0
    assert len(_links_to("new.me@example.org")) == 1


def test_pages_show_ratings_back_only_in_the_session_that_wrote_them(client, survey_world):
    from django.test import Client

    people = members(survey_world)
    me, partner = people[3], people[4]
    token = token_of(survey_world.wave, me)
    client.post(reverse("survey_roster", args=[token]), {"partners": [str(partner.pk)]})
    client.post(reverse("survey_partner", args=[token, 1]), {"level": "4", "K1": "2", "T1": "3"})
    client.post(reverse("survey_self", args=[token]), {"C1": "5", "barriers": SECRET_TEXT})
    client.post(reverse("survey_review", args=[token]))
    mine = client.get(reverse("survey_partner", args=[token, 1])).content.decode()
    assert ("K1", "2") in _ratings_shown(mine)
    assert SECRET_TEXT in client.get(reverse("survey_self", args=[token])).content.decode()
    stranger = Client()
    roster = stranger.get(reverse("survey_roster", args=[token])).content.decode()
    assert f'value="{partner.pk}" id="partner-{partner.pk}" checked' in roster  # partners only
    for name, args in [("survey_partner", [1]), ("survey_self", []), ("survey_open", [])]:
        page = stranger.get(reverse(name, args=[token, *args])).content.decode()
        assert _ratings_shown(page) == [] and SECRET_TEXT not in page
    review = stranger.get(reverse("survey_review", args=[token])).content.decode()
    assert "way of working" not in review


def test_drafts_follow_the_same_rule(client, survey_world):
    from django.test import Client

    people = members(survey_world)
    me, partner = people[3], people[4]
    token = token_of(survey_world.wave, me)
    client.post(reverse("survey_roster", args=[token]), {"partners": [str(partner.pk)]})
    client.post(reverse("survey_partner", args=[token, 1]), {"level": "2", "K1": "1"})
    assert Response.objects.get(respondent=me).submitted_at is None
    page = Client().get(reverse("survey_partner", args=[token, 1])).content.decode()
    assert _ratings_shown(page) == []
    assert ("level", "2") in _ratings_shown(
        client.get(reverse("survey_partner", args=[token, 1])).content.decode()
    )
    api = Client().get(f"/api/v1/survey/{token}").json()
    assert api["partners"] == [{"person": partner.pk}]


def test_answering_again_in_another_session_overwrites_without_reading(client, survey_world):
    from django.test import Client

    people = members(survey_world)
    me, partner = people[3], people[4]
    answer(survey_world.wave, me, [partner], value=4, level=5)
    token = token_of(survey_world.wave, me)
    Client().post(reverse("survey_partner", args=[token, 1]), {"level": "1", "K1": "1"})
    assert list(PartnerAnswer.objects.values_list("level", "k1", "k2")) == [(1, 1, None)]


def test_closed_waves_keep_their_links_but_show_nothing(client, survey_world):
    victim, _ = _victim_answers(survey_world)
    token = token_of(survey_world.wave, victim)
    closing.wave_close(wave=survey_world.wave, at=timezone.now())
    page = client.get(reverse("survey_start", args=[token])).content.decode()
    assert SECRET_TEXT not in page and "closed" in page
    assert client.get(f"/api/v1/survey/{token}").status_code == 404
