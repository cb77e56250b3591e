"""Issue 15: mail to many asks first and says to how many; the question changes nothing."""

from django.core import mail
from django.urls import reverse

from suhde.surveys import domain
from tests.surveys.conftest import answer, members


def _url(world):
    return reverse("surveys:wave_invite", args=["core", world.wave.pk])


def test_sending_invitations_asks_first_saying_to_how_many(client, survey_world):
    wave = survey_world.wave
    mailable = wave.invitations.exclude(person__email="").count()
    client.force_login(survey_world.coordinator)
    client.cookies["django_language"] = "fi"
    page = client.get(_url(survey_world))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Lähetä {mailable} sähköpostia" in text
    assert f"{mailable} henkilöä saa henkilökohtaisen linkkinsä sähköpostitse" in text
    assert mail.outbox == []
    assert not wave.invitations.filter(sent_at__isnull=False).exists()


def test_reminding_counts_only_those_without_an_answer(client, survey_world):
    wave = survey_world.wave
    domain.wave_invitations_send(wave=wave, language="en")
    people = members(survey_world)
    for person in people[:2]:
        answer(wave, person, [people[5]])
    mail.outbox.clear()
    unanswered = wave.invitations.exclude(person__email="").count() - 2
    client.force_login(survey_world.coordinator)
    page = client.get(_url(survey_world) + "?only_unanswered=1").content.decode()
    assert f"{unanswered} people who have not answered get a reminder" in page
    assert 'name="only_unanswered" value="1"' in page
    assert mail.outbox == []
    assert not wave.invitations.filter(reminded_at__isnull=False).exists()
    client.post(_url(survey_world), {"only_unanswered": "1"})
    assert wave.invitations.filter(reminded_at__isnull=False).count() == unanswered


def test_the_wave_page_links_to_the_questions_not_bare_forms(client, survey_world):
    client.force_login(survey_world.coordinator)
    html = client.get(reverse("surveys:wave", args=["core", survey_world.wave.pk])).content.decode()
    assert f'href="{_url(survey_world)}"' in html
    assert f'href="{_url(survey_world)}?only_unanswered=1"' in html
    assert f'action="{_url(survey_world)}"' not in html


def test_a_member_is_not_asked(client, survey_world):
    client.force_login(survey_world.member)
    assert client.get(_url(survey_world)).status_code == 403
