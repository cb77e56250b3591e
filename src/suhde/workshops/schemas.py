from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Id, Moment

# Generous outer bounds; the domain's own limits answer with a clear 400 inside them.
LINE = 2000

PromptKindIn = Literal[
    "highlights", "wordcloud", "qa", "choice", "scale", "ranking", "dots", "gradients"
]
LearningModeIn = Literal["", "teaching", "facilitation", "hosting"]
DecisionModeIn = Literal["", "top_down", "facilitated", "self_directed"]


class BlockIn(Schema):
    title: str = Field(max_length=LINE)
    minutes: int = Field(ge=1, le=600)
    method: str = Field("", max_length=60, description="a built-in key or custom:<id>")
    learning_mode: LearningModeIn = ""
    decision_mode: DecisionModeIn = ""
    notes: str = Field("", max_length=10000)


class BlockOut(Schema):
    id: int
    title: str
    minutes: int
    start: datetime
    method: str
    method_name: str
    learning_mode: str
    decision_mode: str


class MeetingIn(Schema):
    title: str = Field(min_length=1, max_length=LINE)
    starts_at: Moment
    minutes: int = Field(120, ge=5, le=1440)
    purpose: str = Field("", max_length=10000)
    place: str = Field("", max_length=LINE)
    event: Id | None = None
    blocks: list[BlockIn] = Field(default_factory=list, max_length=60)


class MeetingOut(Schema):
    id: int
    network: str
    title: str
    purpose: str
    starts_at: datetime
    minutes: int
    place: str
    event: int | None
    planned_minutes: int
    warning: str
    blocks: list[BlockOut]
    attendees: int
    live_sessions: list[int]


class MeetingListItem(Schema):
    id: int
    title: str
    starts_at: datetime
    minutes: int
    planned_minutes: int
    attendees: int


class MethodOut(Schema):
    key: str
    name: str
    description: str
    minutes: int
    learning_mode: str
    builtin: bool


class PromptIn(Schema):
    kind: PromptKindIn
    question: str = Field(max_length=LINE)
    options: list[str] = Field(default_factory=list, max_length=50)
    scale_max: int = Field(5, ge=2, le=10)
    dots: int = Field(3, ge=1, le=10)
    open: bool = False


class SessionIn(Schema):
    title: str = Field(max_length=LINE)
    meeting: Id | None = None
    prompts: list[PromptIn] = Field(
        default_factory=list, max_length=50, description="the first one opens at once"
    )


class PromptOut(Schema):
    id: int
    kind: str
    question: str
    options: list[str]
    revealed: bool


class SessionOut(Schema):
    id: int
    title: str
    code: str
    join_url: str
    state: Literal["open", "ended"]
    meeting: int | None
    open_prompt: int | None
    prompts: list[PromptOut]


class JoinIn(Schema):
    code: str = Field(max_length=LINE)
    name: str = Field("", max_length=LINE)
    organization: str = Field("", max_length=LINE)


class JoinOut(Schema):
    participant: str = Field(description="the participant's token: keep it, it is shown once")
    session: str
    prompt: PromptOut | None


class PostIn(Schema):
    participant: str = Field(max_length=200)
    text: str = Field(max_length=10000)
    key: str = Field("", max_length=40, description="a random key: the same key posts once")


class PostOut(Schema):
    id: int
    prompt: int
    text: str
    created: bool


class LiveVoteIn(Schema):
    participant: str = Field(max_length=200)
    value: int | list[int]


class VoteOut(Schema):
    prompt: int
    value: int | list[int]


class UpvoteIn(Schema):
    participant: str = Field(max_length=200)
    post: Id = Field(description="a question of the open Q&A, not the participant's own")
    up: bool = Field(True, description="true backs the question, false takes the upvote back")


class UpvoteOut(Schema):
    post: int = Field(description="the question upvoted (a merged duplicate's is its original)")
    upvoted: bool
    upvotes: int
    changed: bool


class PromptUpdateIn(Schema):
    question: str = Field(max_length=LINE)
    options: list[str] | None = Field(
        None, max_length=50, description="choice, ranking, dots: reword; once answered, same number"
    )
    scale_max: int | None = Field(None, description="scale: 2–10; fixed once answered")
    dots: int | None = Field(None, description="dot voting: 1–10; fixed once answered")
    approval: bool | None = None


class PromptMoveIn(Schema):
    direction: Literal["up", "down"]


class ModerateIn(Schema):
    action: Literal["hide", "show", "pin", "unpin", "answered", "unanswered"]


class ModerateOut(Schema):
    id: int
    hidden: bool
    pinned: bool
    answered: bool


class PostResult(Schema):
    id: int
    text: str
    count: int
    name: str
    organization: str
    hidden: bool
    flagged: bool
    pinned: bool
    answered: bool
    upvotes: int
    merged_into: int | None
    created_at: datetime


class BarOut(Schema):
    label: str
    value: int


class PromptResult(Schema):
    id: int
    kind: str
    question: str
    answers: int
    revealed: bool
    posts: list[PostResult]
    distribution: list[BarOut]


class LiveResultsOut(Schema):
    session: int
    state: str
    participants: int
    prompts: list[PromptResult]
