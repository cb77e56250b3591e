from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from .models import LiveSession, Meeting


def meetings_checklist(network: Network) -> list[ChecklistItem]:
    """Phase 3: are the network's encounters planned, and do they hear everyone? (two queries)"""
    url = reverse("workshops:meetings", args=[network.slug])
    upcoming = (
        Meeting.objects.filter(network=network, starts_at__gte=timezone.now())
        .annotate(block_count=Count("blocks"))
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        meeting = ChecklistItem(_("The next meeting is planned"), False, _("no meeting ahead"), url)
    else:
        meeting = ChecklistItem(
            _("The next meeting is planned"),
            upcoming.block_count > 0,
            ngettext(
                "%(date)s, agenda of %(count)d block",
                "%(date)s, agenda of %(count)d blocks",
                upcoming.block_count,
            )
            % {
                "date": date_format(upcoming.starts_at, "SHORT_DATE_FORMAT"),
                "count": upcoming.block_count,
            },
            reverse("workshops:meeting", args=[network.slug, upcoming.pk]),
        )
    held = LiveSession.objects.filter(network=network).order_by("-created_at").first()
    live = ChecklistItem(
        _("Participants' highlights collected in a live session"),
        held is not None,
        _("last on %(date)s") % {"date": date_format(held.created_at, "SHORT_DATE_FORMAT")}
        if held
        else _("no live session yet"),
        reverse("workshops:sessions", args=[network.slug]),
    )
    return [meeting, live]
