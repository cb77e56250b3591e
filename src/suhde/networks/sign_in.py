"""What a sign-in through the organization's provider does in the networks (single sign-on,
docs/operations.md): link a new account to the person it is, and grant the roles that the
provider's groups map to. Registered with ``accounts.sso.sign_in_register``; runs in the
sign-in's transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import transaction

from suhde.common.audit import audit_record
from suhde.common.text import email_normal

from . import access
from .domain import person_for_user
from .models import Membership, Network, Person, Role

log = logging.getLogger(__name__)


def person_sign_in(*, request: Any, user: Any, claims: dict, how: str) -> None:
    if how in {"created", "linked"}:
        _person_link(request=request, user=user, email=str(claims.get("email") or ""))
    groups = claims.get(settings.SUHDE_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    if isinstance(groups, list) and settings.SUHDE_OIDC_ROLES:
        roles_from_groups(request=request, user=user, groups=[str(g) for g in groups])


def _person_link(*, request: Any, user: Any, email: str) -> None:
    """A new account (the provider verified its address) becomes the person with that address,
    as an accepted invitation would (docs/access.md): only a person with no account yet, and
    only when exactly one such person has the address, so that a record a coordinator made
    with someone's address never decides which account is whose."""
    if Person.objects.filter(user=user).exists():
        return
    address = email_normal(email)
    candidates = [
        person
        for person in Person.objects.filter(
            email__iexact=address, user__isnull=True, archived_at__isnull=True
        )
        if email_normal(person.email) == address
    ]
    if len(candidates) != 1:
        return
    person = candidates[0]
    # Only an empty link is filled: an account once linked is never replaced.
    if Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user):
        audit_record(request=request, user=user, action="person_link", obj=person, detail="sso")


@transaction.atomic
def roles_from_groups(*, request: Any, user: Any, groups: list[str]) -> list[Membership]:
    """Grant the roles ``SUHDE_OIDC_ROLES`` maps the provider's groups to. A role is only ever
    raised, never lowered or ended here (as an invitation does): leaving a group changes
    nothing in Suhde, where a coordinator ends the membership."""
    wanted: dict[str, str] = {}
    for group in groups:
        for slug, role in settings.SUHDE_OIDC_ROLES.get(group, []):
            if role in Role.values and (
                slug not in wanted or access.role_outranks(role, wanted[slug])
            ):
                wanted[slug] = role
    if not wanted:
        return []
    person = person_for_user(user=user)
    if person is None:
        return []
    changed = []
    for network in Network.objects.filter(slug__in=wanted):
        role = wanted[network.slug]
        membership = (
            Membership.objects.select_for_update()
            .filter(network=network, person=person, left_on__isnull=True)
            .first()
        )
        if membership is None:
            membership = Membership.objects.create(network=network, person=person, role=role)
        elif access.role_outranks(role, membership.role):
            membership.role = role
            membership.save(update_fields=["role"])
        else:
            continue
        audit_record(request=request, user=user, action="role_change", obj=membership, detail=role)
        changed.append(membership)
    return changed


@checks.register(checks.Tags.security)
def sign_in_roles_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """``SUHDE_OIDC_ROLES`` names roles that exist (rule 9: a bad value fails loudly)."""
    return [
        checks.Error(
            f"SUHDE_OIDC_ROLES maps the group {group!r} to the unknown role {role!r}",
            hint=f"Roles: {', '.join(Role.values)}",
            id="suhde.E101",
        )
        for group, pairs in settings.SUHDE_OIDC_ROLES.items()
        for _slug, role in pairs
        if role not in Role.values
    ]
