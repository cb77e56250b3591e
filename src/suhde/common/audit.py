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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .net import client_ip
from .users import saved_user

# Any fixed number: the one lock every append takes on PostgreSQL (pg_advisory_xact_lock).
LOCK = 2_330_026


def audit_content(event: AuditEvent) -> str:
    """What the hash covers. Not the actor's id, which a deleted account sets to NULL; the label
    stays. The network, where there is one, comes last, so that the entries written before it was
    recorded keep their hashes."""
    fields: list[str | int] = [
        event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.address,
        event.detail,
    ]
    if event.network_id is not None:
        fields.append(event.network_id)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _network_of(obj: Model | None) -> int | None:
    """The network an object belongs to: itself if it is one, else its ``network_id``."""
    if obj is None:
        return None
    if obj._meta.label_lower == "networks.network":
        return obj.pk
    network_id = getattr(obj, "network_id", None)
    return network_id if isinstance(network_id, int) else None


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
    network: Model | int | None = None,
) -> AuditEvent:
    """Append one audit event. The object is named by type and id only, never by content;
    ``detail`` carries what the record must tell (an email address's old value), never answers
    or secrets. ``network`` (a network or its id) is the network the entry concerns; without
    it, the object's own network where it has one."""
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
        network_id=getattr(network, "pk", network) if network is not None else _network_of(obj),
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
                "network": event.network_id,
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            },
            ensure_ascii=False,
        )


# What a coordinator reads on the network's audit page; an action without a label shows its code.
ACTION_LABELS: dict[str, Promise] = {
    "contacts_view": _("viewed contact details"),
    "contacts_export": _("downloaded the contact list"),
    "contacts_ask": _("asked members to confirm their details"),
    "contacts_confirm": _("confirmed their details"),
    "role_change": _("changed a role"),
    "membership_end": _("ended a membership"),
    "membership_restore": _("restored a membership"),
    "person_update": _("changed a person’s details"),
    "person_archive": _("archived a person"),
    "person_restore": _("restored a person"),
    "person_export": _("downloaded a person’s data"),
    "person_erase": _("erased a person"),
    "person_merge": _("merged two people"),
    "person_link": _("linked an account to a person"),
    "organization_merge": _("merged two organizations"),
    "invitation_create": _("sent an invitation"),
    "invitation_accept": _("accepted an invitation"),
    "removal_restore": _("undid a removal"),
    "import": _("imported a file"),
    "export:csv": _("exported as CSV"),
    "export:xlsx": _("exported as Excel"),
    "export:json": _("exported as JSON"),
    "export:vcard": _("exported contact cards"),
    "survey_invitations_send": _("sent survey links"),
    "survey_wave_close": _("closed a survey wave"),
    "charter_update": _("edited the charter"),
    "charter_agree": _("agreed on the charter"),
    "decision_save": _("saved a decision"),
    "poll_open": _("opened a poll"),
    "poll_close": _("closed a poll"),
    "poll_links_send": _("sent poll links"),
    "dashboard_export_pdf": _("downloaded the dashboard as PDF"),
    "dashboard_export_xlsx": _("downloaded the dashboard as Excel"),
    "live_export_pdf": _("downloaded a live session as PDF"),
    "map_view_create": _("saved a map view"),
    "map_view_update": _("changed a map view"),
}


def audit_action_label(action: str) -> str:
    """The action in words, or its code where it has none (a refused page's ``view:…``)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
