from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Id


class ReadingOut(Schema):
    title: str
    figure: str
    text: str


class FormHintOut(Schema):
    form: str
    label: str
    reasons: list[str]
    against: list[str]


class SuggestionOut(Schema):
    key: str
    rank: int
    kind: str
    label: str
    reason: str
    numbers: dict
    people: list[str]
    groups: list[str]
    status: Literal["open", "accepted", "dismissed", "done"]


class SuggestionIn(Schema):
    status: Literal["open", "accepted", "dismissed", "done"]


class DashboardOut(Schema):
    wave: int
    title: str
    k: int
    responses: dict
    any_figure: bool
    figures: dict = Field(description="Group figures; a cell under k respondents is suppressed.")
    network: dict
    readings: list[ReadingOut]
    form_hint: FormHintOut
    brokers: list[dict]
    isolates: list[dict]
    communities: dict
    heatmap: dict
    suggestions: list[SuggestionOut]
    mine: dict | None = Field(description="The caller's own ratings and ties; only theirs.")


class CompareOut(Schema):
    before: int
    after: int
    network: dict
    indices: dict
    ties: dict | None
    brokers: dict
    any_change: bool


# --- rounds and their report (issue 22) -----------------------------------------------------------


class RoundOut(Schema):
    number: int
    starts_on: date
    ends_on: date | None = Field(description="None while the round is in progress.")
    closed: bool


class ValueOut(Schema):
    id: int
    value: Decimal
    measured_on: date
    source: str
    corrects: int | None = Field(description="The value this one corrects.")
    correction_reason: str
    corrected_by: int | None = Field(description="Set when a later value corrected this one.")


class IndicatorResultOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    values: list[ValueOut] = Field(description="Measured in the round, with their history.")
    progress: list[ValueOut] = Field(description="The charter's progress updates in the round.")


class LinkOut(Schema):
    id: int
    title: str


class GoalResultOut(Schema):
    id: int = Field(description="The goal's id.")
    title: str
    kind: str
    kind_label: str
    indicators: list[IndicatorResultOut]
    verdict: Literal["reached", "partly", "not"] | None
    verdict_label: str
    reason: str
    meeting: LinkOut | None
    decision: LinkOut | None


class KindSummaryOut(Schema):
    kind: str
    label: str
    goals: int
    reached: int
    partly: int
    not_reached: int
    open: int


class SectionOut(Schema):
    key: str
    label: str
    text: str


class OutcomeOut(Schema):
    id: int
    kind: Literal["knowledge", "together", "new_actors"]
    label: str
    example: str
    evidence: str
    created_at: datetime


class OutcomeIn(Schema):
    kind: Literal["knowledge", "together", "new_actors"]
    example: str = Field(max_length=5000)
    evidence: str = Field("", max_length=5000)


class GoalResultIn(Schema):
    verdict: Literal["reached", "partly", "not"]
    reason: str = Field(max_length=5000)
    meeting: Id | None = Field(None, description="The meeting where it was agreed.")
    decision: Id | None = Field(None, description="The decision that agreed it.")


class RoundReportOut(Schema):
    network: str
    round: RoundOut
    goals: list[GoalResultOut]
    kinds: list[KindSummaryOut] = Field(description="The material's four kinds of goal.")
    health: dict = Field(
        description="The survey's published network figures with their counts, and the change "
        "since the previous wave where the survey's audit allows it; nothing under k."
    )
    transitions: list[dict] = Field(
        description="Service paths' handoffs, now and at the wave before."
    )
    participation: dict = Field(description="Attendances by organization and by sector.")
    decisions: list[dict]
    outcomes: list[dict] = Field(description="The three learning outcomes with their examples.")
    new_actors: dict = Field(description="Who joined in the round, counted by sector; no names.")
    highlights: list[str] = Field(description="Visible highlights of the reflection session.")
    narrative: list[SectionOut]
