"""Say it (issue 13, point 8): the invitation page and mail state the wave's real k, who sees
what, and that the coordinators cannot read anyone's answers — in every language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from suhde.surveys import domain
from tests.surveys.conftest import members

SAID = {
    "en": ("at least 7 people", "the coordinators", "three people"),
    "fi": ("vähintään 7 henkilö", "koordinaattorit", "kolme henkilöä"),
    "sv": ("minst 7 personer", "koordinatorerna", "tre personer"),
}


@pytest.fixture
def wave_of_seven(survey_world):
    return domain.wave_create(
        network=survey_world.network,
        user=survey_world.coordinator,
        title="Seven",
        closes_at=timezone.now() + timedelta(days=5),
        k=7,
    )


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_mail_states_the_waves_real_k_and_who_sees_what(
    wave_of_seven, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.wave_invitations_send(wave=wave_of_seven, language=language)
    body = mail.outbox[0].body
    for words in SAID[language]:
        assert words in body, (language, words)
    assert "five" not in body and "viiden" not in body and " fem " not in body


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_invitation_page_states_the_waves_real_k_and_who_sees_what(
    client, wave_of_seven, survey_world, language
):
    person = members(survey_world)[3]
    token = domain.survey_link_create(invitation=wave_of_seven.invitations.get(person=person))
    with translation.override(language):
        client.cookies["django_language"] = language
        page = client.get(reverse("survey_start", args=[token]), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    for words in SAID[language]:
        assert words in text, (language, words)
    # Open answers need k people too, and the link follows no changed address unconfirmed.
    assert text.count("7") >= 3
