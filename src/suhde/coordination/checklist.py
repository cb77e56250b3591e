"""Phase 3 on the network's home: is the year on the clock, are the contacts current?"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.continuum import ChecklistItem
from suhde.networks.models import Network

from .models import AnnualClock, Event
from .queries import stale_people


def clock_checklist(network: Network) -> list[ChecklistItem]:
    events = Event.objects.filter(network=network).count()
    clock = AnnualClock.objects.filter(network=network).first()
    stale = len(stale_people(network, clock.stale_months if clock else 12))
    return [
        ChecklistItem(
            _("The year is on the annual clock"),
            events > 0,
            ngettext("%(count)d event", "%(count)d events", events) % {"count": events},
            reverse("coordination:clock", args=[network.slug]),
        ),
        ChecklistItem(
            _("Contact details are up to date"),
            stale == 0,
            ngettext("%(count)d stale", "%(count)d stale", stale) % {"count": stale},
            reverse("coordination:contacts", args=[network.slug]),
        ),
    ]
