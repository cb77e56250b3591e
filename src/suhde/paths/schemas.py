from typing import Literal

from ninja import Field, Schema

from suhde.common.schemas import Id

StatusCode = Literal["agreed", "informal", "missing"]
WayCode = Literal["", "meeting", "form", "phone", "escort", "other"]
RatingCode = Literal["strong", "weak", "gap"]
# Size limits (promise 20); the domain says in words when a path has too many stages.
LIST_MAX = 1000


class StageIn(Schema):
    key: str = Field("", max_length=40, description="Your name for the stage; unique in a path.")
    name: str = Field(max_length=200)
    needs: str = Field("", max_length=5000, description="What the client needs here, in words.")
    organization_ids: list[Id] = Field(default_factory=list, max_length=LIST_MAX)
    person_ids: list[Id] = Field(default_factory=list, max_length=LIST_MAX)
    after: list[str] | None = Field(
        None,
        max_length=LIST_MAX,
        description="Keys of the stages it comes right after; omitted: the stage listed before.",
    )


class HandoffIn(Schema):
    status: StatusCode = "missing"
    handed_by_id: Id | None = None
    received_by_id: Id | None = None
    information: str = Field("", max_length=5000)
    consent: str = Field("", max_length=5000)
    timing: str = Field("", max_length=200)
    way: WayCode = ""
    problems: str = Field("", max_length=5000, description="In words, never a client's data.")


class TransitionIn(HandoffIn):
    source: str = Field(max_length=40, description="Key of the stage handing over.")
    target: str = Field(max_length=40, description="Key of the stage right after it.")


class PathIn(Schema):
    name: str = Field(max_length=200)
    client_group: str = Field("", max_length=5000)
    goal: str = Field("", max_length=5000)
    stages: list[StageIn] = Field(max_length=LIST_MAX)
    transitions: list[TransitionIn] | None = Field(None, max_length=LIST_MAX)


class PathSummaryOut(Schema):
    id: int
    name: str
    client_group: str
    goal: str
    stages: int


class StageOut(Schema):
    key: str
    name: str
    needs: str
    organization_ids: list[int]
    person_ids: list[int]
    after: list[str]


class TiesOut(Schema):
    count: int
    strong_share: float | None = Field(description="Percent of the tied pairs with a strong tie.")
    reciprocated_share: float | None = Field(
        description="Percent of the tied pairs tied both ways."
    )


class PairOut(Schema):
    source: str
    target: str
    suppressed: bool = Field(
        description="True when the survey did not publish this pair's figures (too few "
        "respondents, or an audit rule): then no number is given."
    )
    knowing: float | None = None
    trust: float | None = None
    commitment: float | None = None


class GapReasonOut(Schema):
    code: Literal["no_tie", "only_weak", "one_person", "no_agreement", "informal", "low_trust"]
    text: str


class TransitionOut(Schema):
    id: int
    source: str
    target: str
    status: StatusCode
    handed_by_id: int | None
    received_by_id: int | None
    information: str
    consent: str
    timing: str
    way: WayCode
    problems: str
    meeting_id: int | None
    decision_id: int | None
    ties: TiesOut
    pairs: list[PairOut]
    wave_id: int | None
    rating: RatingCode
    reasons: list[GapReasonOut]


class PathOut(Schema):
    id: int
    name: str
    client_group: str
    goal: str
    stages: list[StageOut]
    transitions: list[TransitionOut]
