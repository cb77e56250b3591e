from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Id, Moment

from .models import OPEN_MAX, Wave

Rating4 = Field(None, ge=1, le=4)
Rating5 = Field(None, ge=1, le=5)


class WaveOut(Schema):
    id: int
    network: str
    title: str
    status: Literal["draft", "open", "closed"]
    opens_at: datetime
    closes_at: datetime
    k: int
    recall_months: int
    invited: int
    answered: int

    @staticmethod
    def resolve_network(obj: Wave) -> str:
        return obj.network.slug


class WaveIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    closes_at: Moment
    opens_at: Moment | None = None
    k: int = Field(5, ge=3, le=50)
    recall_months: int = Field(12, ge=1, le=60)
    invitees: list[Id] | None = Field(None, max_length=10000)


class SendIn(Schema):
    only_unanswered: bool = False


class SendOut(Schema):
    sent: int
    waiting: int = Field(
        description="Links held back until a person confirms the address that replaced the one "
        "their link was bound to."
    )


class RosterPerson(Schema):
    id: int
    name: str
    organization: str | None


class SurveyItem(Schema):
    id: str
    dimension: str
    kind: Literal["dyadic", "self"]
    text: str
    scale: list[int]


class PartnerChosen(Schema):
    person: int


class SurveyOut(Schema):
    wave: str
    closes_at: datetime
    k: int = Field(description="A group figure needs at least this many respondents.")
    roster: list[RosterPerson]
    items: list[SurveyItem]
    partners: list[PartnerChosen] = Field(
        description="The partners chosen so far. Ratings, self items and open answers are "
        "never sent back: to change them, answer again."
    )
    submitted: bool


class PartnerAnswers(Schema):
    K1: int | None = Rating4
    K2: int | None = Rating4
    K3: int | None = Rating4
    K4: int | None = Rating4
    T1: int | None = Rating4
    T2: int | None = Rating4
    T3: int | None = Rating4
    T4: int | None = Rating4
    C4: int | None = Rating4


class PartnerIn(Schema):
    person: Id
    level: int | None = Rating5
    answers: PartnerAnswers = Field(default_factory=PartnerAnswers)


class SelfIn(Schema):
    C1: int | None = Rating5
    C2: int | None = Rating5
    C3: int | None = Rating5


class OpenIn(Schema):
    works: str = Field(default="", max_length=OPEN_MAX)
    improve: str = Field(default="", max_length=OPEN_MAX)
    barriers: str = Field(default="", max_length=OPEN_MAX)


class SurveyIn(Schema):
    partners: list[PartnerIn] = Field(default_factory=list, max_length=500)
    self: SelfIn = Field(default_factory=SelfIn)
    open: OpenIn = Field(default_factory=OpenIn)
    submit: bool = False


class SurveySaved(Schema):
    saved: bool
    submitted: bool


class WaveResultsOut(Schema):
    wave: int
    k: int
    responses: dict
    figures: dict = Field(
        description="Group figures after the auditor: each cell has a key, a direction "
        "(received, given, all, between) and the shown families (knowing, trust, commitment, "
        "self) with their respondent counts; a family too few answered has no value."
    )
    structure: dict
    mine: dict | None
    theme_names: dict
