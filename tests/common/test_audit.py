"""Promise 26: the audit log only grows — a recorded event cannot be changed or deleted."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from suhde.common.audit import audit_hash, audit_record
from suhde.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_audit_event_cannot_be_changed_or_deleted():
    event = audit_record(action="export:csv", outcome="refused", label="someone")
    event.outcome = "ok"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    stored = AuditEvent.objects.get()
    assert (stored.action, stored.outcome) == ("export:csv", "refused")
    assert stored.actor_label == "someone"


def _verify():
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _broken() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", stdout=io.StringIO())
    return str(refused.value)


def _three():
    return [audit_record(action=f"a{n}", label="someone") for n in range(3)]


def test_the_chain_is_whole_and_names_its_last_hash():
    events = _three()
    assert events[1].prev_hash == events[0].hash and events[0].prev_hash == ""
    assert (
        _verify() == f"The audit log's chain is whole: 3 entries, the last hash {events[2].hash}.\n"
    )


def test_an_entry_changed_in_the_database_breaks_the_chain_there():
    events = _three()
    AuditEvent.objects.filter(pk=events[1].pk).update(outcome="refused")  # past the model
    assert _broken() == (
        f"The audit log's chain breaks at entry {events[1].pk}: its content does not match its "
        "hash (it was changed)."
    )


def test_an_entry_removed_from_the_middle_breaks_the_chain_after_it():
    events = _three()
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert f"breaks at entry {events[2].pk}: it does not carry the hash" in _broken()


def test_a_rewritten_entry_with_a_fresh_hash_still_breaks_the_next_link():
    events = _three()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = "nothing happened"
    AuditEvent.objects.filter(pk=forged.pk).update(
        detail=forged.detail, hash=audit_hash(forged.prev_hash, forged)
    )
    assert f"breaks at entry {events[2].pk}" in _broken()


def test_the_export_is_json_lines_after_an_id():
    events = _three()
    out = io.StringIO()
    call_command("audit", "export", "--after", str(events[0].pk), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["action"], line["hash"]) for line in lines] == [
        ("a1", events[1].hash),
        ("a2", events[2].hash),
    ]


def test_the_locked_read_names_the_audit_table():
    # The chain's PostgreSQL read is written out in SQL; renaming the model's table must fail here.
    from suhde.common.audit import LAST_HASH_LOCKED
    from suhde.common.models import AuditEvent

    assert f"FROM {AuditEvent._meta.db_table} ORDER BY id DESC" in LAST_HASH_LOCKED
