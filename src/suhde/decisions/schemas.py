from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Day, Id, Moment

from .models import COMMENT_MAX, REASON_MAX

ModeCode = Literal["top_down", "facilitated", "self_directed"]
StatusCode = Literal["proposed", "decided", "not_decided", "more_work", "carried_out", "revised"]
ClosingCode = Literal["decided", "not_decided", "more_work"]
KindCode = Literal["gradients", "consent", "score", "dots", "sense"]
ResultsCode = Literal["always", "voted", "closed"]


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
    point: int = Field(
        description="The answer (a gradient, a score …) or, for dots, the option's number from 1."
    )
    label: str
    count: int


class ReasonOut(Schema):
    label: str
    name: str = Field(description="Empty in an anonymous poll unless the voter signed it.")
    reason: str


class MyAnswerOut(Schema):
    point: int | None
    label: str
    dots: list[int]
    reason: str


class PollOut(Schema):
    kind: KindCode
    options: list[str]
    dots: int
    anonymous: bool
    results: ResultsCode
    deadline: datetime
    open: bool
    outcome: str
    voted: int = Field(description="How many have answered (live votes not counted).")
    eligible: int = Field(description="How many members may answer.")
    results_shown: bool
    total: int
    distribution: list[PointOut]
    reasons: list[ReasonOut]
    not_answered: list[str] = Field(description="Names; always empty in an anonymous poll.")
    mine: MyAnswerOut | None


class PollIn(Schema):
    kind: KindCode = "gradients"
    deadline: Moment
    options: list[str] = Field([], max_length=10, description="Dot voting's options.")
    dots: int | None = Field(None, ge=1, le=20, description="Dot voting: dots for each voter.")
    anonymous: bool = False
    results: ResultsCode = Field(
        "voted", description="Ignored for an anonymous poll: after closing."
    )


class PollCloseIn(Schema):
    outcome: str = Field(max_length=5000)
    status: ClosingCode
    review_on: Day | None = Field(None, description="Put on the annual clock.")


class CommentIn(Schema):
    body: str = Field(max_length=COMMENT_MAX)


class CommentOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime
    edited_at: datetime | None


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
    point: int | None = Field(
        None,
        ge=0,
        le=10,
        description="Gradients 1–8, consent and sense-check 1–3, score 0–10; empty for dots.",
    )
    dots: list[int] | None = Field(None, max_length=10, description="Dots for each option.")
    named: bool = Field(False, description="Record the name with a formal disagreement (6, 7).")
    reason: str = Field("", max_length=REASON_MAX)
