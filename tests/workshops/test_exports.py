"""CSV, Excel and PDF of a live session: formulas escaped, hidden posts marked, access checked."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from suhde.common.audit import AuditEvent
from suhde.workshops import live
from tests.jobs_helpers import job_file
from tests.workshops.helpers import join, session

DANGEROUS = ["=1+2", "+SUM(A1)", "-3+4", "@cmd", "\tTab", "\rReturn"]


def _session_with_posts(world):
    s = session(world.network)
    participant, raw = join(s, name="=HYPERLINK(x)", organization="@org")
    for text in DANGEROUS:
        live.post_create(participant=participant, text=text)
    live.prompt_add(session=s, kind="gradients", question="Agree?", open=True)
    live.vote_create(participant=live.participant_for_token(token=raw), value=1)
    return s


def test_csv_escapes_formula_cells(client, world):
    s = _session_with_posts(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("workshops:session_export", args=["core", s.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    answers = {row[2] for row in rows[1:]}
    assert "'=1+2" in answers and "'@cmd" in answers
    assert any(row[2].startswith("1. Endorsement") and row[3] == "1" for row in rows)
    assert AuditEvent.objects.filter(action="live_export_csv").exists()


def test_xlsx_escapes_formula_cells(client, world):
    s = _session_with_posts(world)
    client.force_login(world.coordinator)
    response = client.get(reverse("workshops:session_export", args=["core", s.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [
        c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
    ]
    assert values and all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_pdf_export(client, world):
    s = _session_with_posts(world)
    client.force_login(world.coordinator)
    url = reverse("workshops:session_export", args=["core", s.pk, "pdf"])
    ask = client.get(url)  # the worker makes it: a GET only offers the button
    assert ask.status_code == 200 and "Make the PDF" in ask.content.decode()
    assert not AuditEvent.objects.filter(action="live_export_pdf").exists()
    page = client.get(reverse("workshops:session", args=["core", s.pk])).content.decode()
    assert f'<form method="post" action="{url}"' in page
    response = job_file(client, url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="live-{s.pk}.pdf"'
    assert AuditEvent.objects.filter(action="live_export_pdf").count() == 1


def test_pdf_of_a_session_is_refused_once_the_facilitator_is_no_longer_one(client, world):
    from django.test import TestCase

    from suhde.common.jobs import job_execute
    from suhde.common.models import Job
    from suhde.networks.models import Membership

    s = _session_with_posts(world)
    client.force_login(world.coordinator)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("workshops:session_export", args=["core", s.pk, "pdf"]))
    Membership.objects.filter(person=world.coordinator.person).update(role="observer")
    job = Job.objects.get()
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.output is None


def test_unknown_export_format_is_404(client, world):
    s = session(world.network)
    client.force_login(world.coordinator)
    url = reverse("workshops:session_export", args=["core", s.pk, "exe"])
    assert client.get(url).status_code == 404


def test_export_of_another_networks_session_is_404(client, world):
    s = session(world.other)
    client.force_login(world.coordinator)
    url = reverse("workshops:session_export", args=["core", s.pk, "csv"])
    assert client.get(url).status_code == 404
