"""Writes for service paths: keyword-only, atomic, ``<thing>_<verb>`` (rule 2).

A path is saved whole: its fields, its stages in order and which stage comes after which. Every
check runs before anything is written, so bad input leaves the path as it was. Stages are matched
by their key, so a stage renamed or moved keeps its transitions and their handoff notes; a
transition exists exactly for each pair of consecutive stages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suhde.charter.domain import charter_annex_record
from suhde.charter.models import CharterAnnex
from suhde.common.models import Removal
from suhde.common.removals import removal_snapshot
from suhde.common.users import saved_user
from suhde.decisions.domain import decision_create
from suhde.decisions.models import Decision, Status
from suhde.networks import access
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person
from suhde.workshops.domain import meeting_create
from suhde.workshops.models import DecisionMode, Meeting

from .models import (
    KEY_MAX,
    SIDE_MAX,
    STAGES_MAX,
    HandoffStatus,
    HandoffWay,
    ServicePath,
    Stage,
    Transition,
)

PATH_REMOVAL = "paths.servicepath"
STAGE_REMOVAL = "paths.stage"
HANDOFF_TEXTS = {"information": TEXT_MAX, "consent": TEXT_MAX, "timing": NAME_MAX}
HANDOFF_TEXTS["problems"] = TEXT_MAX


class StageRow(TypedDict, total=False):
    """A stage as a page or the API gives it; ``_stage_values`` checks every field (the API's
    body may hold anything)."""

    key: str
    name: str
    needs: str
    organization_ids: list[int]
    person_ids: list[int]
    after: list[str] | None  # keys; None: the stage given before


class StageValues(TypedDict):
    """A stage checked, as it is saved."""

    key: str
    name: str
    needs: str
    organization_ids: list[int]
    person_ids: list[int]
    after: list[str]
    number: int


def _text(fields: Mapping[str, object], name: str, limit: int, where: str = "") -> str:
    text = fields.get(name) or ""
    if not isinstance(text, str):
        raise ValidationError({name: _("Write this as text.")})
    text = text.strip()
    if "\x00" in text:
        raise ValidationError({name: _("This text contains a character that cannot be stored.")})
    if len(text) > limit:
        message = _("Keep this under %(max)d characters.") % {"max": limit}
        raise ValidationError({name: f"{where}{message}"})
    return text


def _path_fields(fields: Mapping[str, object]) -> dict[str, str]:
    values = {
        "name": _text(fields, "name", NAME_MAX),
        "client_group": _text(fields, "client_group", TEXT_MAX),
        "goal": _text(fields, "goal", TEXT_MAX),
    }
    if not values["name"]:
        raise ValidationError({"name": _("Give the path a name.")})
    return values


def _where(number: int, name: str) -> str:
    return _("Stage %(number)d (“%(name)s”): ") % {"number": number, "name": name}


def _ids(value: object, where: str) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        raise ValidationError({"stages": where + _("give the responsible as a list of ids.")})
    if len(value) > SIDE_MAX:
        raise ValidationError(
            {"stages": where + _("name at most %(max)d responsible.") % {"max": SIDE_MAX}}
        )
    return list(dict.fromkeys(value))


def _stage_values(network: Network, stages: list[StageRow]) -> list[StageValues]:
    """Each stage checked on its own: key, name, needs, and organizations and people of this
    network only (promise 3)."""
    if not isinstance(stages, list) or not stages:
        raise ValidationError({"stages": _("A path needs at least one stage.")})
    if len(stages) > STAGES_MAX:
        raise ValidationError(
            {
                "stages": _("A path has at most %(max)d stages; this one has %(count)d.")
                % {"max": STAGES_MAX, "count": len(stages)}
            }
        )
    organizations = set(access.organizations_in(network).values_list("pk", flat=True))
    people = set(access.people_in(network).values_list("pk", flat=True))
    values: list[StageValues] = []
    keys: set[str] = set()
    for number, stage in enumerate(stages, start=1):
        if not isinstance(stage, dict):
            raise ValidationError(
                {"stages": _("Stage %(number)d is not a stage.") % {"number": number}}
            )
        name = _text(stage, "name", NAME_MAX, _("Stage %(number)d: ") % {"number": number})
        if not name:
            raise ValidationError(
                {"stages": _("Stage %(number)d has no name.") % {"number": number}}
            )
        where = _where(number, name)
        key = str(stage.get("key") or "").strip()[:KEY_MAX] or f"s{number}"
        if key in keys:
            raise ValidationError(
                {"stages": where + _("the key “%(key)s” is used twice.") % {"key": key}}
            )
        keys.add(key)
        org_ids = _ids(stage.get("organization_ids"), where)
        foreign = [i for i in org_ids if i not in organizations]
        if foreign:
            raise ValidationError(
                {
                    "stages": where
                    + _("organization %(id)d is not in this network.") % {"id": foreign[0]}
                }
            )
        person_ids = _ids(stage.get("person_ids"), where)
        strangers = [i for i in person_ids if i not in people]
        if strangers:
            raise ValidationError(
                {
                    "stages": where
                    + _("person %(id)d is not a member of this network.") % {"id": strangers[0]}
                }
            )
        after = stage.get("after")
        if after is None:
            after = [values[-1]["key"]] if values else []
        if not isinstance(after, list | tuple) or not all(isinstance(a, str) for a in after):
            raise ValidationError({"stages": where + _("list the stages it comes after by key.")})
        values.append(
            {
                "key": key,
                "name": name,
                "needs": _text(stage, "needs", TEXT_MAX, where),
                "organization_ids": org_ids,
                "person_ids": person_ids,
                "after": list(dict.fromkeys(a.strip() for a in after)),
                "number": number,
            }
        )
    _edges_check(values)
    return values


def _edges_check(values: list[StageValues]) -> None:
    """Every stage it comes after exists, and the stages never go round in a circle."""
    by_key = {value["key"]: value for value in values}
    for value in values:
        where = _where(value["number"], value["name"])
        for key in value["after"]:
            if key == value["key"]:
                raise ValidationError({"stages": where + _("a stage cannot come after itself.")})
            if key not in by_key:
                raise ValidationError(
                    {
                        "stages": where
                        + _("there is no stage “%(key)s” to come after.") % {"key": key}
                    }
                )
    cycle = _cycle(by_key)
    if cycle:
        names = " → ".join(f"“{by_key[key]['name']}”" for key in cycle)
        raise ValidationError(
            {
                "stages": _("The stages go round in a circle: %(cycle)s. A path runs one way.")
                % {"cycle": names}
            }
        )


def _cycle(by_key: dict[str, StageValues]) -> list[str]:
    """One cycle of the 'comes after' relation as keys (first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 finished
    for start in by_key:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(by_key[start]["after"]))]
        walk = [start]
        state[start] = 1
        while stack:
            key, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                state[key] = 2
                stack.pop()
                walk.pop()
            elif state.get(following) == 1:
                loop = walk[walk.index(following) :]
                return [*loop, following]
            elif not state.get(following):
                state[following] = 1
                walk.append(following)
                stack.append((following, iter(by_key[following]["after"])))
    return []


def _handoff_values(
    network: Network, fields: Mapping[str, object], where: str = ""
) -> dict[str, str | Person | None]:
    values: dict[str, str | Person | None] = {
        name: _text(fields, name, limit, where) for name, limit in HANDOFF_TEXTS.items()
    }
    way = fields.get("way") or ""
    if not isinstance(way, str) or way not in HandoffWay.values:
        raise ValidationError({"way": where + _("Choose how the handoff is made.")})
    status = fields.get("status") or HandoffStatus.MISSING
    if not isinstance(status, str) or status not in HandoffStatus.values:
        raise ValidationError({"status": where + _("Choose agreed, informal or missing.")})
    values.update(way=way, status=status)
    members = access.people_in(network)
    for name in ("handed_by", "received_by"):
        person_id = fields.get(f"{name}_id")
        if person_id is None:
            values[name] = None
            continue
        person = members.filter(pk=person_id).first() if isinstance(person_id, int) else None
        if person is None:
            raise ValidationError({f"{name}_id": where + _("Choose a member of this network.")})
        values[name] = person
    return values


def _transition_values(
    network: Network, stages: list[StageValues], transitions: object
) -> dict[tuple[str, str], dict[str, str | Person | None]]:
    """Handoffs given with the path, by the keys of their two stages, which must be
    consecutive."""
    if transitions is None:
        return {}
    if not isinstance(transitions, list):
        raise ValidationError({"transitions": _("Give the transitions as a list.")})
    by_key = {value["key"]: value for value in stages}
    out: dict[tuple[str, str], dict[str, str | Person | None]] = {}
    for number, fields in enumerate(transitions, start=1):
        where = _("Transition %(number)d: ") % {"number": number}
        source, target = fields.get("source"), fields.get("target")
        if source not in by_key or target not in by_key:
            raise ValidationError(
                {"transitions": where + _("name two stages of the path by their keys.")}
            )
        if source not in by_key[target]["after"]:
            raise ValidationError(
                {
                    "transitions": where
                    + _(
                        "“%(target)s” does not come right after “%(source)s”; a transition "
                        "joins two consecutive stages."
                    )
                    % {"source": by_key[source]["name"], "target": by_key[target]["name"]}
                }
            )
        if (source, target) in out:
            raise ValidationError({"transitions": where + _("this transition is given twice.")})
        out[(source, target)] = _handoff_values(network, fields, where)
    return out


def _save_stages(
    path: ServicePath,
    stages: list[StageValues],
    handoffs: dict[tuple[str, str], dict[str, str | Person | None]],
) -> None:
    existing = {stage.key: stage for stage in path.stages.all()}
    keep = {value["key"] for value in stages}
    for key, stage in existing.items():
        if key not in keep:  # restorable for the undo window, with its transitions
            removal_snapshot(
                objects=[stage], network_id=path.network_id, kind=STAGE_REMOVAL, name=stage.name
            )
    saved: dict[str, Stage] = {}
    for position, value in enumerate(stages):
        stage = existing.get(value["key"]) or Stage(path=path, key=value["key"])
        stage.name, stage.needs, stage.position = value["name"], value["needs"], position
        stage.save()
        stage.organizations.set(value["organization_ids"])
        stage.people.set(value["person_ids"])
        saved[value["key"]] = stage
    edges = set()
    for value in stages:
        stage = saved[value["key"]]
        stage.after.set([saved[key] for key in value["after"]])
        edges |= {(saved[key].pk, stage.pk) for key in value["after"]}
    current = {(t.source_id, t.target_id): t for t in Transition.objects.filter(path=path)}
    for pair, transition in current.items():
        if pair not in edges:
            transition.delete()
    for source_id, target_id in sorted(edges - set(current)):
        Transition.objects.create(path=path, source_id=source_id, target_id=target_id)
    keys = {stage.pk: key for key, stage in saved.items()}
    for transition in Transition.objects.filter(path=path):
        handoff = handoffs.get((keys[transition.source_id], keys[transition.target_id]))
        if handoff:
            for name, given in handoff.items():
                setattr(transition, name, given)
            transition.save()


def path_create(
    *,
    network: Network,
    user: User | None = None,
    stages: list[StageRow],
    transitions: list[dict[str, object]] | None = None,
    **fields: object,
) -> ServicePath:
    """A new service path with its stages; handoffs of its transitions may come along."""
    values = _path_fields(fields)
    stage_values = _stage_values(network, stages)
    handoffs = _transition_values(network, stage_values, transitions)
    with transaction.atomic():
        path = ServicePath.objects.create(network=network, created_by=saved_user(user), **values)
        _save_stages(path, stage_values, handoffs)
    return path


def path_update(
    *,
    path: ServicePath,
    stages: list[StageRow],
    transitions: list[dict[str, object]] | None = None,
    **fields: object,
) -> ServicePath:
    """Save the path whole. Stages are matched by key: a stage left out is removed with its
    transitions (the page asks first; the API's caller sent the whole path)."""
    values = _path_fields(fields)
    stage_values = _stage_values(path.network, stages)
    handoffs = _transition_values(path.network, stage_values, transitions)
    with transaction.atomic():
        for name, value in values.items():
            setattr(path, name, value)
        path.save()
        _save_stages(path, stage_values, handoffs)
    return path


def transition_update(*, transition: Transition, **fields: object) -> Transition:
    """The handoff of one transition phase: who, what information with what consent, when, the
    agreed way, its status and its known problems (in words, never a client's data)."""
    values = _handoff_values(transition.path.network, fields)
    with transaction.atomic():
        for name, value in values.items():
            setattr(transition, name, value)
        transition.save()
    return transition


def transition_link(
    *,
    transition: Transition,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    annex: CharterAnnex | None = None,
) -> None:
    """Remember the meeting, decision or charter annex made from a transition."""
    changed = []
    for name, value in (("meeting", meeting), ("decision", decision), ("annex", annex)):
        if value is not None:
            setattr(transition, name, value)
            changed.append(name)
    if changed:
        transition.save(update_fields=[*changed, "updated_at"])


def path_delete(*, path: ServicePath, user: User | None = None) -> Removal:
    """Remove a path with its stages and transitions, restorable for the undo window."""
    return removal_snapshot(
        objects=[path], network_id=path.network_id, kind=PATH_REMOVAL, name=path.name, user=user
    )


# --- working on a transition ---------------------------------------------------------------


def transition_meeting_plan(
    *,
    transition: Transition,
    user: User,
    title: str,
    starts_at: datetime,
    purpose: str = "",
    place: str = "",
) -> Meeting:
    """Plan a development meeting of the transition's two sides in the meetings app, and
    remember it on the transition."""
    with transaction.atomic():
        meeting = meeting_create(
            network=transition.path.network,
            user=user,
            title=title,
            starts_at=starts_at,
            purpose=purpose,
            place=place,
        )
        transition_link(transition=transition, meeting=meeting)
    return meeting


def transition_decision_open(*, transition: Transition, user: User) -> Decision:
    """Open a proposed, facilitated decision about the handoff in the decision log."""
    source, target = transition.source.name, transition.target.name
    proposal = _(
        "We agree how the client passes from “%(source)s” to “%(target)s”: who hands over to "
        "whom, what information passes with what consent, when, and in what way."
    ) % {"source": source, "target": target}
    if transition.problems:
        proposal += "\n\n" + _("Known problems: %(problems)s") % {"problems": transition.problems}
    with transaction.atomic():
        decision = decision_create(
            network=transition.path.network,
            user=user,
            title=(_("Handoff: %(source)s → %(target)s") % {"source": source, "target": target})[
                :NAME_MAX
            ],
            proposal=proposal[:TEXT_MAX],
            mode=DecisionMode.FACILITATED,
            status=Status.PROPOSED,
        )
        transition_link(transition=transition, decision=decision)
    return decision


def transition_annex_record(*, transition: Transition, text: str) -> CharterAnnex:
    """Record the agreed handoff in the charter's annexes; the handoff counts as agreed."""
    source, target = transition.source.name, transition.target.name
    title = _("Agreed handoff on “%(path)s”: %(source)s → %(target)s") % {
        "path": transition.path.name,
        "source": source,
        "target": target,
    }
    with transaction.atomic():
        annex = charter_annex_record(
            network=transition.path.network,
            title=title[:NAME_MAX],
            text=text,
            ref_kind="transition",
            ref_id=transition.pk,
        )
        transition.status = HandoffStatus.AGREED
        transition.annex = annex
        transition.save(update_fields=["status", "annex", "updated_at"])
    return annex


def person_roles_erase(person: Person) -> dict[str, int]:
    """Erasure (promise 24): the person is no longer named on any stage or handoff."""
    with transaction.atomic():
        stages = Stage.people.through.objects.filter(person_id=person.pk).delete()[0]
        handed = Transition.objects.filter(handed_by_id=person.pk).update(handed_by=None)
        received = Transition.objects.filter(received_by_id=person.pk).update(received_by=None)
    return {"service_path_stages": stages, "service_path_handoffs": handed + received}
