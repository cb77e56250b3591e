"""Issue 15: deleting a meeting, an agenda block or a method of the library asks first and can be
undone; ending a live session asks first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suhde.common.models import Removal
from suhde.coordination.models import Event
from suhde.workshops import domain, live
from suhde.workshops.models import AgendaBlock, Attendee, LiveSession, Meeting, Method


@pytest.fixture
def meeting(world):
    made = domain.meeting_create(
        network=world.network,
        user=world.coordinator,
        title="Verkostopalaveri",
        starts_at=timezone.now() + timedelta(days=7),
    )
    domain.block_add(meeting=made, title="Aloituskierros", minutes=15)
    domain.attendees_set(meeting=made, person_ids=[p.pk for p in world.people])
    return made


def _post(client, world, name, *args):
    client.force_login(world.coordinator)
    return client.post(reverse(f"workshops:{name}", args=["core", *args]), follow=True)


def _undo(client):
    removal = Removal.objects.get(restored_at__isnull=True)
    return client.post(reverse("networks:removal_restore", args=["core", removal.pk]))


@pytest.mark.parametrize(
    ("name", "args", "heading"),
    [
        ("meeting_delete", lambda m: [m.pk], "Poistetaanko tapaaminen Verkostopalaveri?"),
        (
            "block_delete",
            lambda m: [m.pk, m.blocks.get().pk],
            "Poistetaanko Aloituskierros asialistalta?",
        ),
    ],
)
def test_removing_asks_first_and_changes_nothing(client, world, meeting, name, args, heading):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    page = client.get(reverse(f"workshops:{name}", args=["core", *args(meeting)]))
    assert page.status_code == 200
    assert heading in page.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert AgendaBlock.objects.filter(meeting=meeting).count() == 1
    assert not Removal.objects.exists()


def test_a_deleted_meeting_comes_back_with_agenda_attendees_and_clock(client, world, meeting):
    session = live.session_create(
        network=world.network,
        user=world.coordinator,
        title="Nostot",
        meeting=meeting,
        prompts=[{"kind": "highlights", "question": "Mikä toimii?", "options": []}],
    )
    response = _post(client, world, "meeting_delete", meeting.pk)
    assert response.status_code == 200
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Event.objects.filter(source_kind="meeting", source_id=str(meeting.pk)).exists()
    assert LiveSession.objects.get(pk=session.pk).meeting_id is None  # stays in the record
    restore = _undo(client)
    assert restore.status_code == 302
    assert restore["Location"] == reverse("workshops:meeting", args=["core", meeting.pk])
    assert Meeting.objects.get(pk=meeting.pk).title == "Verkostopalaveri"
    assert AgendaBlock.objects.filter(meeting=meeting).count() == 1
    assert Attendee.objects.filter(meeting=meeting).count() == len(world.people)
    assert LiveSession.objects.get(pk=session.pk).meeting_id == meeting.pk
    assert Event.objects.filter(source_kind="meeting", source_id=str(meeting.pk)).count() == 1


def test_a_removed_block_comes_back(client, world, meeting):
    block = meeting.blocks.get()
    _post(client, world, "block_delete", meeting.pk, block.pk)
    assert not AgendaBlock.objects.filter(pk=block.pk).exists()
    _undo(client)
    assert AgendaBlock.objects.get(pk=block.pk).title == "Aloituskierros"


def test_a_removed_method_comes_back(client, world):
    method = domain.method_create(network=world.network, name="Kalasammio")
    _post(client, world, "method_delete", method.pk)
    assert not Method.objects.filter(pk=method.pk).exists()
    _undo(client)
    assert Method.objects.get(pk=method.pk).name == "Kalasammio"


def test_a_member_cannot_undo_a_meeting(client, world, meeting):
    _post(client, world, "meeting_delete", meeting.pk)
    removal = Removal.objects.get()
    client.force_login(world.member)
    assert (
        client.post(reverse("networks:removal_restore", args=["core", removal.pk])).status_code
        == 403
    )
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_ending_a_session_asks_first(client, world, meeting):
    session = live.session_create(
        network=world.network,
        user=world.coordinator,
        title="Nostot",
        meeting=meeting,
        prompts=[{"kind": "highlights", "question": "Mikä toimii?", "options": []}],
    )
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    url = reverse("workshops:session_end", args=["core", session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Päätetäänkö työskentely Nostot?" in page.content.decode()
    assert LiveSession.objects.get(pk=session.pk).is_open
    html = client.get(reverse("workshops:session", args=["core", session.pk])).content.decode()
    assert f'href="{url}"' in html and f'action="{url}"' not in html
    client.post(url)
    assert not LiveSession.objects.get(pk=session.pk).is_open
