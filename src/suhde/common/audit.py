"""The audit log (promise 26): append-only and hash-chained.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and its own content, so whoever
edits, deletes or inserts a row straight in the database (past the model, which refuses updates
and deletes) breaks the chain at that row, and ``suhde audit verify`` names it. Cutting entries off
the end leaves a shorter chain that is still whole: the last hash, which ``verify`` prints and
``suhde audit export`` carries on every line, is what an operator's own log system keeps to
notice that. Appends are serialized (an advisory lock on PostgreSQL; SQLite writes one at a time
anyway), so two processes never chain onto the same entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent
from .net import client_ip
from .users import saved_user

# Any fixed number: the one lock every append takes on PostgreSQL (pg_advisory_xact_lock).
LOCK = 2_330_026


def audit_content(event: AuditEvent) -> str:
    """What the hash covers. Not the actor's id, which a deleted account sets to NULL; the label
    stays."""
    return json.dumps(
        [
            event.at.astimezone(UTC).isoformat(timespec="microseconds"),
            event.actor_label,
            event.action,
            event.object_type,
            event.object_id,
            event.outcome,
            event.address,
            event.detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def audit_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + "\n" + audit_content(event)).encode()).hexdigest()


def audit_record(
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    action: str,
    outcome: str = "ok",
    obj: Model | None = None,
    label: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one audit event. The object is named by type and id only, never by content;
    ``detail`` carries what the record must tell (an email address's old value), never answers
    or secrets."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    event = AuditEvent(
        at=timezone.now(),
        actor=saved_user(user),
        actor_label=(user.get_username() if user is not None and user.pk else label)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=outcome,
        address=client_ip(request) if request is not None else "",
        detail=detail[:500],
    )
    with transaction.atomic():
        last = _last_hash_locked()
        event.prev_hash = last or ""
        event.hash = audit_hash(event.prev_hash, event)
        event.save()
    return event


# The table's name is the model's, fixed in code (common_auditevent), not anything a user sends.
LAST_HASH_LOCKED = (
    "SELECT pg_advisory_xact_lock(%s),"
    " (SELECT hash FROM common_auditevent ORDER BY id DESC LIMIT 1)"
)


def _last_hash_locked() -> str | None:
    """The chain's last hash, read so that no other writer appends in between. On PostgreSQL
    the lock and the read are one statement, so a page costs the same number of queries on
    both databases (tests/networks/test_query_counts.py pins one number); SQLite lets one
    writer at a time through its database lock."""
    if connection.vendor != "postgresql":
        return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(LAST_HASH_LOCKED, [LOCK])
        return cursor.fetchone()[1]


@dataclass
class Break:
    event_id: int
    reason: str


def audit_verify() -> tuple[int, str, Break | None]:
    """Walk the chain in order: how many entries, the last hash, and the first break if any."""
    previous, count = "", 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            return count, previous, Break(event.pk, "prev")
        if event.hash != audit_hash(previous, event):
            return count, previous, Break(event.pk, "hash")
        previous, count = event.hash, count + 1
    return count, previous, None


def audit_lines(*, after_id: int = 0) -> Iterator[str]:
    """The log as JSON lines, oldest first, for an operator's log system."""
    for event in (
        AuditEvent.objects.filter(id__gt=after_id).order_by("id").iterator(chunk_size=2000)
    ):
        yield json.dumps(
            {
                "id": event.pk,
                "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
                "actor": event.actor_label,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "outcome": event.outcome,
                "address": event.address,
                "detail": event.detail,
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            },
            ensure_ascii=False,
        )
