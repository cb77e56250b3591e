"""Writes for spreading: turning a network's public summary on and off."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.networks.models import Network

from .models import CONTACT_MAX, PublicSummary


def contact_clean(value: str) -> str:
    """An email address or a web address (https), the one thing of the page that reaches a
    person: the coordinator writes a shared address, never a member's own by accident."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({"contact": _("Give a contact: an email address or a web address.")})
    if len(value) > CONTACT_MAX:
        message = _("The contact is too long: at most %(max)d characters.") % {"max": CONTACT_MAX}
        raise ValidationError({"contact": message})
    try:
        if "@" in value and not value.startswith(("http://", "https://")):
            validate_email(value)
        else:
            URLValidator(schemes=["https"])(value)
    except ValidationError:
        message = _(
            "The contact must be an email address (name@example.fi) or a web address that "
            "starts with https://."
        )
        raise ValidationError({"contact": message}) from None
    return value


@transaction.atomic
def summary_publish(*, network: Network, contact: str, user: Any) -> PublicSummary:
    contact = contact_clean(contact)
    summary, _created = PublicSummary.objects.select_for_update().get_or_create(network=network)
    summary.enabled, summary.contact, summary.changed_by = True, contact, user
    summary.save()
    audit_record(action="public_summary_on", obj=network, user=user)
    return summary


@transaction.atomic
def summary_withdraw(*, network: Network, user: Any) -> PublicSummary:
    """Off at once: the page and the JSON answer 404 from the next request on. The contact is
    kept, so turning it on again is one step."""
    summary, _created = PublicSummary.objects.select_for_update().get_or_create(network=network)
    summary.enabled, summary.changed_by = False, user
    summary.save()
    audit_record(action="public_summary_off", obj=network, user=user)
    return summary
