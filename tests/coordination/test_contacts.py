"""The contact list: who sees it, the audit, exports, and confirming one's own details."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.common.models import AuditEvent, OutboxMessage
from suhde.common.tokens import token_digest
from suhde.coordination import domain
from suhde.coordination.exports import cell
from suhde.coordination.jobs import confirm_recipients
from suhde.coordination.models import ConfirmRequest
from suhde.networks.models import Person
from tests.jobs_helpers import job_follow

pytestmark = pytest.mark.django_db


def _fresh(world):
    """Everyone confirmed yesterday except people[0], who never confirmed."""
    Person.objects.update(confirmed_at=timezone.now() - timedelta(days=1))
    Person.objects.filter(pk=world.people[0].pk).update(confirmed_at=None)


def test_contact_list_marks_stale_entries_and_is_audited(client, world):
    _fresh(world)
    Person.objects.filter(pk=world.people[1].pk).update(
        confirmed_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(world.member)
    response = client.get(reverse("coordination:contacts", args=["core"]))
    stale = sorted(c.person.name for c in response.context["contacts"] if c.stale)
    assert stale == sorted([world.people[0].name, world.people[1].name])
    assert world.people[2].email in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="contacts_view", actor=world.member, object_id=str(world.network.pk)
        ).count()
        == 1
    )


def test_stale_after_n_months_is_set_per_network(client, world):
    _fresh(world)
    Person.objects.filter(pk=world.people[1].pk).update(
        confirmed_at=timezone.now() - timedelta(days=100)
    )
    domain.clock_update(network=world.network, stale_months=3)
    client.force_login(world.coordinator)
    response = client.get(reverse("coordination:contacts", args=["core"]))
    assert response.context["stale_count"] == 2


def test_observer_does_not_see_contact_details(client, world):
    client.force_login(world.observer)
    assert client.get(reverse("coordination:contacts", args=["core"])).status_code == 403
    export = reverse("coordination:contacts_export", args=["core", "csv"])
    assert client.get(export).status_code == 403
    assert not AuditEvent.objects.filter(action__in=["contacts_view", "contacts_export"]).exists()


def _export(client, world, fmt):
    client.force_login(world.member)
    return client.get(reverse("coordination:contacts_export", args=["core", fmt]))


def test_csv_export_escapes_formulas_and_is_audited(client, world):
    Person.objects.filter(pk=world.people[0].pk).update(
        name='=HYPERLINK("http://evil")', title="+1", phone="-2"
    )
    response = _export(client, world, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Organization",
        "Title",
        "Role",
        "Email",
        "Phone",
        "Confirmed",
        "Stale",
    ]
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0] == '\'=HYPERLINK("http://evil")'
    assert (evil[2], evil[5]) == ("'+1", "'-2")
    assert response["Content-Disposition"] == 'attachment; filename="core-contacts.csv"'
    assert AuditEvent.objects.filter(action="contacts_export", actor=world.member).count() == 1


def test_excel_export_escapes_formulas(client, world):
    Person.objects.filter(pk=world.people[0].pk).update(name="@SUM(A1)")
    response = _export(client, world, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "'@SUM(A1)" in names
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_vcard_export_reads_back(client, world):
    response = _export(client, world, "vcf")
    cards = list(vobject.readComponents(response.content.decode()))
    by_name = {card.fn.value: card for card in cards}
    card = by_name[world.people[2].name]
    assert card.email.value == world.people[2].email
    assert card.org.value == ["City youth services"]
    assert len(cards) == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+358", "'+358"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_cell_escapes_what_a_spreadsheet_would_run(value, expected):
    assert cell(value) == expected


def test_unknown_export_format_is_not_found(client, world):
    client.force_login(world.member)
    response = client.get("/n/core/contacts/export.pdf")
    assert response.status_code == 404


def test_ask_to_confirm_mails_each_stale_person_a_personal_link(
    client, world, django_capture_on_commit_callbacks
):
    _fresh(world)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coordination:contacts_ask", args=["core"]))
    assert [m.to for m in mail.outbox] == [[world.people[0].email]]
    assert "/confirm/" in mail.outbox[0].body
    assert ConfirmRequest.objects.get().person == world.people[0]


def _link(world, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        domain.confirm_requests_send(network=world.network, people=[world.people[0]], language="en")
    url = next(line for line in mail.outbox[-1].body.splitlines() if "/confirm/" in line)
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_person_confirms_and_corrects_their_details_without_an_account(
    client, world, django_capture_on_commit_callbacks
):
    path = _link(world, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    data = {"name": "New Name", "email": "new@example.org", "phone": "+358 50 1", "title": "lead"}
    response = client.post(path, data)
    person = Person.objects.get(pk=world.people[0].pk)
    assert response.status_code == 200
    assert (person.name, person.email, person.phone, person.title) == (
        "New Name",
        "new@example.org",
        "+358 50 1",
        "lead",
    )
    assert timezone.now() - person.confirmed_at < timedelta(minutes=1)
    assert client.get(path).status_code == 404  # single use


def test_expired_confirm_link_is_refused(client, world, django_capture_on_commit_callbacks):
    path = _link(world, django_capture_on_commit_callbacks)
    ConfirmRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 404
    assert client.post(path, {"name": "X", "email": "x@example.org"}).status_code == 404
    assert Person.objects.get(pk=world.people[0].pk).name != "X"


def test_a_newer_link_replaces_the_older(client, world, django_capture_on_commit_callbacks):
    first = _link(world, django_capture_on_commit_callbacks)
    second = _link(world, django_capture_on_commit_callbacks)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_confirm_link_stores_only_a_digest_and_bad_input_saves_nothing(
    client, world, django_capture_on_commit_callbacks
):
    path = _link(world, django_capture_on_commit_callbacks)
    raw = path.strip("/").split("/")[-1]
    assert ConfirmRequest.objects.get().token_digest == token_digest(raw)
    response = client.post(path, {"name": "", "email": "not an email"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email"}
    assert Person.objects.get(pk=world.people[0].pk).confirmed_at is None


def test_ask_to_confirm_says_how_many_first_and_sends_nothing_on_get(client, world):
    _fresh(world)
    Person.objects.filter(pk=world.people[1].pk).update(confirmed_at=None, email="")
    url = reverse("coordination:contacts_ask", args=["core"])
    client.force_login(world.member)
    assert client.get(url).status_code == 403  # a member may not even ask how many
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    # people[1] is stale too, but has no address: only people[0] would be mailed
    assert "1 person gets an email with a personal link" in page
    assert "Send 1 email" in page and f'action="{url}"' in page
    assert not ConfirmRequest.objects.exists() and not OutboxMessage.objects.exists()
    contacts = client.get(reverse("coordination:contacts", args=["core"])).content.decode()
    assert f'href="{url}"' in contacts and "data-confirm-dialog" in contacts


def test_ask_to_confirm_with_nobody_stale_sends_back_with_a_word(client, world):
    Person.objects.update(confirmed_at=timezone.now())
    client.force_login(world.coordinator)
    response = client.get(reverse("coordination:contacts_ask", args=["core"]), follow=True)
    assert "Nobody with an email address needs to confirm" in response.content.decode()
    assert not ConfirmRequest.objects.exists()


def test_ask_to_confirm_many_is_written_by_the_worker(client, world, settings):
    Person.objects.update(confirmed_at=None)
    settings.SUHDE_MAIL_INLINE_LIMIT = 1  # the network's few stand for thousands
    addresses = {p.email for p in confirm_recipients(world.network)}
    client.force_login(world.coordinator)
    page = job_follow(client, reverse("coordination:contacts_ask", args=["core"]))
    count = len(addresses)
    assert count > 1
    assert f"{count} emails are on their way." in page.content.decode()
    assert OutboxMessage.objects.filter(kind="confirm", source="contacts").count() == count
    assert sorted(m.to[0] for m in mail.outbox) == sorted(addresses)
    assert AuditEvent.objects.filter(action="contacts_ask").count() == 1


def test_a_large_networks_contact_list_is_written_by_the_worker(client, world, settings):
    from tests.jobs_helpers import job_file

    url = reverse("coordination:contacts_export", args=["core", "csv"])
    client.force_login(world.member)
    small = client.get(url)
    settings.SUHDE_EXPORT_INLINE_ROWS = 1  # the network's few stand for a hundred thousand
    ask = client.get(url)
    assert ask.status_code == 200 and "Prepare the file" in ask.content.decode()
    large = job_file(client, url)
    assert large["Content-Disposition"] == 'attachment; filename="core-contacts.csv"'
    assert large.content == small.content
    assert AuditEvent.objects.filter(action="contacts_export", actor=world.member).count() == 2
    client.force_login(world.observer)  # no contact details for observers, by job either
    assert client.post(url).status_code == 403
