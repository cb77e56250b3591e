from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from .models import HandoffStatus, ServicePath


def path_checklist(network: Network) -> list[ChecklistItem]:
    """Phase 1: is the client's path drawn, and is every handoff on it agreed? One query."""
    counts = ServicePath.objects.filter(network=network).aggregate(
        paths=Count("id", distinct=True),
        open=Count("transitions", filter=~Q(transitions__status=HandoffStatus.AGREED)),
    )
    paths, open_handoffs = counts["paths"], counts["open"]
    url = reverse("paths:paths", args=[network.slug])
    return [
        ChecklistItem(
            _("The client's service path is drawn"),
            paths > 0,
            ngettext("%(count)d service path", "%(count)d service paths", paths) % {"count": paths},
            url,
        ),
        ChecklistItem(
            _("Every handoff on the paths is agreed"),
            paths > 0 and open_handoffs == 0,
            ngettext(
                "%(count)d handoff not agreed yet",
                "%(count)d handoffs not agreed yet",
                open_handoffs,
            )
            % {"count": open_handoffs},
            url,
        ),
    ]
