"""Writes for the charter, goals and roles. Keyword-only, atomic, ``<thing>_<verb>``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from suhde.common.users import saved_user
from suhde.networks import access
from suhde.networks.models import NAME_MAX, TEXT_MAX, GoalKind, Network

from .models import (
    ANSWER_MAX,
    CharterAnnex,
    CharterRole,
    CharterVersion,
    Goal,
    Indicator,
    Progress,
    RoleKind,
)
from .questions import NUMBERS

GOAL_TEXT_FIELDS = ("description", "why", "who", "how", "what", "resources")
INDICATORS_MAX = 10
UNIT_MAX = 40


class StaleVersion(Exception):
    """The charter was saved by someone else after the version this edit was based on."""

    def __init__(self, current: CharterVersion | None):
        super().__init__("stale charter version")
        self.current = current


def _clean_answers(answers: dict) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, text in answers.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            number = 0
        if number not in NUMBERS:
            raise ValidationError(
                {"answers": _("The charter has questions 1 to 15 only.")}, code="question"
            )
        text = (text or "").strip()
        if len(text) > ANSWER_MAX:
            errors[f"answer_{number}"] = [
                _("Keep the answer under %(max)d characters (it has %(count)d).")
                % {"max": ANSWER_MAX, "count": len(text)}
            ]
        elif text:
            cleaned[str(number)] = text
    if errors:
        raise ValidationError(errors)
    return dict(sorted(cleaned.items(), key=lambda item: int(item[0])))


def charter_update(
    *, network: Network, user: User | None, answers: dict[str, str], based_on: int
) -> tuple[CharterVersion | None, bool]:
    """Save the answers as a new version, unless someone saved one since ``based_on``.

    Returns the current version and whether a new one was made (nothing changed: no version).
    The network row is locked while the next number is taken, so two saves never collide.
    """
    cleaned = _clean_answers(answers)
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        current = network.charter_versions.order_by("-number").first()
        number = current.number if current else 0
        if based_on != number:
            raise StaleVersion(current)
        if current is not None and current.answers == cleaned:
            return current, False
        if current is None and not cleaned:
            return None, False
        try:
            with transaction.atomic():
                version = CharterVersion.objects.create(
                    network=network,
                    number=number + 1,
                    answers=cleaned,
                    author=saved_user(user),
                    author_name=_author_name(user),
                )
        except IntegrityError:
            raise StaleVersion(network.charter_versions.order_by("-number").first()) from None
    return version, True


def _agreed_on_check(version: CharterVersion, agreed_on: date) -> None:
    """An agreement falls between the day the version was written and the day it was replaced
    (or today): nobody agrees on a text before it exists, after it was superseded, or tomorrow."""
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("An agreement cannot be dated in the future.")})
    if agreed_on < timezone.localdate(version.created_at):
        raise ValidationError(
            {"agreed_on": _("A version cannot be agreed on before it was written.")}
        )
    replaced = (
        CharterVersion.objects.filter(network_id=version.network_id, number__gt=version.number)
        .order_by("number")
        .first()
    )
    if replaced is not None and agreed_on > timezone.localdate(replaced.created_at):
        raise ValidationError(
            {
                "agreed_on": _(
                    "Version %(number)s was replaced by version %(next)s on %(date)s: an "
                    "agreement after that is an agreement on the newer version."
                )
                % {
                    "number": version.number,
                    "next": replaced.number,
                    "date": date_format(
                        timezone.localdate(replaced.created_at), "SHORT_DATE_FORMAT"
                    ),
                }
            }
        )


def _author_name(user: User | None) -> str:
    saved = saved_user(user)
    if saved is None:
        return ""
    person = getattr(saved, "person", None)
    return person.name if person is not None else saved.get_username()


def charter_version_agree(
    *,
    version: CharterVersion,
    agreed_on: date,
    agreed_in: str,
    ref_kind: str = "",
    ref_id: int | None = None,
) -> CharterVersion:
    """Record that a version was agreed on, and in which meeting or decision."""
    agreed_in = (agreed_in or "").strip()
    if not agreed_in:
        raise ValidationError(
            {"agreed_in": _("Say which meeting or decision approved this version.")}
        )
    if len(agreed_in) > 200:
        raise ValidationError({"agreed_in": _("Keep this under 200 characters.")})
    _agreed_on_check(version, agreed_on)
    with transaction.atomic():
        version.agreed_on = agreed_on
        version.agreed_in = agreed_in
        version.agreed_ref_kind = ref_kind[:32]
        version.agreed_ref_id = ref_id
        version.save(update_fields=["agreed_on", "agreed_in", "agreed_ref_kind", "agreed_ref_id"])
    return version


# --- goals -----------------------------------------------------------------------------------


def _owner(network: Network, owner_id: int | None):
    if owner_id is None:
        return None
    owner = access.people_in(network).filter(pk=owner_id).first()
    if owner is None:
        raise ValidationError({"owner": _("Choose the owner among the network's members.")})
    return owner


def _clean_indicators(indicators: list[dict]) -> list[dict]:
    if len(indicators) > INDICATORS_MAX:
        raise ValidationError(
            {
                "indicators": _("A goal can have at most %(max)d indicators.")
                % {"max": INDICATORS_MAX}
            }
        )
    cleaned = []
    for row in indicators:
        name = (row.get("name") or "").strip()
        rest = [row.get(k) for k in ("baseline", "target", "unit", "how_measured")]
        if not name:
            if any(value not in (None, "") for value in rest):
                raise ValidationError(
                    {"indicators": _("Give the indicator a name before its target or baseline.")},
                    code="indicator_name",
                )
            continue
        unit = (row.get("unit") or "").strip()
        how = (row.get("how_measured") or "").strip()
        if len(name) > NAME_MAX or len(unit) > UNIT_MAX or len(how) > TEXT_MAX:
            raise ValidationError(
                {
                    "indicators": _(
                        "Keep an indicator's name under 200 characters, its unit under 40 and "
                        "how it is measured under 5000."
                    )
                }
            )
        cleaned.append(
            {
                "id": row.get("id"),
                "name": name,
                "baseline": _decimal(row.get("baseline")),
                "target": _decimal(row.get("target")),
                "unit": unit,
                "how_measured": how,
            }
        )
    return cleaned


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"indicators": _("Baseline and target are numbers.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({"indicators": _("Baseline and target are numbers.")})
    return number.quantize(Decimal("0.01"))


def _goal_fields(network: Network, fields: dict) -> dict:
    if fields.get("kind") not in GoalKind.values:
        raise ValidationError({"kind": _("Choose one of the four kinds of goal.")})
    title = (fields.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the goal.")})
    values = {"kind": fields["kind"], "title": title, "due_on": fields.get("due_on")}
    values["owner"] = _owner(network, fields.get("owner_id"))
    if len(title) > NAME_MAX:
        raise ValidationError(
            {"title": _("Keep this under %(max)d characters.") % {"max": NAME_MAX}}
        )
    for name in GOAL_TEXT_FIELDS:
        values[name] = (fields.get(name) or "").strip()
        if len(values[name]) > TEXT_MAX:
            raise ValidationError(
                {name: _("Keep this under %(max)d characters.") % {"max": TEXT_MAX}}
            )
    goal = Goal(network=network, **values)
    goal.full_clean(exclude=["network"])
    return values


def goal_create(
    *, network: Network, indicators: list[dict[str, object]] | None = None, **fields: object
) -> Goal:
    values = _goal_fields(network, fields)
    rows = _clean_indicators(indicators or [])
    with transaction.atomic():
        goal = Goal.objects.create(network=network, **values)
        _indicators_save(goal, rows)
    return goal


def goal_update(
    *, goal: Goal, indicators: list[dict[str, object]] | None = None, **fields: object
) -> Goal:
    """Change a goal. With ``indicators``, the list replaces the goal's indicators: rows with an
    ``id`` are updated, rows without one are added, and indicators not listed are removed."""
    values = _goal_fields(goal.network, fields)
    rows = None if indicators is None else _clean_indicators(indicators)
    with transaction.atomic():
        for name, value in values.items():
            setattr(goal, name, value)
        goal.save()
        if rows is not None:
            _indicators_save(goal, rows)
    return goal


def _indicators_save(goal: Goal, rows: list[dict]) -> None:
    existing = {indicator.pk: indicator for indicator in goal.indicators.all()}
    keep = set()
    for order, row in enumerate(rows):
        pk = row.pop("id", None)
        indicator = existing.get(pk) if pk is not None else None
        if pk is not None and indicator is None:
            raise ValidationError({"indicators": _("That indicator is not part of this goal.")})
        indicator = indicator or Indicator(goal=goal)
        for name, value in row.items():
            setattr(indicator, name, value)
        indicator.order = order
        indicator.save()
        keep.add(indicator.pk)
    goal.indicators.exclude(pk__in=keep).delete()


def _progress_values(recorded_on: date, value, note: str) -> dict:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"value": _("Give the value as a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({"value": _("Give the value as a number.")})
    if recorded_on > timezone.localdate():
        raise ValidationError(
            {"recorded_on": _("Progress cannot be recorded for a day that has not come yet.")}
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note under 200 characters.")})
    return {"recorded_on": recorded_on, "value": number.quantize(Decimal("0.01")), "note": note}


def goal_progress_create(
    *,
    indicator: Indicator,
    recorded_on: date,
    value: Decimal | str,
    note: str = "",
    user: User | None = None,
) -> Progress:
    values = _progress_values(recorded_on, value, note)
    with transaction.atomic():
        return Progress.objects.create(
            indicator=indicator,
            recorded_by=saved_user(user),
            **values,
        )


def goal_progress_update(
    *, progress: Progress, recorded_on: date, value: Decimal | str, note: str = ""
) -> Progress:
    """Correct a progress update: a wrong value or date is fixed, not left in the chart."""
    values = _progress_values(recorded_on, value, note)
    with transaction.atomic():
        for name, new in values.items():
            setattr(progress, name, new)
        progress.save(update_fields=list(values))
    return progress


def goal_progress_delete(*, progress: Progress) -> None:
    """Remove a progress update that should not have been recorded; the chart loses the point."""
    with transaction.atomic():
        progress.delete()


# --- roles -----------------------------------------------------------------------------------


def _role_values(network: Network, kind: str, name: str, description: str, holder_ids):
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose the kind of role.")})
    name = (name or "").strip()
    if kind == RoleKind.OTHER and not name:
        raise ValidationError({"name": _("Name the role.")})
    if len(name) > 200 or len(description or "") > ANSWER_MAX:
        raise ValidationError({"description": _("Keep the text shorter.")})
    holder_ids = list(holder_ids or [])
    holders = list(access.people_in(network).filter(pk__in=holder_ids))
    if len(holders) != len(set(holder_ids)):
        raise ValidationError({"holders": _("Choose the people among the network's members.")})
    return name, (description or "").strip(), holders


def role_save(
    *,
    network: Network,
    kind: str,
    name: str = "",
    description: str = "",
    holder_ids: list[int] | None = None,
    role: CharterRole | None = None,
) -> CharterRole:
    """Add a role the charter names, or change one."""
    name, description, holders = _role_values(network, kind, name, description, holder_ids)
    taken = network.charter_roles.filter(kind=kind).exclude(kind=RoleKind.OTHER)
    if role is not None:
        taken = taken.exclude(pk=role.pk)
    if taken.exists():
        raise ValidationError({"kind": _("The charter already names this role.")})
    with transaction.atomic():
        role = role or CharterRole(network=network)
        role.kind, role.name, role.description = kind, name, description
        role.save()
        role.holders.set(holders)
    return role


def charter_annex_record(
    *,
    network: Network,
    title: str,
    text: str,
    ref_kind: str = "",
    ref_id: int | None = None,
) -> CharterAnnex:
    """Record an agreement as an annex of the charter; an annex with the same source is
    brought up to date instead of repeated (the handoff was agreed again)."""
    title, text = (title or "").strip()[:NAME_MAX], (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the annex a title.")})
    if not text or len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": _("Write what was agreed, under %(max)d characters.") % {"max": TEXT_MAX}}
        )
    with transaction.atomic():
        annex = None
        if ref_kind and ref_id is not None:
            annex = CharterAnnex.objects.filter(
                network=network, ref_kind=ref_kind, ref_id=ref_id
            ).first()
        if annex is None:
            annex = CharterAnnex(network=network, ref_kind=ref_kind, ref_id=ref_id)
        annex.title, annex.text = title, text
        annex.agreed_on = timezone.localdate()
        annex.save()
    return annex
