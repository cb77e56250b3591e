"""Issue 15: closing a wave is final, so it asks first and shows how many have answered."""

from django.core import mail
from django.urls import reverse

from suhde.common.jobs import job_execute, job_start
from suhde.common.models import AuditEvent, Job
from suhde.networks.models import Membership, Role
from suhde.surveys import closing, domain
from suhde.surveys.jobs import INVITATIONS_SEND
from suhde.surveys.models import Status
from tests.surveys.conftest import answer, members


def _invite_and_answer(world, answering: int) -> None:
    domain.wave_invitations_send(wave=world.wave, language="en")
    people = members(world)
    for person in people[:answering]:
        answer(world.wave, person, [p for p in people if p != person][:2])


def test_closing_asks_first_with_the_response_rate_and_changes_nothing(client, survey_world):
    _invite_and_answer(survey_world, 3)
    wave = survey_world.wave
    invited = wave.invitations.count()
    client.force_login(survey_world.coordinator)
    client.cookies["django_language"] = "fi"
    url = reverse("surveys:wave_close", args=["core", wave.pk])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Suljetaanko kyselykierros Wave 1?" in text
    rate = f"{3 / invited * 100:.1f}".replace(".", ",").replace(",0", "")
    assert f"Kutsutuista 3/{invited} on vastannut ({rate}\u00a0%)." in text
    assert "eikä suljettua kierrosta voi avata uudelleen" in text
    assert f'action="{url}"' in text
    wave.refresh_from_db()
    assert wave.status == Status.OPEN


def test_the_wave_page_links_to_the_question_not_a_bare_form(client, survey_world):
    client.force_login(survey_world.coordinator)
    wave = survey_world.wave
    html = client.get(reverse("surveys:wave", args=["core", wave.pk])).content.decode()
    url = reverse("surveys:wave_close", args=["core", wave.pk])
    assert f'href="{url}"' in html
    assert f'action="{url}"' not in html


def test_a_closed_wave_is_not_asked_about_again(client, survey_world):
    client.force_login(survey_world.coordinator)
    wave = survey_world.wave
    url = reverse("surveys:wave_close", args=["core", wave.pk])
    closing.wave_close(wave=wave)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:wave", args=["core", wave.pk])


def test_a_member_is_not_asked(client, survey_world):
    client.force_login(survey_world.member)
    url = reverse("surveys:wave_close", args=["core", survey_world.wave.pk])
    assert client.get(url).status_code == 403


def test_a_coordinator_demoted_before_the_worker_runs_closes_nothing(client, survey_world):
    """The worker checks the gate again: the role that started the job may be gone by then."""
    _invite_and_answer(survey_world, 3)
    wave = survey_world.wave
    client.force_login(survey_world.coordinator)
    started = client.post(reverse("surveys:wave_close", args=["core", wave.pk]))
    assert started.status_code == 302
    job_start(  # what the invitation page queues for a large network
        kind=INVITATIONS_SEND,
        network_id=survey_world.network.pk,
        user=survey_world.coordinator,
        arguments={"wave": wave.pk, "only_unanswered": False},
    )
    Membership.objects.filter(person__user=survey_world.coordinator).update(role=Role.MEMBER)
    outbox = len(mail.outbox)
    for job in Job.objects.order_by("pk"):
        job_execute(job_id=job.pk)
        job.refresh_from_db()
        assert (job.state, job.error) == ("failed", "You no longer have access to this network.")
    wave.refresh_from_db()
    assert (wave.status, wave.snapshot) == (Status.OPEN, None)
    assert len(mail.outbox) == outbox
    assert not AuditEvent.objects.filter(action__startswith="survey_").exists()
