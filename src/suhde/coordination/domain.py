"""Writes for the annual clock, its feeds and the contact confirmation links.

Keyword-only, atomic, and a ``ValidationError`` at the field it is about, so a form and an API
call give the same message at the same place. Callers have passed ``networks.access`` already.

Other apps put their events on the clock with ``event_upsert_for`` and take them off with
``event_remove_for`` (docs/annual-clock.md); coordination never imports them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from suhde.common.mail import mail_queue
from suhde.common.models import Removal
from suhde.common.removals import removal_snapshot
from suhde.common.tokens import token_find, token_new
from suhde.common.validators import day_check
from suhde.networks import domain as network_domain
from suhde.networks.access import people_in
from suhde.networks.models import Network, Person

from . import ical
from .models import (
    DEFAULT_CATEGORIES,
    PALETTE,
    AnnualClock,
    Category,
    ConfirmRequest,
    DigestSent,
    Event,
    FeedToken,
    ReminderSent,
)
from .recurrence import exdates_clean, first_occurrence, rule_clean, zone

EVENT_FIELDS = {
    "title",
    "description",
    "category",
    "start",
    "end",
    "all_day",
    "timezone",
    "place",
    "online_url",
    "responsible",
    "rrule",
    "exdates",
    "shared_with",
}
CLOCK_FIELDS = {"start_month", "stale_months", "reminder_days", "show_theme_networks"}
MAX_DURATION = timedelta(days=366)
SOURCE_KIND_MAX = 32
EVENT_REMOVAL = "coordination.event"
SOURCE_ID_MAX = 64


def _full_clean(obj, *, exclude=None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# --- the clock and its categories -------------------------------------------------------------


def clock_ensure(*, network: Network) -> AnnualClock:
    """The network's clock, made with the default categories the first time it is needed."""
    clock = AnnualClock.objects.filter(network=network).first()
    if clock is not None:
        return clock
    with transaction.atomic():
        clock, created = AnnualClock.objects.get_or_create(network=network)
        if created and not Category.objects.filter(network=network).exists():
            Category.objects.bulk_create(
                Category(network=network, key=key, colour=index % len(PALETTE), order=index)
                for index, key in enumerate(DEFAULT_CATEGORIES)
            )
    return clock


@transaction.atomic
def clock_update(*, network: Network, **fields: object) -> AnnualClock:
    unknown = set(fields) - CLOCK_FIELDS
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    clock = clock_ensure(network=network)
    for key, value in fields.items():
        setattr(clock, key, value)
    _full_clean(clock, exclude=["network"])
    clock.save()
    return clock


def _key_for(network: Network, name: str) -> str:
    base = slugify(name)[:30] or "category"
    taken = set(Category.objects.filter(network=network).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def category_create(
    *, network: Network, name: str, colour: int = 0, order: int | None = None
) -> Category:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    if order is None:
        order = Category.objects.filter(network=network).count()
    category = Category(
        network=network, key=_key_for(network, name), name=name, colour=colour, order=order
    )
    _full_clean(category, exclude=["network"])
    category.save()
    return category


@transaction.atomic
def category_update(*, category: Category, **fields: object) -> Category:
    unknown = set(fields) - {"name", "colour", "order"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if fields.get("order", 0) is None:
        fields.pop("order")
    for key, value in fields.items():
        setattr(category, key, value.strip() if isinstance(value, str) else value)
    _full_clean(category, exclude=["network"])
    category.save()
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    if category.events.exists():
        raise ValidationError(
            {"category": _("Move or delete this category's events before deleting it.")}
        )
    category.delete()


# --- events -----------------------------------------------------------------------------------


def _aware(value, tz) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(_("Give a date and time."))
    return value.replace(tzinfo=tz) if timezone.is_naive(value) else value.astimezone(tz)


def _whole_days(start: datetime, end: datetime, tz) -> tuple[datetime, datetime]:
    """An all-day event runs from a midnight to the midnight after its last day."""
    first = datetime.combine(start.date(), time(0), tzinfo=tz)
    last = datetime.combine(end.date(), time(0), tzinfo=tz)
    if end.time() != time(0) or last <= first:
        last += timedelta(days=1)
    return first, max(last, first + timedelta(days=1))


def _check_links(network: Network, fields: dict) -> None:
    category = fields.get("category")
    if "category" in fields and (category is None or category.network_id != network.pk):
        raise ValidationError({"category": _("Choose a category of this network's clock.")})
    person = fields.get("responsible")
    if person is not None and not people_in(network).filter(pk=person.pk).exists():
        raise ValidationError({"responsible": _("Choose a member of this network.")})


def _times(event: Event, fields: dict) -> None:
    tz = zone(fields.get("timezone", event.time_zone))
    start = fields.get("start", event.start)
    end = fields.get("end", event.end)
    day_check(start, "start")  # a year 9999 overflows as soon as a day or a zone is added
    day_check(end, "end")
    try:
        start = _aware(start, tz)
    except ValidationError as error:
        raise ValidationError({"start": error.messages}) from error
    try:
        end = _aware(end, tz)
    except ValidationError as error:
        raise ValidationError({"end": error.messages}) from error
    all_day = fields.get("all_day", event.all_day)
    if end < start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if all_day:
        start, end = _whole_days(start, end, tz)
    if end - start > MAX_DURATION:
        raise ValidationError({"end": _("An event can last at most a year.")})
    rule = rule_clean(fields.get("rrule", event.rrule), start=start)
    first = first_occurrence(rule, start)
    event.start, event.end = first, first + (end - start)
    event.time_zone, event.all_day, event.rrule = tz.key, bool(all_day), rule


def _apply_event_fields(event: Event, network: Network, fields: dict) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    _check_links(network, fields)
    _times(event, fields)
    if "exdates" in fields:
        event.exdates = exdates_clean(fields["exdates"])
    for key in ("title", "description", "place", "online_url", "category", "responsible"):
        if key in fields:
            value = fields[key]
            setattr(event, key, value.strip() if isinstance(value, str) else value)
    _full_clean(event, exclude=["network", "category", "responsible", "start", "end"])


def _shared_with(network: Network, networks) -> list[Network] | None:
    """Other networks whose clocks also show the event. The caller has checked its access."""
    if networks is None:
        return None
    networks = list(networks)
    if any(other.pk == network.pk for other in networks):
        raise ValidationError(
            {"shared_with": _("The event is already on this network's own clock.")}
        )
    return networks


def _save(event: Event, shared) -> Event:
    event.save()
    if shared is not None:
        event.shared_with.set(shared)
    return event


@transaction.atomic
def event_create(*, network: Network, **fields: object) -> Event:
    clock_ensure(network=network)
    fields.setdefault("timezone", settings.TIME_ZONE)
    if "category" not in fields:
        raise ValidationError({"category": _("Choose a category.")})
    shared = _shared_with(network, fields.pop("shared_with", None))
    event = Event(network=network)
    _apply_event_fields(event, network, fields)
    return _save(event, shared)


@transaction.atomic
def event_update(*, event: Event, **fields: object) -> Event:
    event = Event.objects.select_for_update().select_related("network").get(pk=event.pk)
    shared = _shared_with(event.network, fields.pop("shared_with", None))
    _apply_event_fields(event, event.network, fields)
    return _save(event, shared)


@transaction.atomic
def event_delete(*, event: Event, user: User | None = None) -> Removal:
    """Take an event (a whole repeating series) off the clock, restorable for the undo window
    with its id, exceptions, shared clocks and sent reminders (common/removals.py)."""
    return removal_snapshot(
        objects=[event],
        network_id=event.network_id,
        kind=EVENT_REMOVAL,
        name=event.title,
        user=user,
    )


def _category_for(network: Network, key: str) -> Category:
    clock_ensure(network=network)
    category = Category.objects.filter(network=network, key=key).first()
    if category is None:
        order = Category.objects.filter(network=network).count()
        category = Category.objects.create(
            network=network, key=slugify(key)[:40] or "other", order=order, colour=order % 8
        )
    return category


@transaction.atomic
def event_upsert_for(
    *,
    source_kind: str,
    source_id: str,
    network: Network,
    title: str,
    start: datetime,
    end: datetime,
    category_key: str,
    **extra: object,
) -> Event:
    """Put another app's object on the clock, or move it: one event per (network, kind, id).

    ``extra`` may carry any event field (description, place, online_url, rrule, all_day, …).
    """
    source_kind, source_id = str(source_kind)[:SOURCE_KIND_MAX], str(source_id)[:SOURCE_ID_MAX]
    if not source_kind or not source_id:
        raise ValidationError({"source": _("A source needs a kind and an id.")})
    fields = {"title": title[:200], "start": start, "end": end, **extra}
    fields["category"] = _category_for(network, category_key)
    event = (
        Event.objects.select_for_update()
        .filter(network=network, source_kind=source_kind, source_id=source_id)
        .first()
    )
    if event is None:
        event = Event(network=network, source_kind=source_kind, source_id=source_id)
        fields.setdefault("timezone", settings.TIME_ZONE)
    shared = _shared_with(network, fields.pop("shared_with", None))
    _apply_event_fields(event, network, fields)
    return _save(event, shared)


@transaction.atomic
def event_remove_for(*, source_kind: str, source_id: str, network: Network | None = None) -> int:
    """Take another app's object off the clock (of one network, or of all). Returns how many."""
    events = Event.objects.filter(source_kind=source_kind, source_id=str(source_id))
    if network is not None:
        events = events.filter(network=network)
    return events.delete()[0]


@transaction.atomic
def events_import(*, network: Network, category: Category, data: bytes) -> ical.ImportResult:
    """Import every event of an .ics file, or none: the first bad one names itself at ``file``."""
    result = ical.ics_parse(data)
    for number, imported in enumerate(result.events, start=1):
        try:
            event_create(network=network, category=category, **imported.fields)
        except ValidationError as error:
            detail = " ".join(error.messages)
            raise ValidationError(
                {
                    "file": _("Event %(number)d (%(title)s): %(detail)s")
                    % {"number": number, "title": imported.fields["title"], "detail": detail}
                }
            ) from error
    return result


# --- calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, user: User, network: Network | None = None) -> tuple[FeedToken, str]:
    """A new secret subscription address; the user's previous one for the same scope stops."""
    feed_revoke(user=user, network=network)
    raw, digest = token_new()
    feed = FeedToken.objects.create(user=user, network=network, token_digest=digest)
    return feed, raw


@transaction.atomic
def feed_revoke(*, user: User, network: Network | None = None) -> int:
    return FeedToken.objects.filter(user=user, network=network, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_open(*, raw: str) -> FeedToken | None:
    feeds = FeedToken.objects.select_related("user", "network").filter(
        revoked_at__isnull=True, user__is_active=True
    )
    return token_find(feeds, raw)


def feed_url(raw: str) -> str:
    return settings.SUHDE_SITE_URL + reverse("coordination:ical_feed", args=[raw])


# --- asking people to confirm their contact details -------------------------------------------


def _confirm_days() -> int:
    return getattr(settings, "SUHDE_CONFIRM_DAYS", 30)


def _confirm_send(request: ConfirmRequest, raw: str, language: str) -> None:
    url = settings.SUHDE_SITE_URL + reverse("coordination:confirm", args=[raw])
    mail_queue(
        kind="confirm",
        to=request.person.email,
        subject=lambda: (
            _("Are your contact details in %(name)s still right?") % {"name": request.network.name}
        ),
        template="coordination/email/confirm.txt",
        context={"request": request, "url": url, "days": _confirm_days()},
        language=language,
        network_id=request.network_id,
        source="contacts",
    )


@transaction.atomic
def confirm_requests_send(
    *, network: Network, people: Iterable[Person], language: str = "fi"
) -> int:
    """Email each person (with an address) a personal single-use link; older links stop."""
    people = [person for person in people if person.email]
    ConfirmRequest.objects.filter(person__in=people, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    expires = timezone.now() + timedelta(days=_confirm_days())
    for person in people:
        raw, digest = token_new()
        request = ConfirmRequest.objects.create(
            person=person, network=network, token_digest=digest, expires_at=expires
        )
        _confirm_send(request, raw, language)
    return len(people)


def confirm_open(*, raw: str) -> ConfirmRequest | None:
    requests = ConfirmRequest.objects.select_related(
        "person", "person__organization", "network"
    ).filter(used_at__isnull=True, expires_at__gt=timezone.now())
    return token_find(requests, raw)


@transaction.atomic
def confirm_submit(*, request: ConfirmRequest, **fields: str) -> Person:
    """The person confirms (and perhaps corrects) their own details; the link is then used."""
    unknown = set(fields) - {"name", "email", "phone", "title"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    request = ConfirmRequest.objects.select_for_update().get(pk=request.pk)
    if request.used_at is not None or request.expires_at <= timezone.now():
        raise ValidationError(_("This link has already been used or has expired."))
    # The link went to the person's own address: this is their own change, not a coordinator's.
    person = network_domain.person_self_update(
        network=request.network, person=request.person, **fields
    )
    network_domain.person_confirm(person=person)
    request.used_at = timezone.now()
    request.save(update_fields=["used_at"])
    return person


# --- retention --------------------------------------------------------------------------------

RETENTION_DAYS = 400


@transaction.atomic
def coordination_purge(*, now: datetime | None = None) -> int:
    """Forget used or expired confirm links and old send records (promise 25). Returns rows."""
    now = now or timezone.now()
    limit = now - timedelta(days=RETENTION_DAYS)
    removed = ConfirmRequest.objects.filter(expires_at__lt=now - timedelta(days=30)).delete()[0]
    removed += ConfirmRequest.objects.filter(used_at__lt=now - timedelta(days=30)).delete()[0]
    removed += DigestSent.objects.filter(sent_at__lt=limit).delete()[0]
    removed += ReminderSent.objects.filter(sent_at__lt=limit).delete()[0]
    removed += FeedToken.objects.filter(revoked_at__lt=limit).delete()[0]
    return removed
