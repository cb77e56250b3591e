"""Writes for meetings, agendas, attendees and the network's own methods (live sessions: live.py).

Every function takes objects already resolved through ``networks.access``; ids that arrive from
a form or a body are looked up inside the meeting's network, so they never widen the scope.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from suhde.common.models import Removal
from suhde.common.removals import removal_snapshot
from suhde.common.validators import day_check
from suhde.coordination.domain import event_remove_for, event_upsert_for
from suhde.coordination.models import Event
from suhde.networks.access import people_in
from suhde.networks.models import Network, Person

from .methods import method_builtin
from .models import AgendaBlock, Attendee, Meeting, Method

CLOCK_KIND = "meeting"
MEETING_REMOVAL = "workshops.meeting"
BLOCK_REMOVAL = "workshops.agendablock"
METHOD_REMOVAL = "workshops.method"
BLOCKS_MAX = 60


def _event_in(network: Network, event_id: int | None) -> Event | None:
    if event_id is None:
        return None
    event = Event.objects.filter(network=network, pk=event_id).first()
    if event is None:
        raise ValidationError({"event": _("Choose an event of this network's annual clock.")})
    return event


def meeting_on_clock(*, meeting: Meeting) -> None:
    """A standalone meeting stands on the clock in the meetings ring; a linked one has its event."""
    if meeting.event_id is not None:
        event_remove_for(source_kind=CLOCK_KIND, source_id=str(meeting.pk), network=meeting.network)
        return
    event_upsert_for(
        source_kind=CLOCK_KIND,
        source_id=str(meeting.pk),
        network=meeting.network,
        title=meeting.title,
        start=meeting.starts_at,
        end=meeting.starts_at + timedelta(minutes=meeting.minutes),
        category_key="meetings",
        place=meeting.place,
    )


def _no_nul(obj, fields: tuple[str, ...]) -> None:
    """Forms refuse NUL characters; the API's bodies must too (PostgreSQL cannot store them)."""
    bad = [name for name in fields if "\x00" in (getattr(obj, name) or "")]
    if bad:
        raise ValidationError({name: _("Null characters are not allowed.") for name in bad})


def _validate(meeting: Meeting) -> None:
    _no_nul(meeting, ("title", "purpose", "place", "notes"))
    day_check(meeting.starts_at, "starts_at")
    meeting.full_clean(exclude=["network", "event", "created_by"])


@transaction.atomic
def meeting_create(
    *,
    network: Network,
    user: User | None,
    title: str,
    starts_at: datetime,
    minutes: int = 120,
    purpose: str = "",
    place: str = "",
    event_id: int | None = None,
    blocks: list[dict] | None = None,
) -> Meeting:
    meeting = Meeting(
        network=network,
        title=title,
        starts_at=starts_at,
        minutes=minutes,
        purpose=purpose,
        place=place,
        event=_event_in(network, event_id),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _validate(meeting)
    meeting.save()
    for block in blocks or []:
        block_add(meeting=meeting, **block)
    meeting_on_clock(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields: Any) -> Meeting:
    if "event_id" in fields:
        meeting.event = _event_in(meeting.network, fields.pop("event_id"))
    for name, value in fields.items():
        if name not in {"title", "starts_at", "minutes", "purpose", "place", "notes"}:
            raise ValidationError({name: _("This field cannot be changed.")})
        setattr(meeting, name, value)
    _validate(meeting)
    meeting.save()
    meeting_on_clock(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user: User | None = None) -> Removal:
    """Delete a meeting with its agenda and attendees, restorable for the undo window; its live
    sessions stay in the record (unlinked until an undo links them again), its own place on the
    clock goes and comes back with it."""
    event_remove_for(source_kind=CLOCK_KIND, source_id=str(meeting.pk), network=meeting.network)
    return removal_snapshot(
        objects=[meeting],
        network_id=meeting.network_id,
        kind=MEETING_REMOVAL,
        name=meeting.title,
        user=user,
    )


def _method_fields(network: Network, method: str) -> dict:
    """``method`` is a built-in key or ``custom:<id>`` of one of the network's own methods."""
    if not method:
        return {"method_key": "", "method": None}
    if method.startswith("custom:"):
        found = (
            Method.objects.filter(network=network, pk=method[7:] or 0).first()
            if (method[7:].isdigit())
            else None
        )
        if found is None:
            raise ValidationError({"method": _("Choose a method from the library.")})
        return {"method_key": "", "method": found}
    if method_builtin(method) is None:
        raise ValidationError({"method": _("Choose a method from the library.")})
    return {"method_key": method, "method": None}


def _block_fields(network: Network, data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k != "method"}
    if "method" in data:
        fields.update(_method_fields(network, data["method"] or ""))
    return fields


@transaction.atomic
def block_add(
    *,
    meeting: Meeting,
    title: str,
    minutes: int,
    method: str = "",
    learning_mode: str = "",
    decision_mode: str = "",
    notes: str = "",
) -> AgendaBlock:
    if meeting.blocks.count() >= BLOCKS_MAX:
        raise ValidationError(_("An agenda can have at most %(n)d blocks.") % {"n": BLOCKS_MAX})
    last = meeting.blocks.aggregate(last=Max("order"))["last"]
    block = AgendaBlock(
        meeting=meeting,
        order=0 if last is None else last + 1,
        title=title,
        minutes=minutes,
        learning_mode=learning_mode,
        decision_mode=decision_mode,
        notes=notes,
        **_method_fields(meeting.network, method),
    )
    _no_nul(block, ("title", "notes"))
    block.full_clean(exclude=["meeting", "method"])
    block.save()
    return block


@transaction.atomic
def block_update(*, block: AgendaBlock, **data: Any) -> AgendaBlock:
    allowed = {"title", "minutes", "method", "learning_mode", "decision_mode", "notes"}
    for name, value in _block_fields(block.meeting.network, data).items():
        if name not in allowed | {"method_key"}:
            raise ValidationError({name: _("This field cannot be changed.")})
        setattr(block, name, value)
    _no_nul(block, ("title", "notes"))
    block.full_clean(exclude=["meeting", "method"])
    block.save()
    return block


@transaction.atomic
def block_move(*, block: AgendaBlock, up: bool) -> None:
    """Swap the block with its neighbour; the agenda's times follow from the new order."""
    blocks = list(block.meeting.blocks.order_by("order", "pk"))
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(blocks):
        blocks[index], blocks[other] = blocks[other], blocks[index]
    for order, item in enumerate(blocks):
        item.order = order
    AgendaBlock.objects.bulk_update(blocks, ["order"])


@transaction.atomic
def block_delete(*, block: AgendaBlock, user: User | None = None) -> Removal:
    return removal_snapshot(
        objects=[block],
        network_id=block.meeting.network_id,
        kind=BLOCK_REMOVAL,
        name=block.title,
        detail=block.meeting.title,
        user=user,
    )


@transaction.atomic
def attendees_set(*, meeting: Meeting, person_ids: list[int]) -> int:
    """Who attended: only people of the meeting's network; their organization at this moment."""
    people = {p.pk: p for p in people_in(meeting.network).filter(pk__in=person_ids)}
    if len(people) != len(set(person_ids)):
        raise ValidationError({"attendees": _("Choose people of this network.")})
    meeting.attendees.exclude(person_id__in=people).delete()
    present = set(meeting.attendees.values_list("person_id", flat=True))
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, person=p, organization_id=p.organization_id)
        for pk, p in people.items()
        if pk not in present
    )
    return len(people)


@transaction.atomic
def method_create(
    *,
    network: Network,
    name: str,
    description: str = "",
    learning_mode: str = "",
    minutes: int = 30,
) -> Method:
    if Method.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The library already has a method with this name.")})
    method = Method(
        network=network,
        name=name.strip(),
        description=description,
        learning_mode=learning_mode,
        minutes=minutes,
    )
    _no_nul(method, ("name", "description"))
    method.full_clean(exclude=["network"])
    method.save()
    return method


@transaction.atomic
def method_delete(*, method: Method, user: User | None = None) -> Removal:
    """Remove one of the network's own methods; agenda blocks that used it keep their text and
    get it back on undo."""
    return removal_snapshot(
        objects=[method],
        network_id=method.network_id,
        kind=METHOD_REMOVAL,
        name=method.name,
        user=user,
    )


def person_posts_erase(person: Person) -> dict[str, int]:
    """The live sessions' part of an erasure: posts stay, without the name they were written
    under (the texts were shown to the room already; the name is what points at the person)."""
    from .queries import participants_named

    return {"live_session_names": participants_named(person, None).update(name="", organization="")}
