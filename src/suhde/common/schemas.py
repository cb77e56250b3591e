"""What every app's API schemas share: bounded ids, dates and pages, and partial updates.

A request that the database cannot store or the calendar cannot count must be refused at the
field it came in, with a 422 that names it, before any code runs on it (issue 14: an id of 2^70,
an offset of 2^63 and a meeting in year 9999 answered 500).
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from .validators import DAY_MAX, DAY_MIN, day_in_range_message

# Both databases store ids as signed 64-bit integers; nothing above fits, nothing below 1 exists.
ID_MAX = 2**63 - 1
# No list holds a billion items; a larger offset is a mistake or an attack on the SQL integer.
OFFSET_MAX = 1_000_000_000

Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _day(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not DAY_MIN <= day <= DAY_MAX:
        raise PydanticCustomError("date_range", day_in_range_message())
    return value


def _moment(value: datetime) -> datetime:
    # An offset such as -21:00 is valid ISO 8601 but out of PostgreSQL's range (±15:59), which
    # then answered 500; the moment itself is what matters, so it is kept in UTC.
    _day(value)
    return value.astimezone(UTC) if value.tzinfo is not None else value


# Dates and moments between 1900 and 2199: enough for any plan, and far from the year 9999 where
# adding a day or a time zone overflows.
Day = Annotated[date, AfterValidator(_day)]
Moment = Annotated[datetime, AfterValidator(_moment)]


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with both ends bounded (ninja's own offset has no upper bound)."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=OFFSET_MAX)


def _not_null_in_schema(schema: dict[str, Any], model: type) -> None:
    """The documented type of a field that refuses ``null`` does not offer it."""
    for name, prop in schema.get("properties", {}).items():
        if name in getattr(model, "nullable", ()):
            continue
        branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
        if "anyOf" in prop and len(branches) < len(prop["anyOf"]):
            del prop["anyOf"]
            if len(branches) == 1:
                prop.update(branches[0])
            else:
                prop["anyOf"] = branches
        if prop.get("default", "") is None:
            del prop["default"]


class Patch(Schema):
    """A partial update: a field left out keeps its value; ``null`` is refused at its field.

    The fields are typed ``X | None`` so that they may be left out; only those named in
    ``nullable`` may be cleared with ``null`` (a parent, an optional link, a rating), and the
    OpenAPI schema offers ``null`` only for those.
    """

    model_config = ConfigDict(json_schema_extra=_not_null_in_schema)
    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError(
                "null_refused", _("This field cannot be null; leave it out to keep its value.")
            )
        return value
