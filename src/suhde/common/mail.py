"""All of Suhde's email goes through here: queued in an outbox, sent by the background worker.

``mail_queue`` renders a message in the recipient's language and stores it in the outbox inside
the caller's transaction, so a mail exists exactly when the change that caused it was committed.
After the commit the worker sends it (``outbox_deliver``), one SMTP connection per batch. A
message is marked sent only after the mail server accepted it; a failure is retried with a
growing pause (``SUHDE_MAIL_RETRY_SECONDS`` doubled each time, at most an hour apart,
``SUHDE_MAIL_MAX_ATTEMPTS`` times); an address the receiving server refuses is marked bounced at
once. When the server stops answering mid-batch, the rest of the batch waits for the same pause:
nothing is lost, and nothing is marked sent that was not.

Subjects and addresses are header values: line breaks are removed here, at the boundary, so a
title may keep them in its own pages. The body carries single-use links, so it is stored
encrypted with a key derived from the server's secret and wiped once the message has gone.
Log lines name the message's id, kind and state, never its address, subject or body.
"""

from __future__ import annotations

import base64
import email
import email.policy
import functools
import hashlib
import hmac
import logging
import re
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.template import Context, Engine, Template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .models import OutboxMessage

log = logging.getLogger("suhde.mail")

State = OutboxMessage.State
BATCH = 200
SENDING_LEASE = timedelta(minutes=10)  # a message left "sending" this long is tried again
RETRY_CAP_SECONDS = 3600
KIND_LABELS = {
    "invitation": _("Invitation to the network"),
    "survey": _("Survey link"),
    "survey_reminder": _("Survey reminder"),
    "confirm": _("Confirm your contact details"),
    "digest": _("Weekly digest"),
    "event_reminder": _("Event reminder"),
    "poll": _("Agreement poll link"),
    "mention": _("Mention in a discussion"),
    "password_reset": _("Password reset"),
}
# Every character that ends a line somewhere: CR, LF, VT, FF, NEL, LS, PS (and other controls).
LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def header_clean(value: str, limit: int = 255) -> str:
    """A header value on one line: line breaks and control characters become single spaces."""
    return " ".join(LINE_BREAKS.sub(" ", str(value)).split())[:limit]


def _secret_keys() -> list[str]:
    """The key, then the keys it replaced: what was sealed or signed before a rotation still
    opens, and only the current key seals anything new."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _fernet() -> MultiFernet:
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(hashlib.sha256(b"suhde-outbox:" + key.encode()).digest())
            )
            for key in _secret_keys()
        ]
    )


def _seal(body: str) -> str:
    return _fernet().encrypt(body.encode()).decode()


def _open(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


def mail_queue(
    *,
    kind: str,
    to: str,
    subject: str | Callable[[], str],
    template: str,
    context: dict,
    language: str | None = None,
    network_id: int | None = None,
    source: str = "",
    hide_recipient: bool = False,
) -> OutboxMessage | None:
    """Render a message in ``language`` and put it in the outbox; the worker sends it.

    ``subject`` may be a function, called in ``language`` (``lambda: _("Hello %(name)s") % …``).
    Call it inside the transaction of the change that causes the mail. Returns None (and queues
    nothing) for an address that cannot be mailed.
    """
    address = header_clean(to, 254)
    try:
        validate_email(address)
    except Exception:
        log.warning("mail not queued: unusable address", extra={"kind": kind})
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        text = subject() if callable(subject) else str(subject)
        body = _render_text(template, context)
    message = OutboxMessage.objects.create(
        kind=kind,
        network_id=network_id,
        source=source[:64],
        to=address,
        hide_recipient=hide_recipient,
        subject=header_clean(text),
        body=_seal(body),
        language=language[:8],
        next_attempt_at=timezone.now(),
    )
    _deliver_after_commit()
    log.info("mail queued", extra={"mail": message.pk, "kind": kind, "state": State.QUEUED})
    return message


@functools.lru_cache(maxsize=64)
def _compiled(template: str) -> Template:
    # A wave of a thousand invitations renders one template a thousand times: compile it once.
    return Engine.get_default().get_template(template)


def _render_text(template: str, context: dict) -> str:
    """A plain-text body: no HTML escaping ("Smith & Co" stays as it is)."""
    compiled = (
        Engine.get_default().get_template(template) if settings.DEBUG else _compiled(template)
    )
    return compiled.render(Context(context, autoescape=False))


class _Delivery:
    """An after-commit call that asks for a delivery run; remembers having run."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        try:
            outbox_task.enqueue()
        except Exception:  # the worker's clock sends it within a minute anyway
            log.exception("could not enqueue the outbox")


def _deliver_after_commit() -> None:
    """Ask the worker for one delivery run after this transaction commits, not one per mail."""
    connection = transaction.get_connection()
    pending = (f for _sids, f, _robust in connection.run_on_commit if isinstance(f, _Delivery))
    if any(not delivery.done for delivery in pending):
        return
    transaction.on_commit(_Delivery())


@task()
def outbox_task() -> dict:
    return outbox_deliver()


# --- delivery (in the worker) ----------------------------------------------------------------


def _retry_seconds(attempts: int) -> int:
    base = settings.SUHDE_MAIL_RETRY_SECONDS
    return min(base * 2 ** max(0, attempts - 1), max(base, RETRY_CAP_SECONDS))


def _claim(pk: int, now) -> bool:
    """Take one due message for this worker; another worker's claim wins."""
    return bool(
        OutboxMessage.objects.filter(
            pk=pk, state__in=[State.QUEUED, State.DEFERRED], next_attempt_at__lte=now
        ).update(state=State.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )


def _release_stale(now) -> None:
    """A worker that died while sending left its message "sending": try it again."""
    OutboxMessage.objects.filter(state=State.SENDING, updated_at__lt=now - SENDING_LEASE).update(
        state=State.DEFERRED, next_attempt_at=now, last_error="worker stopped while sending"
    )


def _mark(message: OutboxMessage, state: str, error: str = "", retry_at=None) -> None:
    message.state, message.last_error = state, error[:200]
    fields = ["state", "last_error", "updated_at"]
    if state == State.SENT:
        message.sent_at, message.body = timezone.now(), ""
        fields += ["sent_at", "body"]
    if retry_at is not None:
        message.next_attempt_at = retry_at
        fields.append("next_attempt_at")
    message.save(update_fields=fields)
    log.info(
        "mail " + state,
        extra={"mail": message.pk, "kind": message.kind, "state": state,
               "attempt": message.attempts, "error": error[:80]},
    )  # fmt: skip


def _describe(error: Exception) -> str:
    """The error for the coordinator's page and the log: a code and a class, no server text
    (which may quote the address)."""
    code = getattr(error, "smtp_code", None)
    return f"{code} {type(error).__name__}" if code else type(error).__name__


def _failed(message: OutboxMessage, error: Exception, now) -> None:
    if message.attempts >= settings.SUHDE_MAIL_MAX_ATTEMPTS:
        _mark(message, State.FAILED, _describe(error))
    else:
        retry_at = now + timedelta(seconds=_retry_seconds(message.attempts))
        _mark(message, State.DEFERRED, _describe(error), retry_at)


def _email(message: OutboxMessage, connection) -> EmailMessage:
    return EmailMessage(
        subject=header_clean(message.subject),
        body=_open(message.body),
        to=[message.to],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(message.pk)},
    )


# --- bounces ---------------------------------------------------------------------------------
# A receiving server that refuses an address during the SMTP conversation is seen at once
# (``SMTPRecipientsRefused`` above). One that accepts and bounces later mails a delivery status
# notification (RFC 3464) to the sender's address; it quotes the message's Message-ID, which
# names the outbox row and carries a keyed check, so that ``suhde mail_bounce`` (fed by the mail
# server) can mark the right message and a forged report cannot mark any other.

BOUNCED_BY_HAND = "marked bounced by hand"
BOUNCED_REPORTED = "bounce reported"
_MESSAGE_ID = re.compile(r"<suhde\.(\d{1,18})\.([0-9a-f]{16})@[^>\s]+>")


def _id_check(pk: int, key: str | None = None) -> str:
    secret = ("suhde-message-id:" + (key or settings.SECRET_KEY)).encode()
    return hmac.new(secret, str(int(pk)).encode(), hashlib.sha256).hexdigest()[:16]


def _id_valid(pk: int, check: str) -> bool:
    """A bounce may report a mail sent before the key was rotated."""
    return any(hmac.compare_digest(check, _id_check(pk, key)) for key in _secret_keys())


def message_id(pk: int) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<suhde.{int(pk)}.{_id_check(pk)}@{header_clean(domain, 200)}>"


def bounce_report(raw: bytes) -> OutboxMessage | None:
    """Read a delivery status notification; mark the outbox message it reports bounced.

    Only a report whose action is "failed" counts (a "delayed" one is not a bounce), and only a
    Message-ID this server made, with a valid check. Returns the message marked, or None.
    """
    report = email.message_from_bytes(raw[: 2 * 1024 * 1024], policy=email.policy.compat32)
    failed, quoted = False, ""
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            text = "\n".join(str(block) for block in (part.get_payload() or []))
            failed = failed or bool(re.search(r"(?im)^action:\s*failed\b", text))
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            quoted += str(part.get_payload() if kind == "text/rfc822-headers" else part)
    match = _MESSAGE_ID.search(quoted) if failed else None
    if match is None or not _id_valid(int(match[1]), match[2]):
        log.info("bounce report not recognised")
        return None
    message = OutboxMessage.objects.filter(pk=int(match[1]), state=State.SENT).first()
    if message is not None:
        _mark(message, State.BOUNCED, BOUNCED_REPORTED)
    return message


def outbox_bounced_set(*, message: OutboxMessage, bounced: bool) -> bool:
    """A coordinator marks a sent message bounced (a report reached them by mail), or takes
    their own mark back. Returns whether anything changed."""
    if bounced and message.state == State.SENT:
        _mark(message, State.BOUNCED, BOUNCED_BY_HAND)
        return True
    if not bounced and message.state == State.BOUNCED and message.last_error == BOUNCED_BY_HAND:
        # Back to how it was: sent, at the time it was sent.
        message.state, message.last_error = State.SENT, ""
        message.save(update_fields=["state", "last_error", "updated_at"])
        log.info("mail sent", extra={"mail": message.pk, "kind": message.kind, "state": "sent"})
        return True
    return False


def outbox_deliver(*, now: datetime | None = None) -> dict[str, int]:
    """Send the messages that are due, over one connection; returns counts by outcome."""
    now = now or timezone.now()
    _release_stale(now)
    due = list(
        OutboxMessage.objects.filter(
            state__in=[State.QUEUED, State.DEFERRED], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    counts = {"sent": 0, "bounced": 0, "failed": 0}
    connection = None
    try:
        for pk in due:
            if not _claim(pk, now):
                continue
            message = OutboxMessage.objects.get(pk=pk)
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                if connection.send_messages([_email(message, connection)]) != 1:
                    raise smtplib.SMTPException("not sent")
            except InvalidToken as error:  # the secret key changed since it was queued
                _mark(message, State.FAILED, _describe(error))
                counts["failed"] += 1
            except smtplib.SMTPRecipientsRefused as error:
                _mark(message, State.BOUNCED, _refused_code(error))
                counts["bounced"] += 1
            except (smtplib.SMTPException, OSError) as error:
                _failed(message, error, now)
                counts["failed"] += 1
                if _connection_lost(error):
                    _hold_the_rest(message.next_attempt_at, now)
                    break
                connection = _reset(connection)
            else:
                _mark(message, State.SENT)
                counts["sent"] += 1
    finally:
        _reset(connection)
    return counts


def _refused_code(error: smtplib.SMTPRecipientsRefused) -> str:
    codes = [code for code, _text in error.recipients.values()]
    return f"{codes[0] if codes else ''} recipient refused".strip()


def _connection_lost(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421  # "service not available, closing channel"
    return isinstance(error, OSError | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError)


def _hold_the_rest(retry_at, now) -> None:
    """The server is gone: the rest of the batch waits as long as the message that failed."""
    if retry_at is None or retry_at <= now:
        retry_at = now + timedelta(seconds=settings.SUHDE_MAIL_RETRY_SECONDS)
    OutboxMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now).update(
        next_attempt_at=retry_at
    )


def _reset(connection):
    if connection is not None:
        try:
            connection.close()
        except Exception:  # the server is already gone; nothing more to say to it
            log.debug("closing the mail connection failed", exc_info=True)
    return None


def outbox_purge(*, now: datetime | None = None) -> int:
    """Forget messages older than SUHDE_MAIL_KEEP_DAYS that are done (sent, failed, bounced)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUHDE_MAIL_KEEP_DAYS)
    done = [State.SENT, State.FAILED, State.BOUNCED]
    deleted, _rows = OutboxMessage.objects.filter(state__in=done, updated_at__lt=cutoff).delete()
    return deleted


# --- what the coordinator sees ---------------------------------------------------------------


def outbox_counts(*, network_id: int, source: str | None = None) -> dict[str, int]:
    """How many of a network's messages (from one place, if ``source``) are in each state."""
    rows = OutboxMessage.objects.filter(network_id=network_id)
    if source is not None:
        rows = rows.filter(source=source)
    found = dict(rows.values_list("state").annotate(n=Count("id")).order_by())
    counts = {state: found.get(state, 0) for state in State.values}
    counts["waiting"] = counts[State.QUEUED] + counts[State.SENDING] + counts[State.DEFERRED]
    counts["total"] = sum(found.values())
    return counts


def outbox_messages(*, network_id: int) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(network_id=network_id).defer("body")
