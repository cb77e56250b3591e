"""The workshops' kinds of removal (see common/removals.py): a meeting, an agenda block, one of
the network's own methods. Facilitators may undo them, as they may remove them."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suhde.common.models import Removal
from suhde.common.removals import FACILITATE, removal_kind_register, removal_rows
from suhde.coordination.models import Event
from suhde.networks.undo import removal_page, removal_slug

from . import domain
from .models import Meeting


def _meeting_check(removal: Removal) -> None:
    """A meeting that belonged to an event of the clock needs that event back first."""
    for row in removal_rows(removal, "workshops.meeting"):
        event_id = row.get("event")
        if event_id and not Event.objects.filter(pk=event_id).exists():
            raise ValidationError(
                _("Its event on the annual clock has been removed: restore the event first.")
            )


def _meeting_after(removal: Removal) -> None:
    """The meeting takes its own place on the clock again."""
    meeting = Meeting.objects.select_related("network").get(pk=removal.object_id)
    domain.meeting_on_clock(meeting=meeting)


def _block_check(removal: Removal) -> None:
    for row in removal_rows(removal, "workshops.agendablock"):
        if not Meeting.objects.filter(pk=row["meeting"]).exists():
            raise ValidationError(_("Its meeting has been deleted: restore the meeting first."))


def _meeting_url(removal: Removal) -> str:
    return reverse("workshops:meeting", args=[removal_slug(removal), removal.object_id])


def _block_url(removal: Removal) -> str | None:
    rows = removal_rows(removal, "workshops.agendablock")
    if not rows:
        return None
    return reverse("workshops:meeting", args=[removal_slug(removal), rows[0]["meeting"]])


def register() -> None:
    removal_kind_register(
        domain.MEETING_REMOVAL,
        label=gettext_lazy("meeting"),
        need=FACILITATE,
        check=_meeting_check,
        after=_meeting_after,
        url=_meeting_url,
    )
    removal_kind_register(
        domain.BLOCK_REMOVAL,
        label=gettext_lazy("item of an agenda"),
        need=FACILITATE,
        check=_block_check,
        url=_block_url,
    )
    removal_kind_register(
        domain.METHOD_REMOVAL,
        label=gettext_lazy("method of the library"),
        need=FACILITATE,
        url=removal_page("workshops:methods"),
    )
