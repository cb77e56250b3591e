from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema


class PublicOrganizationOut(Schema):
    name: str
    sector: str


class PublicIndicatorOut(Schema):
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    latest: Decimal | None
    measured_on: date | None


class PublicGoalOut(Schema):
    title: str
    kind: str
    verdict: str | None
    indicators: list[PublicIndicatorOut]


class PublicFigureOut(Schema):
    key: str
    value: float
    respondents: int


class PublicSummaryOut(Schema):
    network: str
    name: str
    purpose: str
    form: str
    organizations: list[PublicOrganizationOut]
    round: int
    round_starts_on: date
    round_ends_on: date | None
    in_brief: str
    goals: list[PublicGoalOut]
    figures: list[PublicFigureOut]
    k: int | None
    next_focus: str
    contact: str
