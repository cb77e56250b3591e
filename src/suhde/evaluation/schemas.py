from typing import Literal

from ninja import Field, Schema


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
