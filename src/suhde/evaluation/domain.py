"""Writes of the evaluation phase: a coordinator's decision on a weaving suggestion."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suhde.surveys.models import Wave

from . import queries, weaving
from .models import Decision, SuggestionDecision

REOPEN = "open"  # not a decision: taking one back
STATUSES = (*Decision.values, REOPEN)


@transaction.atomic
def suggestion_update(*, wave: Wave, key: str, status: str, user) -> SuggestionDecision | None:
    """Accept, dismiss or mark done one suggestion of a closed wave; "open" takes it back.

    An accepted suggestion becomes a to-do on the network's checklist for the next round.
    """
    wave = queries.wave_closed(wave)
    if status not in STATUSES:
        raise ValidationError({"status": _("Choose accepted, dismissed, done or open.")})
    suggestion = queries.suggestion_find(wave, key)
    if suggestion is None:
        raise ValidationError(_("No such suggestion in this wave."), code="missing")
    if status == REOPEN:
        SuggestionDecision.objects.filter(wave=wave, key=key).delete()
        return None
    decision, _created = SuggestionDecision.objects.update_or_create(
        wave=wave,
        key=key,
        defaults={
            "network": wave.network,
            "kind": suggestion["kind"],
            "suggestion": suggestion,
            "status": status,
            "decided_by": user if user is not None and user.pk else None,
        },
    )
    return decision


__all__ = ["suggestion_update", "weaving"]
