"""Rotating SECRET_KEY breaks no link (docs/deploy.md, "Rotating the secret key").

Every kind of link is a random token whose digest is stored (common/tokens.py): nothing is
derived from the key. Survey links used to be an HMAC of the key; the migration that moved them
to random tokens keeps every link already mailed working, and so does every later key.
"""

import base64
import hashlib
import hmac
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.coordination import domain as coordination
from suhde.networks import domain as networks
from suhde.networks.models import Role
from suhde.surveys import domain as surveys
from suhde.surveys.models import SurveyInvitation, SurveyLink
from suhde.workshops import live
from tests.decisions.helpers import poll
from tests.factories import PersonFactory
from tests.workshops.helpers import session

NEW_KEY = "rotated-" + "k" * 60


def _path_in(message, prefix: str) -> str:
    (path,) = re.findall(rf"https?://[^/\s]+({prefix}[A-Za-z0-9_-]+/)", message.body)
    return path


def _mailed(capture, send) -> list:
    mail.outbox.clear()
    with capture(execute=True):
        send()
    return list(mail.outbox)


def test_every_kind_of_link_works_after_the_key_is_rotated(
    client, survey_world, settings, django_capture_on_commit_callbacks
):
    world = survey_world
    capture = django_capture_on_commit_callbacks
    invitee = world.people[0]
    (survey,) = [
        _path_in(m, "/s/")
        for m in _mailed(capture, lambda: surveys.wave_invitations_send(wave=world.wave))
        if invitee.email in m.to
    ]
    newcomer = PersonFactory(organization=world.organization, email="new@example.org")
    (invited,) = _mailed(
        capture,
        lambda: networks.invitation_create(
            network=world.network, person=newcomer, role=Role.MEMBER, invited_by=world.coordinator
        ),
    )
    confirms = _mailed(
        capture,
        lambda: coordination.confirm_requests_send(network=world.network, people=[invitee]),
    )
    (proposed,) = _mailed(
        capture,
        lambda: networks.person_change_propose(
            network=world.network, person=world.member.person, user=world.coordinator, phone="1"
        ),
    )
    ballots = _mailed(capture, lambda: surveys_poll_send(world))
    _feed, feed_raw = coordination.feed_create(user=world.member, network=world.network)
    _api, api_raw = api_token_create(user=world.member, name="script")
    participant, live_raw = live.participant_join(
        code=session(world.network).code, address="1.2.3.4"
    )

    settings.SECRET_KEY = NEW_KEY

    assert client.get(survey).status_code == 200
    assert client.get(_path_in(invited, "/invite/")).status_code == 200
    assert client.get(_path_in(confirms[0], "/confirm/")).status_code == 200
    assert client.get(_path_in(proposed, "/change/")).status_code == 200
    assert client.get(_path_in(ballots[0], "/vote/")).status_code == 200
    feed = reverse("coordination:ical_feed", args=[feed_raw])
    assert client.get(feed).status_code == 200
    networks_list = client.get("/api/v1/networks", headers={"Authorization": f"Bearer {api_raw}"})
    assert networks_list.status_code == 200
    assert live.participant_for_token(token=live_raw) == participant


def test_a_signed_in_session_survives_a_rotation_with_the_old_key_as_fallback(
    client, world, settings
):
    """Without the fallback everyone signs in again; with it, the session is carried over."""
    from django.test import Client

    home = reverse("networks:home", args=["core"])
    other = Client()
    client.force_login(world.member)
    other.force_login(world.member)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = NEW_KEY
    assert other.get(home).status_code == 302
    settings.SECRET_KEY_FALLBACKS = [old]
    assert client.get(home).status_code == 200


def surveys_poll_send(world) -> None:
    from suhde.decisions import domain as decisions

    decisions.poll_links_send(poll=poll(world.network), language="en")


def test_a_reminder_carries_a_new_link_and_the_first_still_opens(
    client, survey_world, django_capture_on_commit_callbacks
):
    invitee = survey_world.people[0]
    links = []
    for _ in range(2):
        messages = _mailed(
            django_capture_on_commit_callbacks,
            lambda: surveys.wave_invitations_send(wave=survey_world.wave),
        )
        links += [_path_in(m, "/s/") for m in messages if invitee.email in m.to]
    first, reminder = links
    assert first != reminder
    assert [client.get(link).status_code for link in links] == [200, 200]
    invitation = SurveyInvitation.objects.get(wave=survey_world.wave, person=invitee)
    assert invitation.links.count() == 2


def test_a_survey_token_is_looked_up_only_by_its_digest(survey_world):
    """Hashed at rest: no column holds the raw token; a digest handed in as a token opens
    nothing, nor does an overlong or malformed token."""
    raw = surveys.survey_link_create(invitation=survey_world.wave.invitations.first())
    stored = SurveyLink.objects.get().token_digest
    assert raw not in stored and stored == hashlib.sha256(raw.encode()).hexdigest()
    assert surveys.invitation_for_token(stored) is None
    assert surveys.invitation_for_token(raw + "x" * 100) is None
    assert surveys.invitation_for_token(raw[:-1] + "%") is None
    assert surveys.invitation_for_token(raw) is not None


def _old_survey_token(key: str, invitation_id: int, wave_id: int) -> str:
    """How a survey link was made before the random tokens (surveys/domain.py until 0007)."""
    secret = hashlib.sha256(("suhde-survey-link:" + key).encode()).digest()
    mac = hmac.new(secret, f"{wave_id}:{invitation_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


@pytest.mark.django_db(transaction=True)
def test_survey_links_mailed_before_the_migration_keep_working_under_a_new_key(
    client, survey_world, settings
):
    invitation = survey_world.wave.invitations.order_by("pk").first()
    old = _old_survey_token(settings.SECRET_KEY, invitation.pk, invitation.wave_id)
    call_command("migrate", "surveys", "0006", verbosity=0)
    with connection.cursor() as cursor:  # as the old code stored it: the digest of the HMAC
        cursor.execute(
            "UPDATE surveys_surveyinvitation SET token_digest = %s WHERE id = %s",
            [hashlib.sha256(old.encode()).hexdigest(), invitation.pk],
        )
    call_command("migrate", "surveys", verbosity=0)
    settings.SECRET_KEY = NEW_KEY
    assert client.get(reverse("survey_start", args=[old])).status_code == 200
    assert client.get(f"/api/v1/survey/{old}").status_code == 200
    assert SurveyLink.objects.filter(invitation=invitation).count() == 1
