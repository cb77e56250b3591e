from .models import AuditEvent
from .net import client_ip


def audit_record(
    *,
    request=None,
    user=None,
    action: str,
    outcome: str = "ok",
    obj=None,
    label: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one audit event. The object is named by type and id only, never by content;
    ``detail`` carries what the record must tell (an email address's old value), never answers
    or secrets."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        actor=user if user is not None and user.pk else None,
        actor_label=(user.get_username() if user is not None and user.pk else label)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=outcome,
        address=client_ip(request) if request is not None else "",
        detail=detail[:500],
    )
