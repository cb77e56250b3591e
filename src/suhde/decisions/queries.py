"""Reads for the decision log and the polls' results (fixed query counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.charter.models import CharterVersion
from suhde.common import privacy
from suhde.networks import access
from suhde.networks.models import Membership, Network, Person, Role
from suhde.workshops.models import DecisionMode, LiveSession, Meeting, Vote

from . import kinds
from .models import (
    POINTS,
    Ballot,
    Comment,
    Decision,
    Poll,
    PollKind,
    Results,
    SecretBallot,
    Status,
    Voter,
    ballot_key,
)

REVIEW_DAYS_AHEAD = 14


def decisions_of(network: Network) -> QuerySet[Decision]:
    return network.decisions.select_related("meeting", "poll").order_by(
        "-decided_on", "-created_at", "-id"
    )


def decisions_filtered(network: Network, *, status: str, mode: str) -> QuerySet[Decision]:
    """The log filtered by a status and a way of deciding; a value not on their lists (from the
    address, promise 18) filters nothing."""
    decisions = decisions_of(network)
    if status in Status.values:
        decisions = decisions.filter(status=status)
    if mode in DecisionMode.values:
        decisions = decisions.filter(mode=mode)
    return decisions


def person_of(user: User) -> Person | None:
    """The member record of a signed-in user, if they have one."""
    return getattr(user, "person", None)


def decision_in(network: Network, decision_id: int) -> Decision:
    return get_object_or_404(decisions_of(network), pk=decision_id)


def poll_of(decision: Decision) -> Poll | None:
    try:
        return decision.poll
    except Poll.DoesNotExist:
        return None


def voters(network: Network) -> QuerySet[Person]:
    """Current members who take part in decisions: everyone but observers."""
    return access.people_in(network).filter(
        memberships__network=network,
        memberships__left_on__isnull=True,
        memberships__role__in=[r for r in Role.values if r != Role.OBSERVER],
        archived_at__isnull=True,
    )


def may_vote(network: Network, person: Person | None) -> bool:
    """Whether this person takes part in the network's decisions now."""
    return person is not None and voters(network).filter(pk=person.pk).exists()


def _answered_ids(poll: Poll) -> QuerySet[Voter, int] | QuerySet[Ballot, int]:
    if poll.anonymous:
        return Voter.objects.filter(poll=poll).values_list("person_id", flat=True)
    return Ballot.objects.filter(poll=poll).values_list("person_id", flat=True)


def not_answered(poll: Poll) -> QuerySet[Person]:
    """Members who could answer and have not (their names are shown only in a named poll)."""
    return voters(poll.decision.network).exclude(pk__in=_answered_ids(poll)).order_by("name", "pk")


@dataclass
class PointRow:
    number: int
    label: str
    count: int
    percent: int


@dataclass
class Reason:
    label: str
    name: str  # empty in an anonymous poll, unless the voter signed a formal disagreement
    reason: str


@dataclass
class MyAnswer:
    point: int | None
    label: str
    dots: list
    reason: str
    named: bool


@dataclass
class PollResult:
    poll: Poll
    visible: bool
    hidden_why: str
    rows: list[PointRow]
    total: int
    live: int
    voted: int
    eligible: int
    reasons: list[Reason] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # names, in a named poll only
    mine: MyAnswer | None = None

    @property
    def not_answered(self) -> int:
        return max(self.eligible - self.voted, 0)

    @property
    def turnout(self) -> str:
        return ngettext(
            "%(voted)d/%(eligible)d has answered",
            "%(voted)d/%(eligible)d have answered",
            self.voted,
        ) % {"voted": self.voted, "eligible": self.eligible}


def _answers(poll: Poll) -> list:
    """The poll's answers as (point, dots, name, reason, signed), in no order that follows time."""
    if poll.anonymous:
        rows = [
            (b.point, b.dots, b.signed, b.reason, bool(b.signed))
            for b in SecretBallot.objects.filter(poll=poll).only(
                "point", "dots", "signed", "reason"
            )
        ]
    else:
        rows = [
            (b.point, b.dots, b.person.name, b.reason, b.named)
            for b in poll.ballots.select_related("person")
        ]
    # Sorted by what was answered, never by when: the database's own order would follow the
    # order of writing, and that is the order in which names join the voter list.
    return sorted(rows, key=lambda r: (r[0] if r[0] is not None else -1, r[1], r[3], r[2]))


def _live_values(poll: Poll) -> list[int]:
    if not poll.live_prompt_id:
        return []
    return [
        value
        for value in Vote.objects.filter(prompt_id=poll.live_prompt_id).values_list(
            "value", flat=True
        )
        if isinstance(value, int) and 1 <= value <= POINTS
    ]


def _rows(poll: Poll, answers: list, live_values: list[int]) -> tuple[list[PointRow], int]:
    if poll.kind == PollKind.DOTS:
        counts = [0] * len(poll.options)
        for _point, dots, *_rest in answers:
            for index, value in enumerate(dots[: len(counts)]):
                counts[index] += value
        total = sum(counts)
        rows = [
            PointRow(i + 1, option, counts[i], round(100 * counts[i] / total) if total else 0)
            for i, option in enumerate(poll.options)
        ]
        return rows, total
    by_point = Counter(a[0] for a in answers) + Counter(live_values)
    total = sum(by_point.values())
    rows = [
        PointRow(
            n,
            kinds.label(poll.kind, n),
            by_point[n],
            round(100 * by_point[n] / total) if total else 0,
        )
        for n in kinds.points(poll.kind)
    ]
    return rows, total


def _mine(poll: Poll, person: Person | None) -> MyAnswer | None:
    if person is None:
        return None
    found: SecretBallot | Ballot | None
    if poll.anonymous:
        secret = SecretBallot.objects.filter(poll=poll, key=ballot_key(poll.pk, person.pk)).first()
        found, named = secret, bool(secret and secret.signed)
    else:
        ballot = Ballot.objects.filter(poll=poll, person=person).first()
        found, named = ballot, bool(ballot and ballot.named)
    if found is None:
        return None
    label = kinds.short_label(poll.kind, found.point)
    return MyAnswer(found.point, label, found.dots, found.reason, named)


def poll_result(poll: Poll, person: Person | None = None) -> PollResult:
    """What ``person`` may see of the poll: turnout always; the distribution and the reasons as
    the poll's visibility allows, and for an anonymous poll as ``common.privacy`` allows."""
    closed = not poll.is_open
    answers = _answers(poll)
    live_values = _live_values(poll)
    mine = _mine(poll, person)
    eligible_people = voters(poll.decision.network)
    eligible = eligible_people.count()
    voted = len(answers)
    visible, why = _visibility(poll, closed, voted, mine is not None)
    rows, total = _rows(poll, answers if visible else [], live_values if visible else [])
    reasons = []
    if visible:
        reasons = [
            Reason(_label(poll, point, dots), name if (named or not poll.anonymous) else "", text)
            for point, dots, name, text, named in answers
            if text or not poll.anonymous
        ]
    waiting = []
    if not poll.anonymous:
        waiting = list(not_answered(poll).values_list("name", flat=True)[:WAITING_SHOWN])
    result = PollResult(
        poll,
        visible,
        why,
        rows,
        total,
        len(live_values) if visible else 0,
        voted,
        max(eligible, voted),
        reasons,
        waiting,
        mine,
    )
    return result


WAITING_SHOWN = 50


def _label(poll: Poll, point: int | None, dots: list) -> str:
    if poll.kind == PollKind.DOTS:
        return ", ".join(
            f"{option}: {count}" for option, count in zip(poll.options, dots, strict=False) if count
        )
    return kinds.short_label(poll.kind, point)


def _visibility(poll: Poll, closed: bool, voted: int, answered: bool) -> tuple[bool, str]:
    if poll.anonymous:
        if privacy.poll_result_allowed(anonymous=True, closed=closed, ballots=voted):
            return True, ""
        if not closed:
            return False, _("The answers of an anonymous poll are shown once it has closed.")
        return False, ngettext(
            "Fewer than %(k)d answered, so the answers are not shown: they could be told apart.",
            "Fewer than %(k)d answered, so the answers are not shown: they could be told apart.",
            privacy.POLL_K,
        ) % {"k": privacy.POLL_K}
    if closed or poll.results == Results.ALWAYS:
        return True, ""
    if poll.results == Results.VOTED and answered:
        return True, ""
    if poll.results == Results.VOTED:
        return False, _("The results are shown once you have answered.")
    return False, _("The results are shown once the poll has closed.")


def poll_final(poll: Poll) -> dict:
    """The distribution as it stands, to keep with the decision when the poll closes."""
    answers = _answers(poll)
    rows, total = _rows(poll, answers, _live_values(poll))
    return {
        "kind": poll.kind,
        "total": total,
        "voted": len(answers),
        "eligible": voters(poll.decision.network).count(),
        "rows": [[row.number, row.label, row.count, row.percent] for row in rows],
    }


def needs_my_vote(user: User) -> list[Poll]:
    """Open polls in the user's networks that they may answer and have not answered yet."""
    person = person_of(user)
    if person is None:
        return []
    networks = (
        Membership.objects.filter(person=person, left_on__isnull=True)
        .exclude(role=Role.OBSERVER)
        .values("network_id")
    )
    polls = (
        Poll.objects.filter(
            closed_at__isnull=True,
            deadline__gt=timezone.now(),
            decision__network__in=networks,
            decision__network__archived_at__isnull=True,
        )
        .exclude(pk__in=Ballot.objects.filter(person=person).values("poll_id"))
        .exclude(pk__in=Voter.objects.filter(person=person).values("poll_id"))
        .select_related("decision__network")
        .order_by("deadline", "pk")
    )
    return list(polls[:NEEDS_SHOWN])


NEEDS_SHOWN = 20


def open_polls(network: Network) -> list[tuple[Poll, str]]:
    """The network's open polls with their turnout ("3/12 have answered"), for the digest."""
    polls = list(
        Poll.objects.filter(
            decision__network=network, closed_at__isnull=True, deadline__gt=timezone.now()
        )
        .select_related("decision")
        .annotate(
            named_count=Count("ballots", distinct=True), secret_count=Count("voters", distinct=True)
        )
        .order_by("deadline", "pk")[:NEEDS_SHOWN]
    )
    if not polls:
        return []
    eligible = voters(network).count()
    out: list[tuple[Poll, str]] = []
    for poll in polls:
        voted = poll.secret_count if poll.anonymous else poll.named_count
        turnout = ngettext(
            "%(voted)d/%(eligible)d has answered",
            "%(voted)d/%(eligible)d have answered",
            voted,
        ) % {"voted": voted, "eligible": max(eligible, voted)}
        out.append((poll, turnout))
    return out


def comments_since(network: Network, *, today: date) -> int:
    return Comment.objects.filter(
        decision__network=network,
        hidden_at__isnull=True,
        created_at__date__gt=today - timedelta(days=7),
    ).count()


def comments_of(decision: Decision, *, show_hidden: bool) -> list[Comment]:
    """The discussion, oldest first; a hidden post only for those who may show it again."""
    comments = decision.comments.select_related("author")
    if not show_hidden:
        comments = comments.filter(hidden_at__isnull=True)
    return list(comments.order_by("created_at", "pk")[:COMMENTS_SHOWN])


COMMENTS_SHOWN = 500


def comment_in(decision: Decision, comment_id: int) -> Comment:
    return get_object_or_404(decision.comments.select_related("author"), pk=comment_id)


def charter_versions_for_choice(network: Network) -> QuerySet[CharterVersion]:
    return network.charter_versions.order_by("-number").only("number", "created_at")


def meetings_for_choice(network: Network) -> QuerySet[Meeting]:
    return Meeting.objects.filter(network=network).order_by("-starts_at", "-pk")


def sessions_for_choice(network: Network) -> QuerySet[LiveSession]:
    return LiveSession.objects.filter(network=network, state="open").order_by("-created_at")


def reviews_due(network: Network, *, today: date) -> list[Decision]:
    """Decisions whose review date is past or within the next two weeks, not yet revised."""
    return list(
        network.decisions.filter(
            review_on__isnull=False, review_on__lte=today + timedelta(days=REVIEW_DAYS_AHEAD)
        )
        .exclude(status=Status.REVISED)
        .order_by("review_on", "pk")
    )


def charter_versions_approved(decision: Decision) -> list[int]:
    return list(
        decision.network.charter_versions.filter(
            agreed_ref_kind="decision", agreed_ref_id=decision.pk
        ).values_list("number", flat=True)
    )


def person_ballots(
    person: Person, *, network_ids: list[int] | None, own: bool
) -> dict[str, list[dict[str, object]]]:
    """Comments the person wrote on decisions, and their own votes in agreement polls — the
    votes for their own download only (a coordinator sees a poll's tally, and a name only where
    the voter chose to show it)."""
    comments = Comment.objects.filter(author=person).select_related("decision")
    if network_ids is not None:
        comments = comments.filter(decision__network__in=network_ids)
    written = {
        "decision_comments": [
            {"decision": c.decision.title, "comment": c.body, "at": c.created_at}
            for c in comments.order_by("created_at", "pk")
        ]
    }
    if not own:
        return written
    ballots = Ballot.objects.filter(person=person).select_related("poll__decision")
    return written | {
        "poll_votes": [
            {
                "decision": ballot.poll.decision.title,
                "gradient_point": ballot.point,
                "name_shown": ballot.named,
                "reason": ballot.reason,
                "at": ballot.created_at,
            }
            for ballot in ballots.order_by("created_at", "pk")
        ]
    }
