"""Writes for the decision log and its agreement polls. Keyword-only, atomic, ``<thing>_<verb>``."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.charter.domain import charter_version_agree
from suhde.common.mail import mail_queue
from suhde.common.tokens import token_digest, token_new
from suhde.networks import access
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person, Role
from suhde.workshops import live
from suhde.workshops.models import DecisionMode, LiveSession, Meeting, PromptKind

from .models import POINTS, REASON_MAX, Ballot, Channel, Decision, Poll, PollLink, Status

TEXT_FIELDS = {
    "title": NAME_MAX,
    "decided_by": NAME_MAX,
    "proposal": TEXT_MAX,
    "rationale": TEXT_MAX,
}
TOKEN_MAX = 100


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
    if status != Status.PROPOSED and decided_on is None:
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
    *, network: Network, user=None, charter_version: int | None = None, **fields
) -> Decision:
    """Record a decision; with ``charter_version``, it also records that it approved that
    version of the charter, in the same transaction."""
    values = _values(network, fields, timezone.localdate())
    with transaction.atomic():
        decision = Decision.objects.create(
            network=network, created_by=user if user is not None and user.pk else None, **values
        )
        _approve_charter(decision, charter_version)
    return decision


def decision_update(
    *, decision: Decision, charter_version: int | None = None, **fields
) -> Decision:
    values = _values(decision.network, fields, timezone.localdate(decision.created_at))
    if values["mode"] != DecisionMode.FACILITATED and _has_poll(decision):
        raise ValidationError(
            {"mode": _("This decision has an agreement poll, so it stays facilitated.")}
        )
    with transaction.atomic():
        for name, value in values.items():
            setattr(decision, name, value)
        decision.save()
        _approve_charter(decision, charter_version)
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


def _voters(network: Network):
    """Current members who take part in decisions: everyone but observers."""
    return access.people_in(network).filter(
        memberships__network=network,
        memberships__left_on__isnull=True,
        memberships__role__in=[r for r in Role.values if r != Role.OBSERVER],
    )


def poll_open(
    *, decision: Decision, deadline: datetime, user=None, session_id: int | None = None
) -> Poll:
    """Open a gradients poll on a facilitated decision, optionally also live in a session."""
    if decision.mode != DecisionMode.FACILITATED:
        raise ValidationError(
            {"deadline": _("Only a facilitated decision carries an agreement poll.")}
        )
    if _has_poll(decision):
        raise ValidationError({"deadline": _("This decision already has an agreement poll.")})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    session = None
    if session_id is not None:
        session = LiveSession.objects.filter(network=decision.network, pk=session_id).first()
        if session is None or not session.is_open:
            raise ValidationError({"session": _("Choose one of this network's open sessions.")})
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
                    created_by=user if user is not None and user.pk else None,
                )
        except IntegrityError:
            raise ValidationError(
                {"deadline": _("This decision already has an agreement poll.")}
            ) from None


def poll_close(*, poll: Poll) -> Poll:
    with transaction.atomic():
        if poll.closed_at is None:
            poll.closed_at = timezone.now()
            poll.save(update_fields=["closed_at"])
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


def poll_link_recipients(poll: Poll):
    """Who ``poll_links_send`` would mail now: members with an address who have not voted."""
    voted = poll.ballots.values("person_id")
    return (
        _voters(poll.decision.network)
        .exclude(email="")
        .exclude(pk__in=voted)
        .filter(archived_at__isnull=True)
    )


def poll_links_send(*, poll: Poll, language: str = "fi") -> int:
    """Email a personal link to each member with an email address who has not voted yet.

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
    if not raw or len(raw) > TOKEN_MAX:
        return None
    return (
        PollLink.objects.select_related(
            "poll", "poll__decision", "poll__decision__network", "person"
        )
        .filter(token_digest=token_digest(raw))
        .first()
    )


def poll_vote(
    *,
    poll: Poll,
    person: Person | None,
    point: int,
    named: bool = False,
    reason: str = "",
    channel: str = Channel.MEETING,
) -> Ballot:
    """Record one member's gradient. One ballot per member per poll: the database says so."""
    network = poll.decision.network
    if person is None or not _voters(network).filter(pk=person.pk).exists():
        raise ValidationError(_("Only the network's members can answer this poll."))
    if not poll.is_open:
        raise ValidationError({"point": _("The poll has closed; answers are no longer taken.")})
    if not isinstance(point, int) or not 1 <= point <= POINTS:
        raise ValidationError({"point": _("Choose one of the eight points.")})
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX}}
        )
    try:
        with transaction.atomic():
            return Ballot.objects.create(
                poll=poll,
                person=person,
                point=point,
                named=bool(named),
                reason=reason,
                channel=channel,
            )
    except IntegrityError:
        raise ValidationError(
            {"point": _("You have already answered this poll; an answer cannot be changed.")},
            code="twice",
        ) from None


def poll_vote_by_token(*, raw: str, point: int, named: bool = False, reason: str = "") -> Ballot:
    link = poll_link_for_token(raw)
    if link is None:
        raise ValidationError(_("This link is not valid."), code="token")
    return poll_vote(
        poll=link.poll,
        person=link.person,
        point=point,
        named=named,
        reason=reason,
        channel=Channel.LINK,
    )
