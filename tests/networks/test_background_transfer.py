"""A large network's export and a large import through the API go to the background worker
(issue 14: nothing a user sends holds a web worker for more than 10 s)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from suhde.accounts.domain import api_token_create
from suhde.common.models import AuditEvent, Job
from suhde.networks.models import Person
from tests.jobs_helpers import job_file

pytestmark = pytest.mark.django_db

PEOPLE = (
    "name;email;organization;sector\n"
    "Aino Virtanen;aino@example.fi;Kaupunki;public\n"
    "Bertil Ek;bertil@example.fi;Yhdistys;third\n"
)


@pytest.fixture
def large(settings):
    # The test network's few people and ties stand for a hundred thousand.
    settings.SUHDE_EXPORT_INLINE_ROWS = 1
    settings.SUHDE_IMPORT_BACKGROUND_BYTES = 10


def _bearer(user) -> dict:
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def test_a_large_export_asks_then_the_worker_writes_the_same_file(client, world, large):
    url = reverse("networks:export_file", args=["core", "xlsx"])
    client.force_login(world.coordinator)
    ask = client.get(url)  # nothing is written in the request, and no job yet
    assert ask.status_code == 200 and "Prepare the file" in ask.content.decode()
    assert not Job.objects.exists()
    response = job_file(client, url)
    assert response["Content-Disposition"] == 'attachment; filename="core.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    emails = {row[2] for row in book["people"].iter_rows(min_row=2, values_only=True)}
    assert world.people[0].email in emails  # a coordinator's export has contact details
    assert AuditEvent.objects.filter(action="export:xlsx").count() == 1


def test_a_large_export_for_an_observer_leaves_contacts_out_and_refuses_vcards(
    client, world, large
):
    client.force_login(world.observer)
    csv = job_file(client, reverse("networks:export_file", args=["core", "csv"]))
    header = csv.content.decode("utf-8-sig").split("\r\n")[0]
    assert header == "id;name;organization;sector;title;role"
    vcard = client.post(reverse("networks:export_file", args=["core", "vcard"]))
    assert vcard.status_code == 403
    assert list(Job.objects.values_list("arguments__format", flat=True)) == ["csv"]


def test_a_large_export_by_api_answers_202_with_a_job_only_its_starter_reads(client, world, large):
    headers = _bearer(world.coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.get("/api/v1/networks/core/export?format=json", headers=headers)
    assert started.status_code == 202
    job = started.json()
    assert job["kind"] == "networks.export" and job["status"].endswith(f"/jobs/{job['id']}")
    done = client.get(job["status"], headers=headers).json()
    assert done["state"] == "done" and done["percent"] == 100 and done["error"] == ""
    body = client.get(done["file"], headers=headers)
    assert body.status_code == 200 and b'"nodes"' in body.content
    other = _bearer(world.member)  # a member of the same network: not their job
    assert client.get(job["status"], headers=other).status_code == 404
    assert client.get(done["file"], headers=other).status_code == 404
    assert client.get(job["status"]).status_code == 401


def test_a_large_import_by_api_is_checked_and_written_by_the_worker(client, world, large):
    headers = _bearer(world.coordinator)
    url = "/api/v1/networks/core/import"
    with TestCase.captureOnCommitCallbacks(execute=True):
        checked = client.post(
            url, {"people": SimpleUploadedFile("p.csv", PEOPLE.encode())}, headers=headers
        )
    assert checked.status_code == 202
    result = client.get(checked.json()["status"], headers=headers).json()
    assert result["state"] == "done" and result["result"]["counts"]["people"]["created"] == 2
    assert result["file"] is None
    assert not Person.objects.filter(email="aino@example.fi").exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        written = client.post(
            url,
            {"people": SimpleUploadedFile("p.csv", PEOPLE.encode()), "confirm": "true"},
            headers=headers,
        )
    assert written.status_code == 202
    assert client.get(written.json()["status"], headers=headers).json()["state"] == "done"
    assert Person.objects.filter(email="aino@example.fi").exists()


def test_a_large_import_that_breaks_a_rule_fails_with_its_problems(client, world, large):
    headers = _bearer(world.coordinator)
    bad = SimpleUploadedFile(
        "p.csv", b"name;email;organization;sector\nA;not-an-address;X;public\n"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(
            "/api/v1/networks/core/import", {"people": bad, "confirm": "true"}, headers=headers
        )
    job = client.get(started.json()["status"], headers=headers).json()
    assert job["state"] == "failed" and job["error"] == "Nothing was imported."
    assert {p["column"] for p in job["result"]["problems"]} >= {"email"}
    assert not Person.objects.filter(name="A").exists()
