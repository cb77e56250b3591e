from datetime import datetime

from ninja import Field, Schema

from suhde.common.schemas import Day, Id, Moment, Patch
from suhde.networks.models import NAME_MAX, TEXT_MAX

from .models import Category, Event
from .recurrence import RULE_MAX

Slug = Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")


class EventOut(Schema):
    id: int
    network: str
    title: str
    description: str
    category: str
    category_label: str
    start: datetime
    end: datetime
    all_day: bool
    timezone: str
    place: str
    online_url: str
    responsible_id: int | None
    rrule: str
    exdates: list[str]
    source_kind: str
    source_id: str
    shared_with: list[str]

    @staticmethod
    def resolve_shared_with(obj: Event) -> list[str]:
        return sorted(network.slug for network in obj.shared_with.all())

    @staticmethod
    def resolve_network(obj: Event) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_category(obj: Event) -> str:
        return obj.category.key

    @staticmethod
    def resolve_category_label(obj: Event) -> str:
        return str(obj.category.label)

    @staticmethod
    def resolve_timezone(obj: Event) -> str:
        return obj.time_zone


class EventIn(Schema):
    network: str = Slug
    title: str = Field(min_length=1, max_length=NAME_MAX)
    category: str = Field(
        min_length=1, max_length=40, description="The category's key (e.g. meetings) or id."
    )
    start: Moment = Field(description="Without an offset, read in `timezone`.")
    end: Moment
    timezone: str = Field("Europe/Helsinki", max_length=64)
    rrule: str = Field("", max_length=RULE_MAX, description="RFC 5545, e.g. FREQ=MONTHLY;BYDAY=2TU")
    all_day: bool = False
    description: str = Field("", max_length=TEXT_MAX)
    place: str = Field("", max_length=NAME_MAX)
    online_url: str = Field("", max_length=500)
    responsible_id: Id | None = None
    exdates: list[Day] = Field([], max_length=1000)
    shared_with: list[str] = Field([], max_length=50, description="Other networks' slugs.")


class EventPatch(Patch):
    nullable = frozenset({"responsible_id"})

    title: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    category: str | None = Field(None, min_length=1, max_length=40)
    start: Moment | None = None
    end: Moment | None = None
    timezone: str | None = Field(None, max_length=64)
    rrule: str | None = Field(None, max_length=RULE_MAX)
    all_day: bool | None = None
    description: str | None = Field(None, max_length=TEXT_MAX)
    place: str | None = Field(None, max_length=NAME_MAX)
    online_url: str | None = Field(None, max_length=500)
    responsible_id: Id | None = None
    exdates: list[Day] | None = Field(None, max_length=1000)
    shared_with: list[str] | None = Field(None, max_length=50)


class CategoryOut(Schema):
    id: int
    key: str
    label: str
    colour: int
    order: int

    @staticmethod
    def resolve_label(obj: Category) -> str:
        return str(obj.label)


class FeedUrlOut(Schema):
    url: str


class ContactOut(Schema):
    person_id: int
    name: str
    organization: str | None
    title: str
    role: str
    email: str
    phone: str
    confirmed_at: datetime | None
    stale: bool
