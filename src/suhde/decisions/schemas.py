from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Day, Id

from .models import REASON_MAX

ModeCode = Literal["top_down", "facilitated", "self_directed"]
StatusCode = Literal["proposed", "decided", "carried_out", "revised"]


class DecisionIn(Schema):
    title: str = Field(max_length=200)
    proposal: str = Field(max_length=5000)
    mode: ModeCode = "facilitated"
    status: StatusCode = "proposed"
    decided_by: str = Field("", max_length=200)
    decided_on: Day | None = None
    rationale: str = Field("", max_length=5000)
    meeting_id: Id | None = None
    review_on: Day | None = None
    charter_version: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="The charter version this decision approves (a decided decision).",
    )


class PointOut(Schema):
    point: int
    count: int


class PollOut(Schema):
    deadline: datetime
    open: bool
    total: int
    distribution: list[PointOut]


class DecisionOut(Schema):
    id: int
    title: str
    proposal: str
    mode: ModeCode
    status: StatusCode
    decided_by: str
    decided_on: date | None
    rationale: str
    meeting_id: int | None
    review_on: date | None
    has_poll: bool


class VoteIn(Schema):
    point: int = Field(ge=1, le=8, description="Kaner's gradients of agreement, 1–8.")
    named: bool = Field(False, description="Record the name with a formal disagreement (6, 7).")
    reason: str = Field("", max_length=REASON_MAX)
