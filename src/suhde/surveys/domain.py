"""Writes for relationship survey waves: open, invite, answer, close.

Every function is keyword-only and atomic. Answers are validated against the wave's roster here,
so the respondent's page and the API refuse the same things with the same messages.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.common.mail import mail_queue
from suhde.common.privacy import K_DEFAULT, K_MINIMUM, figures_public
from suhde.common.tokens import token_find, token_new
from suhde.common.validators import day_check
from suhde.coordination.domain import event_upsert_for
from suhde.networks.models import Membership, Network, Organization, Person

from .models import (
    DYADIC_ITEMS,
    OPEN_KINDS,
    OPEN_MAX,
    SELF_ITEMS,
    OpenAnswer,
    PartnerAnswer,
    Response,
    Status,
    SurveyInvitation,
    SurveyLink,
    Wave,
)
from .queries import invitations_to_mail

TITLE_MAX = 200
PARTNERS_MAX = 500


# --- waves ----------------------------------------------------------------------------------


def _members(network: Network):
    return Membership.objects.filter(
        network=network, left_on__isnull=True, person__archived_at__isnull=True
    )


def _check_wave_fields(*, title: str, opens_at: datetime, closes_at: datetime, k: int) -> None:
    day_check(opens_at, "opens_at")
    day_check(closes_at, "closes_at")
    errors = {}
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("Give a title of at most %(max)d characters.") % {"max": TITLE_MAX}
    if closes_at <= opens_at:
        errors["closes_at"] = _("The wave must close after it opens.")
    elif closes_at <= timezone.now():
        errors["closes_at"] = _("The closing time must be in the future.")
    if k < K_MINIMUM:
        errors["k"] = _("The anonymity threshold can never be below %(min)d.") % {"min": K_MINIMUM}
    if errors:
        raise ValidationError(errors)


def _invitees(network: Network, person_ids: list[int] | None) -> list[int]:
    members = set(_members(network).values_list("person_id", flat=True))
    if person_ids is None:
        return sorted(members)
    unknown = sorted(set(person_ids) - members)
    if unknown:
        raise ValidationError(
            {
                "invitees": _("Not members of this network: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            }
        )
    if not person_ids:
        raise ValidationError({"invitees": _("Invite at least one member.")})
    return sorted(set(person_ids))


@transaction.atomic
def wave_create(
    *,
    network: Network,
    user: User,
    title: str,
    closes_at: datetime,
    opens_at: datetime | None = None,
    k: int = K_DEFAULT,
    recall_months: int = 12,
    invitees: list[int] | None = None,
    reminder_days: Iterable[int] = (7, 1),
) -> Wave:
    """Open a wave and make a personal invitation for each invitee (all members by default)."""
    opens_at = opens_at or timezone.now()
    _check_wave_fields(title=title, opens_at=opens_at, closes_at=closes_at, k=k)
    if not 1 <= recall_months <= 60:
        raise ValidationError({"recall_months": _("Give a recall period of 1–60 months.")})
    person_ids = _invitees(network, invitees)
    wave = Wave.objects.create(
        network=network,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        k=k,
        recall_months=recall_months,
        created_by=user,
        reminder_days=sorted({int(d) for d in reminder_days if 0 < int(d) < 60}, reverse=True),
    )
    SurveyInvitation.objects.bulk_create(
        (SurveyInvitation(wave=wave, person_id=pid) for pid in person_ids), batch_size=500
    )
    wave_on_clock(wave=wave)
    return wave


def wave_on_clock(*, wave: Wave) -> None:
    """The wave is on the network's annual clock, in the surveys ring, from opening to closing."""
    event_upsert_for(
        source_kind="survey_wave",
        source_id=str(wave.pk),
        network=wave.network,
        title=wave.title,
        start=wave.opens_at,
        end=wave.closes_at,
        category_key="surveys",
    )


# --- links and invitations -------------------------------------------------------------------


def _link_new(invitation: SurveyInvitation) -> tuple[SurveyLink, str]:
    """A new personal link (unsaved) and its raw token: a random token, like every link.

    Each mailing carries a new one and the earlier links keep working, so a reminder needs no
    secret to carry "the same" link and rotating ``SECRET_KEY`` breaks none of them.
    """
    raw, digest = token_new()
    return SurveyLink(invitation=invitation, token_digest=digest), raw


def survey_link_create(*, invitation: SurveyInvitation) -> str:
    """Issue one more personal link for the invitation; returns its raw token (shown once)."""
    link, raw = _link_new(invitation)
    link.save()
    return raw


def survey_url(raw: str) -> str:
    return settings.SUHDE_SITE_URL + reverse("survey_start", args=[raw])


def invitation_for_token(raw: str) -> SurveyInvitation | None:
    """The invitation behind a token, whatever the wave's state; None for an unknown token."""
    links = SurveyLink.objects.select_related(
        "invitation__wave__network", "invitation__person__organization"
    )
    link = token_find(links, raw)
    return None if link is None else link.invitation


# A change of address made in the same step as the person's own confirmation of their details
# (the confirm-your-details link) counts as confirmed: the signal arrives just after it.
SAME_STEP = timedelta(minutes=1)


def _invitation_rotate(invitation: SurveyInvitation, now: datetime) -> None:
    """Revoke every link of the invitation at once; the next mailing issues a new one."""
    invitation.generation += 1
    SurveyLink.objects.filter(invitation=invitation).delete()
    invitation.sent_to = ""
    invitation.sent_at = invitation.reminded_at = None
    confirmed = invitation.person.confirmed_at
    same_step = confirmed is not None and now - SAME_STEP <= confirmed <= now
    invitation.address_changed_at = confirmed if same_step else now


ROTATED_FIELDS = [
    "generation",
    "sent_to",
    "sent_at",
    "reminded_at",
    "address_changed_at",
]


@transaction.atomic
def person_links_revoke(*, person: Person) -> int:
    """Revoke every open personal link of a person whose address changed; returns how many.

    Every link already mailed stops working at once; the next one is mailed only to the new
    address, and only once the person has confirmed it. What the old link wrote stays counted
    but is never shown to the new one.
    """
    person = Person.objects.get(pk=person.pk)
    invitations = list(
        SurveyInvitation.objects.select_for_update()
        .filter(person=person)
        .exclude(wave__status=Status.CLOSED)
    )
    now = timezone.now()
    for invitation in invitations:
        invitation.person = person
        _invitation_rotate(invitation, now)
    SurveyInvitation.objects.bulk_update(invitations, ROTATED_FIELDS)
    return len(invitations)


def address_confirmed(invitation: SurveyInvitation) -> bool:
    """May this link be mailed to the person's address on record?

    Always for a link whose address never changed; after a change, only once the person has
    confirmed their details at or after the change (their confirm-your-details link).
    """
    changed = invitation.address_changed_at
    if changed is None:
        return True
    confirmed = invitation.person.confirmed_at
    return confirmed is not None and confirmed >= changed


def _send_invitation(
    invitation: SurveyInvitation, url: str, reminder: bool, language: str, hide: bool
) -> None:
    wave = invitation.wave
    mail_queue(
        kind="survey_reminder" if reminder else "survey",
        to=invitation.sent_to,
        subject=lambda: (
            (_("Reminder: %(title)s") if reminder else _("Survey: %(title)s"))
            % {"title": wave.title}
        ),
        template="surveys/email/invitation.txt",
        context={"wave": wave, "url": url, "reminder": reminder, "person": invitation.person},
        language=language,
        network_id=wave.network_id,
        source=f"wave:{wave.pk}",
        # A reminder to those who have not answered must not tell the coordinator who they are.
        hide_recipient=hide,
    )


@dataclass
class Sending:
    sent: int
    waiting: int  # links held back until a changed address is confirmed


def _sendable(invitation: SurveyInvitation, now: datetime) -> bool:
    """Bind the link to the person's address, or refuse: a link goes to one address only.

    A link already sent to another address is revoked here too, whichever way the address
    changed (a path that sent no signal, a bulk update), and waits for confirmation.
    """
    address = invitation.person.email.strip().lower()
    if invitation.sent_to and invitation.sent_to != address:
        _invitation_rotate(invitation, now)
        return False
    return address_confirmed(invitation)


@transaction.atomic
def wave_invitations_send(
    *, wave: Wave, only_unanswered: bool = False, language: str = "fi"
) -> Sending:
    """Email each invitee their personal link (a reminder for those already sent one).

    With ``only_unanswered``, only the invitees without a submitted response get one; the
    coordinator never learns who they are. A link goes only to the address it is bound to.
    """
    if not wave.is_open:
        raise ValidationError(_("Invitations can be sent only while the wave is open."))
    invitations = list(
        invitations_to_mail(wave, only_unanswered=only_unanswered)
        .select_for_update()
        .select_related("person", "wave", "wave__network")
    )
    now = timezone.now()
    waiting, links = 0, []
    for invitation in invitations:
        if not _sendable(invitation, now):
            waiting += 1
            continue
        invitation.sent_to = invitation.person.email.strip().lower()
        link, raw = _link_new(invitation)
        links.append(link)
        url, reminder = survey_url(raw), invitation.sent_at is not None
        _send_invitation(invitation, url, reminder, language, only_unanswered)
        if reminder:
            invitation.reminded_at = now
        else:
            invitation.sent_at = now
    SurveyInvitation.objects.bulk_update(invitations, ROTATED_FIELDS, batch_size=500)
    SurveyLink.objects.bulk_create(links, batch_size=500)
    return Sending(sent=len(invitations) - waiting, waiting=waiting)


def reminders_due(*, now: datetime | None = None) -> int:
    """Send the scheduled reminders (for cron): each reminder day once per wave."""
    now = now or timezone.now()
    sent = 0
    for wave in Wave.objects.filter(status=Status.OPEN, closes_at__gt=now, opens_at__lte=now):
        due = [
            d
            for d in wave.reminder_days
            if d not in wave.reminders_sent and wave.closes_at - timedelta(days=d) <= now
        ]
        if due:
            sent += wave_invitations_send(wave=wave, only_unanswered=True).sent
            Wave.objects.filter(pk=wave.pk).update(reminders_sent=wave.reminders_sent + due)
    return sent


# --- answering -------------------------------------------------------------------------------


def roster(wave: Wave, respondent: Person) -> list[Person]:
    """Everyone the respondent may rate: the network's current members but themselves."""
    return list(
        Person.objects.filter(
            memberships__network=wave.network_id,
            memberships__left_on__isnull=True,
            archived_at__isnull=True,
        )
        .exclude(pk=respondent.pk)
        .select_related("organization")
        .distinct()
        .order_by("organization__name", "name", "id")
    )


def _check_open(invitation: SurveyInvitation) -> None:
    if not invitation.wave.is_open:
        raise ValidationError(_("This survey is closed; answers can no longer be changed."))


def _response(invitation: SurveyInvitation) -> Response:
    """The respondent's one response, created on first save; the constraint settles races.

    The first write through a link issued after an address change starts the response afresh:
    whoever holds the new link answers again from nothing, and the answers an earlier link gave
    are neither shown to them nor mixed with theirs.
    """
    try:
        with transaction.atomic():
            response, _created = Response.objects.get_or_create(
                wave=invitation.wave,
                respondent=invitation.person,
                defaults={"link_generation": invitation.generation},
            )
    except IntegrityError:
        response = Response.objects.get(wave=invitation.wave, respondent=invitation.person)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.link_generation != invitation.generation:
        response.partners.all().delete()
        response.open_answers.all().delete()
        response.c1 = response.c2 = response.c3 = response.submitted_at = None
        response.link_generation = invitation.generation
        response.save()
    return response


def _int_in(value: object, low: int, high: int, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(
            {field: _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}}
        )
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high or str(number) != str(value).strip():
        raise ValidationError(
            {field: _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}}
        )
    return number


def _person_id(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValidationError({"partners": _("Each partner needs the id of a person in the list.")})


def _partner_fields(
    partner_id: int, level: object, answers: dict[str, object]
) -> dict[str, int | None]:
    answers = answers or {}
    unknown = set(answers) - set(DYADIC_ITEMS)
    if unknown:
        raise ValidationError(
            {"answers": _("Unknown question: %(items)s.") % {"items": ", ".join(sorted(unknown))}}
        )
    fields = {"level": _int_in(level, 1, 5, f"partner {partner_id}: level")}
    for item in DYADIC_ITEMS:
        fields[item.lower()] = _int_in(answers.get(item), 1, 4, f"partner {partner_id}: {item}")
    return fields


def _roster_ids(invitation: SurveyInvitation) -> set[int]:
    return {person.pk for person in roster(invitation.wave, invitation.person)}


@transaction.atomic
def response_roster_set(*, invitation: SurveyInvitation, partner_ids: list[int]) -> Response:
    """Tick the partners: answers about partners no longer ticked are removed."""
    _check_open(invitation)
    wanted = set(partner_ids)
    if len(wanted) > PARTNERS_MAX:
        raise ValidationError({"partners": _("At most %(max)d partners.") % {"max": PARTNERS_MAX}})
    outside = wanted - _roster_ids(invitation)
    if outside:
        raise ValidationError({"partners": _("Someone you chose is not in this survey's list.")})
    response = _response(invitation)
    response.partners.exclude(partner_id__in=wanted).delete()
    have = set(response.partners.values_list("partner_id", flat=True))
    PartnerAnswer.objects.bulk_create(
        PartnerAnswer(response=response, partner_id=pid) for pid in sorted(wanted - have)
    )
    response.save(update_fields=["updated_at"])
    return response


@transaction.atomic
def response_partner_set(
    *, invitation: SurveyInvitation, partner_id: int, level: object, answers: dict[str, object]
) -> PartnerAnswer:
    _check_open(invitation)
    fields = _partner_fields(partner_id, level, answers)
    response = _response(invitation)
    answer = response.partners.filter(partner_id=partner_id).first()
    if answer is None:
        raise ValidationError({"partners": _("Choose this partner in the list first.")})
    for key, value in fields.items():
        setattr(answer, key, value)
    answer.save()
    return answer


def _open_texts(texts: dict) -> dict[str, str]:
    unknown = set(texts or {}) - set(OPEN_KINDS)
    if unknown:
        raise ValidationError(
            {"open": _("Unknown question: %(items)s.") % {"items": ", ".join(sorted(unknown))}}
        )
    cleaned = {}  # only the questions given: a page that asks one leaves the others alone
    for kind in OPEN_KINDS:
        if kind not in (texts or {}):
            continue
        text = str(texts[kind] or "").strip()
        if len(text) > OPEN_MAX:
            raise ValidationError({kind: _("At most %(max)d characters.") % {"max": OPEN_MAX}})
        cleaned[kind] = text
    return cleaned


@transaction.atomic
def response_self_set(
    *, invitation: SurveyInvitation, values: dict | None = None, texts: dict | None = None
) -> Response:
    _check_open(invitation)
    response = _response(invitation)
    if values is not None:
        unknown = set(values) - set(SELF_ITEMS)
        if unknown:
            raise ValidationError(
                {"self": _("Unknown question: %(items)s.") % {"items": ", ".join(sorted(unknown))}}
            )
        for item in SELF_ITEMS:
            setattr(response, item.lower(), _int_in(values.get(item), 1, 5, item))
        response.save()
    if texts is not None:
        _open_answers_set(response, _open_texts(texts))
    return response


def _open_answers_set(response: Response, texts: dict[str, str]) -> None:
    for kind, text in texts.items():
        if text:
            OpenAnswer.objects.update_or_create(
                response=response, kind=kind, defaults={"text": text}
            )
        else:
            OpenAnswer.objects.filter(response=response, kind=kind).delete()


@transaction.atomic
def response_submit(*, invitation: SurveyInvitation) -> Response:
    _check_open(invitation)
    response = _response(invitation)
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at", "updated_at"])
    return response


@transaction.atomic
def response_put(*, invitation: SurveyInvitation, payload: dict) -> Response:
    """The API's whole-response write: everything in it is checked before anything is stored."""
    _check_open(invitation)
    partners = payload.get("partners") or []
    ids = [_person_id(item.get("person")) for item in partners]
    if len(ids) != len(set(ids)):
        raise ValidationError({"partners": _("The same partner is given twice.")})
    fields = [
        _partner_fields(pid, item.get("level"), item.get("answers"))
        for pid, item in zip(ids, partners, strict=True)
    ]
    response = response_roster_set(invitation=invitation, partner_ids=ids)
    answers = {answer.partner_id: answer for answer in response.partners.all()}
    for pid, values in zip(ids, fields, strict=True):
        for name, value in values.items():
            setattr(answers[pid], name, value)
    PartnerAnswer.objects.bulk_update(
        answers.values(), ["level", *(item.lower() for item in DYADIC_ITEMS)], batch_size=500
    )
    response_self_set(
        invitation=invitation,
        values=payload.get("self") or {},
        texts={kind: (payload.get("open") or {}).get(kind, "") for kind in OPEN_KINDS},
    )
    if payload.get("submit"):
        return response_submit(invitation=invitation)
    return Response.objects.get(pk=response.pk)


@transaction.atomic
def open_answer_hide(*, wave: Wave, ref: str, hidden: bool = True) -> bool:
    """Hide (or show again) the open answer a page names by its reference."""
    from .queries import open_answer_ref

    ids = OpenAnswer.objects.filter(response__wave=wave).values_list("id", flat=True)
    matches = [pk for pk in ids if hmac.compare_digest(open_answer_ref(wave.pk, pk), ref)]
    return bool(matches) and bool(OpenAnswer.objects.filter(pk__in=matches).update(hidden=hidden))


def merge_check(*, kind: str, old: Person | Organization, new: Person | Organization) -> None:
    """A record is not merged away while a wave it was invited to (or answered) is still to
    close: its answers must stay one respondent's each, and its personal link, which never
    follows a merge, must not answer for the kept record (issue 12)."""
    if kind != "person":
        return
    pending = Wave.objects.exclude(status=Status.CLOSED)
    # The merged record's personal link stays with it (networks/merge.py): a wave it may still
    # answer would then count the same person twice.
    own = (
        pending.filter(Q(invitations__person=old) | Q(responses__respondent=old)).distinct().first()
    )
    if own is None:
        return
    both = (
        pending.filter(Q(invitations__person=old) | Q(responses__respondent=old))
        .filter(Q(invitations__person=new) | Q(responses__respondent=new))
        .distinct()
        .first()
    )
    if both is not None:
        raise ValidationError(
            {
                "person": _(
                    "Both were invited to the survey wave “%(title)s”, which has not closed: "
                    "merge them after it closes, so that every answer stays one respondent's."
                )
                % {"title": both.title}
            }
        )
    raise ValidationError(
        {
            "person": _(
                "%(name)s was invited to the survey wave “%(title)s”, which has not closed: "
                "merge after it closes, so that their personal link never answers for someone "
                "else."
            )
            % {"name": old.name, "title": own.title}
        }
    )


def person_survey_erase(person: Person) -> dict[str, int]:
    """The surveys' part of an erasure (promise 24).

    Answers stay, under the record that no longer says who gave them: removing one would change
    the published figures, and whoever compared them before and after would read the erased
    person's answer by subtraction — the very attack an erasure must not open. The same holds for
    open answers, which are shown without names: the one that vanished would be theirs. What goes
    is what points at the person: the address their links were sent to, the links themselves, and
    their own in-ratings, which only they could see. Every closed wave they answered or were
    rated in is put through the privacy auditor again, which must find each figure as before.
    """
    touched = Wave.objects.filter(
        Q(responses__respondent=person)
        | Q(responses__partners__partner=person)
        | Q(invitations__person=person)
    ).values_list("pk", flat=True)
    rechecked = 0
    waves = Wave.objects.select_for_update().filter(pk__in=set(touched), snapshot__isnull=False)
    for wave in waves.order_by("pk"):
        stored: dict[str, Any] = wave.snapshot or {}
        before = figures_public(stored.get("figures") or {}, wave.k)
        (stored.get("in_ratings") or {}).pop(str(person.pk), None)
        if figures_public(stored.get("figures") or {}, wave.k) != before:
            raise ValidationError(_("The erasure would change a published figure."))
        wave.save(update_fields=["snapshot"])
        rechecked += 1
    revoked = person_links_revoke(person=person)
    SurveyInvitation.objects.filter(person=person).update(sent_to="")
    return {"survey_links_revoked": revoked, "survey_waves_rechecked": rechecked}
