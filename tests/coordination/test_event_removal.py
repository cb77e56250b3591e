"""Issue 15: removing an event — a whole recurring series — from the clock asks first, says what
goes, and can be undone from the message or the network's "Recently removed" list."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from suhde.common.models import Removal
from suhde.common.removals import removal_restore
from suhde.coordination import domain
from suhde.coordination.models import Category, Event, ReminderSent
from suhde.networks.models import Role
from tests.coordination.helpers import at, event
from tests.factories import member_user

RULE = "FREQ=MONTHLY;BYDAY=2TU"


@pytest.fixture
def series(world):
    item = event(
        world.network,
        title="Kuukausitapaaminen",
        rrule=RULE,
        exdates=["2030-04-09"],
        start=at(2030, 1, 8, 17),
        end=at(2030, 1, 8, 18),
        responsible=world.people[0],
        shared_with=[world.other],
    )
    ReminderSent.objects.create(event=item, occurrence=at(2030, 1, 8, 0).date())
    return item


def _url(name, item):
    return reverse(f"coordination:{name}", args=["core", item.pk])


def _row(item) -> dict:
    found = Event.objects.get(pk=item.pk)
    return {
        "title": found.title,
        "rrule": found.rrule,
        "exdates": found.exdates,
        "start": found.start,
        "responsible": found.responsible_id,
        "shared_with": sorted(found.shared_with.values_list("pk", flat=True)),
        "reminders": ReminderSent.objects.filter(event=found).count(),
    }


def test_removing_a_series_asks_first_in_words_and_changes_nothing(client, world, series):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    page = client.get(_url("event_delete", series))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Poistetaanko Kuukausitapaaminen vuosikellosta?" in text
    assert "kuukauden toinen tiistai" in text  # the whole series, said in words
    assert "30 päivän ajan" in text
    assert Event.objects.filter(pk=series.pk).exists()
    assert not Removal.objects.exists()


def test_the_event_page_links_to_the_question_not_a_bare_form(client, world, series):
    client.force_login(world.coordinator)
    html = client.get(_url("event", series)).content.decode()
    assert f'href="{_url("event_delete", series)}"' in html
    assert f'action="{_url("event_delete", series)}"' not in html


def test_a_removed_series_leaves_the_clock_and_undo_brings_it_back_whole(client, world, series):
    before = _row(series)
    client.force_login(world.coordinator)
    response = client.post(_url("event_delete", series), follow=True)
    assert not Event.objects.filter(pk=series.pk).exists()
    assert (
        "Kuukausitapaaminen"
        not in client.get(
            reverse("coordination:clock", args=["core"]) + "?view=list&year=2030"
        ).content.decode()
    )
    removal = Removal.objects.get()
    restore = reverse("networks:removal_restore", args=["core", removal.pk])
    assert f'action="{restore}"' in response.content.decode()  # the message's Undo button
    rows = client.get(reverse("networks:removed", args=["core"])).context["rows"]
    assert [(r.pk, str(label), r.name) for r, label in rows] == [
        (removal.pk, "event on the clock", "Kuukausitapaaminen")
    ]

    response = client.post(restore)
    assert response.status_code == 302
    assert response["Location"] == _url("event", series)
    assert _row(series) == before
    assert not Removal.objects.filter(restored_at__isnull=True).exists()


def test_a_facilitator_may_undo_their_removal_a_member_may_not(client, world, series):
    facilitator = member_user(world.network, Role.FACILITATOR, world.organization, username="fac")
    client.force_login(facilitator)
    client.post(_url("event_delete", series))
    removal = Removal.objects.get()
    member = Client()
    member.force_login(world.member)
    restore = reverse("networks:removal_restore", args=["core", removal.pk])
    assert member.post(restore).status_code == 403
    assert not Event.objects.filter(pk=series.pk).exists()
    client.post(restore)
    assert Event.objects.filter(pk=series.pk).exists()


def test_undo_refuses_when_the_category_is_gone(client, world, series):
    client.force_login(world.coordinator)
    client.post(_url("event_delete", series))
    removal = Removal.objects.get()
    Category.objects.filter(pk=series.category_id).delete()
    response = client.post(
        reverse("networks:removal_restore", args=["core", removal.pk]), follow=True
    )
    assert response.status_code == 200
    assert "category" in response.content.decode()
    assert not Event.objects.filter(pk=series.pk).exists()


def test_undo_refuses_a_second_copy_of_a_kept_event(world):
    """A meeting keeps its own event on the clock: once it has made a new one, the removed one
    cannot come back beside it."""

    def keep():
        return domain.event_upsert_for(
            source_kind="meeting",
            source_id="7",
            network=world.network,
            title="Palaveri",
            start=at(2030, 1, 8, 17),
            end=at(2030, 1, 8, 18),
            category_key="meetings",
        )

    removal = domain.event_delete(event=keep())
    keep()
    with pytest.raises(ValidationError):
        removal_restore(removal=removal)
    assert Event.objects.filter(source_kind="meeting").count() == 1
