from datetime import date

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from suhde.coordination.digest import DigestSection
from suhde.networks.models import Network

from . import queries
from .models import Status


def open_waves_section(network: Network, *, today: date) -> DigestSection | None:
    """The coordinator's weekly digest: open waves with their response rate and closing day."""
    waves = [w for w in queries.waves_of(network) if w.status == Status.OPEN]
    if not waves:
        return None
    lines = [
        _("%(title)s: %(answered)d of %(invited)d answered, closes on %(date)s")
        % {
            "title": wave.title,
            **queries.response_rate(wave),
            "date": formats.date_format(timezone.localtime(wave.closes_at), "SHORT_DATE_FORMAT"),
        }
        for wave in waves
    ]
    return DigestSection(
        title=_("Open survey waves"), lines=lines, url=reverse("surveys:waves", args=[network.slug])
    )
