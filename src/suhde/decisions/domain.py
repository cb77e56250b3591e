"""Writes for the decision log and its agreement polls. Keyword-only, atomic, ``<thing>_<verb>``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.charter.domain import charter_version_agree
from suhde.common.mail import mail_queue
from suhde.common.tokens import token_find, token_new
from suhde.common.users import saved_user
from suhde.coordination.domain import event_remove_for, event_upsert_for
from suhde.networks import access
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person
from suhde.workshops import live
from suhde.workshops.models import DecisionMode, LiveSession, Meeting, PromptKind

from . import kinds, queries
from .models import (
    COMMENT_MAX,
    DOTS_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    REASON_MAX,
    Ballot,
    Channel,
    Comment,
    Decision,
    Poll,
    PollKind,
    PollLink,
    Results,
    SecretBallot,
    Status,
    Voter,
    ballot_key,
)

TEXT_FIELDS = {
    "title": NAME_MAX,
    "decided_by": NAME_MAX,
    "proposal": TEXT_MAX,
    "rationale": TEXT_MAX,
}


def _meeting(network: Network, meeting_id: int | None) -> Meeting | None:
    if meeting_id is None:
        return None
    meeting = Meeting.objects.filter(network=network, pk=meeting_id).first()
    if meeting is None:
        raise ValidationError({"meeting": _("Choose one of this network's meetings.")})
    return meeting


def _values(network: Network, fields: dict, created: date) -> dict:
    values = {}
    for name, limit in TEXT_FIELDS.items():
        text = (fields.get(name) or "").strip()
        if len(text) > limit:
            raise ValidationError({name: _("Keep this under %(max)d characters.") % {"max": limit}})
        values[name] = text
    if not values["title"]:
        raise ValidationError({"title": _("Say in a few words what is decided.")})
    if not values["proposal"]:
        raise ValidationError({"proposal": _("Write the proposal that was decided on.")})
    mode, status = fields.get("mode"), fields.get("status") or Status.PROPOSED
    if mode not in DecisionMode.values:
        raise ValidationError({"mode": _("Choose how the decision is made.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose the status.")})
    decided_on, review_on = fields.get("decided_on"), fields.get("review_on")
    if status not in (Status.PROPOSED, Status.MORE_WORK) and decided_on is None:
        raise ValidationError({"decided_on": _("Give the date the decision was made.")})
    if review_on is not None and review_on < (decided_on or created):
        raise ValidationError({"review_on": _("The review date cannot be before the decision.")})
    values.update(
        mode=mode,
        status=status,
        decided_on=decided_on,
        review_on=review_on,
        meeting=_meeting(network, fields.get("meeting_id")),
    )
    return values


def decision_create(
    *,
    network: Network,
    user: User | None = None,
    charter_version: int | None = None,
    **fields: object,
) -> Decision:
    """Record a decision; with ``charter_version``, it also records that it approved that
    version of the charter, in the same transaction."""
    values = _values(network, fields, timezone.localdate())
    with transaction.atomic():
        decision = Decision.objects.create(network=network, created_by=saved_user(user), **values)
        _approve_charter(decision, charter_version)
        _review_on_clock(decision)
    return decision


def decision_update(
    *, decision: Decision, charter_version: int | None = None, **fields: object
) -> Decision:
    values = _values(decision.network, fields, timezone.localdate(decision.created_at))
    poll = queries.poll_of(decision)
    if values["mode"] != DecisionMode.FACILITATED and poll and poll.kind == PollKind.GRADIENTS:
        raise ValidationError(
            {"mode": _("This decision has an agreement poll, so it stays facilitated.")}
        )
    with transaction.atomic():
        for name, value in values.items():
            setattr(decision, name, value)
        decision.save()
        _approve_charter(decision, charter_version)
        _review_on_clock(decision)
    return decision


def _approve_charter(decision: Decision, number: int | None) -> None:
    if number is None:
        return
    version = decision.network.charter_versions.filter(number=number).first()
    if version is None:
        raise ValidationError({"charter_version": _("Choose a version of this network's charter.")})
    if decision.status in (Status.PROPOSED, Status.REVISED) or decision.decided_on is None:
        raise ValidationError(
            {"charter_version": _("Only a decision that was made can approve the charter.")}
        )
    try:
        charter_version_agree(
            version=version,
            agreed_on=decision.decided_on,
            agreed_in=decision.title[:200],
            ref_kind="decision",
            ref_id=decision.pk,
        )
    except ValidationError as error:
        raise ValidationError({"charter_version": error.messages}) from None


def _has_poll(decision: Decision) -> bool:
    return Poll.objects.filter(decision=decision).exists()


# --- agreement polls -------------------------------------------------------------------------

CLOSING_STATUSES = (Status.DECIDED, Status.NOT_DECIDED, Status.MORE_WORK)
REVIEW_CLOCK_KIND = "decision_review"


def _poll_shape(kind: str, options: list[str] | None, dots: int | None) -> tuple[list[str], int]:
    if kind not in PollKind.values:
        raise ValidationError({"kind": _("Choose the kind of poll.")})
    if kind != PollKind.DOTS:
        return [], 0
    cleaned = [" ".join(str(o).split()) for o in options or []]
    cleaned = [o for o in cleaned if o]
    if not 2 <= len(cleaned) <= OPTIONS_MAX:
        raise ValidationError(
            {
                "options": _("Give between 2 and %(max)d options, one per line.")
                % {"max": OPTIONS_MAX}
            }
        )
    if any(len(o) > OPTION_MAX for o in cleaned):
        raise ValidationError(
            {"options": _("Keep each option under %(max)d characters.") % {"max": OPTION_MAX}}
        )
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"options": _("Each option may appear only once.")})
    if dots is None or not 1 <= dots <= DOTS_MAX:
        raise ValidationError(
            {"dots": _("Give each voter between 1 and %(max)d dots.") % {"max": DOTS_MAX}}
        )
    return cleaned, dots


def poll_open(
    *,
    decision: Decision,
    deadline: datetime,
    user: User | None = None,
    session_id: int | None = None,
    kind: str = PollKind.GRADIENTS,
    options: list[str] | None = None,
    dots: int | None = None,
    anonymous: bool = False,
    results: str = Results.VOTED,
) -> Poll:
    """Open a poll on a decision, optionally also live in a session (gradients only).

    An anonymous poll shows its answers only after closing (``common.privacy``), whatever
    ``results`` says: that is what keeps one voter's answer from being subtracted out.
    """
    if kind == PollKind.GRADIENTS and decision.mode != DecisionMode.FACILITATED:
        raise ValidationError(
            {"deadline": _("Only a facilitated decision carries a gradients poll.")}
        )
    options, dots = _poll_shape(kind, options, dots)
    if results not in Results.values:
        raise ValidationError({"results": _("Choose when the results are shown.")})
    if anonymous:
        results = Results.CLOSED
    if _has_poll(decision):
        raise ValidationError({"deadline": _("This decision already has a poll.")})
    if timezone.is_naive(deadline):
        # A moment without an offset (an API client's "2027-01-01T12:00") is the site's time.
        deadline = timezone.make_aware(deadline)
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    session = None
    if session_id is not None:
        session = LiveSession.objects.filter(network=decision.network, pk=session_id).first()
        if session is None or not session.is_open:
            raise ValidationError({"session": _("Choose one of this network's open sessions.")})
        if kind != PollKind.GRADIENTS:
            raise ValidationError({"session": _("Only a gradients poll can be asked live.")})
    with transaction.atomic():
        prompt = None
        if session is not None:
            prompt = live.prompt_add(
                session=session, kind=PromptKind.GRADIENTS, question=decision.title[:300]
            )
        try:
            with transaction.atomic():
                return Poll.objects.create(
                    decision=decision,
                    deadline=deadline,
                    live_prompt=prompt,
                    created_by=saved_user(user),
                    kind=kind,
                    options=options,
                    dots=dots,
                    anonymous=bool(anonymous),
                    results=results,
                )
        except IntegrityError:
            raise ValidationError({"deadline": _("This decision already has a poll.")}) from None


def _review_on_clock(decision: Decision) -> None:
    """The review date stands on the annual clock, in the steering group's ring."""
    if decision.review_on is None:
        event_remove_for(
            source_kind=REVIEW_CLOCK_KIND, source_id=str(decision.pk), network=decision.network
        )
        return
    start = timezone.make_aware(datetime.combine(decision.review_on, time(9)))
    # Stored text: written in the language of whoever sets the review (a command such as
    # `suhde demo` runs in the site's language).
    title = _("Review: %(title)s") % {"title": decision.title}
    event_upsert_for(
        source_kind=REVIEW_CLOCK_KIND,
        source_id=str(decision.pk),
        network=decision.network,
        title=title[:200],
        start=start,
        end=start + timedelta(hours=1),
        category_key="steering",
    )


def poll_close(
    *,
    poll: Poll,
    outcome: str,
    status: str,
    review_on: date | None = None,
    user: User | None = None,
) -> Poll:
    """Close the poll with its outcome: the decision takes the status, the log keeps the final
    distribution, and a review date goes on the annual clock."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write down the outcome in a sentence or two.")})
    if len(outcome) > TEXT_MAX:
        raise ValidationError(
            {"outcome": _("Keep this under %(max)d characters.") % {"max": TEXT_MAX}}
        )
    if status not in CLOSING_STATUSES:
        raise ValidationError(
            {"status": _("Choose what the poll's outcome means for the decision.")}
        )
    today = timezone.localdate()
    if review_on is not None and review_on < today:
        raise ValidationError({"review_on": _("The review date cannot be in the past.")})
    with transaction.atomic():
        poll = Poll.objects.select_for_update().select_related("decision__network").get(pk=poll.pk)
        if poll.closed_at is not None:
            raise ValidationError({"outcome": _("The poll has already been closed.")})
        poll.closed_at = timezone.now()
        poll.outcome = outcome
        poll.final = queries.poll_final(poll)
        poll.save(update_fields=["closed_at", "outcome", "final"])
        decision = poll.decision
        decision.status = status
        decision.decided_on = decision.decided_on or today
        if not decision.rationale:
            decision.rationale = outcome
        if review_on is not None:
            decision.review_on = review_on
        decision.save()
        _review_on_clock(decision)
    return poll


def poll_link(raw: str) -> str:
    return settings.SUHDE_SITE_URL + reverse("decisions:ballot", args=[raw])


def _send_link(person: Person, poll: Poll, url: str, language: str) -> None:
    decision = poll.decision
    mail_queue(
        kind="poll",
        to=person.email,
        subject=lambda: _("Your view, please: %(title)s") % {"title": decision.title},
        template="decisions/email/poll_link.txt",
        context={"person": person, "poll": poll, "decision": decision, "url": url},
        language=language,
        network_id=decision.network_id,
        source=f"poll:{poll.pk}",
        # Links go only to those who have not voted yet: who they are stays unseen.
        hide_recipient=True,
    )


def poll_link_recipients(poll: Poll) -> QuerySet[Person]:
    """Who ``poll_links_send`` would mail now: members with an address who have not voted."""
    return queries.not_answered(poll).exclude(email="")


def poll_links_send(*, poll: Poll, language: str = "fi") -> int:
    """Email a personal link to each member with an email address who has not voted yet: the
    invitation and, sent again before the deadline, the reminder.

    A member who was sent a link before gets a new one; the old one stops working.
    """
    if not poll.is_open:
        raise ValidationError(_("The poll has closed."))
    people = poll_link_recipients(poll)
    count = 0
    with transaction.atomic():
        for person in people:
            raw, digest = token_new()
            PollLink.objects.update_or_create(
                poll=poll, person=person, defaults={"token_digest": digest}
            )
            url = poll_link(raw)
            _send_link(person, poll, url, language)
            count += 1
    return count


def poll_link_for_token(raw: str) -> PollLink | None:
    """The personal link behind a token; None for an unknown or malformed one."""
    links = PollLink.objects.select_related(
        "poll", "poll__decision", "poll__decision__network", "person"
    )
    return token_find(links, raw)


def _answer(poll: Poll, point: object, dots: object) -> tuple[int | None, list[int]]:
    if poll.kind == PollKind.DOTS:
        if (
            not isinstance(dots, list)
            or len(dots) != len(poll.options)
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in dots)
        ):
            raise ValidationError({"dots": _("Give a number of dots (0 or more) for each option.")})
        if not 1 <= sum(dots) <= poll.dots:
            raise ValidationError(
                {"dots": _("Spread between 1 and %(max)d dots.") % {"max": poll.dots}}
            )
        return None, dots
    if (
        isinstance(point, bool)
        or not isinstance(point, int)
        or point not in kinds.points(poll.kind)
    ):
        raise ValidationError({"point": _("Choose one of the answers.")})
    return point, []


def poll_vote(
    *,
    poll: Poll,
    person: Person | None,
    point: int | None = None,
    dots: list[int] | None = None,
    named: bool = False,
    reason: str = "",
    channel: str = Channel.MEETING,
) -> bool:
    """Record one member's answer, or replace it: until the poll closes a member may change
    their mind. Returns True when it is their first answer.

    A named poll keeps one ``Ballot`` per member (the database says so); an anonymous poll
    writes the voter list and the secret ballot apart, and finds the ballot again only by
    ``ballot_key``.
    """
    network = poll.decision.network
    if person is None or not queries.voters(network).filter(pk=person.pk).exists():
        raise ValidationError(_("Only the network's members can answer this poll."))
    if not poll.is_open:
        raise ValidationError({"point": _("The poll has closed; answers are no longer taken.")})
    point, dots = _answer(poll, point, dots)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX}}
        )
    named = bool(named) and kinds.objects(poll.kind, point)
    with transaction.atomic():
        # Two answers of one member at once: the lock on the poll puts them in a row, and the
        # unique constraints keep one ballot either way.
        Poll.objects.select_for_update().filter(pk=poll.pk).first()
        if poll.anonymous:
            created = Voter.objects.get_or_create(
                poll=poll, person=person, defaults={"channel": channel}
            )[1]
            SecretBallot.objects.update_or_create(
                poll=poll,
                key=ballot_key(poll.pk, person.pk),
                defaults={
                    "point": point,
                    "dots": dots,
                    "reason": reason,
                    "signed": person.name if named else "",
                },
            )
            return created
        created = Ballot.objects.update_or_create(
            poll=poll,
            person=person,
            defaults={
                "point": point,
                "dots": dots,
                "named": named,
                "reason": reason,
                "channel": channel,
            },
        )[1]
        return created


def poll_vote_by_token(
    *,
    raw: str,
    point: int | None = None,
    dots: list[int] | None = None,
    named: bool = False,
    reason: str = "",
) -> bool:
    link = poll_link_for_token(raw)
    if link is None:
        raise ValidationError(_("This link is not valid."), code="token")
    return poll_vote(
        poll=link.poll,
        person=link.person,
        point=point,
        dots=dots,
        named=named,
        reason=reason,
        channel=Channel.LINK,
    )


# --- discussion ------------------------------------------------------------------------------

EDIT_MINUTES = 15
MENTIONS_MAX = 10


def _comment_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            {"body": _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX}}
        )
    if "\x00" in body:
        raise ValidationError({"body": _("The text contains a character that cannot be saved.")})
    return body


def _mentioned(decision: Decision, body: str, author: Person) -> list[Person]:
    """Members named after an @ (the whole name, any case): they get a mail."""
    folded = body.casefold()
    if "@" not in folded:
        return []
    people = access.people_in(decision.network).filter(
        memberships__network=decision.network, memberships__left_on__isnull=True
    )
    found = [
        person
        for person in people.exclude(pk=author.pk).exclude(email="").distinct().order_by("pk")
        if person.name and "@" + person.name.casefold() in folded
    ]
    return found[:MENTIONS_MAX]


def _notify(comment: Comment, people: list[Person], language: str) -> None:
    decision = comment.decision
    url = settings.SUHDE_SITE_URL + reverse(
        "decisions:decision", args=[decision.network.slug, decision.pk]
    )
    for person in people:
        mail_queue(
            kind="mention",
            to=person.email,
            subject=lambda: _("You were mentioned: %(title)s") % {"title": decision.title},
            template="decisions/email/mention.txt",
            context={"person": person, "comment": comment, "decision": decision, "url": url},
            language=language,
            network_id=decision.network_id,
            source=f"comment:{comment.pk}",
        )


def comment_create(
    *, decision: Decision, person: Person | None, body: str, language: str = "fi"
) -> Comment:
    """Add a post to the decision's discussion; members it @mentions get a mail."""
    if person is None or not access.people_in(decision.network).filter(pk=person.pk).exists():
        raise ValidationError(_("Only the network's members can take part in the discussion."))
    body = _comment_body(body)
    with transaction.atomic():
        comment = Comment.objects.create(decision=decision, author=person, body=body)
        _notify(comment, _mentioned(decision, body, person), language)
    return comment


def comment_edit(*, comment: Comment, person: Person | None, body: str) -> Comment:
    """Its author may correct a post for 15 minutes; after that it stands as written."""
    if person is None or comment.author_id != person.pk:
        raise ValidationError({"body": _("Only the author can edit a comment.")})
    if timezone.now() - comment.created_at > timedelta(minutes=EDIT_MINUTES):
        raise ValidationError(
            {
                "body": _("A comment can be edited for %(minutes)d minutes.")
                % {"minutes": EDIT_MINUTES}
            }
        )
    if comment.hidden_at is not None:
        raise ValidationError({"body": _("A hidden comment cannot be edited.")})
    comment.body = _comment_body(body)
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body", "edited_at"])
    return comment


def comment_hide(*, comment: Comment, user: User | None = None, hidden: bool = True) -> Comment:
    """A coordinator hides a post from the discussion, or shows it again (the undo)."""
    comment.hidden_at = timezone.now() if hidden else None
    comment.hidden_by = saved_user(user) if hidden else None
    with transaction.atomic():
        comment.save(update_fields=["hidden_at", "hidden_by"])
    return comment


def person_ballots_erase(person: Person) -> dict[str, int]:
    """Votes keep counting in the tallies already shown; none shows a name any more, and the
    person's unused poll links stop."""
    from .models import Ballot, PollLink

    return {
        "poll_names": Ballot.objects.filter(person=person, named=True).update(named=False),
        "poll_links": PollLink.objects.filter(person=person).delete()[0],
    }
