"""The clock's kind of removal (see common/removals.py): an event, a repeating series whole."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suhde.common.models import Removal
from suhde.common.removals import FACILITATE, removal_kind_register, removal_rows
from suhde.networks.undo import removal_slug

from .domain import EVENT_REMOVAL
from .models import Category, Event


def _events(removal: Removal) -> list[dict]:
    return removal_rows(removal, "coordination.event")


def _event_check(removal: Removal) -> None:
    """The event's category must still be there, and an event another app keeps on the clock
    (a meeting, a survey wave) comes back only if that app has not made a new one since."""
    for fields in _events(removal):
        if not Category.objects.filter(pk=fields["category"]).exists():
            raise ValidationError(_("Its category has been deleted: add the category again first."))
        if (
            fields.get("source_kind")
            and Event.objects.filter(
                network_id=fields["network"],
                source_kind=fields["source_kind"],
                source_id=fields["source_id"],
            ).exists()
        ):
            raise ValidationError(
                _("The clock already has this event again: the removed copy stays removed.")
            )


def _event_url(removal: Removal) -> str:
    return reverse("coordination:event", args=[removal_slug(removal), removal.object_id])


def register() -> None:
    removal_kind_register(
        EVENT_REMOVAL,
        label=gettext_lazy("event on the clock"),
        need=FACILITATE,
        check=_event_check,
        url=_event_url,
    )
