"""Writes for phase 1: the network registry.

Every function is keyword-only, atomic, and raises ``ValidationError`` with the field it is about,
so a form and an API call give the same message at the same field. Callers have already passed
``access``; these functions check the rules that span objects.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from suhde.common.mail import mail_queue
from suhde.common.models import Removal
from suhde.common.removals import removal_flag, removal_settle, removal_snapshot
from suhde.common.tokens import token_digest, token_new

from .access import RANK
from .models import (
    GoalKind,
    Invitation,
    Level,
    Membership,
    Network,
    Organization,
    Person,
    PhaseChange,
    Role,
    Sector,
    Tie,
)
from .signals import person_email_changed

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


def _slug_free(slug: str, exclude_pk: int | None = None) -> None:
    taken = Network.objects.filter(slug=slug)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"slug": _("This short name is already in use.")})


@transaction.atomic
def network_create(*, user, coordinator: Person | None = None, **fields) -> Network:
    """Create a network; its creator becomes its first coordinator."""
    fields.setdefault("slug", slugify(fields.get("name", ""))[:60])
    network = Network()
    _apply_network_fields(network, fields)
    _full_clean(network, exclude=["parent"])
    _slug_free(network.slug)
    if network.parent is not None:
        _check_parent(network, network.parent)
    network.save()
    person = coordinator or person_for_user(user=user)
    if person is not None:
        Membership.objects.create(person=person, network=network, role=Role.COORDINATOR)
        if person.organization_id:
            network.organizations.add(person.organization_id)
    return network


@transaction.atomic
def network_update(*, network: Network, **fields) -> Network:
    network = Network.objects.select_for_update().get(pk=network.pk)
    _apply_network_fields(network, fields)
    _full_clean(network, exclude=["parent"])
    _slug_free(network.slug, exclude_pk=network.pk)
    _check_parent(network, network.parent)
    network.save()
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


@transaction.atomic
def organization_create(*, network: Network, **fields) -> Organization:
    organization = Organization()
    _apply_organization_fields(organization, fields)
    _full_clean(organization)
    organization.save()
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


def _apply_person_fields(person: Person, fields: dict) -> None:
    unknown = set(fields) - PERSON_FIELDS - {"organization"}
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if "competences" in fields:
        fields["competences"] = competences_clean(fields["competences"])
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    for key, value in fields.items():
        setattr(person, key, value)


def _check_home_organization(network: Network, organization: Organization | None) -> None:
    if organization is not None and not organization.networks.filter(pk=network.pk).exists():
        raise ValidationError(
            {"organization": _("Choose an organization that takes part in this network.")}
        )


@transaction.atomic
def person_create(
    *, network: Network, role: str = Role.MEMBER, in_steering_group=False, **fields
) -> Person:
    """Add a new person to the network as a member (a person can exist without an account)."""
    person = Person()
    _apply_person_fields(person, fields)
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
def person_update(*, network: Network, person: Person, **fields) -> Person:
    old_email = Person.objects.filter(pk=person.pk).values_list("email", flat=True).first() or ""
    _apply_person_fields(person, fields)
    if "organization" in fields:
        _check_home_organization(network, person.organization)
    _full_clean(person, exclude=["user"])
    person.save()
    if person.email != old_email:
        transaction.on_commit(
            lambda: person_email_changed.send(
                sender=Person, person=person, old_email=old_email, new_email=person.email
            )
        )
    return person


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


def person_for_user(*, user) -> Person | None:
    """The person record of a user account, made on first need (a superuser may have none)."""
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


@transaction.atomic
def tie_create(*, network: Network, source_id: int, target_id: int, **fields) -> Tie:
    _check_tie_people(network, source_id, target_id)
    if Tie.objects.filter(
        network=network, source_id=source_id, target_id=target_id, origin="manual"
    ).exists():
        raise ValidationError({"target": _("This tie already exists.")})
    tie = Tie(network=network, source_id=source_id, target_id=target_id, **fields)
    _full_clean(tie)
    tie.save()
    return tie


@transaction.atomic
def tie_update(*, tie: Tie, **fields) -> Tie:
    for key, value in fields.items():
        setattr(tie, key, value)
    _full_clean(tie)
    tie.save()
    return tie


@transaction.atomic
def tie_delete(*, tie: Tie, user=None) -> Removal:
    """Remove a tie, restorable for the undo window (common/removals.py)."""
    return removal_snapshot(
        objects=[tie],
        network_id=tie.network_id,
        kind=TIE_REMOVAL,
        name=f"{tie.source.name} → {tie.target.name}",
        user=user,
    )


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
    return (
        Invitation.objects.select_related("network", "person")
        .filter(token_digest=token_digest(raw), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user=None, username: str = "", password: str = ""
) -> Person:
    """Use the invitation: link or create the account, and make the membership current.

    Everything happens or nothing: the token is spent in the same transaction.
    """
    spent = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not spent:
        raise ValidationError(_("This invitation has already been used."))
    person = invitation.person
    if user is None:
        user = get_user_model().objects.create_user(
            username=username,
            email=invitation.email,
            password=password,
            first_name=person.name[:150],
        )
    existing = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if existing is not None:
        person = _person_merge(invited=person, into=existing)
    else:
        person.user = user
        person.save(update_fields=["user"])
    membership = Membership.objects.filter(
        network=invitation.network, person=person, left_on__isnull=True
    ).first()
    if membership is None:
        Membership.objects.create(network=invitation.network, person=person, role=invitation.role)
    elif RANK[invitation.role] > RANK[membership.role]:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    return person


def _person_merge(*, invited: Person, into: Person) -> Person:
    """The account already has a person: its memberships absorb the invited record's."""
    current = set(
        Membership.objects.filter(person=into, left_on__isnull=True).values_list(
            "network_id", flat=True
        )
    )
    for membership in Membership.objects.filter(person=invited, left_on__isnull=True):
        if membership.network_id in current:
            membership.left_on = timezone.localdate()
        else:
            membership.person = into
        membership.save()
    invited.archived_at = timezone.now()
    invited.save(update_fields=["archived_at"])
    return into
