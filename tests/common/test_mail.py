"""One mail module: an outbox sent by the worker, with retries, states and clean headers."""

import email
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.common.mail import (
    bounce_report,
    header_clean,
    mail_queue,
    message_id,
    outbox_counts,
    outbox_deliver,
)
from suhde.common.models import OutboxMessage
from suhde.networks import domain as network_domain
from suhde.networks.models import Network
from tests.smtp_sink import SmtpSink, received

SINK = Path(__file__).resolve().parents[1] / "smtp_sink.py"
State = OutboxMessage.State


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Mail goes to a real SMTP server on a free local port (started by each test)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SUHDE_MAIL_RETRY_SECONDS = 60
    return port


def queue(count: int, network_id=None, **fields) -> list[OutboxMessage]:
    return [
        mail_queue(
            kind="invitation",
            to=f"person{i}@example.org",
            subject=f"Message {i}",
            template="networks/email/invitation.txt",
            context={"invitation": {"network": {"name": "Core"}}, "url": f"/x/{i}", "days": 1},
            language="en",
            network_id=network_id,
            **fields,
        )
        for i in range(count)
    ]


def subjects(folder) -> list[str]:
    return sorted(email.message_from_bytes(raw)["Subject"] for raw in received(folder))


def test_header_clean_puts_a_value_on_one_line():
    assert header_clean("Wave 1\r\nBcc: evil@example.org\u2028x\tz") == (
        "Wave 1 Bcc: evil@example.org x z"
    )
    assert header_clean("a" * 300) == "a" * 255


def test_a_network_name_with_a_line_break_still_sends_one_clean_subject(
    world, django_capture_on_commit_callbacks
):
    Network.objects.filter(pk=world.network.pk).update(name="Core\nBcc: evil@example.org")
    world.network.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        network_domain.invitation_create(
            network=world.network,
            person=world.people[0],
            role="member",
            invited_by=None,
            language="en",
        )
    (message,) = mail.outbox
    assert message.subject == "Invitation to the network Core Bcc: evil@example.org"
    assert message.to == [world.people[0].email]
    assert message.bcc == []
    assert OutboxMessage.objects.get().state == State.SENT


def test_the_body_is_stored_sealed_and_wiped_once_sent(world):
    network_domain.invitation_create(
        network=world.network, person=world.people[0], role="member", invited_by=None
    )
    stored = OutboxMessage.objects.get()
    assert (stored.state, stored.sent_at) == (State.QUEUED, None)
    assert stored.network_id == world.network.pk
    assert "/invite/" not in stored.body and "invited" not in stored.body
    assert mail.outbox == []  # nothing goes out before the transaction commits
    assert outbox_deliver() == {"sent": 1, "bounced": 0, "failed": 0}
    assert "/invite/" in mail.outbox[0].body
    stored.refresh_from_db()
    assert (stored.state, stored.body, stored.attempts) == (State.SENT, "", 1)
    assert stored.sent_at is not None


def test_a_body_sealed_under_another_secret_fails_without_sending(world, settings):
    queue(1, world.network.pk)
    settings.SECRET_KEY = "another secret key that is long enough to count as one"
    assert outbox_deliver() == {"sent": 0, "bounced": 0, "failed": 1}
    assert mail.outbox == []
    assert OutboxMessage.objects.get().state == State.FAILED


def test_a_body_sealed_before_a_rotation_is_sent_with_the_old_key_as_fallback(world, settings):
    queue(1, world.network.pk)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another secret key that is long enough to count as one"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert outbox_deliver() == {"sent": 1, "bounced": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_an_unusable_address_queues_nothing(db):
    assert mail_queue(
        kind="invitation", to="x@example.org\nBcc: y@example.org", subject="s",
        template="networks/email/invitation.txt", context={},
    ) is None  # fmt: skip
    assert OutboxMessage.objects.count() == 0


def test_plain_text_bodies_are_not_html_escaped(db):
    mail_queue(
        kind="invitation",
        to="a@example.org",
        subject="s",
        template="networks/email/invitation.txt",
        context={"invitation": {"network": {"name": "Smith & <Co>"}}, "url": "/u", "days": 1},
        language="en",
    )
    outbox_deliver()
    assert "network Smith & <Co> in Suhde" in mail.outbox[0].body


def test_a_refused_address_bounces_and_the_others_go_out(db, smtp, tmp_path):
    queue(3)
    with SmtpSink(smtp, tmp_path, refuse=("person1@example.org",)):
        assert outbox_deliver() == {"sent": 2, "bounced": 1, "failed": 0}
    states = dict(OutboxMessage.objects.values_list("to", "state"))
    assert states == {
        "person0@example.org": State.SENT,
        "person1@example.org": State.BOUNCED,
        "person2@example.org": State.SENT,
    }
    assert OutboxMessage.objects.get(state=State.BOUNCED).last_error == "550 recipient refused"
    assert subjects(tmp_path) == ["Message 0", "Message 2"]


def test_a_server_that_is_down_defers_with_growing_pauses_then_fails(db, smtp, settings):
    settings.SUHDE_MAIL_MAX_ATTEMPTS = 3
    (message,) = queue(1)
    now = timezone.now()
    pauses = []
    for _attempt in range(3):
        outbox_deliver(now=now)
        message.refresh_from_db()
        pauses.append(round((message.next_attempt_at - now).total_seconds()))
        now = message.next_attempt_at
    assert pauses[:2] == [60, 120]
    assert (message.state, message.attempts) == (State.FAILED, 3)
    assert message.last_error == "ConnectionRefusedError"
    assert message.sent_at is None


def test_killing_the_smtp_server_mid_batch_loses_no_mail(db, smtp, tmp_path, world):
    """The server dies after a few messages: none is marked sent that it did not accept, the
    coordinator sees which failed, and when it returns every message goes out."""
    queue(8, world.network.pk, source="wave:1")
    folder = tmp_path / "first"
    server = subprocess.Popen(
        [sys.executable, str(SINK), str(smtp), str(folder), "--delay", "0.2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout.readline().strip() == "ready"

    def kill_after_three():
        deadline = time.monotonic() + 30
        while len(list(folder.glob("*.eml"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_after_three)
    killer.start()
    try:
        counts = outbox_deliver()
    finally:
        killer.join()
        server.wait()
    accepted = set(subjects(folder))
    sent = set(OutboxMessage.objects.filter(state=State.SENT).values_list("subject", flat=True))
    assert 3 <= len(accepted) < 8
    assert sent <= accepted  # never marked sent before the server took it
    assert counts["failed"] == 1
    failed = OutboxMessage.objects.get(state=State.DEFERRED)
    assert failed.attempts == 1 and failed.next_attempt_at > timezone.now()
    waiting = OutboxMessage.objects.filter(state=State.QUEUED)
    assert waiting.count() == 8 - len(sent) - 1
    assert all(m.next_attempt_at == failed.next_attempt_at for m in waiting)
    counts_now = outbox_counts(network_id=world.network.pk, source="wave:1")
    assert (counts_now["sent"], counts_now["deferred"], counts_now["waiting"]) == (
        len(sent),
        1,
        8 - len(sent),
    )

    assert outbox_deliver() == {"sent": 0, "bounced": 0, "failed": 0}  # not yet due
    later = timezone.now() + timedelta(minutes=2)
    with SmtpSink(smtp, tmp_path / "second"):
        assert outbox_deliver(now=later)["sent"] == 8 - len(sent)
    assert OutboxMessage.objects.exclude(state=State.SENT).count() == 0
    every = accepted | set(subjects(tmp_path / "second"))
    assert every == {f"Message {i}" for i in range(8)}


def test_a_message_left_sending_by_a_dead_worker_is_tried_again(db):
    (message,) = queue(1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.SENDING, updated_at=timezone.now() - timedelta(minutes=11)
    )
    assert outbox_deliver()["sent"] == 1
    assert len(mail.outbox) == 1


def test_a_claimed_message_is_not_sent_twice(db):
    (message,) = queue(1)
    OutboxMessage.objects.filter(pk=message.pk).update(state=State.SENDING)
    assert outbox_deliver() == {"sent": 0, "bounced": 0, "failed": 0}
    assert mail.outbox == []


def test_mail_log_lines_name_no_address_subject_or_link(world, caplog):
    caplog.set_level(logging.INFO, logger="suhde.mail")
    network_domain.invitation_create(
        network=world.network, person=world.people[0], role="member", invited_by=None
    )
    outbox_deliver()
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "mail queued" in text and "mail sent" in text
    assert world.people[0].email not in text
    assert "Invitation" not in text and "/invite/" not in text


def test_coordinator_sees_each_message_state_and_no_hidden_recipient(client, world):
    _sent, failed, reminder = queue(3, world.network.pk)
    OutboxMessage.objects.filter(pk=failed.pk).update(state=State.FAILED, last_error="421 X")
    OutboxMessage.objects.filter(pk=reminder.pk).update(hide_recipient=True)
    queue(1, world.other.pk)  # another network's message is not listed
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:mail", args=["core"]))
    assert page.status_code == 200
    rows = [
        (m.to, m.state, m.hide_recipient) for m in sorted(page.context["page"], key=lambda m: m.pk)
    ]
    assert rows == [
        ("person0@example.org", State.QUEUED, False),
        ("person1@example.org", State.FAILED, False),
        ("person2@example.org", State.QUEUED, True),
    ]
    html = page.content.decode()
    assert "person2@example.org" not in html
    assert "421 X" in html
    filtered = client.get(reverse("networks:mail", args=["core"]), {"state": "failed"})
    assert [m.pk for m in filtered.context["page"]] == [failed.pk]
    odd = client.get(reverse("networks:mail", args=["core"]), {"state": "'; drop"})
    assert odd.status_code == 200 and len(odd.context["page"]) == 3


def test_survey_reminders_hide_who_has_not_answered(world):
    from suhde.surveys import domain as survey_domain

    wave = survey_domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
    )
    survey_domain.wave_invitations_send(wave=wave)
    survey_domain.wave_invitations_send(wave=wave, only_unanswered=True)
    rows = list(OutboxMessage.objects.values_list("kind", "hide_recipient", "source"))
    assert {row for row in rows} == {
        ("survey", False, f"wave:{wave.pk}"),
        ("survey_reminder", True, f"wave:{wave.pk}"),
    }


def test_password_reset_link_comes_from_the_site_url_not_the_host_header(client, settings, db):
    from tests.factories import UserFactory

    settings.SUHDE_SITE_URL = "https://suhde.example.org"
    UserFactory(email="aino@example.org")
    client.post("/reset/", {"email": "aino@example.org"}, HTTP_HOST="localhost")
    outbox_deliver()
    (message,) = mail.outbox
    assert "https://suhde.example.org/reset/" in message.body
    assert "localhost" not in message.body


def _dsn(original: bytes, action: str = "failed") -> bytes:
    """A delivery status notification (RFC 3464) as a receiving server mails it back later."""
    headers = original.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return b"\n".join([
        b"From: MAILER-DAEMON@mx.example.org",
        b"Subject: Undelivered Mail Returned to Sender",
        b"MIME-Version: 1.0",
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        b"", b"--B", b"Content-Type: text/plain", b"", b"The mail could not be delivered.",
        b"--B", b"Content-Type: message/delivery-status", b"",
        b"Reporting-MTA: dns; mx.example.org", b"",
        b"Final-Recipient: rfc822; person0@example.org",
        b"Action: " + action.encode(), b"Status: 5.1.1", b"",
        b"--B", b"Content-Type: text/rfc822-headers", b"", headers, b"", b"--B--", b"",
    ])  # fmt: skip


def test_a_bounce_reported_later_marks_that_message_and_no_other(db, smtp, tmp_path, settings):
    from django.core.management import call_command

    queue(2)
    with SmtpSink(smtp, tmp_path):
        outbox_deliver()
    raws = {email.message_from_bytes(r)["To"]: r for r in received(tmp_path)}
    first = OutboxMessage.objects.get(to="person0@example.org")
    assert email.message_from_bytes(raws[first.to])["Message-ID"] == message_id(first.pk)
    # A report that a delivery is only delayed is not a bounce.
    assert bounce_report(_dsn(raws[first.to], action="delayed")) is None
    # A forged report naming another message's id without its check marks nothing.
    second = OutboxMessage.objects.get(to="person1@example.org")
    forged = raws[first.to].replace(
        message_id(first.pk).encode(), f"<suhde.{second.pk}.0123456789abcdef@localhost>".encode()
    )
    assert bounce_report(_dsn(forged)) is None
    assert bounce_report(b"\x00\xff not mail at all") is None
    report = tmp_path / "bounce.eml"
    report.write_bytes(_dsn(raws[first.to]))
    out = io.StringIO()
    call_command("mail_bounce", str(report), stdout=out)
    assert out.getvalue().strip() == "1 of 1 reports marked a message bounced"
    states = dict(OutboxMessage.objects.values_list("to", "state"))
    assert states == {"person0@example.org": State.BOUNCED, "person1@example.org": State.SENT}
    assert OutboxMessage.objects.get(pk=first.pk).last_error == "bounce reported"


def test_coordinator_marks_a_sent_message_bounced_and_can_take_it_back(client, world):
    sent, waiting = queue(2, world.network.pk)
    outbox_deliver()
    OutboxMessage.objects.filter(pk=waiting.pk).update(state=State.QUEUED)
    sent.refresh_from_db()
    when = sent.sent_at
    url = reverse("networks:mail_bounced", args=["core", sent.pk])
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:mail", args=["core"])).content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"bounced": "1"}, follow=True)
    sent.refresh_from_db()
    assert sent.state == State.BOUNCED and "marked by hand" in response.content.decode()
    assert outbox_counts(network_id=world.network.pk)[State.BOUNCED] == 1
    undo = client.post(url + "?bounced=0")  # the message's "Undo" button
    assert undo.status_code == 302
    sent.refresh_from_db()
    assert (sent.state, sent.sent_at, sent.last_error) == (State.SENT, when, "")
    # A message not yet sent, or bounced by the server itself, is not marked or unmarked.
    client.post(reverse("networks:mail_bounced", args=["core", waiting.pk]), {"bounced": "1"})
    assert OutboxMessage.objects.get(pk=waiting.pk).state == State.QUEUED
    OutboxMessage.objects.filter(pk=sent.pk).update(state=State.BOUNCED, last_error="550 x")
    refused = client.post(url, {"bounced": "0"}, follow=True)
    assert "only a mark made by hand can be taken back" in refused.content.decode()
    assert OutboxMessage.objects.get(pk=sent.pk).state == State.BOUNCED
    # Another network's message is not found through this one.
    (theirs,) = queue(1, world.other.pk)
    other = client.post(reverse("networks:mail_bounced", args=["core", theirs.pk]))
    assert other.status_code == 404
