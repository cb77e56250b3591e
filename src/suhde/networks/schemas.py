from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from suhde.common.jobs import job_status
from suhde.common.models import Job
from suhde.common.schemas import Day, Id, Patch

from .models import (
    NAME_MAX,
    TEXT_MAX,
    Membership,
    Network,
    OriginKind,
    PersonChange,
    Tie,
    TieOrigin,
)

SectorCode = Literal["public", "private", "third", "julkinen", "yksityinen", "kolmas"]
FormCode = Literal["hierarchical", "joint", "evolving", "chaotic"]
LevelCode = Literal["understanding", "advocacy", "strategy", "service_path", "customer"]
ScopeCode = Literal["internal", "external"]
GoalKindCode = Literal["customer", "efficiency", "phenomenon", "aim"]
RoleCode = Literal["coordinator", "facilitator", "communicator", "member", "observer"]
StrengthCode = Literal["weak", "strong"]
OriginCode = Literal["entered", "imported", "survey"]
Slug = Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
Rating = Field(None, ge=1, le=4)
# A new short name may be any text: it is folded (ä → a, spaces → hyphens); empty or left out,
# it is made from the name.
NewSlug = Field(None, max_length=60)


class ErrorItem(Schema):
    loc: list[str | int]  # an index inside a list is a number, as in ninja's own 422
    msg: str


class ErrorOut(Schema):
    detail: list[ErrorItem] | str


class NetworkOut(Schema):
    id: int
    name: str
    slug: str
    purpose: str
    form: FormCode
    levels: list[str]
    scope: ScopeCode
    goal_kinds: list[str]
    parent: str | None
    phase: int
    archived: bool
    role: RoleCode | None

    @staticmethod
    def resolve_parent(obj: Network) -> str | None:
        return obj.parent.slug if obj.parent else None

    @staticmethod
    def resolve_archived(obj: Network) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_role(obj: Network, context: dict[str, Any]) -> str | None:
        from .access import network_roles

        return network_roles(context["request"].user).get(obj.pk)


class NetworkIn(Schema):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    slug: str | None = NewSlug
    purpose: str = Field("", max_length=TEXT_MAX)
    form: FormCode = "joint"
    levels: list[LevelCode] = Field(default_factory=list, max_length=5)
    scope: ScopeCode = "external"
    goal_kinds: list[GoalKindCode] = Field(default_factory=list, max_length=4)
    parent: str | None = Field(None, max_length=60)


class NetworkPatch(Patch):
    nullable = frozenset({"parent"})

    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    slug: str | None = NewSlug
    purpose: str | None = Field(None, max_length=TEXT_MAX)
    form: FormCode | None = None
    levels: list[LevelCode] | None = Field(None, max_length=5)
    scope: ScopeCode | None = None
    goal_kinds: list[GoalKindCode] | None = Field(None, max_length=4)
    parent: str | None = Field(None, max_length=60)


class PhaseIn(Schema):
    to_phase: int = Field(ge=1, le=4)
    note: str = Field("", max_length=TEXT_MAX)


class PhaseChangeOut(Schema):
    from_phase: int
    to_phase: int
    note: str
    changed_at: datetime


class OrganizationOut(Schema):
    id: int
    name: str
    sector: str
    parent_id: int | None
    website: str
    notes: str


class OrganizationIn(Schema):
    network: str = Slug
    name: str = Field(min_length=1, max_length=NAME_MAX)
    sector: SectorCode
    parent_id: Id | None = None
    website: str = Field("", max_length=500)
    notes: str = Field("", max_length=TEXT_MAX)


class OrganizationPatch(Patch):
    nullable = frozenset({"parent_id"})

    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    sector: SectorCode | None = None
    parent_id: Id | None = None
    website: str | None = Field(None, max_length=500)
    notes: str | None = Field(None, max_length=TEXT_MAX)


class PersonOut(Schema):
    id: int
    name: str
    organization_id: int | None
    title: str
    human: str
    competences: list[str]
    needs: str
    confirmed_at: datetime | None
    email: str | None = None
    phone: str | None = None


class PersonSearchQuery(Schema):
    q: str = Field(min_length=1, max_length=100)


class PersonHitOut(Schema):
    """A person a search found: the networks are the caller's networks they are in now; the
    email only where the caller may see contact details."""

    id: int
    name: str
    title: str
    organization_id: int | None
    organization_name: str
    networks: list[str]
    email: str | None = None


class PersonDataQuery(Schema):
    """The network a coordinator acts through; left out when a person asks about themselves."""

    network: str | None = Field(None, min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")


class PersonEraseIn(PersonDataQuery):
    """``confirm`` must be true: an erasure cannot be undone (docs/people.md, "Your data")."""

    confirm: bool = False


class PersonEraseOut(Schema):
    id: int
    changed: dict[str, int]


class MergeIn(Schema):
    """Merge the record of the path into ``into`` (which stays); ``network`` lists the undo."""

    network: str = Slug
    into: Id


class PersonIn(Schema):
    network: str = Slug
    name: str = Field(min_length=1, max_length=NAME_MAX)
    organization_id: Id | None = None
    title: str = Field("", max_length=NAME_MAX)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    human: str = Field("", max_length=TEXT_MAX)
    competences: list[str] = Field(default_factory=list, max_length=30)
    needs: str = Field("", max_length=TEXT_MAX)
    role: RoleCode = "member"
    in_steering_group: bool = False


class PersonPatch(Patch):
    nullable = frozenset({"organization_id"})

    network: str = Slug
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    organization_id: Id | None = None
    title: str | None = Field(None, max_length=NAME_MAX)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    human: str | None = Field(None, max_length=TEXT_MAX)
    competences: list[str] | None = Field(None, max_length=30)
    needs: str | None = Field(None, max_length=TEXT_MAX)


class PersonChangeOut(Schema):
    """A proposed change to a person's details; ``fields`` holds the proposed values by field
    name (``organization_id`` for the home organization)."""

    id: int
    person_id: int
    network: str

    @staticmethod
    def resolve_network(obj: PersonChange) -> str:
        return obj.network.slug

    state: Literal["open", "accepted", "declined"]
    fields: dict[str, str | list[str] | int | None]

    @staticmethod
    def resolve_fields(obj: PersonChange) -> dict[str, Any]:
        values = dict(obj.fields)
        if "organization" in values:
            values["organization_id"] = values.pop("organization")
        return values

    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None


class MembershipOut(Schema):
    id: int
    network: str

    @staticmethod
    def resolve_network(obj: Membership | Tie) -> str:
        return obj.network.slug

    person_id: int
    role: RoleCode
    in_steering_group: bool
    joined_on: date
    left_on: date | None


class MembershipIn(Schema):
    network: str = Slug
    person_id: Id
    role: RoleCode = "member"
    in_steering_group: bool = False


class MembershipPatch(Patch):
    role: RoleCode | None = None
    in_steering_group: bool | None = None
    left: bool | None = None


class TieOriginOut(Schema):
    """One source of a tie. A survey origin names its wave and has no date and no ratings."""

    id: int
    kind: OriginCode
    label: str
    strength: StrengthCode
    knowing: int | None
    trust: int | None
    commitment: int | None
    recorded_at: datetime | None
    current: bool

    @staticmethod
    def resolve_recorded_at(obj: TieOrigin) -> datetime | None:
        return None if obj.kind == OriginKind.SURVEY else obj.recorded_at


class TieOut(Schema):
    id: int
    network: str

    @staticmethod
    def resolve_network(obj: Membership | Tie) -> str:
        return obj.network.slug

    source_id: int
    target_id: int
    origins: list[TieOriginOut]

    @staticmethod
    def resolve_origins(obj: Tie) -> list[TieOrigin]:
        return list(obj.origins.all())

    strength: StrengthCode
    knowing: int | None
    trust: int | None
    commitment: int | None
    since: date | None


class TieIn(Schema):
    network: str = Slug
    source_id: Id
    target_id: Id
    strength: StrengthCode = "weak"
    knowing: int | None = Rating
    trust: int | None = Rating
    commitment: int | None = Rating
    since: Day | None = None


class TiePatch(Patch):
    nullable = frozenset({"knowing", "trust", "commitment", "since"})

    strength: StrengthCode | None = None
    knowing: int | None = Rating
    trust: int | None = Rating
    commitment: int | None = Rating
    since: Day | None = None


class MapQuery(Schema):
    view: Literal["people", "organizations"] = "people"
    sector: Literal["public", "private", "third"] | None = None
    organization: Id | None = None
    theme: str | None = Field(None, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    strength: StrengthCode | None = None
    role: RoleCode | None = None
    ego: Id | None = None
    depth: int = Field(1, ge=1, le=2)
    layout: Literal["force", "sector", "concentric", "circle"] = "force"
    size: str = Field(
        "degree",
        pattern=r"^(degree|betweenness|brokerage|none|field:[0-9]{1,9})$",
        description="What the size says; field:<id> is one of the network's own number fields.",
    )
    colour: str = Field(
        "sector",
        pattern=r"^(sector|organization|role|theme|community|brokerage|field:[0-9]{1,9})$",
        description="What the colour says; field:<id> is one of the network's own fields.",
    )
    metric: Literal["degree", "betweenness"] = "degree"
    # one of the network's own fields (its id) and a value to keep (docs/map.md)
    field: Id | None = None
    field_value: str | None = Field(None, max_length=100)
    saved: Id | None = Field(
        None, description="A saved view's id: its filters, encoding and positions replace these."
    )
    pins: Literal["mine", "none"] = Field(
        "mine", description="Without a saved view: place the nodes where the caller kept them."
    )
    rerun: bool = Field(False, description="Run the layout again around the kept positions.")


class MapNodeOut(Schema):
    id: str
    kind: Literal["person", "organization"]
    person_id: int | None
    label: str
    organization_id: int | None
    organization: str
    sector: str
    role: str
    title: str
    degree: int
    count: int
    size: float
    x: float
    y: float
    betweenness: float
    community: int
    brokerage: str
    theme: str
    pinned: bool
    # this person's values of the network's own fields, by field name (none in the
    # organizations view)
    fields: dict[str, str | float | list[str]] = {}


class MapEdgeOut(Schema):
    id: str
    source: str
    target: str
    strength: StrengthCode
    knowing: int | None
    trust: int | None
    commitment: int | None
    count: int


class MapEncodingOut(Schema):
    layout: str
    size: str
    colour: str
    metric: str


class MapViewOut(Schema):
    id: int
    title: str
    note: str
    filters: dict
    encoding: dict
    order: int


class MapFieldOut(Schema):
    id: int
    name: str
    kind: Literal["text", "number", "choice", "tags"]
    choices: list[str]


class MapPendingOut(Schema):
    """What the background worker is still computing for a big network's map (docs/map.md)."""

    layout: bool  # no layout to draw yet (else an older one is shown)
    label: str
    percent: int


class MapOut(Schema):
    network: str
    view: Literal["people", "organizations"]
    ego: int | None
    depth: int
    digest: str
    nodes: list[MapNodeOut]
    edges: list[MapEdgeOut]
    themes: dict[str, str]
    encoding: MapEncodingOut
    fields: list[MapFieldOut] = []
    pending: MapPendingOut | None = None


class ImportProblemOut(Schema):
    file: str
    row: int | None
    column: str
    message: str


class ImportCountsOut(Schema):
    created: int
    updated: int
    unchanged: int
    not_applied: int = 0
    joined: int = 0  # people or organizations of the caller's other networks that join this one


class ImportFieldOut(Schema):
    name: str
    kind: Literal["text", "number", "choice", "tags"]
    column: str


class ImportOut(Schema):
    applied: bool
    people: ImportCountsOut
    ties: ImportCountsOut
    organizations: ImportCountsOut
    problems: list[ImportProblemOut]
    # rows read but not written (someone the caller may not change), each with where and why
    not_applied: list[ImportProblemOut] = []
    # columns of the files that are not imported
    ignored_columns: list[ImportProblemOut] = []
    # columns read as new fields of the network's people, which the import makes
    fields_created: list[ImportFieldOut] = []


class JobOut(Schema):
    """Work handed to the background worker (a large import or export): poll ``status`` until
    ``state`` is done or failed; a finished export's file is at ``file``."""

    id: int
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    percent: int
    error: str
    result: dict
    status: str
    file: str | None


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "gexf", "graphml", "json", "vcard"] = "json"
    table: Literal["people", "ties"] = "people"


class RemovalOut(Schema):
    """Something removed that can still be restored (POST to ``restore``)."""

    id: int
    network: str
    kind: str
    label: str
    object_id: str
    name: str
    detail: str
    removed_at: datetime
    removed_by: str | None
    restore: str


FieldKindCode = Literal["text", "number", "choice", "tags"]
FieldForCode = Literal["person", "organization"]
FieldName = Field(min_length=1, max_length=60)
Choices = Field(None, max_length=100)
# A value: text or a choice as a string, a number, a list of tags; null clears it.
FieldValue = str | float | list[str] | None


class CustomFieldOut(Schema):
    id: int
    applies_to: FieldForCode
    name: str
    kind: FieldKindCode
    choices: list[str]
    position: int


class CustomFieldIn(Schema):
    applies_to: FieldForCode
    name: str = FieldName
    kind: FieldKindCode
    choices: list[str] | None = Choices


class CustomFieldPatch(Patch):
    name: str | None = Field(None, min_length=1, max_length=60)
    choices: list[str] | None = Choices


class CustomValuesIn(Schema):
    """Values by field name; a field left out keeps its value, ``null`` or ``""`` clears it."""

    values: dict[str, FieldValue] = Field(max_length=50)


class CustomValuesOut(Schema):
    values: dict[str, FieldValue]


def job_out(network: Network, job: Job) -> dict:
    base = f"/api/v1/networks/{network.slug}/jobs/{job.pk}"
    status = job_status(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "percent": status["percent"],
        "error": job.error,
        "result": job.result or {},
        "status": base,
        "file": base + "/file" if job.state == Job.State.DONE and job.output_name else None,
    }
