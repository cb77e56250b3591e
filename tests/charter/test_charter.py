"""The charter: versions, the diff, open questions, agreement, the guided form and the API."""

import threading
from datetime import date

import pytest
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.charter import domain
from suhde.charter.models import CharterVersion
from tests.charter.helpers import charter_with
from tests.jobs_helpers import job_file

pytestmark = pytest.mark.django_db


def _form(answers, based_on):
    data = {f"answer_{n}": "" for n in range(1, 16)}
    data.update({f"answer_{k}": v for k, v in answers.items()})
    data["based_on"] = str(based_on)
    return data


def _api(client, user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_charter_update_keeps_every_version_with_author(world):
    domain.charter_update(
        network=world.network, user=world.coordinator, answers={"1": "A"}, based_on=0
    )
    domain.charter_update(
        network=world.network, user=world.coordinator, answers={"1": "B"}, based_on=1
    )
    versions = list(CharterVersion.objects.filter(network=world.network).order_by("number"))
    assert [(v.number, v.answers) for v in versions] == [(1, {"1": "A"}), (2, {"1": "B"})]
    assert versions[0].author == world.coordinator


def test_charter_update_without_change_makes_no_version(world):
    charter_with(world.network, {"1": "A"})
    version, created = domain.charter_update(
        network=world.network, user=None, answers={"1": " A ", "2": ""}, based_on=1
    )
    assert (version.number, created) == (1, False)


def test_charter_update_refuses_a_stale_version(world):
    charter_with(world.network, {"1": "A"}, {"1": "B"})
    with pytest.raises(domain.StaleVersion) as stale:
        domain.charter_update(network=world.network, user=None, answers={"1": "C"}, based_on=1)
    assert stale.value.current.number == 2
    assert CharterVersion.objects.filter(network=world.network).count() == 2


def test_charter_page_shows_unanswered_questions_as_open(client, world):
    charter_with(world.network, {"1": "We meet monthly.", "6": "Together."})
    client.force_login(world.member)
    response = client.get(reverse("charter:charter", args=["core"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 of 15 questions answered." in body
    assert body.count('<span class="badge text-bg-secondary">open</span>') == 13
    assert "We meet monthly." in body


def test_charter_edit_saves_a_new_version(client, world):
    client.force_login(world.coordinator)
    url = reverse("charter:charter_edit", args=["core"])
    response = client.post(url, _form({"1": "First answer"}, 0))
    assert response.status_code == 302
    current = CharterVersion.objects.get(network=world.network)
    assert (current.number, current.answers, current.author) == (
        1,
        {"1": "First answer"},
        world.coordinator,
    )


def test_charter_edit_by_two_coordinators_keeps_both_texts(client, world):
    charter_with(world.network, {"1": "Original"})
    # Someone else saved version 2 while this coordinator was still editing version 1.
    charter_with_second = domain.charter_update(
        network=world.network, user=None, answers={"1": "Theirs"}, based_on=1
    )
    assert charter_with_second[1]
    client.force_login(world.coordinator)
    response = client.post(reverse("charter:charter_edit", args=["core"]), _form({"1": "Mine"}, 1))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved a newer version while you were editing." in body
    assert "Mine</textarea>" in body and "Theirs" in body
    assert 'name="based_on" value="2"' in body
    assert CharterVersion.objects.filter(network=world.network).count() == 2
    merged = client.post(
        reverse("charter:charter_edit", args=["core"]), _form({"1": "Mine and theirs"}, 2)
    )
    assert merged.status_code == 302
    assert CharterVersion.objects.get(network=world.network, number=3).answers == {
        "1": "Mine and theirs"
    }


def test_charter_edit_refuses_an_oversized_answer_at_its_field(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:charter_edit", args=["core"]), _form({"4": "x" * 5001}, 0)
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert response.context["form"].errors.keys() == {"answer_4"}
    assert not CharterVersion.objects.exists()


def test_charter_diff_marks_removed_and_added_words(client, world):
    charter_with(
        world.network,
        {"3": "We meet monthly in Järvelä.", "5": "Email."},
        {"3": "We meet every other week in Järvelä.", "5": "Email."},
    )
    client.force_login(world.member)
    response = client.get(reverse("charter:charter_diff", args=["core"]), {"old": 1, "new": 2})
    body = response.content.decode()
    assert response.status_code == 200
    assert "From version 1 to version 2, 1 answer changed." in body
    assert "removed: </span>monthly<" in body
    assert "added: </span>every other week<" in body
    assert "Email." not in body
    assert 'style="' not in body


def test_charter_diff_of_an_unknown_version_is_not_found(client, world):
    charter_with(world.network, {"1": "A"}, {"1": "B"})
    client.force_login(world.member)
    response = client.get(reverse("charter:charter_diff", args=["core"]), {"old": 9, "new": 2})
    assert response.status_code == 404


def test_charter_agree_records_the_meeting(client, world):
    charter_with(world.network, {"1": "A"})
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:charter_agree", args=["core", 1]),
        {"agreed_on": date.today().isoformat(), "agreed_in": "Network meeting 12 March"},
    )
    assert response.status_code == 302
    version = CharterVersion.objects.get(network=world.network)
    assert (version.agreed_on, version.agreed_in) == (date.today(), "Network meeting 12 March")


def test_charter_agree_before_the_version_existed_is_refused(client, world):
    charter_with(world.network, {"1": "A"})
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:charter_agree", args=["core", 1]),
        {"agreed_on": "2000-01-01", "agreed_in": "Meeting"},
    )
    assert response.status_code == 400
    assert "cannot be agreed on before it was written" in response.content.decode()
    assert CharterVersion.objects.get(network=world.network).agreed_on is None


def test_charter_print_and_pdf(client, world):
    charter_with(world.network, {"1": "Printed answer"})
    client.force_login(world.member)
    printed = client.get(reverse("charter:charter_print", args=["core"]))
    assert "Printed answer" in printed.content.decode()
    assert "Open: not answered yet." in printed.content.decode()
    pdf = job_file(client, reverse("charter:charter_pdf", args=["core"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="charter-core.pdf"'


def test_charter_pdf_is_made_by_the_worker_and_only_for_its_starter(client, world):
    from django.test import TestCase

    from suhde.common.jobs import job_execute
    from suhde.common.models import Job

    charter_with(world.network, {"1": "Printed answer"})
    url = reverse("charter:charter_pdf", args=["core"])
    client.force_login(world.member)
    ask = client.get(url)  # a GET only offers the button: no job, no file
    assert ask.status_code == 200 and "Make the PDF" in ask.content.decode()
    assert not Job.objects.exists()
    page = client.get(reverse("charter:charter", args=["core"])).content.decode()
    assert f'<form method="post" action="{url}"' in page
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = client.post(url)
    job = Job.objects.get()
    assert started["Location"] == reverse("networks:job", args=["core", job.pk])
    assert (job.kind, job.state, job.user) == ("charter.charter_pdf", "queued", world.member)
    waiting = client.get(started["Location"]).content.decode()
    assert "Waiting for its turn" in waiting and 'hx-trigger="every 1s"' in waiting
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done" and bytes(job.output).startswith(b"%PDF")
    file_url = reverse("networks:job_file", args=["core", job.pk])
    assert client.get(file_url).status_code == 200
    # The network's coordinator is not its starter: neither the page nor the file is found.
    client.force_login(world.coordinator)
    assert client.get(started["Location"]).status_code == 404
    assert client.get(file_url).status_code == 404


def test_charter_pdf_is_refused_once_the_starter_has_left(client, world):
    from django.test import TestCase

    from suhde.common.jobs import job_execute
    from suhde.common.models import Job
    from suhde.networks.models import Membership

    client.force_login(world.member)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("charter:charter_pdf", args=["core"]))
    Membership.objects.filter(person=world.member.person, network=world.network).delete()
    job = Job.objects.get()
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.output is None
    assert job.error == "You no longer have access to this network."


def test_charter_api_get_and_update(client, world):
    headers = _api(client, world.coordinator)
    empty = client.get("/api/v1/networks/core/charter", headers=headers).json()
    assert (empty["version"], empty["answers"], empty["open"][:2]) == (0, {}, [1, 2])
    response = client.put(
        "/api/v1/networks/core/charter",
        {"version": 0, "answers": {"1": "A", "15": "O"}},
        content_type="application/json",
        headers=headers,
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["version"], body["answers"]) == (1, {"1": "A", "15": "O"})
    assert [v["number"] for v in body["versions"]] == [1]


def test_charter_api_refuses_a_stale_version_with_409(client, world):
    charter_with(world.network, {"1": "A"}, {"1": "B"})
    response = client.put(
        "/api/v1/networks/core/charter",
        {"version": 1, "answers": {"1": "C"}},
        content_type="application/json",
        headers=_api(client, world.coordinator),
    )
    assert response.status_code == 409
    assert response.json()["current"]["answers"] == {"1": "B"}
    assert CharterVersion.objects.filter(network=world.network).count() == 2


@pytest.mark.parametrize(
    "answers",
    [{"16": "No such question"}, {"x": "Not a number"}, {"2": "x" * 5001}],
)
def test_charter_api_refuses_bad_answers(client, world, answers):
    response = client.put(
        "/api/v1/networks/core/charter",
        {"version": 0, "answers": answers},
        content_type="application/json",
        headers=_api(client, world.coordinator),
    )
    assert response.status_code == 400
    assert not CharterVersion.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_charter_update_at_once_loses_nothing(world):
    """Two saves based on the same version: one wins, the other is told, never both or none."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole file; the race is real only on PostgreSQL")
    results = []

    def save(text):
        try:
            domain.charter_update(network=world.network, user=None, answers={"1": text}, based_on=0)
            results.append("saved")
        except domain.StaleVersion:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["saved", "stale"]
    assert CharterVersion.objects.filter(network=world.network).count() == 1


def test_charter_page_points_from_the_last_agreement_to_the_changes(client, world):
    first = charter_with(world.network, {"1": "A"})
    domain.charter_version_agree(version=first, agreed_on=date.today(), agreed_in="Meeting")
    domain.charter_update(network=world.network, user=None, answers={"1": "B"}, based_on=1)
    client.force_login(world.member)
    body = client.get(reverse("charter:charter", args=["core"])).content.decode()
    assert "Version 1 was agreed on" in body
    assert reverse("charter:charter_diff", args=["core"]) + "?old=1&amp;new=2" in body
    printed = client.get(reverse("charter:charter_print", args=["core"])).content.decode()
    assert "Not agreed on yet. Version 1 was agreed on" in printed
