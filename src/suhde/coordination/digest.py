"""Anticipation: the weekly digest for coordinators and the reminders before events.

The digest gathers sections from a registry that the apps above fill in their
``AppConfig.ready()`` (open survey waves, decisions due for review), so coordination never
imports them. ``suhde send-digests`` runs both; it is safe to run as often as one likes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.common.mail import mail_queue
from suhde.networks.models import Membership, Network, Role

from .models import AnnualClock, DigestSent, Event, ReminderSent
from .queries import WEEKS_AHEAD, local_zone, stale_people, upcoming
from .recurrence import Occurrence, occurrences

NAMES_SHOWN = 10


@dataclass
class DigestSection:
    """One heading of a network's part of the digest, with its lines and a link to act on."""

    title: str
    lines: list[str] = field(default_factory=list)
    url: str = ""


# Functions (network, *, today) -> DigestSection | None, in the order they were registered.
DigestProvider = Callable[..., "DigestSection | None"]
DIGEST_PROVIDERS: list[DigestProvider] = []


def digest_register(provider: DigestProvider) -> None:
    """Add a section to every coordinator's weekly digest. Keep each to a few queries."""
    if provider not in DIGEST_PROVIDERS:
        DIGEST_PROVIDERS.append(provider)


def _when(occurrence: Occurrence) -> str:
    start = occurrence.start.astimezone(local_zone())
    if occurrence.event.all_day:
        return formats.date_format(start, "SHORT_DATE_FORMAT")
    return formats.date_format(start, "SHORT_DATETIME_FORMAT")


def events_section(network: Network, *, today: date) -> DigestSection | None:
    found = upcoming([network.pk], days=WEEKS_AHEAD * 7, today=today)
    if not found:
        return None
    return DigestSection(
        ngettext(
            "Events and deadlines in the coming %(weeks)d week",
            "Events and deadlines in the coming %(weeks)d weeks",
            WEEKS_AHEAD,
        )
        % {"weeks": WEEKS_AHEAD},
        [f"{_when(o)} {o.event.title} ({o.event.category.label})" for o in found],
        reverse("coordination:clock", args=[network.slug]),
    )


def stale_section(network: Network, *, today: date) -> DigestSection | None:
    clock = AnnualClock.objects.filter(network=network).first()
    stale = stale_people(network, clock.stale_months if clock else 12)
    if not stale:
        return None
    names = [person.name for person in stale[:NAMES_SHOWN]]
    if len(stale) > NAMES_SHOWN:
        more = len(stale) - NAMES_SHOWN
        names.append(ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more})
    title = ngettext(
        "%(count)d person's contact details need confirming",
        "%(count)d people's contact details need confirming",
        len(stale),
    ) % {"count": len(stale)}
    return DigestSection(title, names, reverse("coordination:contacts", args=[network.slug]))


digest_register(events_section)
digest_register(stale_section)


def _week(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def _coordinators() -> dict:
    """Each active coordinator account with an address, and the networks it coordinates."""
    rows = (
        Membership.objects.filter(
            role=Role.COORDINATOR,
            left_on__isnull=True,
            person__archived_at__isnull=True,
            person__user__is_active=True,
            network__archived_at__isnull=True,
        )
        .exclude(person__user__email="")
        .select_related("person__user", "network")
        .order_by("network__name", "id")
    )
    found: dict = {}
    for membership in rows:
        found.setdefault(membership.person.user, []).append(membership.network)
    return found


def _sections(network: Network, today: date) -> list[DigestSection]:
    return [s for provider in DIGEST_PROVIDERS if (s := provider(network, today=today))]


def _digest_mail(user, networks, today: date) -> tuple[str, dict] | None:
    parts = [(network, _sections(network, today)) for network in networks]
    parts = [(network, sections) for network, sections in parts if sections]
    if not parts:
        return None
    context = {"user": user, "parts": parts, "site": settings.SUHDE_SITE_URL, "today": today}
    subject = _("Your week in Suhde: %(date)s") % {
        "date": formats.date_format(today, "SHORT_DATE_FORMAT")
    }
    return subject, context


def digests_send(*, today: date | None = None, language: str | None = None) -> int:
    """Mail each coordinator this week's digest, unless it has gone already. Returns how many."""
    today = today or timezone.localdate()
    week = _week(today)
    sent = 0
    with translation.override(language or settings.LANGUAGE_CODE):
        for user, networks in _coordinators().items():
            if DigestSent.objects.filter(user=user, week=week).exists():
                continue
            mail = _digest_mail(user, networks, today)
            if mail is None:
                continue
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, week=week)
                    mail_queue(
                        kind="digest",
                        to=user.email,
                        subject=mail[0],
                        template="coordination/email/digest.txt",
                        context=mail[1],
                        language=translation.get_language(),
                    )
            except IntegrityError:  # another run got there first
                continue
            sent += 1
    return sent


def reminders_send(*, today: date | None = None, language: str | None = None) -> int:
    """Remind each responsible person of their event's occurrences within the clock's N days."""
    today = today or timezone.localdate()
    events = Event.objects.filter(
        responsible__isnull=False, responsible__archived_at__isnull=True
    ).exclude(responsible__email="")
    events = events.select_related("responsible", "network", "category", "network__clock")
    sent = 0
    with translation.override(language or settings.LANGUAGE_CODE):
        for event in events:
            sent += _remind(event, today)
    return sent


def _remind(event: Event, today: date) -> int:
    clock = getattr(event.network, "clock", None)
    days = clock.reminder_days if clock else 7
    found = upcoming_of(event, today, days)
    sent = 0
    for occurrence in found:
        day = occurrence.start.astimezone(local_zone()).date()
        try:
            with transaction.atomic():
                ReminderSent.objects.create(event=event, occurrence=day)
                _reminder_mail(event, occurrence)
        except IntegrityError:
            continue
        sent += 1
    return sent


def upcoming_of(event: Event, today: date, days: int) -> list[Occurrence]:
    start = datetime.combine(today, time(0), tzinfo=local_zone())
    return [
        o for o in occurrences(event, start, start + timedelta(days=days + 1)) if o.start >= start
    ]


def _reminder_mail(event: Event, occurrence: Occurrence) -> None:
    url = settings.SUHDE_SITE_URL + reverse(
        "coordination:event", args=[event.network.slug, event.pk]
    )
    context = {"event": event, "when": _when(occurrence), "url": url}
    subject = _("Reminder: %(title)s on %(when)s") % {
        "title": event.title,
        "when": _when(occurrence),
    }
    if event.responsible is None:  # always there: reminders go only to events with one
        return
    mail_queue(
        kind="event_reminder",
        to=event.responsible.email,
        subject=subject,
        template="coordination/email/reminder.txt",
        context=context,
        language=translation.get_language(),
        network_id=event.network_id,
        source=f"event:{event.pk}",
    )


def anticipation_run() -> None:
    """The worker's hourly run: event reminders, and the week's digests once it is morning
    (``SUHDE_DIGEST_HOUR``, local time)."""
    from .domain import coordination_purge

    if timezone.localtime().hour >= settings.SUHDE_DIGEST_HOUR:
        digests_send()
    reminders_send()
    coordination_purge()
