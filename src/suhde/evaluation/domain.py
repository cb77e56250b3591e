"""Writes of the evaluation phase: a coordinator's decision on a weaving suggestion, and what
people write about a round of the continuum (its goals' results, the narrative of its report,
its learning outcomes, the reflection meeting and the leaders' self-reflections)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.charter.models import Goal, Indicator
from suhde.decisions.models import Decision as MadeDecision
from suhde.networks.models import Network, Person
from suhde.surveys.models import Wave
from suhde.workshops import domain as workshops
from suhde.workshops import live
from suhde.workshops.models import Meeting
from suhde.workshops.session_templates import template_prompts

from . import queries, weaving
from .models import (
    Decision,
    GoalResult,
    IndicatorValue,
    LearningOutcome,
    NarrativeRevision,
    OutcomeKind,
    Position,
    PositionReflection,
    Round,
    SuggestionDecision,
    Verdict,
    Working,
)
from .rounds import NARRATIVE_MAX, NARRATIVE_SECTIONS, RoundSpan, round_span

REOPEN = "open"  # not a decision: taking one back
STATUSES = (*Decision.values, REOPEN)


@transaction.atomic
def suggestion_update(
    *, wave: Wave, key: str, status: str, user: User
) -> SuggestionDecision | None:
    """Accept, dismiss or mark done one suggestion of a closed wave; "open" takes it back.

    An accepted suggestion becomes a to-do on the network's checklist for the next round.
    """
    wave = queries.wave_closed(wave)
    if status not in STATUSES:
        raise ValidationError({"status": _("Choose accepted, dismissed, done or open.")})
    suggestion = queries.suggestion_find(wave, key)
    if suggestion is None:
        raise ValidationError(_("No such suggestion in this wave."), code="missing")
    if status == REOPEN:
        SuggestionDecision.objects.filter(wave=wave, key=key).delete()
        return None
    decision, _created = SuggestionDecision.objects.update_or_create(
        wave=wave,
        key=key,
        defaults={
            "network": wave.network,
            "kind": suggestion["kind"],
            "suggestion": suggestion,
            "status": status,
            "decided_by": user if user is not None and user.pk else None,
        },
    )
    return decision


# --- rounds ----------------------------------------------------------------------------------

SOURCE_MAX = 200
REASON_MAX = 200


def _user(user):
    return user if user is not None and getattr(user, "pk", None) else None


def _text(value, field: str, limit: int, *, required: str = "") -> str:
    """A text as typed, stripped; refused at ``field`` when too long, empty (with ``required``
    the message) or carrying a NUL character, which no database stores."""
    text = str(value if value is not None else "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("Remove the invisible control character from the text.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep this under %(limit)d characters.") % {"limit": limit}}
        )
    if required and not text:
        raise ValidationError({field: required})
    return text


def _round_locked(network: Network, number: int) -> Round:
    return Round.objects.select_for_update().get(pk=round_open(network=network, number=number).pk)


def round_open(*, network: Network, number: int) -> Round:
    """The written record of a round that has begun (404 for one that has not)."""
    round_span(network, number)
    written, _created = Round.objects.get_or_create(network=network, number=number)
    return written


@transaction.atomic
def narrative_update(*, network: Network, number: int, sections: dict, user: Any) -> Round:
    """Replace the narrative of the named sections; the earlier text of each stays as a
    revision. Sections not named keep their text. An unknown section is refused, all or none."""
    unknown = sorted(str(key) for key in sections if key not in NARRATIVE_SECTIONS)
    if unknown:
        raise ValidationError(
            {"sections": _("No such section: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    texts = {key: _text(value, key, NARRATIVE_MAX) for key, value in sections.items()}
    written = _round_locked(network, number)
    old = dict(written.narrative or {})
    changed = {key: text for key, text in texts.items() if text != old.get(key, "")}
    NarrativeRevision.objects.bulk_create(
        NarrativeRevision(
            round=written, section=key, text=old[key], written_by=written.narrative_by
        )
        for key in changed
        if old.get(key)
    )
    if changed:
        written.narrative = {**old, **changed}
        written.narrative_by = _user(user)
        written.narrative_at = timezone.now()
        written.save(update_fields=["narrative", "narrative_by", "narrative_at"])
    return written


def _meeting(network: Network, meeting_id) -> Meeting | None:
    if meeting_id in (None, ""):
        return None
    found = _meeting_of(network, meeting_id)
    if found is None:
        raise ValidationError({"meeting": _("Choose a meeting of this network.")})
    return found


def _meeting_of(network: Network, meeting_id) -> Meeting | None:
    try:
        pk = int(meeting_id)
    except (TypeError, ValueError):
        return None
    return Meeting.objects.filter(network=network, pk=pk).first() if 0 < pk < 2**63 else None


def _decision(network: Network, decision_id) -> MadeDecision | None:
    if decision_id in (None, ""):
        return None
    try:
        pk = int(decision_id)
    except (TypeError, ValueError):
        pk = 0
    found = MadeDecision.objects.filter(network=network, pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise ValidationError({"decision": _("Choose a decision of this network's decision log.")})
    return found


@transaction.atomic
def goal_result_update(
    *,
    network: Network,
    number: int,
    goal: Goal,
    verdict: str,
    reason: str,
    meeting_id: int | str | None = None,  # an id as the form sent it
    decision_id: int | str | None = None,
    user: Any = None,
) -> GoalResult:
    """Record how a goal went in the round: reached, partly or not, why, and the meeting or the
    decision where the network agreed on it (one of them at least)."""
    if goal.network_id != network.pk:
        raise ValidationError({"goal": _("Choose a goal of this network.")})
    errors: dict[str, Any] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose reached, partly reached or not reached.")
    try:
        reason = _text(
            reason, "reason", NARRATIVE_MAX, required=_("Say why, in a sentence or two.")
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    meeting = decision = None
    try:
        meeting = _meeting(network, meeting_id)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        decision = _decision(network, decision_id)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors.keys() & {"meeting", "decision"} and meeting is None and decision is None:
        errors["meeting"] = _(
            "Name the meeting or the decision where the network agreed on this verdict."
        )
    if errors:
        raise ValidationError(errors)
    written = round_open(network=network, number=number)
    result, _created = GoalResult.objects.update_or_create(
        round=written,
        goal=goal,
        defaults={
            "verdict": verdict,
            "reason": reason,
            "meeting": meeting,
            "decision": decision,
            "updated_by": _user(user),
        },
    )
    return result


def _source(source) -> str:
    return _text(source, "source", SOURCE_MAX, required=_("Say where the value comes from."))


def _value(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u2212", "-"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("Give the value as a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({"value": _("Give the value as a number.")})
    return number.quantize(Decimal("0.01"))


def _measured_on(span: RoundSpan, day) -> date:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError({"measured_on": _("Give the date the value was measured.")})
    if day > timezone.localdate():
        raise ValidationError(
            {"measured_on": _("A value cannot be measured on a day that has not come yet.")}
        )
    if not span.holds_day(day):
        raise ValidationError(
            {
                "measured_on": _("Give a date in the round: from %(first)s to %(last)s.")
                % {
                    "first": span.first_day.isoformat(),
                    "last": (span.ends_on or timezone.localdate()).isoformat(),
                }
            }
        )
    return day


@transaction.atomic
def indicator_value_record(
    *,
    network: Network,
    number: int,
    indicator: Indicator,
    value: Any,
    measured_on: Any,
    source: Any,
    user: Any = None,
) -> IndicatorValue:
    """Record an indicator's value in the round, with the date it was measured and its source."""
    if indicator.goal.network_id != network.pk:
        raise ValidationError({"indicator": _("Choose an indicator of this network's goals.")})
    span = round_span(network, number)
    fields = {
        "value": _value(value),
        "measured_on": _measured_on(span, measured_on),
        "source": _source(source),
    }
    return IndicatorValue.objects.create(
        round=round_open(network=network, number=number),
        indicator=indicator,
        recorded_by=_user(user),
        **fields,
    )


@transaction.atomic
def indicator_value_correct(
    *,
    earlier: IndicatorValue,
    value: Any,
    measured_on: Any,
    source: Any,
    reason: Any,
    user: Any = None,
) -> IndicatorValue:
    """Correct a recorded value: the correction is a new value naming the one it corrects, which
    stays as history. Only the latest value of a chain can be corrected."""
    earlier = IndicatorValue.objects.select_for_update().select_related("round").get(pk=earlier.pk)
    if IndicatorValue.objects.filter(corrects=earlier).exists():
        raise ValidationError(
            {"corrects": _("This value has already been corrected; correct the latest value.")}
        )
    span = round_span(earlier.round.network, earlier.round.number)
    fields = {
        "value": _value(value),
        "measured_on": _measured_on(span, measured_on),
        "source": _source(source),
        "correction_reason": _text(
            reason, "reason", REASON_MAX, required=_("Say why the value is corrected.")
        ),
    }
    return IndicatorValue.objects.create(
        round=earlier.round,
        indicator_id=earlier.indicator_id,
        corrects=earlier,
        recorded_by=_user(user),
        **fields,
    )


@transaction.atomic
def learning_outcome_create(
    *, network: Network, number: int, kind: str, example: str, evidence: str = "", user: Any = None
) -> LearningOutcome:
    """One example of a learning outcome of the round, with the evidence for it."""
    errors: dict[str, Any] = {}
    if kind not in OutcomeKind.values:
        errors["kind"] = _("Choose one of the three learning outcomes.")
    texts = {}
    for field, value, required in (
        ("example", example, _("Describe the example.")),
        ("evidence", evidence, ""),
    ):
        try:
            texts[field] = _text(value, field, NARRATIVE_MAX, required=required)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return LearningOutcome.objects.create(
        round=round_open(network=network, number=number),
        kind=kind,
        created_by=_user(user),
        **texts,
    )


AGENDA = (
    # The material's reflection agenda: (title, minutes, method key of the library)
    ("What worked, and why?", 25, "reflection"),
    ("What did not work yet, and what do we do about it?", 25, ""),
    ("What did we learn together?", 20, ""),
    ("Our dream network, and the next concrete steps", 30, ""),
)


def _agenda() -> list[dict]:
    titles = [
        _("What worked, and why?"),
        _("What did not work yet, and what do we do about it?"),
        _("What did we learn together?"),
        _("Our dream network, and the next concrete steps"),
    ]
    return [
        {"title": title, "minutes": minutes, "method": method}
        for title, (_english, minutes, method) in zip(titles, AGENDA, strict=True)
    ]


@transaction.atomic
def reflection_meeting_plan(
    *, network: Network, number: int, starts_at: datetime, place: str = "", user: Any
) -> Round:
    """Plan the round's reflection meeting with the material's agenda, and make its live session
    from the ``reflection`` template; the session's visible highlights become the round's."""
    written = _round_locked(network, number)
    if written.reflection_meeting_id is not None:
        raise ValidationError(
            _("This round already has its reflection meeting; open it from the round's page.")
        )
    title = _("Reflection together: round %(number)d") % {"number": number}
    meeting = workshops.meeting_create(
        network=network,
        user=user,
        title=title,
        starts_at=starts_at,
        minutes=sum(minutes for _title, minutes, _method in AGENDA),
        purpose=_(
            "We look back at the round together: what worked and why, what did not and what we "
            "do about it, what we learned, our dream network and the next concrete steps."
        ),
        place=place,
        blocks=_agenda(),
    )
    session = live.session_create(
        network=network,
        user=user,
        title=title,
        meeting=meeting,
        prompts=template_prompts("reflection"),
    )
    written.reflection_meeting = meeting
    written.reflection_session = session
    written.save(update_fields=["reflection_meeting", "reflection_session"])
    return written


@transaction.atomic
def position_reflection_save(
    *,
    network: Network,
    number: int,
    person: Person,
    position: str,
    working: str,
    note: str = "",
    meeting_id: int | str | None = None,  # an id as the form sent it
) -> PositionReflection:
    """A coordinator's or facilitator's own reflection on where they led from, for the round or
    one meeting of it. A closed round takes no more: its picture has been shown (promise 9)."""
    span = round_span(network, number)
    if span.closed:
        raise ValidationError(_("This round has closed; reflect on the round in progress instead."))
    errors: dict[str, Any] = {}
    if position not in Position.values:
        errors["position"] = _("Choose one of the three positions.")
    if working not in Working.values:
        errors["working"] = _("Choose side by side or together.")
    try:
        note = _text(note, "note", NARRATIVE_MAX)
        meeting = _meeting(network, meeting_id)
        if meeting is not None and not span.holds(meeting.starts_at):
            raise ValidationError({"meeting": _("Choose a meeting of this round.")})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    reflection, _created = PositionReflection.objects.update_or_create(
        round=round_open(network=network, number=number),
        person=person,
        meeting=meeting,
        defaults={"position": position, "working": working, "note": note},
    )
    return reflection


__all__ = ["suggestion_update", "weaving"]
