"""Anticipation: the weekly digest and the reminders, sent once however often cron runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from suhde.common.mail import outbox_deliver
from suhde.coordination import digest
from suhde.coordination.digest import DigestSection, digest_register, reminders_send
from suhde.coordination.digest import digests_send as _digests_send
from suhde.coordination.models import DigestSent
from suhde.networks.models import Person
from tests.coordination.helpers import at, event

pytestmark = pytest.mark.django_db


def digests_send(**kwargs) -> int:
    sent = _digests_send(**kwargs)
    outbox_deliver()  # the worker's part
    return sent


MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _own_sections(monkeypatch):
    # Other apps add their own sections in ready(); these tests read coordination's two.
    monkeypatch.setattr(digest, "DIGEST_PROVIDERS", [digest.events_section, digest.stale_section])


def _fresh():
    Person.objects.update(confirmed_at=timezone.now())


def test_digest_lists_the_coming_events_and_stale_contacts(world):
    _fresh()
    Person.objects.filter(pk=world.people[0].pk).update(confirmed_at=None)
    event(world.network, "Steering group", start=at(2026, 3, 10, 17), end=at(2026, 3, 10, 18))
    event(world.network, "Far away", start=at(2026, 6, 10, 17), end=at(2026, 6, 10, 18))
    assert digests_send(today=MONDAY, language="en") == 1  # the other network has nothing
    (message,) = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    assert message.subject == "Your week in Suhde: 2 Mar 2026"
    assert "Events and deadlines in the coming 3 weeks" in message.body
    assert "10 Mar 2026, 17:00 Steering group (network meetings)" in message.body
    assert "Far away" not in message.body
    assert "1 person's contact details need confirming" in message.body
    assert world.people[0].name in message.body
    assert "http://127.0.0.1:8000/n/core/contacts/" in message.body


def test_digest_goes_once_a_week(world):
    event(world.network, "Steering group", start=at(2026, 3, 10, 17), end=at(2026, 3, 10, 18))
    call_command("send-digests", "--today", "2026-03-02", "--language", "en")
    first = len(mail.outbox)
    call_command("send-digests", "--today", "2026-03-04", "--language", "en")
    call_command("send_digests", "--today", "2026-03-08", "--language", "en")
    assert first == 2
    assert len(mail.outbox) == 2
    assert DigestSent.objects.filter(week="2026-W10").count() == 2
    call_command("send-digests", "--today", "2026-03-09", "--language", "en")
    assert len(mail.outbox) == 4  # the next week: both again (their contacts are all stale)


def test_nothing_to_say_sends_nothing(world):
    _fresh()
    assert digests_send(today=MONDAY, language="en") == 0
    assert mail.outbox == []


def test_registered_sections_join_the_digest(world):
    def open_waves(network, *, today):
        return DigestSection("Open survey waves", [f"Wave of {network.name}"], "/waves/")

    digest_register(open_waves)
    _fresh()
    digests_send(today=MONDAY, language="en")
    (message,) = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    assert "Open survey waves\n- Wave of Core\nhttp://127.0.0.1:8000/waves/" in message.body


def test_responsible_person_is_reminded_once_n_days_before(world):
    person = world.people[1]
    event(
        world.network,
        "Workshop",
        start=at(2026, 3, 10, 9),
        end=at(2026, 3, 10, 12),
        responsible=person,
    )
    assert reminders_send(today=date(2026, 3, 2), language="en") == 0  # 8 days before
    assert reminders_send(today=date(2026, 3, 3), language="en") == 1  # 7 days before
    assert reminders_send(today=date(2026, 3, 4), language="en") == 0
    outbox_deliver()
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Reminder: Workshop on 10 Mar 2026, 09:00"
    assert 'You are responsible for "Workshop" in the network Core' in message.body


def test_each_occurrence_of_a_series_gets_its_reminder(world):
    event(
        world.network,
        "Weekly",
        start=at(2026, 3, 3, 9),
        end=at(2026, 3, 3, 10),
        rrule="FREQ=WEEKLY;COUNT=3",
        responsible=world.people[1],
    )
    sent = [
        reminders_send(today=date(2026, 3, 3) + timedelta(days=d), language="en") for d in range(15)
    ]
    assert sum(sent) == 3


def test_command_rejects_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send-digests", "--today", "next monday")


def test_old_links_and_records_are_purged(world, django_capture_on_commit_callbacks):
    from suhde.coordination import domain
    from suhde.coordination.models import ConfirmRequest, ReminderSent

    with django_capture_on_commit_callbacks(execute=True):
        domain.confirm_requests_send(network=world.network, people=world.people[:2], language="en")
    item = event(world.network, "Old", responsible=world.people[1])
    ReminderSent.objects.create(event=item, occurrence=date(2024, 1, 1))
    ReminderSent.objects.update(sent_at=timezone.now() - timedelta(days=401))
    ConfirmRequest.objects.filter(person=world.people[0]).update(
        expires_at=timezone.now() - timedelta(days=31)
    )
    assert domain.coordination_purge() == 2
    assert list(ConfirmRequest.objects.values_list("person", flat=True)) == [world.people[1].pk]
    assert ReminderSent.objects.count() == 0
