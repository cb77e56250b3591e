from datetime import date

from django.urls import reverse
from django.utils import formats
from django.utils.translation import ngettext

from suhde.coordination.digest import DigestSection

from .queries import REVIEW_DAYS_AHEAD, reviews_due


def review_section(network, *, today: date) -> DigestSection | None:
    """Decisions whose review date has come or comes within two weeks."""
    due = reviews_due(network, today=today)
    if not due:
        return None
    return DigestSection(
        ngettext(
            "Decisions to review in the coming %(days)d day",
            "Decisions to review in the coming %(days)d days",
            REVIEW_DAYS_AHEAD,
        )
        % {"days": REVIEW_DAYS_AHEAD},
        [f"{formats.date_format(d.review_on, 'SHORT_DATE_FORMAT')} {d.title}" for d in due],
        reverse("decisions:decisions", args=[network.slug]),
    )
