"""Merging two records of one person, or of one organization (issue 12).

The record merged away gives everything it has to the one that stays — memberships, ties (one
per pair: their sources fold together; a tie between the two would be a tie to oneself and goes),
survey answers, meeting attendance, votes, roles, history — and is archived, never deleted. Each
merge is one ``Removal`` journal (common/removals.py), so it is undone for ``SUHDE_UNDO_DAYS`` from
the network's "Recently removed" page, and it is in the audit log.

Rows that point at a person from apps above this floor are moved generically, by following every
foreign key to ``Person`` (personal links excepted: they stay with the archived record); a row
that would then collide with one the kept record already has (both answered the same closed wave,
both attended one meeting) stays with the archived record, so nothing is ever attributed to
someone twice. Apps add their own refusals with ``merge_check_register`` (surveys: the record
merged away is in a wave that has not closed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.models import Removal
from suhde.common.removals import Journal, removal_journal

from . import access
from .access import role_outranks
from .models import (
    Invitation,
    Membership,
    Network,
    Organization,
    OriginKind,
    Person,
    Tie,
    TieOrigin,
)

PERSON_MERGE = "networks.person_merge"
ORGANIZATION_MERGE = "networks.organization_merge"
# Filled in from the record merged away when the kept one has nothing there.
PERSON_BLANKS = ("email", "phone", "title", "human", "needs", "organization_id")
ORGANIZATION_BLANKS = ("website", "notes", "parent_id")

# Each check is called with ``kind`` ("person" or "organization"), ``old`` and ``new`` and
# raises ValidationError to refuse the merge.
MERGE_CHECKS: list[Callable] = []


def merge_check_register(check: Callable) -> None:
    """Called from an app's ``AppConfig.ready``; registering the same check again is a no-op."""
    if check not in MERGE_CHECKS:
        MERGE_CHECKS.append(check)


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: message})


def _check_network(network, *, people=(), organizations=()) -> None:
    """The undo is listed in the network where the merge was done: one of the two is in it."""
    there = Membership.objects.filter(network=network, person__in=people).exists() or any(
        o.networks.filter(pk=network.pk).exists() for o in organizations
    )
    if not there:
        _refuse("network", _("Merge them from a network that one of the two is in."))


def _check_people(user, person: Person, into: Person) -> None:
    if person.pk == into.pk:
        _refuse("into", _("A person cannot be merged into themselves."))
    for field, who in (("person", person), ("into", into)):
        if who.archived_at is not None:
            _refuse(field, _("%(name)s is archived: restore them first.") % {"name": who.name})
        if not access.person_within(user, who):
            _refuse(
                field,
                _(
                    "%(name)s is also in a network you do not coordinate: only a coordinator of "
                    "all their networks can merge them."
                )
                % {"name": who.name},
            )
    if person.user_id is not None:
        message = (
            _("Both have a user account: two accounts cannot be merged.")
            if into.user_id is not None
            else _("%(name)s has a user account: merge the other record into them instead.")
            % {"name": person.name}
        )
        _refuse("person", message)
    for check in MERGE_CHECKS:
        check(kind="person", old=person, new=into)


# --- moving what points at a record --------------------------------------------------------


def _personal_link(model: type[models.Model]) -> bool:
    """A row that is a link mailed to someone's address (an invitation, a confirm-your-details
    or proposed-change link, a survey or poll link) never follows a merge: whoever holds the
    merged record's address must not come to act for the kept record. It stays where it is."""
    return any(field.name == "token_digest" for field in model._meta.concrete_fields)


def _references(model: type[models.Model], skip: set[str]):
    """Every foreign key to ``model`` in every app (many-to-many tables too), but ``skip`` and
    personal links."""
    for other in apps.get_models(include_auto_created=True):
        if _personal_link(other):
            continue
        for field in other._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is model
                and (field.many_to_one or field.one_to_one)
                and f"{other._meta.label}.{field.name}" not in skip
            ):
                yield other, field


def _unique_sets(model: type[models.Model], field) -> list[list[str]]:
    """The other columns of each uniqueness rule that includes ``field`` (conditions ignored:
    a row that might collide stays where it is, which is always safe)."""
    sets = [list(names) for names in model._meta.unique_together]
    sets += [
        list(c.fields)
        for c in [*model._meta.total_unique_constraints, *model._meta.constraints]
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    others = [[n for n in names if n != field.name] for names in sets if field.name in names]
    if field.unique:
        others.append([])
    attnames = {f.name: f.attname for f in model._meta.concrete_fields}
    return [[attnames[n] for n in names] for names in others]


def _move_references(journal: Journal, model, old, new, skip: set[str]) -> None:
    for other, field in _references(model, skip):
        rows = other._base_manager.filter(**{field.attname: old.pk})
        if field.related_model is other:  # a record must not come to point at itself
            rows = rows.exclude(pk=new.pk)
        stay = set()
        for names in _unique_sets(other, field):
            taken = set(
                other._base_manager.filter(**{field.attname: new.pk}).values_list("pk", *names)
            )
            taken = {tuple(row[1:]) for row in taken}
            for pk, *key in rows.values_list("pk", *names):
                if tuple(key) in taken:
                    stay.add(pk)
                else:
                    taken.add(tuple(key))
        journal.update(rows.exclude(pk__in=stay), **{field.attname: new.pk})


# --- people --------------------------------------------------------------------------------


def _memberships_fold(journal: Journal, person: Person, into: Person) -> None:
    """The kept record takes every membership; where both are members, the higher role and the
    steering group stay with it and the other membership ends, kept as history."""
    kept = {m.network_id: m for m in Membership.objects.filter(person=into, left_on__isnull=True)}
    for membership in Membership.objects.filter(person=person, left_on__isnull=True):
        other = kept.get(membership.network_id)
        if other is None:
            continue
        changes: dict[str, object] = {}
        if role_outranks(membership.role, other.role):
            changes["role"] = membership.role
        if membership.in_steering_group and not other.in_steering_group:
            changes["in_steering_group"] = True
        if changes:
            journal.update(Membership.objects.filter(pk=other.pk), **changes)
        journal.update(Membership.objects.filter(pk=membership.pk), left_on=timezone.localdate())
    journal.update(Membership.objects.filter(person=person), person_id=into.pk)


def _origins_fold(journal: Journal, tie: Tie, into: Tie) -> None:
    """One tie per pair: the kept pair's tie takes the sources; of two entered (or imported)
    sources, the more recent stays. Survey sources are one per wave and all move."""
    theirs = {o.kind: o for o in into.origins.exclude(kind=OriginKind.SURVEY)}
    for origin in tie.origins.all():
        other = theirs.get(origin.kind)
        if other is not None:
            if (other.recorded_at, other.pk) >= (origin.recorded_at, origin.pk):
                journal.delete([origin])
                continue
            journal.delete([other])
        journal.update(TieOrigin.objects.filter(pk=origin.pk), tie_id=into.pk)


def _ties_fold(journal: Journal, person: Person, into: Person) -> set[int]:
    """Move the person's ties to the kept record; returns the ties whose values to settle."""
    settle = set()
    for tie in Tie.objects.filter(Q(source=person) | Q(target=person)).order_by("id"):
        source = into.pk if tie.source_id == person.pk else tie.source_id
        target = into.pk if tie.target_id == person.pk else tie.target_id
        if source == target:
            journal.delete([tie])  # a tie between the two: nobody has a tie to themselves
            continue
        existing = Tie.objects.filter(
            network_id=tie.network_id, source_id=source, target_id=target
        ).first()
        if existing is None:
            journal.update(Tie.objects.filter(pk=tie.pk), source_id=source, target_id=target)
            continue
        _origins_fold(journal, tie, existing)
        if existing.since is None and tie.since is not None:
            journal.update(Tie.objects.filter(pk=existing.pk), since=tie.since)
        journal.delete([Tie.objects.get(pk=tie.pk)])
        settle.add(existing.pk)
    return settle


def _blanks_fill(journal: Journal, model, old, new, fields) -> None:
    values = {f: getattr(old, f) for f in fields if getattr(old, f) and not getattr(new, f)}
    if values:
        journal.update(model.objects.filter(pk=new.pk), **values)


@transaction.atomic
def person_merge(*, user: User, network: Network, person: Person, into: Person) -> Removal:
    """Merge ``person`` into ``into``. ``network`` is where it was done: its "Recently removed"
    page offers the undo. Refused, with the field named and nothing changed, when the two are
    one record, when either is in a network the user does not coordinate, when the record merged
    away has an account, or when an app refuses (both in an open survey wave)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    into = Person.objects.select_for_update().get(pk=into.pk)
    _check_people(user, person, into)
    _check_network(network, people=[person, into])
    journal = Journal()
    _memberships_fold(journal, person, into)
    settle = _ties_fold(journal, person, into)
    # An open invitation was sent to the merged record's address: it must never come to link
    # the kept record to whoever holds that address, so it ends here and stays with its record.
    journal.update(
        Invitation.objects.filter(person=person, used_at__isnull=True), used_at=timezone.now()
    )
    skip = {
        "networks.Membership.person",
        "networks.Tie.source",
        "networks.Tie.target",
        "networks.Invitation.person",
    }
    _move_references(journal, Person, person, into, skip)
    if into.user_id is None:  # a person with an account keeps their own details (issue 12)
        _blanks_fill(journal, Person, person, into, PERSON_BLANKS)
    journal.update(Person.objects.filter(pk=person.pk), archived_at=timezone.now())
    from .domain import ties_settle

    ties_settle(tie_ids=settle)
    audit_record(user=user, action="person_merge", obj=person)
    audit_record(user=user, action="person_merge_into", obj=into)
    return removal_journal(
        journal=journal,
        network_id=network.pk,
        kind=PERSON_MERGE,
        object_id=person.pk,
        name=_("%(old)s into %(new)s") % {"old": person.name, "new": into.name},
        user=user,
        extra={"settle": sorted(settle), "into": into.pk},
    )


# --- organizations ---------------------------------------------------------------------------


def _check_organizations(user, organization: Organization, into: Organization) -> None:
    if organization.pk == into.pk:
        _refuse("into", _("An organization cannot be merged into itself."))
    for field, which in (("organization", organization), ("into", into)):
        if which.archived_at is not None:
            _refuse(field, _("%(name)s is archived: restore it first.") % {"name": which.name})
        if not access.organization_within(user, which):
            _refuse(
                field,
                _(
                    "%(name)s is also in a network you do not coordinate: only a coordinator of "
                    "all its networks can merge it."
                )
                % {"name": which.name},
            )
    for check in MERGE_CHECKS:
        check(kind="organization", old=organization, new=into)


@transaction.atomic
def organization_merge(
    *, user: User, network: Network, organization: Organization, into: Organization
) -> Removal:
    """Merge ``organization`` into ``into``: its people, networks, units and everything else
    that names it move; it is archived. Undone from the network's "Recently removed" page."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    into = Organization.objects.select_for_update().get(pk=into.pk)
    _check_organizations(user, organization, into)
    _check_network(network, organizations=[organization, into])
    journal = Journal()
    if into.parent_id == organization.pk:  # the kept one was a unit of the other
        journal.update(Organization.objects.filter(pk=into.pk), parent_id=organization.parent_id)
        into.parent_id = organization.parent_id
    _move_references(journal, Organization, organization, into, set())
    _blanks_fill(journal, Organization, organization, into, ORGANIZATION_BLANKS)
    journal.update(Organization.objects.filter(pk=organization.pk), archived_at=timezone.now())
    audit_record(user=user, action="organization_merge", obj=organization)
    audit_record(user=user, action="organization_merge_into", obj=into)
    return removal_journal(
        journal=journal,
        network_id=network.pk,
        kind=ORGANIZATION_MERGE,
        object_id=organization.pk,
        name=_("%(old)s into %(new)s") % {"old": organization.name, "new": into.name},
        user=user,
        extra={"into": into.pk},
    )
