from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Day, Id
from suhde.networks.schemas import GoalKindCode

from .models import ANSWER_MAX

RoleKindCode = Literal["coordination", "facilitation", "communication", "other"]


class VersionOut(Schema):
    number: int
    author: str
    saved_at: datetime
    agreed_on: date | None
    agreed_in: str


class CharterOut(Schema):
    version: int = Field(description="The current version; 0 before the first save.")
    answers: dict[str, str] = Field(description="Answers keyed by question number 1–15.")
    open: list[int] = Field(description="The numbers of the questions not answered yet.")
    versions: list[VersionOut]


class CharterIn(Schema):
    version: int = Field(ge=0, le=1_000_000, description="The version these answers were based on.")
    answers: dict[str, str | None] = Field(
        description=f"Answers keyed by question number 1–15, each at most {ANSWER_MAX} characters."
    )


class CharterConflictOut(Schema):
    detail: str
    current: CharterOut


class IndicatorIn(Schema):
    id: Id | None = None
    name: str = Field("", max_length=200)
    baseline: Decimal | None = None
    target: Decimal | None = None
    unit: str = Field("", max_length=40)
    how_measured: str = Field("", max_length=5000)


class ProgressOut(Schema):
    id: int
    recorded_on: date
    value: Decimal
    note: str


class IndicatorOut(Schema):
    id: int
    name: str
    baseline: Decimal | None
    target: Decimal | None
    unit: str
    how_measured: str
    progress: list[ProgressOut]


class GoalIn(Schema):
    kind: GoalKindCode
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    why: str = Field("", max_length=5000)
    who: str = Field("", max_length=5000)
    how: str = Field("", max_length=5000)
    what: str = Field("", max_length=5000)
    resources: str = Field("", max_length=5000)
    owner_id: Id | None = None
    due_on: Day | None = None
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=10)


class GoalOut(Schema):
    id: int
    kind: GoalKindCode
    title: str
    description: str
    why: str
    who: str
    how: str
    what: str
    resources: str
    owner_id: int | None
    due_on: date | None
    indicators: list[IndicatorOut]


class ProgressIn(Schema):
    recorded_on: Day
    value: Decimal
    note: str = Field("", max_length=200)


class HolderOut(Schema):
    id: int
    name: str


class RoleOut(Schema):
    id: int
    kind: RoleKindCode
    name: str
    description: str
    holders: list[HolderOut]
    vacant: bool
