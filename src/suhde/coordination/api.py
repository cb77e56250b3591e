"""The clock's JSON API: the same access gate, domain and queries as the pages."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.schemas import Id, Pagination
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut

from . import domain, queries
from .models import Category, Event
from .schemas import CategoryOut, ContactOut, EventIn, EventOut, EventPatch, FeedUrlOut

router = Router(tags=["coordination"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class EventFilter(Schema):
    network: str | None = None


class NetworkRequired(Schema):
    network: str


def _scope(request, slug: str | None) -> list[int]:
    if slug:
        return [access.network_access(request.user, slug)[0].pk]
    return access.network_ids_where(request.user, Need.VIEW)


def _category(network, value: str) -> Category:
    domain.clock_ensure(network=network)
    found = queries.category_named(network, value)
    if found is None:
        raise ValidationError({"category": _("Choose a category of this network's clock.")})
    return found


def _fields(request, network, data: dict) -> dict:
    if "shared_with" in data:
        # Sharing puts the event on another clock: the caller must facilitate there too.
        data["shared_with"] = [
            access.network_access(request.user, slug, Need.FACILITATE)[0]
            for slug in dict.fromkeys(data["shared_with"] or [])
        ]
    if "category" in data:
        data["category"] = _category(network, data["category"])
    if "responsible_id" in data:
        person_id = data.pop("responsible_id")
        data["responsible"] = access.person_in(network, person_id) if person_id else None
    return data


def _event_for(request, event_id: Id, need: Need) -> Event:
    if need == Need.VIEW:  # seen through any network it is shared with
        return queries.event_in(access.network_ids_where(request.user, Need.VIEW), event_id)
    # changed only through its own network
    return access.object_in_network(request.user, Event, event_id, need, scope=queries.events_own)[
        0
    ]


@router.get("/events", response={200: list[EventOut], **ERRORS}, operation_id="event_list")
@paginate(Pagination)
def event_list(request: AuthedRequest, filters: Query[EventFilter]) -> QuerySet[Event]:
    return queries.events_of(_scope(request, filters.network))


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS}, operation_id="event_get")
def event_get(request: AuthedRequest, event_id: Id) -> Event:
    return _event_for(request, event_id, Need.VIEW)


@router.post("/events", response={201: EventOut, **ERRORS}, operation_id="event_create")
def event_create(request: AuthedRequest, payload: EventIn) -> Status:
    network, _role = access.network_access(request.user, payload.network, Need.FACILITATE)
    data = _fields(request, network, payload.model_dump(exclude={"network"}))
    event = domain.event_create(network=network, **data)
    return Status(201, queries.events_of([network.pk]).get(pk=event.pk))


@router.patch("/events/{event_id}", response={200: EventOut, **ERRORS}, operation_id="event_update")
def event_update(request: AuthedRequest, event_id: Id, payload: EventPatch) -> Event:
    event = _event_for(request, event_id, Need.FACILITATE)
    data = _fields(request, event.network, payload.model_dump(exclude_unset=True))
    if "shared_with" in data:  # networks the caller does not facilitate stay as they were
        mine = set(access.network_ids_where(request.user, Need.FACILITATE))
        data["shared_with"] += [n for n in event.shared_with.all() if n.pk not in mine]
    domain.event_update(event=event, **data)
    return queries.events_of([event.network_id]).get(pk=event.pk)


@router.delete("/events/{event_id}", response={204: None, **ERRORS}, operation_id="event_delete")
def event_delete(request: AuthedRequest, event_id: Id) -> Status:
    domain.event_delete(event=_event_for(request, event_id, Need.FACILITATE), user=request.user)
    return Status(204, None)


@router.get(
    "/categories", response={200: list[CategoryOut], **ERRORS}, operation_id="category_list"
)
def category_list(request: AuthedRequest, filters: Query[NetworkRequired]) -> list[Category]:
    network, _role = access.network_access(request.user, filters.network)
    domain.clock_ensure(network=network)
    return queries.categories_of(network)


@router.post(
    "/networks/{slug}/calendar-feed",
    response={200: FeedUrlOut, **ERRORS},
    operation_id="calendar_feed_url",
)
def calendar_feed_url(request: AuthedRequest, slug: str) -> dict[str, str]:
    """A new secret subscription address for this network's clock; the caller's old one stops."""
    network, _role = access.network_access(request.user, slug)
    _feed, raw = domain.feed_create(user=request.user, network=network)
    audit_record(request=request, action="feed_create", obj=network)
    return {"url": domain.feed_url(raw)}


@router.get("/contacts", response={200: list[ContactOut], **ERRORS}, operation_id="contact_list")
@paginate(Pagination)
def contact_list(
    request: AuthedRequest, filters: Query[NetworkRequired]
) -> list[dict[str, object]]:
    network, _role = access.network_access(request.user, filters.network, Need.CONTACTS)
    clock = domain.clock_ensure(network=network)
    audit_record(request=request, action="contacts_view", obj=network)
    return [
        {
            "person_id": c.person.pk,
            "name": c.person.name,
            "organization": c.person.organization.name if c.person.organization else None,
            "title": c.person.title,
            "role": c.membership.role,
            "email": c.person.email,
            "phone": c.person.phone,
            "confirmed_at": c.person.confirmed_at,
            "stale": c.stale,
        }
        for c in queries.contacts_of(network, clock.stale_months)
    ]
