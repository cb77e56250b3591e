"""Promise 26: the audit log only grows — a recorded event cannot be changed or deleted."""

import pytest

from suhde.common.audit import audit_record
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
