from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from .models import Status


def survey_checklist(network: Network) -> list[ChecklistItem]:
    """Phases 1 and 4: has the network looked at its relationships, and when last?"""
    last = network.waves.filter(status=Status.CLOSED).order_by("-closed_at").first()
    url = reverse("surveys:waves", args=[network.slug])
    if last is None or last.closed_at is None:
        return [
            ChecklistItem(
                _("A relationship survey wave closed"), False, _("no closed wave yet"), url
            )
        ]
    return [
        ChecklistItem(
            _("A relationship survey wave closed"),
            True,
            _("last closed on %(date)s")
            % {"date": date_format(last.closed_at, "SHORT_DATE_FORMAT")},
            url,
        )
    ]
