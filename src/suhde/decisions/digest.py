from datetime import date

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.coordination.digest import DigestSection
from suhde.networks.attention import Attention
from suhde.networks.models import Network

from .queries import (
    REVIEW_DAYS_AHEAD,
    comments_since,
    needs_my_vote,
    open_polls,
    reviews_due,
)


def review_section(network: Network, *, today: date) -> DigestSection | None:
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
        [
            f"{formats.date_format(d.review_on, 'SHORT_DATE_FORMAT')} {d.title}"
            for d in due
            if d.review_on is not None  # always: reviews_due reads only dated ones
        ],
        reverse("decisions:decisions", args=[network.slug]),
    )


def polls_section(network: Network, *, today: date) -> DigestSection | None:
    """Open polls with their turnout and deadline, and how much the discussions moved in a week
    (the coordinators' digest; each member sees what needs their own vote on "my networks")."""
    lines = [
        _("%(title)s: %(turnout)s, answers by %(deadline)s")
        % {
            "title": poll.decision.title,
            "turnout": turnout,
            "deadline": formats.date_format(poll.deadline, "SHORT_DATE_FORMAT"),
        }
        for poll, turnout in open_polls(network)
    ]
    comments = comments_since(network, today=today)
    if comments:
        lines.append(
            ngettext(
                "%(count)d new comment in the decisions' discussions this week",
                "%(count)d new comments in the decisions' discussions this week",
                comments,
            )
            % {"count": comments}
        )
    if not lines:
        return None
    return DigestSection(
        _("Open polls and discussions"), lines, reverse("decisions:decisions", args=[network.slug])
    )


def needs_my_vote_lines(user: User) -> list[Attention]:
    return [
        Attention(
            _("Needs your vote: %(title)s (%(network)s), answers by %(deadline)s")
            % {
                "title": poll.decision.title,
                "network": poll.decision.network.name,
                "deadline": formats.date_format(poll.deadline, "SHORT_DATETIME_FORMAT"),
            },
            reverse("decisions:decision", args=[poll.decision.network.slug, poll.decision_id]),
        )
        for poll in needs_my_vote(user)
    ]
