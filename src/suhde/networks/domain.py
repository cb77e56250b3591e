"""Writes for phase 1: the network registry.

Every function is keyword-only, atomic, and raises ``ValidationError`` with the field it is about,
so a form and an API call give the same message at the same field. Callers have already passed
``access``; these functions check the rules that span objects.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.mail import mail_queue
from suhde.common.models import Removal
from suhde.common.personal import personal_erase
from suhde.common.removals import removal_flag, removal_settle, removal_snapshot
from suhde.common.text import email_normal
from suhde.common.tokens import token_find, token_new

from . import access, queries
from .access import Viewer
from .models import (
    CUSTOM_FIELD_NAME_MAX,
    CUSTOM_VALUE_MAX,
    NAME_MAX,
    RATINGS,
    CustomField,
    CustomValue,
    FieldFor,
    FieldKind,
    GoalKind,
    Invitation,
    Level,
    MapPins,
    MapView,
    Membership,
    Network,
    Organization,
    OriginKind,
    PendingImport,
    Person,
    PersonChange,
    PhaseChange,
    Role,
    Sector,
    Strength,
    Tie,
    TieOrigin,
)
from .signals import person_email_changed

if TYPE_CHECKING:
    from .imports import Upload

NETWORK_FIELDS = {"name", "slug", "purpose", "form", "levels", "scope", "goal_kinds"}
ORGANIZATION_FIELDS = {"name", "sector", "website", "notes"}
PERSON_FIELDS = {"name", "email", "phone", "title", "human", "competences", "needs"}
SECTOR_ALIASES = {
    "julkinen": "public",
    "yksityinen": "private",
    "kolmas": "third",
    "offentlig": "public",
    "privat": "private",
    "tredje": "third",
}
COMPETENCES_MAX = 30
COMPETENCE_LENGTH = 60
# The kinds of removal the registry can undo (registered in undo.py).
TIE_REMOVAL = "networks.tie"
TIE_ORIGIN_REMOVAL = "networks.tieorigin"
MEMBERSHIP_REMOVAL = "networks.membership"
PERSON_REMOVAL = "networks.person"
ORGANIZATION_REMOVAL = "networks.organization"
NETWORK_REMOVAL = "networks.network"


def _full_clean(obj, *, exclude=None) -> None:
    """Model validation; unique checks are left to the database constraints."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _choices_list(values, allowed, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            {field: _("Unknown value: %(values)s.") % {"values": ", ".join(map(str, unknown))}}
        )
    return values


def sector_normalize(value: str) -> str:
    """Accept the code names and their Finnish and Swedish words (Finnish Excel files)."""
    lowered = (value or "").strip().lower()
    lowered = SECTOR_ALIASES.get(lowered, lowered)
    if lowered not in Sector.values:
        raise ValidationError(
            {
                "sector": _("Unknown sector “%(value)s”: use public, private or third.")
                % {"value": value}
            }
        )
    return lowered


def competences_clean(values) -> list[str]:
    cleaned = [str(value).strip() for value in values or [] if str(value).strip()]
    if len(cleaned) > COMPETENCES_MAX or any(len(v) > COMPETENCE_LENGTH for v in cleaned):
        raise ValidationError(
            {
                "competences": _("At most %(count)d competences of at most %(length)d characters.")
                % {"count": COMPETENCES_MAX, "length": COMPETENCE_LENGTH}
            }
        )
    return list(dict.fromkeys(cleaned))


# --- networks -------------------------------------------------------------------------------


def _check_parent(network: Network, parent: Network | None) -> None:
    """A network may not become its own ancestor: walk up from the new parent."""
    seen = set()
    node = parent
    while node is not None:
        if node.pk == network.pk:
            raise ValidationError(
                {"parent": _("A network cannot be placed under itself or its own theme network.")}
            )
        if node.pk in seen:  # a cycle already stored would loop forever; stop and refuse
            raise ValidationError({"parent": _("The network tree has a loop.")})
        seen.add(node.pk)
        node = node.parent


def _apply_network_fields(network: Network, fields: dict) -> None:
    unknown = set(fields) - NETWORK_FIELDS - {"parent"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if "levels" in fields:
        fields["levels"] = _choices_list(fields["levels"], Level.values, "levels")
    if "goal_kinds" in fields:
        fields["goal_kinds"] = _choices_list(fields["goal_kinds"], GoalKind.values, "goal_kinds")
    for key, value in fields.items():
        setattr(network, key, value)


SLUG_MAX = 60
# Letters that Unicode does not split into a base letter and a mark (ä → a + ¨ is split already).
SLUG_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d", "Đ": "d", "ŋ": "n", "Ŋ": "n"}
)


def slug_make(text: str) -> str:
    """A short name for web addresses from any text: ä → a, ö → o, å → a, spaces → hyphens."""
    return slugify((text or "").translate(SLUG_LETTERS))[:SLUG_MAX].strip("-_")


def _slug_taken(slug: str, exclude_pk: int | None = None) -> bool:
    taken = Network.objects.filter(slug=slug)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def _slug_free(slug: str, exclude_pk: int | None = None) -> None:
    if _slug_taken(slug, exclude_pk):
        raise ValidationError({"slug": _("This short name is already in use.")})


def _slug_for(network: Network, given: str | None) -> str:
    """The slug the user typed, folded; or, when they left it empty, one made from the name and
    numbered until it is free (a name may repeat, an address may not)."""
    if given and given == network.slug:
        return given  # unchanged: an older address keeps working even if written otherwise
    if given:
        slug = slug_make(given)
        if not slug:
            raise ValidationError(
                {"slug": _("Use at least one letter or number in the short name.")}
            )
        _slug_free(slug, network.pk)
        return slug
    base = slug_make(network.name) or "network"
    slug, number = base, 2
    while _slug_taken(slug, network.pk):
        suffix = f"-{number}"
        slug, number = base[: SLUG_MAX - len(suffix)] + suffix, number + 1
    return slug


def _network_save(network: Network) -> None:
    try:
        with transaction.atomic():
            network.save()
    except IntegrityError:  # two requests took the same slug at once: the constraint decides
        raise ValidationError({"slug": _("This short name is already in use.")}) from None


@transaction.atomic
def network_create(*, user, coordinator: Person | None = None, **fields) -> Network:
    """Create a network; its creator becomes its first coordinator."""
    slug = fields.pop("slug", None)
    network = Network()
    _apply_network_fields(network, fields)
    network.slug = _slug_for(network, slug)
    _full_clean(network, exclude=["parent", "slug"])
    if network.parent is not None:
        _check_parent(network, network.parent)
    _network_save(network)
    person = coordinator or person_for_user(user=user)
    if person is not None:
        Membership.objects.create(person=person, network=network, role=Role.COORDINATOR)
        if person.organization_id:
            network.organizations.add(person.organization_id)
    return network


@transaction.atomic
def network_update(*, network: Network, **fields) -> Network:
    network = Network.objects.select_for_update().get(pk=network.pk)
    slug = fields.pop("slug", network.slug)
    _apply_network_fields(network, fields)
    network.slug = _slug_for(network, slug)
    _full_clean(network, exclude=["parent", "slug"])
    _check_parent(network, network.parent)
    _network_save(network)
    return network


@transaction.atomic
def network_archive(*, network: Network, archived: bool = True, user=None) -> Network:
    network.archived_at = timezone.now() if archived else None
    network.save(update_fields=["archived_at"])
    if archived:
        removal_flag(
            network_id=network.pk,
            kind=NETWORK_REMOVAL,
            object_id=network.pk,
            name=network.name,
            user=user,
        )
    else:
        removal_settle(kind=NETWORK_REMOVAL, object_id=network.pk, user=user)
    return network


@transaction.atomic
def network_phase_change(*, network: Network, to_phase: int, note: str, user) -> PhaseChange:
    if to_phase not in (1, 2, 3, 4):
        raise ValidationError({"to_phase": _("The phase must be 1, 2, 3 or 4.")})
    network = Network.objects.select_for_update().get(pk=network.pk)
    change = PhaseChange(
        network=network, from_phase=network.phase, to_phase=to_phase, note=note, changed_by=user
    )
    _full_clean(change)
    change.save()
    network.phase = to_phase
    network.save(update_fields=["phase"])
    return change


# --- organizations ---------------------------------------------------------------------------


def _apply_organization_fields(organization: Organization, fields: dict) -> None:
    unknown = set(fields) - ORGANIZATION_FIELDS - {"parent"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if "sector" in fields:
        fields["sector"] = sector_normalize(fields["sector"])
    for key, value in fields.items():
        setattr(organization, key, value)


def _check_organization_new(user, network: Network, name: str) -> None:
    """One organization, one record: a name that the caller's networks already have (up to
    case, diacritics, spacing and legal form) is that organization, offered instead."""
    same = queries.organization_same_name(user, name)
    if same is None:
        return
    if same.networks.filter(pk=network.pk).exists():
        message = _("%(name)s already takes part in this network.")
    else:
        message = _(
            "%(name)s (organization %(id)s) is already in your networks: add it to this network "
            "instead of creating a second record."
        )
    raise ValidationError({"name": message % {"name": same.name, "id": same.pk}})


@transaction.atomic
def organization_create(*, network: Network, user=None, **fields) -> Organization:
    """A new organization in the network. With ``user``, a name that one of the user's networks
    already has is refused (the page and the API offer that organization instead)."""
    organization = Organization()
    _apply_organization_fields(organization, fields)
    if user is not None:
        _check_organization_new(user, network, organization.name)
    _full_clean(organization)
    organization.save()
    organization.networks.add(network)
    return organization


@transaction.atomic
def organization_link(*, network: Network, organization: Organization) -> Organization:
    """An organization of another of the caller's networks takes part in this one too."""
    if organization.archived_at is not None:
        raise ValidationError({"organization": _("This organization is archived.")})
    organization.networks.add(network)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    _apply_organization_fields(organization, fields)
    if organization.parent_id == organization.pk and organization.pk:
        raise ValidationError({"parent": _("An organization cannot be its own parent.")})
    _full_clean(organization)
    organization.save()
    return organization


@transaction.atomic
def organization_archive(
    *,
    organization: Organization,
    archived: bool = True,
    network: Network | None = None,
    user=None,
) -> Organization:
    organization.archived_at = timezone.now() if archived else None
    organization.save(update_fields=["archived_at"])
    if archived and network is not None:
        removal_flag(
            network_id=network.pk,
            kind=ORGANIZATION_REMOVAL,
            object_id=organization.pk,
            name=organization.name,
            user=user,
        )
    elif not archived:
        removal_settle(kind=ORGANIZATION_REMOVAL, object_id=organization.pk, user=user)
    return organization


# --- people and memberships -------------------------------------------------------------------


def email_normalize(value: str) -> str:
    """One spelling per address (``common.text.email_normal``, which imports use too)."""
    return email_normal(value)


def _apply_person_fields(person: Person, fields: dict) -> None:
    unknown = set(fields) - PERSON_FIELDS - {"organization"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if "competences" in fields:
        fields["competences"] = competences_clean(fields["competences"])
    if "email" in fields:
        fields["email"] = email_normalize(fields["email"])
    for key, value in fields.items():
        setattr(person, key, value)


def _check_home_organization(network: Network, organization: Organization | None) -> None:
    if organization is not None and not organization.networks.filter(pk=network.pk).exists():
        raise ValidationError(
            {"organization": _("Choose an organization that takes part in this network.")}
        )


def _check_person_new(user, email: str) -> None:
    """One person, one record: an address that someone in the caller's networks already has
    (in any case) is that person, offered instead of a second record of them."""
    same = queries.person_by_email(user, email)
    if same is not None:
        raise ValidationError(
            {
                "email": _(
                    "This address belongs to %(name)s (person %(id)s) in your networks: add "
                    "them instead of creating a second record."
                )
                % {"name": same.name, "id": same.pk}
            }
        )


@transaction.atomic
def person_create(
    *, network: Network, role: str = Role.MEMBER, in_steering_group=False, user=None, **fields
) -> Person:
    """Add a new person to the network as a member (a person can exist without an account).

    With ``user``, an email address that someone in the user's networks already has is refused:
    the page and the API offer that person instead, so nobody is duplicated without a word.
    """
    person = Person()
    _apply_person_fields(person, fields)
    if user is not None and person.email:
        _check_person_new(user, person.email)
    _check_home_organization(network, person.organization)
    _full_clean(person, exclude=["user"])
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    person.save()
    Membership.objects.create(
        person=person, network=network, role=role, in_steering_group=in_steering_group
    )
    return person


@transaction.atomic
def person_update(*, network: Network, person: Person, user, **fields) -> Person:
    """Change a person as ``user`` through ``network``. The rule of who may (networks/access.py
    ``person_edit``) is checked here, so pages, the API and imports share it; a refusal raises
    ``access.Refused`` saying who can make the change."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    access.person_edit_check(user, network, locked)
    return _person_write(network=network, person=locked, user=user, own=False, fields=fields)


@transaction.atomic
def person_self_update(*, person: Person, user=None, network: Network | None = None, **fields):
    """The person changes their own record: signed in to their account (``user``), or through
    a single-use link mailed to their current address (the caller has checked the link). With
    an account, the login email follows."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    access.own_record_check(user, locked, _("You can change only your own details."))
    return _person_write(network=network, person=locked, user=user, own=True, fields=fields)


def _person_write(*, network, person: Person, user, own: bool, fields: dict) -> Person:
    old_email = person.email
    _apply_person_fields(person, fields)
    if "organization" in fields and network is not None:
        _check_home_organization(network, person.organization)
    _full_clean(person, exclude=["user"])
    person.save()
    if person.email != old_email:
        person_email_record(person=person, old_email=old_email, user=user, own=own)
    return person


def person_email_record(*, person: Person, old_email: str, user=None, own: bool = False) -> None:
    """What follows every change of a person's email address, by whatever path (a page, the
    API, an import, a merge): the audit log keeps the old address; open invitations and
    proposal links sent to the old address stop; with the person's own change, their login
    email follows; survey links are revoked once the change has committed."""
    audit_record(
        user=user,
        action="person_email_change",
        obj=person,
        label="self" if own else "system",
        detail=f"{old_email or '-'} -> {person.email or '-'}",
    )
    Invitation.objects.filter(person=person, used_at__isnull=True).exclude(
        email=person.email
    ).update(expires_at=timezone.now())
    PersonChange.objects.filter(person=person, token_digest__isnull=False).update(token_digest=None)
    if own and person.user_id:
        get_user_model().objects.filter(pk=person.user_id).update(email=person.email)
    if old_email:
        _email_change_notice(person, old_email, own)
    new_email = person.email
    transaction.on_commit(
        lambda: person_email_changed.send(
            sender=Person, person=person, old_email=old_email, new_email=new_email
        )
    )


def _email_change_notice(person: Person, old_email: str, own: bool) -> None:
    """Tell the old address that it was replaced, so that the real person notices an address
    changed without them. The new address is not told: the old mailbox may be someone else's
    by now."""
    mail_queue(
        kind="email_changed",
        to=old_email,
        subject=lambda: _("Your email address in Suhde was changed"),
        template="networks/email/email_changed.txt",
        context={"name": person.name, "own": own, "site": settings.SUHDE_SITE_URL},
        source=f"person:{person.pk}",
    )


def _only_coordinator_in(person: Person) -> list[str]:
    """The networks this person is the last current coordinator of."""
    led = Membership.objects.filter(person=person, role=Role.COORDINATOR, left_on__isnull=True)
    names = []
    for membership in led.select_related("network"):
        others = (
            Membership.objects.filter(
                network=membership.network_id, role=Role.COORDINATOR, left_on__isnull=True
            )
            .exclude(person=person)
            .filter(person__archived_at__isnull=True)
        )
        if not others.exists():
            names.append(membership.network.name)
    return names


@transaction.atomic
def person_archive(
    *, person: Person, archived: bool = True, network: Network | None = None, user=None
) -> Person:
    """Archive a person: kept for the record, hidden from member lists, no access to networks.

    ``network`` is where it was done: its "recently removed" page offers the undo.
    """
    if archived and person.archived_at is None:
        alone = _only_coordinator_in(person)
        if alone:
            raise ValidationError(
                _("%(name)s is the only coordinator of %(networks)s: name another one first.")
                % {"name": person.name, "networks": ", ".join(alone)}
            )
    person.archived_at = timezone.now() if archived else None
    person.save(update_fields=["archived_at"])
    if archived and network is not None:
        removal_flag(
            network_id=network.pk,
            kind=PERSON_REMOVAL,
            object_id=person.pk,
            name=person.name,
            user=user,
        )
    elif not archived:
        removal_settle(kind=PERSON_REMOVAL, object_id=person.pk, user=user)
    return person


@transaction.atomic
def person_confirm(*, person: Person) -> Person:
    person.confirmed_at = timezone.now()
    person.save(update_fields=["confirmed_at"])
    return person


@overload
def person_for_user(*, user: User) -> Person: ...


@overload
def person_for_user(*, user: Viewer) -> Person | None: ...


def person_for_user(*, user: Viewer) -> Person | None:
    """The person record of a user account, made on first need (a superuser may have none);
    None for no one signed in."""
    if user is None or not user.is_authenticated:
        return None
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            user=user, name=user.get_full_name() or user.get_username(), email=user.email.lower()
        )
    return person


@transaction.atomic
def membership_create(
    *, network: Network, person: Person, role: str = Role.MEMBER, in_steering_group: bool = False
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if Membership.objects.filter(network=network, person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": _("This person is already a member of the network.")})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                network=network, person=person, role=role, in_steering_group=in_steering_group
            )
    except IntegrityError:  # two requests at once: the constraint decides
        raise ValidationError(
            {"person": _("This person is already a member of the network.")}
        ) from None
    if person.organization_id:
        network.organizations.add(person.organization_id)
    return membership


def _last_coordinator(membership: Membership) -> bool:
    others = Membership.objects.filter(
        network=membership.network_id, role=Role.COORDINATOR, left_on__isnull=True
    ).exclude(pk=membership.pk)
    return membership.role == Role.COORDINATOR and not others.exists()


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str | None = None, in_steering_group: bool | None = None
) -> Membership:
    if role is not None:
        if role not in Role.values:
            raise ValidationError({"role": _("Unknown role.")})
        if role != Role.COORDINATOR and _last_coordinator(membership):
            raise ValidationError({"role": _("A network needs at least one coordinator.")})
        membership.role = role
    if in_steering_group is not None:
        membership.in_steering_group = in_steering_group
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, user=None) -> Removal:
    """End a membership. It stays as history; the undo (or "restore" on the person's page)
    makes it current again."""
    if membership.left_on is not None:
        raise ValidationError({"person": _("This membership has already ended.")})
    if _last_coordinator(membership):
        raise ValidationError({"role": _("A network needs at least one coordinator.")})
    membership.left_on = timezone.localdate()
    membership.save(update_fields=["left_on"])
    return removal_flag(
        network_id=membership.network_id,
        kind=MEMBERSHIP_REMOVAL,
        object_id=membership.pk,
        name=membership.person.name,
        user=user,
    )


@transaction.atomic
def membership_restore(*, membership: Membership, user=None) -> Membership:
    """Make an ended membership current again, with its role and history as they were."""
    membership = (
        Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
    )
    if membership.left_on is None:
        raise ValidationError({"person": _("This membership is current.")})
    if Membership.objects.filter(
        network=membership.network_id, person=membership.person_id, left_on__isnull=True
    ).exists():
        raise ValidationError(
            {"person": _("%(name)s is a member again already.") % {"name": membership.person.name}}
        )
    membership.left_on = None
    membership.save(update_fields=["left_on"])
    if membership.person.organization_id:
        membership.network.organizations.add(membership.person.organization_id)
    removal_settle(kind=MEMBERSHIP_REMOVAL, object_id=membership.pk, user=user)
    return membership


# --- ties ------------------------------------------------------------------------------------


def _check_tie_people(network: Network, source_id: int, target_id: int) -> None:
    if source_id == target_id:
        raise ValidationError({"target": _("A tie must join two different people.")})
    members = set(
        Membership.objects.filter(
            network=network, person_id__in=[source_id, target_id], left_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    for field, person_id in (("source", source_id), ("target", target_id)):
        if person_id not in members:
            raise ValidationError({field: _("This person is not a member of the network.")})


TIE_FIELDS = {"strength", *RATINGS, "since"}
SETTLE_BATCH = 2000


def _tie_values_check(fields: dict) -> None:
    unknown = set(fields) - TIE_FIELDS
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if "strength" in fields and fields["strength"] not in Strength.values:
        raise ValidationError({"strength": _("Use weak or strong.")})
    for name in RATINGS:
        value = fields.get(name)
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 4):
            raise ValidationError({name: _("Use a whole number from 1 to 4.")})


def tie_current_values(origins) -> tuple[str, tuple] | None:
    """The strength of the most recent current origin and the ratings of the most recent current
    origin that has any; None when no origin is current (the tie no longer stands)."""
    current = [o for o in origins if o.current]
    if not current:
        return None
    order = lambda o: (o.recorded_at, o.pk or 0)  # noqa: E731
    latest = max(current, key=order)
    rated = [o for o in current if any(getattr(o, name) is not None for name in RATINGS)]
    ratings = tuple(getattr(max(rated, key=order), n) for n in RATINGS) if rated else (None,) * 3
    return latest.strength, ratings


def ties_settle(*, tie_ids) -> int:
    """Give these ties the values of their origins; remove those left without a current origin.

    Returns how many were removed. A fixed number of queries per batch of ties.
    """
    tie_ids = sorted(set(tie_ids))
    removed = 0
    for start in range(0, len(tie_ids), SETTLE_BATCH):
        batch = tie_ids[start : start + SETTLE_BATCH]
        origins: dict[int, list[TieOrigin]] = {pk: [] for pk in batch}
        for origin in TieOrigin.objects.filter(tie_id__in=batch):
            origins[origin.tie_id].append(origin)
        changed, gone = [], []
        for tie in Tie.objects.filter(pk__in=batch):
            values = tie_current_values(origins[tie.pk])
            if values is None:
                gone.append(tie.pk)
                continue
            strength, ratings = values
            if (tie.strength, *[getattr(tie, n) for n in RATINGS]) != (strength, *ratings):
                tie.strength = strength
                for name, value in zip(RATINGS, ratings, strict=True):
                    setattr(tie, name, value)
                changed.append(tie)
        Tie.objects.bulk_update(changed, ["strength", *RATINGS])
        removed += Tie.objects.filter(pk__in=gone).delete()[1].get(Tie._meta.label, 0)
    return removed


def _tie_pair(network: Network, source_id: int, target_id: int, strength: str) -> Tie:
    """The pair's tie, made when missing; two requests at once meet the unique constraint."""
    try:
        with transaction.atomic():
            tie, _created = Tie.objects.get_or_create(
                network=network,
                source_id=source_id,
                target_id=target_id,
                defaults={"strength": strength},
            )
    except IntegrityError:
        tie = Tie.objects.get(network=network, source_id=source_id, target_id=target_id)
    return tie


@transaction.atomic
def tie_create(
    *, network: Network, source_id: int, target_id: int, strength: str = Strength.WEAK, **fields
) -> Tie:
    """Enter a tie by hand. A pair already known from a file or a survey wave gains an entered
    origin (the coordinator's word, now the most recent); a second hand entry is refused."""
    fields["strength"] = strength
    _tie_values_check(fields)
    _check_tie_people(network, source_id, target_id)
    tie = _tie_pair(network, source_id, target_id, strength)
    tie = Tie.objects.select_for_update().get(pk=tie.pk)
    if tie.origins.filter(kind=OriginKind.ENTERED).exists():
        raise ValidationError({"target": _("This tie already exists.")})
    TieOrigin.objects.create(
        tie=tie,
        kind=OriginKind.ENTERED,
        strength=strength,
        **{name: fields.get(name) for name in RATINGS},
    )
    if fields.get("since") is not None:
        tie.since = fields["since"]
        tie.save(update_fields=["since"])
    ties_settle(tie_ids=[tie.pk])
    tie.refresh_from_db()
    return tie


@transaction.atomic
def tie_update(*, tie: Tie, **fields) -> Tie:
    """The coordinator's word on a tie: their entered origin takes the tie as it stands with these
    changes, and being the most recent, decides. Changing only ``since`` adds no origin."""
    _tie_values_check(fields)
    tie = Tie.objects.select_for_update().get(pk=tie.pk)
    if "since" in fields:
        tie.since = fields.pop("since")
        tie.save(update_fields=["since"])
    if fields:
        origin = tie.origins.filter(kind=OriginKind.ENTERED).first() or TieOrigin(
            tie=tie, kind=OriginKind.ENTERED
        )
        for name in ("strength", *RATINGS):
            setattr(origin, name, fields[name] if name in fields else getattr(tie, name))
        origin.recorded_at = timezone.now()
        origin.current = True
        origin.save()
        ties_settle(tie_ids=[tie.pk])
    tie.refresh_from_db()
    return tie


@transaction.atomic
def tie_delete(*, tie: Tie, user=None) -> Removal:
    """Remove a tie with every source, the survey waves' too, restorable for the undo window
    (common/removals.py). A later wave may report the pair again: that is new evidence."""
    return removal_snapshot(
        objects=[tie],
        network_id=tie.network_id,
        kind=TIE_REMOVAL,
        name=f"{tie.source.name} → {tie.target.name}",
        user=user,
    )


@transaction.atomic
def tie_origin_remove(*, origin: TieOrigin, user=None) -> tuple[Removal, Tie | None]:
    """Remove one source, restorable for the undo window. The tie stays while another source
    stands, its strength then from the most recent of them; removing the last standing source
    removes the tie (with its history), as ``tie_delete`` does. Returns the removal and the tie
    that stays, or None."""
    tie = Tie.objects.select_related("source", "target").get(pk=origin.tie_id)
    others = tie.origins.filter(current=True).exclude(pk=origin.pk)
    if origin.current and not others.exists():
        return tie_delete(tie=tie, user=user), None
    removal = removal_snapshot(
        objects=[origin],
        network_id=tie.network_id,
        kind=TIE_ORIGIN_REMOVAL,
        name=f"{tie.source.name} → {tie.target.name}",
        detail=origin.name,
        user=user,
    )
    ties_settle(tie_ids=[tie.pk])
    return removal, Tie.objects.filter(pk=tie.pk).first()


@transaction.atomic
def ties_survey_record(
    *, network: Network, label: str, at, respondents, ties: list[tuple[int, int, str]]
) -> list[TieOrigin]:
    """A closed wave's ties, as (source, target, strength): each adds a survey origin to the
    pair's tie (made when missing). The respondents' origins from earlier waves become history,
    since a respondent's latest wave says whom they name now; a tie left with no current origin
    goes. Returns the new origins, for the wave to link. The origins carry the wave's title and
    closing time, never a response's date."""
    respondents = set(respondents) | {source for source, _, _ in ties}
    earlier = TieOrigin.objects.filter(
        tie__network=network,
        tie__source_id__in=respondents,
        kind=OriginKind.SURVEY,
        current=True,
    )
    touched = set(earlier.values_list("tie_id", flat=True))
    earlier.update(current=False)
    pairs = {
        (s, t): pk
        for pk, s, t in Tie.objects.filter(network=network, source_id__in=respondents).values_list(
            "id", "source_id", "target_id"
        )
    }
    missing = [(s, t, strength) for s, t, strength in ties if (s, t) not in pairs]
    made = Tie.objects.bulk_create(
        Tie(network=network, source_id=s, target_id=t, strength=strength)
        for s, t, strength in missing
    )
    if any(tie.pk is None for tie in made):  # a database that does not return new ids
        made = list(Tie.objects.filter(network=network, source_id__in=respondents))
    pairs.update({(tie.source_id, tie.target_id): tie.pk for tie in made})
    origins = TieOrigin.objects.bulk_create(
        TieOrigin(
            tie_id=pairs[(s, t)],
            kind=OriginKind.SURVEY,
            strength=strength,
            label=label[:NAME_MAX],
            recorded_at=at,
        )
        for s, t, strength in ties
    )
    if any(origin.pk is None for origin in origins):
        origins = list(
            TieOrigin.objects.filter(
                tie__network=network, kind=OriginKind.SURVEY, recorded_at=at, label=label
            )
        )
    ties_settle(tie_ids=touched | {pairs[(s, t)] for s, t, _ in ties})
    return origins


def ties_bulk_enter(*, ties: list[Tie]) -> list[Tie]:
    """New ties as if entered by hand, in two inserts (the demo network, fixtures)."""
    ties = Tie.objects.bulk_create(ties)
    TieOrigin.objects.bulk_create(
        TieOrigin(
            tie=tie,
            kind=OriginKind.ENTERED,
            strength=tie.strength,
            **{name: getattr(tie, name) for name in RATINGS},
        )
        for tie in ties
    )
    return ties


@transaction.atomic
def tie_pairs_fold(*, person: Person, into: Person) -> None:
    """Move every tie of ``person`` to ``into``, as when two records of one person are merged.

    A pair that ``into`` already has keeps one tie with the origins of both (of two entered or two
    imported origins the more recent one stays); a tie between the two people disappears, since
    nobody has a tie to themselves.
    """
    if person.pk == into.pk:
        return
    moved = Tie.objects.select_for_update().filter(Q(source=person) | Q(target=person))
    settle = []
    for tie in moved.order_by("id"):
        source = into.pk if tie.source_id == person.pk else tie.source_id
        target = into.pk if tie.target_id == person.pk else tie.target_id
        if source == target:
            tie.delete()
            continue
        existing = Tie.objects.filter(
            network_id=tie.network_id, source_id=source, target_id=target
        ).first()
        if existing is None:
            Tie.objects.filter(pk=tie.pk).update(source_id=source, target_id=target)
            continue
        _origins_fold(tie, existing)
        if existing.since is None and tie.since is not None:
            Tie.objects.filter(pk=existing.pk).update(since=tie.since)
        tie.delete()
        settle.append(existing.pk)
    ties_settle(tie_ids=settle)


def _origins_fold(tie: Tie, into: Tie) -> None:
    theirs = {o.kind: o for o in into.origins.exclude(kind=OriginKind.SURVEY)}
    for origin in tie.origins.all():
        other = theirs.get(origin.kind)
        if other is not None:
            if (other.recorded_at, other.pk) >= (origin.recorded_at, origin.pk):
                continue
            other.delete()
        TieOrigin.objects.filter(pk=origin.pk).update(tie=into)


# --- invitations -----------------------------------------------------------------------------


def _invitation_send(invitation: Invitation, raw: str, language: str) -> None:
    url = settings.SUHDE_SITE_URL + reverse("invitation_accept", args=[raw])
    mail_queue(
        kind="invitation",
        to=invitation.email,
        subject=lambda: _("Invitation to the network %(name)s") % {"name": invitation.network.name},
        template="networks/email/invitation.txt",
        context={"invitation": invitation, "url": url, "days": settings.SUHDE_INVITATION_DAYS},
        language=language,
        network_id=invitation.network_id,
        source=f"person:{invitation.person_id}",
    )


@transaction.atomic
def invitation_create(
    *, network: Network, person: Person, role: str, invited_by, language: str = "fi"
) -> Invitation:
    """Invite a person into the network by an emailed single-use link."""
    if not person.email:
        raise ValidationError({"email": _("This person has no email address.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    raw, digest = token_new()
    invitation = Invitation.objects.create(
        network=network,
        person=person,
        email=person.email,
        role=role,
        token_digest=digest,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.SUHDE_INVITATION_DAYS),
    )
    _invitation_send(invitation, raw, language)
    return invitation


def invitation_open(*, raw: str) -> Invitation | None:
    """The invitation behind a raw token, if it is unused and unexpired."""
    invitations = Invitation.objects.select_related("network", "person").filter(
        used_at__isnull=True, expires_at__gt=timezone.now()
    )
    return token_find(invitations, raw)


def invitation_refusal(*, invitation: Invitation, user=None) -> str:
    """Why this invitation cannot be accepted by ``user`` (None: not logged in), or "".

    An invitation never moves an account: it links the invited person to the accepting account
    only when the person has none yet, and only while the person's address is still the one the
    link was sent to (an address changed since, by anyone, ends the invitation). It never
    unlinks, merges or demotes anyone.
    """
    person = invitation.person
    name = person.name
    if person.archived_at is not None or not invitation.is_open:
        return _("This invitation is no longer valid.")
    if email_normalize(invitation.email) != email_normalize(person.email):
        return _(
            "This invitation was sent to an address that is no longer %(name)s’s. Ask the "
            "coordinator of the network for a new invitation."
        ) % {"name": name}
    signed_in = user is not None and user.is_authenticated
    if person.user_id is not None:
        if signed_in and person.user_id == user.pk:
            return ""
        if signed_in:
            return _(
                "This invitation is for %(name)s, who has an account of their own, and you are "
                "logged in with another account. Log in as %(name)s to accept it."
            ) % {"name": name}
        return _("%(name)s already has an account. Log in with it, then open the link again.") % {
            "name": name
        }
    if signed_in and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        return _(
            "This invitation is for %(name)s, and your account belongs to someone else in "
            "Suhde. Log out to accept it with a new account for %(name)s; if you are the same "
            "person, ask a coordinator to merge the two records."
        ) % {"name": name}
    return ""


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user=None, username: str = "", password: str = ""
) -> Person:
    """Use the invitation: link or create the account, and make the membership current.

    Everything happens or nothing: the token is spent in the same transaction, after the
    checks of ``invitation_refusal`` pass on rows locked against a change at the same moment.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    invitation.person = person
    if invitation.used_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    refusal = invitation_refusal(invitation=invitation, user=user)
    if refusal:
        raise ValidationError(refusal)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if person.user_id is None:
        if user is None or not user.is_authenticated:
            user = get_user_model().objects.create_user(
                username=username,
                email=invitation.email,
                password=password,
                first_name=person.name[:150],
            )
        # Only an empty link is filled: an account once linked is never replaced.
        if not Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user):
            raise ValidationError(_("This invitation is no longer valid."))
        person.user = user
    membership = Membership.objects.filter(
        network=invitation.network, person=person, left_on__isnull=True
    ).first()
    if membership is None:
        Membership.objects.create(network=invitation.network, person=person, role=invitation.role)
    elif access.role_outranks(invitation.role, membership.role):
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    return person


# --- proposed changes to a person ---------------------------------------------------------------

CHANGE_FIELDS = PERSON_FIELDS | {"organization"}
CHANGES_WAITING_MAX = 3  # open proposals from one proposer to one person


def _change_days() -> int:
    return settings.SUHDE_CONFIRM_DAYS


def _change_values(network: Network, person: Person, fields: dict) -> dict:
    """The proposed values that differ from the person's, checked as an edit would check them
    (each error names its field); stored as JSON, the organization as its id."""
    unknown = set(fields) - CHANGE_FIELDS
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    trial = Person.objects.get(pk=person.pk)
    _apply_person_fields(trial, dict(fields))
    if "organization" in fields:
        _check_home_organization(network, trial.organization)
    _full_clean(trial, exclude=["user"])
    values = {}
    for name in fields:
        new = trial.organization_id if name == "organization" else getattr(trial, name)
        old = person.organization_id if name == "organization" else getattr(person, name)
        if new != old:
            values[name] = new
    if not values:
        raise ValidationError(_("Nothing would change: these are the details already."))
    return values


def _change_send(change: PersonChange, raw: str, language: str) -> None:
    url = settings.SUHDE_SITE_URL + reverse("person_change_link", args=[raw])
    mail_queue(
        kind="person_change",
        to=change.person.email,
        subject=lambda: (
            _("A change to your details in %(name)s is waiting for you")
            % {"name": change.network.name}
        ),
        template="networks/email/person_change.txt",
        context={
            "change": change,
            "rows": queries.person_change_rows([change])[change.pk],
            "url": url,
            "days": _change_days(),
        },
        language=language,
        network_id=change.network_id,
        source=f"person:{change.person_id}",
    )


@transaction.atomic
def person_change_propose(
    *, network: Network, person: Person, user, language: str = "fi", **fields
) -> PersonChange:
    """Propose a change to someone the user may not change directly (a person with an account,
    or one who is also in networks the user does not coordinate). Nothing changes until the
    person accepts: on their own page, or by the link mailed to their current address."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    access.person_propose_check(user, network, person)
    values = _change_values(network, person, fields)
    waiting = PersonChange.objects.filter(
        person=person,
        proposed_by=user,
        state=PersonChange.State.OPEN,
        expires_at__gt=timezone.now(),
    )
    if waiting.count() >= CHANGES_WAITING_MAX:  # a proposer cannot flood someone's mailbox
        raise ValidationError(
            _("%(name)s has not yet answered your earlier proposals; wait for the answers.")
            % {"name": person.name}
        )
    raw, digest = token_new() if person.email else (None, None)
    change = PersonChange.objects.create(
        person=person,
        network=network,
        proposed_by=user,
        fields=values,
        token_digest=digest,
        expires_at=timezone.now() + timedelta(days=_change_days()),
    )
    audit_record(user=user, action="person_change_propose", obj=change)
    if raw:
        _change_send(change, raw, language)
    return change


def person_change_open(*, raw: str) -> PersonChange | None:
    """The open proposal behind a mailed link, if it is still waiting and unexpired."""
    changes = PersonChange.objects.select_related("person", "network", "proposed_by").filter(
        state=PersonChange.State.OPEN, expires_at__gt=timezone.now()
    )
    return token_find(changes, raw)


def _change_decide(change: PersonChange, user) -> PersonChange:
    """Lock the proposal; only its person decides (``user`` None: the mailed link)."""
    change = PersonChange.objects.select_for_update().select_related("person").get(pk=change.pk)
    access.own_record_check(
        user, change.person, _("Only the person it is about can accept or decline a change.")
    )
    if not change.is_open:
        raise ValidationError(_("This proposal is no longer waiting for an answer."))
    return change


@transaction.atomic
def person_change_accept(*, change: PersonChange, user=None) -> Person:
    """The person accepts: the proposed values become theirs, as if they had typed them."""
    change = _change_decide(change, user)
    fields = dict(change.fields)
    if "organization" in fields:
        fields["organization"] = Organization.objects.filter(pk=fields["organization"]).first()
    change.state = PersonChange.State.ACCEPTED
    change.decided_at = timezone.now()
    change.token_digest = None
    change.save(update_fields=["state", "decided_at", "token_digest"])
    person = person_self_update(person=change.person, user=user, network=change.network, **fields)
    audit_record(user=user, action="person_change_accept", obj=change, label="self")
    return person


@transaction.atomic
def person_change_decline(*, change: PersonChange, user=None) -> PersonChange:
    change = _change_decide(change, user)
    change.state = PersonChange.State.DECLINED
    change.decided_at = timezone.now()
    change.token_digest = None
    change.save(update_fields=["state", "decided_at", "token_digest"])
    audit_record(user=user, action="person_change_decline", obj=change, label="self")
    return change


# --- saved map views and pinned positions (issue 18) -------------------------------------------

MAP_VIEW_REMOVAL = "networks.mapview"
MAP_VIEWS_MAX = 100  # per network: a presentation, not an archive


def _map_view_fields(*, title: str, note: str, filters: dict | None, encoding: dict | None) -> dict:
    from .map import MapEncoding, MapFilters

    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the view a title.")})
    if len(title) > NAME_MAX:
        raise ValidationError(
            {"title": _("The title is at most %(limit)d characters.") % {"limit": NAME_MAX}}
        )
    # Stored as the map itself reads them, so a hand-made value cannot slip past the allowlists.
    params = MapFilters.parse(filters or {}).as_params()
    if "ego" not in params:
        params.pop("depth", None)  # steps mean something only around an ego
    return {
        "title": title,
        "note": (note or "").strip(),
        "filters": params,
        "encoding": MapEncoding.parse(encoding or {}).as_params(),
    }


@transaction.atomic
def map_view_create(
    *,
    network: Network,
    user,
    title: str,
    note: str = "",
    filters: dict | None = None,
    encoding: dict | None = None,
    positions: dict | None = None,
) -> MapView:
    """Save the map as it is now for the network's members; it comes last in the presentation."""
    fields = _map_view_fields(title=title, note=note, filters=filters, encoding=encoding)
    existing = MapView.objects.select_for_update().filter(network=network)
    if existing.count() >= MAP_VIEWS_MAX:
        raise ValidationError(
            _("A network can keep at most %(limit)d saved views; remove one first.")
            % {"limit": MAP_VIEWS_MAX}
        )
    last = existing.order_by("-order").values_list("order", flat=True).first()
    view = MapView.objects.create(
        network=network,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        positions=positions or {},
        order=0 if last is None else last + 1,
        **fields,
    )
    audit_record(user=user, action="map_view_create", obj=view)
    return view


@transaction.atomic
def map_view_update(
    *,
    view: MapView,
    user,
    title: str,
    note: str = "",
    filters: dict | None = None,
    encoding: dict | None = None,
    positions: dict | None = None,
) -> MapView:
    """Change a saved view; ``positions`` None keeps the stored ones."""
    fields = _map_view_fields(title=title, note=note, filters=filters, encoding=encoding)
    for name, value in fields.items():
        setattr(view, name, value)
    if positions is not None:
        view.positions = positions
    view.save()
    audit_record(user=user, action="map_view_update", obj=view)
    return view


@transaction.atomic
def map_view_move(*, view: MapView, step: int) -> None:
    """Move a view one place earlier (-1) or later (+1) in the presentation."""
    views = list(MapView.objects.select_for_update().filter(network_id=view.network_id))
    index = next(i for i, v in enumerate(views) if v.pk == view.pk)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(views):
        views[index], views[other] = views[other], views[index]
    for order, item in enumerate(views):
        if item.order != order:
            MapView.objects.filter(pk=item.pk).update(order=order)


CUSTOM_FIELD_REMOVAL = "networks.customfield"


def custom_field_delete(*, field: CustomField, user: User | None = None) -> Removal:
    """Remove one of the network's own fields with every value of it, restorable for the undo
    window (common/removals.py): the same id comes back, so saved views that filter, size or
    colour by it work again."""
    return removal_snapshot(
        objects=[field],
        network_id=field.network_id,
        kind=CUSTOM_FIELD_REMOVAL,
        name=field.name,
        detail=str(field.get_applies_to_display()),
        user=user,
    )


def map_view_delete(*, view: MapView, user=None) -> Removal:
    """Remove a saved view, restorable for the undo window (common/removals.py)."""
    return removal_snapshot(
        objects=[view],
        network_id=view.network_id,
        kind=MAP_VIEW_REMOVAL,
        name=view.title,
        user=user,
    )


@transaction.atomic
def map_pins_save(*, network: Network, user, positions: dict) -> MapPins:
    """Keep one person's own positions on the map (replacing what they kept before)."""
    pins, _created = MapPins.objects.update_or_create(
        network=network, user=user, defaults={"positions": positions}
    )
    return pins


# --- erasure (promise 24; docs/people.md, "Erasure") ------------------------------------------


def person_data_erase(person: Person) -> dict[str, int]:
    """The registry's part of an erasure: the record keeps its place (so every count and every
    survey figure stays as published) and loses everything that says who it was."""
    person.name = _("Erased person %(number)d") % {"number": person.pk}
    person.email = person.phone = person.title = person.human = person.needs = ""
    person.competences = []
    person.confirmed_at = None
    person.archived_at = person.archived_at or timezone.now()
    person.save()
    changed = {
        "ids_in_files": person.external_keys.all().delete()[0],
        "invitations": Invitation.objects.filter(person=person).delete()[0],
        "proposed_changes": PersonChange.objects.filter(person=person).delete()[0],
        "field_values": person.custom_values.all().delete()[0],
    }
    user = person.user
    if user is not None:
        user.username = f"erased-{person.pk}"
        user.email = user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()  # ends every session and API token (promise 7)
        user.save()
        user.api_tokens.all().delete()
        changed["accounts"] = 1
    return changed


@transaction.atomic
def person_erase(*, person: Person, user, request=None) -> dict[str, int]:
    """Erase a person everywhere (every app's eraser, common/personal.py). Refused while they are
    the last coordinator of a network; cannot be undone (docs/people.md says why)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    alone = _only_coordinator_in(person)
    if alone:
        raise ValidationError(
            _("%(name)s is the only coordinator of %(networks)s: name another one first.")
            % {"name": person.name, "networks": ", ".join(alone)}
        )
    changed = personal_erase(person)
    audit_record(
        request=request,
        user=user,
        action="person_erase",
        obj=person,
        detail=", ".join(f"{key}={count}" for key, count in sorted(changed.items()) if count),
    )
    return changed


@transaction.atomic
def ring_place(*, network: Network, ego: Person, partner_id: int, strength: str) -> Tie:
    """Place a partner on ego's rings during an interview: the inner ring is a strong tie, the
    outer a weak one, stored as ego's entered tie to the partner (made when missing)."""
    if strength not in Strength.values:
        message = _("Choose the inner (strong) or the outer (weak) ring.")
        raise ValidationError({"strength": message})
    _check_tie_people(network, ego.pk, partner_id)
    tie = Tie.objects.filter(network=network, source=ego, target_id=partner_id).first()
    if tie is None:
        return tie_create(
            network=network, source_id=ego.pk, target_id=partner_id, strength=strength
        )
    return tie_update(tie=tie, strength=strength)


# --- custom fields and tags ------------------------------------------------------------------

CUSTOM_FIELDS_MAX = 50  # per network and kind of owner: a file of 256 columns makes 50 at most
CHOICES_MAX = 100
TAGS_MAX = 50
TAG_SEPARATORS = ("|", ",")  # Kumu separates tags with |; people write commas


def custom_field_name_check(name: str) -> str:
    from .imports import HEADER_ALIASES, PEOPLE_COLUMNS, TIES_COLUMNS  # imports needs domain

    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("The name is missing.")})
    reserved = {*PEOPLE_COLUMNS, *TIES_COLUMNS, *HEADER_ALIASES, "label"}
    if name.casefold() in reserved:
        # A file would read such a column as Suhde's own detail, not as this field.
        raise ValidationError({"name": _("This name is one of Suhde's own details.")})
    if len(name) > CUSTOM_FIELD_NAME_MAX:
        raise ValidationError(
            {"name": _("At most %(limit)d characters.") % {"limit": CUSTOM_FIELD_NAME_MAX}}
        )
    return name


def _choices_clean(choices) -> list[str]:
    cleaned: list[str] = []
    for choice in choices or []:
        choice = " ".join(str(choice).split())
        if not choice or choice.casefold() in {c.casefold() for c in cleaned}:
            continue
        if len(choice) > 100:
            raise ValidationError({"choices": _("A choice has at most 100 characters.")})
        cleaned.append(choice)
    if len(cleaned) > CHOICES_MAX:
        raise ValidationError({"choices": _("At most %(limit)d choices.") % {"limit": CHOICES_MAX}})
    return cleaned


@transaction.atomic
def custom_field_create(
    *,
    network: Network,
    applies_to: str,
    name: str,
    kind: str,
    choices: list[str] | None = None,
    user=None,
) -> CustomField:
    """Define a field of the network's people or organizations; a choice field needs choices."""
    name = custom_field_name_check(name)
    if applies_to not in FieldFor.values:
        raise ValidationError({"applies_to": _("Choose people or organizations.")})
    if kind not in FieldKind.values:
        raise ValidationError({"kind": _("Choose text, number, choice or tags.")})
    cleaned = _choices_clean(choices)
    if kind == FieldKind.CHOICE and not cleaned:
        raise ValidationError({"choices": _("A choice field needs at least one choice.")})
    existing = CustomField.objects.select_for_update().filter(
        network=network, applies_to=applies_to
    )
    names = [n.casefold() for n in existing.values_list("name", flat=True)]
    if name.casefold() in names:
        raise ValidationError({"name": _("This network already has a field with this name.")})
    if len(names) >= CUSTOM_FIELDS_MAX:
        raise ValidationError(
            {"name": _("A network has at most %(limit)d fields.") % {"limit": CUSTOM_FIELDS_MAX}}
        )
    field = CustomField.objects.create(
        network=network,
        applies_to=applies_to,
        name=name,
        kind=kind,
        choices=cleaned if kind in (FieldKind.CHOICE, FieldKind.TAGS) else [],
        position=len(names),
    )
    audit_record(user=user, action="custom_field.created", obj=field)
    return field


@transaction.atomic
def custom_field_update(
    *, field: CustomField, name: str | None = None, choices: list[str] | None = None, user=None
) -> CustomField:
    """Rename a field or change its choices. Its kind stays: values of another kind would not
    read as the new one. A choice removed stays on the people who have it until changed."""
    if name is not None:
        name = custom_field_name_check(name)
        clash = (
            CustomField.objects.filter(network=field.network_id, applies_to=field.applies_to)
            .exclude(pk=field.pk)
            .filter(name__iexact=name)
        )
        if clash.exists():
            raise ValidationError({"name": _("This network already has a field with this name.")})
        field.name = name
    if choices is not None and field.kind in (FieldKind.CHOICE, FieldKind.TAGS):
        cleaned = _choices_clean(choices)
        if field.kind == FieldKind.CHOICE and not cleaned:
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})
        field.choices = cleaned
    field.save()
    return field


def custom_value_parse(field: CustomField, raw) -> object | None:
    """A value as stored: text, a number, one of the choices, or a list of tags; ``None`` for
    an empty one. ``ValidationError`` says what is wrong, under the field's name."""
    if raw is None or raw == "" or raw == []:
        return None
    if field.kind == FieldKind.TAGS:
        return _tags_parse(field, raw)
    if isinstance(raw, list):
        raise ValidationError({field.name: _("Give one value, not a list.")})
    text = " ".join(str(raw).split()) if field.kind != FieldKind.TEXT else str(raw).strip()
    if not text:
        return None
    if len(text) > CUSTOM_VALUE_MAX:
        raise ValidationError(
            {field.name: _("At most %(limit)d characters.") % {"limit": CUSTOM_VALUE_MAX}}
        )
    if field.kind == FieldKind.NUMBER:
        number = number_parse(text)
        if number is None:
            raise ValidationError({field.name: _("Give a number, such as 3 or 2,5.")})
        return number
    if field.kind == FieldKind.CHOICE:
        found = next((c for c in field.choices if c.casefold() == text.casefold()), None)
        if found is None:
            raise ValidationError(
                {
                    field.name: _("“%(value)s” is not one of the choices: %(choices)s.")
                    % {"value": text, "choices": ", ".join(field.choices)}
                }
            )
        return found
    return text


def number_parse(text: str) -> int | float | None:
    """A finite number written with a decimal point or comma; whole numbers stay whole."""
    try:
        number = float(text.replace(",", ".").replace("\u2212", "-").replace(" ", ""))
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _tags_parse(field: CustomField, raw) -> list[str] | None:
    parts = raw if isinstance(raw, list) else [raw]
    tags: list[str] = []
    for part in parts:
        text = str(part)
        for separator in TAG_SEPARATORS:
            text = text.replace(separator, "\n")
        for tag in text.split("\n"):
            tag = " ".join(tag.split())
            if not tag or tag.casefold() in {t.casefold() for t in tags}:
                continue
            if len(tag) > 100:
                raise ValidationError({field.name: _("A tag has at most 100 characters.")})
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValidationError({field.name: _("At most %(limit)d tags.") % {"limit": TAGS_MAX}})
    return tags or None


@transaction.atomic
def custom_values_set(
    *,
    network: Network,
    values: dict[str, object],
    person: Person | None = None,
    organization: Organization | None = None,
) -> dict[str, object]:
    """Set a person's or an organization's values of this network's fields, by field name;
    an empty value clears it. All are checked before any is written. Returns every value."""
    applies_to = FieldFor.PERSON if person is not None else FieldFor.ORGANIZATION
    fields = {
        f.name.casefold(): f
        for f in CustomField.objects.filter(network=network, applies_to=applies_to)
    }
    parsed: dict[CustomField, object] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in values.items():
        field = fields.get(str(name).casefold())
        if field is None:
            errors.setdefault(str(name), []).append(_("This network has no such field."))
            continue
        try:
            parsed[field] = custom_value_parse(field, raw)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    owner = {"person": person} if person is not None else {"organization": organization}
    for field, value in parsed.items():
        if value is None:
            CustomValue.objects.filter(field=field, **owner).delete()
        else:
            CustomValue.objects.update_or_create(field=field, **owner, defaults={"value": value})
        _tags_remember(field, value)
    return queries.custom_values_of(network, person=person, organization=organization)


def _tags_remember(field: CustomField, value) -> None:
    """A tags field lists the tags in use, so that the forms can suggest them."""
    if field.kind != FieldKind.TAGS or not value:
        return
    known = {c.casefold() for c in field.choices}
    new = [tag for tag in value if tag.casefold() not in known]
    if new and len(field.choices) < CHOICES_MAX:
        field.choices = (field.choices + new)[:CHOICES_MAX]
        field.save(update_fields=["choices"])


# --- imports waiting for their confirmation ------------------------------------------------------


@transaction.atomic
def pending_import_create(
    *, network: Network, user: Any, people: Upload, ties: Upload | None
) -> PendingImport:
    """Keep checked files until the coordinator confirms them (the page) or the worker takes
    them (a large import); older ones of the network are forgotten on the way."""
    cutoff = timezone.now() - timedelta(hours=queries.PENDING_HOURS)
    PendingImport.objects.filter(network=network, created_at__lt=cutoff).delete()
    return PendingImport.objects.create(
        network=network,
        created_by=user,
        people_name=people.name,
        people_data=people.data,
        ties_name=ties.name if ties else "",
        ties_data=ties.data if ties else None,
    )


def pending_import_delete(*, pending: PendingImport) -> None:
    pending.delete()
