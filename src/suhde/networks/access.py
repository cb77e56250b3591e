"""The one gate: who may see and do what inside which network.

The network is the unit of access. Every view and API route resolves its network here, and
fetches every object through the network it was resolved in, so an id from another network is
simply not found (promises 1–3). Someone outside a network gets 404, never 403, so that a
network's existence is not revealed; a member who lacks the role gets 403.

A coordinator of a network also coordinates its theme networks, at any depth: the core network's
coordinators lead the whole tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused
from suhde.common.models import Job, Removal
from suhde.common.removals import FACILITATE, KINDS, removal_open, removals_open
from suhde.common.schemas import ID_MAX

from .models import (
    CustomField,
    MapView,
    Membership,
    Network,
    Organization,
    Person,
    Role,
    Tie,
    TieOrigin,
)

RANK: dict[str, int] = {
    Role.OBSERVER: 1,
    Role.MEMBER: 2,
    Role.COMMUNICATOR: 3,
    Role.FACILITATOR: 4,
    Role.COORDINATOR: 5,
}


class Need(Enum):
    """What a request needs to do in a network."""

    VIEW = 1  # anyone in the network
    CONTACTS = 2  # contact details: everyone but observers (promise 4)
    FACILITATE = 4  # run meetings and live sessions
    MANAGE = 5  # change the registry: coordinators


# Whoever asks: a signed-in user, an anonymous visitor, or nobody (the command line; a job whose
# starter is gone). Only a signed-in, active user has roles.
Viewer = User | AnonymousUser | None

MINIMUM_RANK = {Need.VIEW: 1, Need.CONTACTS: 2, Need.FACILITATE: 4, Need.MANAGE: 5}
ROLES_CACHE = "_suhde_network_roles"


def _direct_roles(user: User) -> dict[int, str]:
    rows = Membership.objects.filter(
        person__user=user, left_on__isnull=True, person__archived_at__isnull=True
    ).values_list("network_id", "role")
    roles: dict[int, str] = {}
    for network_id, role in rows:
        if RANK[role] > RANK.get(roles.get(network_id, ""), 0):
            roles[network_id] = role
    return roles


def _inherit_coordination(roles: dict[int, str]) -> dict[int, str]:
    """Extend coordinator roles down the network tree, in one query whatever its depth."""
    coordinated = {nid for nid, role in roles.items() if role == Role.COORDINATOR}
    if not coordinated:
        return roles
    children: dict[int, list[int]] = {}
    for network_id, parent_id in Network.objects.filter(parent__isnull=False).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent_id, []).append(network_id)
    stack = list(coordinated)
    result = dict(roles)
    while stack:
        for child in children.get(stack.pop(), []):
            if result.get(child) != Role.COORDINATOR:
                result[child] = Role.COORDINATOR
                stack.append(child)
    return result


def network_roles(user: Viewer) -> dict[int, str]:
    """Each network id the user belongs to, with their effective role; cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, ROLES_CACHE, None)
    if cached is None:
        cached = _inherit_coordination(_direct_roles(user))
        setattr(user, ROLES_CACHE, cached)
    return cached


def roles_forget(user: Viewer) -> None:
    """Call after a change of memberships within the same request."""
    if hasattr(user, ROLES_CACHE):
        delattr(user, ROLES_CACHE)


class Refused(PermissionDenied):
    """A refusal whose message the caller may read: it says who can do the thing instead. The
    API answers 403 with it, a page shows it at the form."""

    def __init__(self, message: str):
        super().__init__(message)
        self.public_message = message


def role_allows(role: str | None, need: Need) -> bool:
    return role is not None and RANK[role] >= MINIMUM_RANK[need]


def networks_visible(user: Viewer) -> QuerySet[Network]:
    return Network.objects.filter(pk__in=list(network_roles(user)))


def network_ids_where(user: Viewer, need: Need) -> list[int]:
    return [nid for nid, role in network_roles(user).items() if role_allows(role, need)]


def network_access(user: Viewer, slug: str, need: Need = Need.VIEW) -> tuple[Network, str]:
    """Resolve a network by slug for this user: 404 outside it, 403 inside without the role."""
    roles = network_roles(user)
    network = Network.objects.filter(slug=slug, pk__in=list(roles)).first()
    if network is None:
        raise Http404("network")
    role = roles[network.pk]
    if not role_allows(role, need):
        raise PermissionDenied("role")
    return network, role


def network_access_by_id(user: Viewer, network_id: int, need: Need) -> tuple[Network, str]:
    roles = network_roles(user)
    network = Network.objects.filter(pk=network_id, pk__in=list(roles)).first()
    if network is None:
        raise Http404("network")
    if not role_allows(roles[network.pk], need):
        raise PermissionDenied("role")
    return network, roles[network.pk]


def network_view(
    need: Need = Need.VIEW,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A page's gate: resolve ``slug`` for the signed-in user and hand the view its network and
    role; a refusal is written to the audit log before it becomes a 404 or a 403."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                network, role = network_access(request.user, slug, need)
                return view(request, network, role, *args, **kwargs)
            except (Http404, PermissionDenied):
                audit_record(request=request, action=f"view:{view.__name__}", outcome="refused")
                raise

        return wrapper

    return decorator


M = TypeVar("M", bound=Model)


def object_in_network(
    user: Viewer,
    model: type[M],
    pk: int,
    need: Need = Need.VIEW,
    *,
    via: str = "network",
    scope: Callable[[Network], QuerySet[M]] | None = None,
) -> tuple[M, Network, str]:
    """An object addressed by its id alone (the API's ``/waves/{id}``), through its network's
    gate: 404 when it does not exist or its network is not the user's, 403 without the role.

    ``via`` is the path from the object to its network (``"goal__network"`` for an indicator);
    ``scope`` the app's scoped queryset for a network (``queries.goals_of``), so the object is
    read exactly as the pages read it. Three queries: the network's id, the gate, the object.
    """
    name = model._meta.model_name
    network_id = model._default_manager.filter(pk=pk).values_list(via, flat=True).first()
    if network_id is None:
        raise Http404(name)
    network, role = network_access_by_id(user, network_id, need)
    queryset = scope(network) if scope else model._default_manager.filter(**{via: network})
    return get_object_or_404(queryset, pk=pk), network, role


def job_network(job: Job, need: Need) -> tuple[Network, str]:
    """A background job's network, checked again when the worker runs it: the starter's role
    may have been taken away since they pressed the button."""
    try:
        if job.network_id is None:
            raise Http404("network")
        return network_access_by_id(job.user, job.network_id, need)
    except (Http404, PermissionDenied):
        raise JobRefused(_("You no longer have access to this network.")) from None


def organization_for_change(user: Viewer, organization_id: int) -> tuple[Organization, Network]:
    """An organization may be changed by a coordinator of a network it takes part in; the
    network returned is one of those. 403 for an organization the user only sees, 404 else."""
    managed = network_ids_where(user, Need.MANAGE)
    link = (
        Organization.networks.through.objects.filter(
            organization_id=organization_id, network_id__in=managed
        )
        .select_related("organization", "network")
        .first()
    )
    if link is None:
        if organizations_visible(user).filter(pk=organization_id).exists():
            raise PermissionDenied("role")
        raise Http404("organization")
    return link.organization, link.network


def memberships_current(network: Network) -> QuerySet[Membership]:
    """The members of a network: not ended, and not archived people. Every count uses this."""
    return Membership.objects.filter(
        network=network, left_on__isnull=True, person__archived_at__isnull=True
    )


def people_in(network: Network) -> QuerySet[Person]:
    """The people with a current membership in the network (archived people are not)."""
    return Person.objects.filter(
        memberships__network=network,
        memberships__left_on__isnull=True,
        archived_at__isnull=True,
    ).distinct()


def person_in(network: Network, person_id: int) -> Person:
    person = people_in(network).select_related("organization").filter(pk=person_id).first()
    if person is None:
        raise Http404("person")
    return person


def person_on_record(network: Network, person_id: int) -> Person:
    """A member, a former member or an archived member: what a coordinator can still open and
    restore. Someone who was never in the network is not found."""
    person = (
        Person.objects.filter(memberships__network=network, pk=person_id)
        .select_related("organization")
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("person")
    return person


def organizations_in(network: Network) -> QuerySet[Organization]:
    return Organization.objects.filter(networks=network)


def organization_in(network: Network, organization_id: int) -> Organization:
    organization = organizations_in(network).filter(pk=organization_id).first()
    if organization is None:
        raise Http404("organization")
    return organization


def custom_field_in(network: Network, field_id: int) -> CustomField:
    field = CustomField.objects.filter(network=network, pk=field_id).first()
    if field is None:
        raise Http404("field")
    return field


def membership_in(network: Network, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("person", "person__organization")
        .filter(network=network, pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404("membership")
    return membership


def _member_now(person_field: str) -> Exists:
    return Exists(
        Membership.objects.filter(
            network=OuterRef("network"),
            person=OuterRef(person_field),
            left_on__isnull=True,
            person__archived_at__isnull=True,
        )
    )


def ties_current(queryset: QuerySet[Tie]) -> QuerySet[Tie]:
    """Ties whose two people are members of the tie's network now. A tie of someone who left or
    was archived stays on record (and returns with them) but counts nowhere."""
    return queryset.filter(_member_now("source"), _member_now("target"))


def ties_in(network: Network) -> QuerySet[Tie]:
    return ties_current(Tie.objects.filter(network=network))


def tie_in(network: Network, tie_id: int) -> Tie:
    tie = ties_in(network).select_related("source", "target").filter(pk=tie_id).first()
    if tie is None:
        raise Http404("tie")
    return tie


class HasUser(Protocol):
    """A Person, or the map's row of one: something with the id of its user."""

    user_id: int | None


def rings_may_place(user: Viewer, role: str | None, person: HasUser | None) -> bool:
    """Who may place partners on someone's rings (issue 18, point 5): a coordinator on anyone's,
    a member (not an observer) on their own ego network only. ``person`` is a Person or the
    map's row of one: only its ``user_id`` is read."""
    if person is None or not role_allows(role, Need.CONTACTS):
        return False
    own = user is not None and user.is_authenticated and person.user_id == user.pk
    return own or role_allows(role, Need.MANAGE)


def rings_place_check(user: Viewer, role: str | None, person: Person) -> None:
    if not rings_may_place(user, role, person):
        raise PermissionDenied("role")


def map_view_in(network: Network, view_id: int) -> MapView:
    """A saved map view of this network; one of another network is not found. Every member may
    open one: its address is the read-only share link (a former member is outside: 404)."""
    view = MapView.objects.filter(network=network, pk=view_id).first()
    if view is None:
        raise Http404("map view")
    return view


def removal_in(network: Network, role: str, removal_id: int) -> Removal:
    """An open removal of this network that the role may restore: 404 otherwise."""
    removal = removal_open(network.pk, removal_id)
    if removal is None:
        raise Http404("removal")
    if not role_allows(role, removal_need(removal)):
        raise PermissionDenied("role")
    return removal


def removal_need(removal: Removal) -> Need:
    return _kind_need(KINDS.get(removal.kind))


def _kind_need(kind: Any) -> Need:
    return Need.FACILITATE if kind is not None and kind.need == FACILITATE else Need.MANAGE


def removals_restorable(network: Network, role: str) -> QuerySet[Removal]:
    """The network's open removals that this role may restore (the page and the API list)."""
    kinds = [key for key, kind in KINDS.items() if role_allows(role, _kind_need(kind))]
    return removals_open(network.pk).filter(kind__in=kinds)


def role_outranks(role: str, other: str) -> bool:
    """Whether ``role`` gives more than ``other``: which to keep when two memberships meet."""
    return RANK[role] > RANK[other]


def role_require(role: str | None, need: Need) -> None:
    """403 unless the role meets the need: for a part of a page the page's own gate allows."""
    if not role_allows(role, need):
        raise PermissionDenied("role")


def token_holder_required(holder: object | None, why: str) -> None:
    """A page opened by a token rather than a role (a live-session participant's phone): 403
    without one."""
    if holder is None:
        raise PermissionDenied(why)


def network_visible(user: Viewer, network_id: int) -> bool:
    """Whether the user is in the network now (a calendar feed checks it at every fetch)."""
    return network_id in network_roles(user)


def own_record_check(user: Viewer, person: Person, message: str) -> None:
    """Only the person themselves (``user`` None: a link mailed to their address, checked by
    the caller) may do this to their own record; ``message`` says what was refused."""
    if user is not None and person.user_id != user.pk:
        raise Refused(message)


def tie_origin_in(tie: Tie, origin_id: int) -> TieOrigin:
    origin = TieOrigin.objects.filter(tie=tie, pk=origin_id).first()
    if origin is None:
        raise Http404("tie origin")
    return origin


def people_visible(user: Viewer, need: Need = Need.VIEW) -> QuerySet[Person]:
    """Everyone the user may see across all their networks (for the API's person list)."""
    return Person.objects.filter(
        memberships__network_id__in=network_ids_where(user, need),
        memberships__left_on__isnull=True,
        archived_at__isnull=True,
    ).distinct()


def organizations_visible(user: Viewer, need: Need = Need.VIEW) -> QuerySet[Organization]:
    return Organization.objects.filter(networks__in=network_ids_where(user, need)).distinct()


def _picked(queryset: QuerySet[M], value: object) -> M | None:
    """The record a form or a payload names by its id, if the queryset holds it; None for
    anything else (the caller says at the field what to choose)."""
    try:
        pk = int(str(value if value is not None else "").strip())
    except ValueError:
        return None
    return queryset.filter(pk=pk).first() if 0 < pk <= ID_MAX else None


def person_visible(user: Viewer, value: object, need: Need = Need.VIEW) -> Person | None:
    """A person of one of the user's networks (with ``need`` there), by an id as typed."""
    return _picked(people_visible(user, need), value)


def organization_visible(
    user: Viewer, value: object, need: Need = Need.VIEW
) -> Organization | None:
    return _picked(organizations_visible(user, need), value)


def person_within(user: Viewer, person: Person) -> bool:
    """Whether every network the person is or was ever a member of is one the user coordinates.

    Then no other coordinator leads a place where a change to the record would show, so the
    user may merge it (issue 12). People with no membership at all are nobody's to change.
    """
    managed = set(network_ids_where(user, Need.MANAGE))
    networks = set(Membership.objects.filter(person=person).values_list("network_id", flat=True))
    return bool(networks) and networks <= managed


def organization_within(user: Viewer, organization: Organization) -> bool:
    """Whether every network the organization takes part in, and every network its people are
    members of, is one the user coordinates (the same rule as for a person)."""
    managed = set(network_ids_where(user, Need.MANAGE))
    networks = set(organization.networks.values_list("id", flat=True)) | set(
        Membership.objects.filter(person__organization=organization).values_list(
            "network_id", flat=True
        )
    )
    return bool(networks) and networks <= managed


# Why a person's own details may not be changed by someone (see ``people_unchangeable``).
CHANGE_ACCOUNT = "account"  # they have an account: only they change their name and contacts
CHANGE_NETWORK = "network"  # they are also in a network the changer does not coordinate


def people_unchangeable(
    user: Viewer,
    person_ids: Iterable[int] | QuerySet[Any, int],
    *,
    coordinated: Iterable[int] | None = None,
) -> dict[int, str]:
    """Of these people, those whose name, email and other details ``user`` may not change, each
    with why (``CHANGE_ACCOUNT`` or ``CHANGE_NETWORK``). Two queries, however many people.

    A person with an account changes their own details; nobody else does. A person without one
    is changed only by someone who coordinates every network they are a member of: otherwise a
    coordinator of a small theme network could rename, or take the email of, a member of the
    core network. ``person_ids`` may be a list or a query of ids. ``coordinated`` replaces the
    user's coordinated networks, for the command line, where there is no user.
    """
    if coordinated is None:
        coordinated = network_ids_where(user, Need.MANAGE)
    own = user.pk if user is not None and user.is_authenticated else None
    refused: dict[int, str] = {}
    with_account = Person.objects.filter(pk__in=person_ids, user__isnull=False)
    if own is not None:
        with_account = with_account.exclude(user_id=own)
    for person_id in with_account.values_list("pk", flat=True):
        refused[person_id] = CHANGE_ACCOUNT
    elsewhere = Membership.objects.filter(person_id__in=person_ids, left_on__isnull=True).exclude(
        network_id__in=list(coordinated)
    )
    if own is not None:  # their own details, wherever else they are
        elsewhere = elsewhere.exclude(person__user_id=own)
    for person_id in elsewhere.values_list("person_id", flat=True).distinct():
        refused.setdefault(person_id, CHANGE_NETWORK)
    return refused


# --- who may change a person -------------------------------------------------------------------
#
# A person is one record across every network they are in, so a change made through one network
# shows in all of them. Hence: someone with an account is the only one who changes their own
# record (a coordinator may propose, they accept); a person without an account is changed by a
# coordinator only when that coordinator coordinates every network the person is in now.


@dataclass(frozen=True)
class PersonEdit:
    """What ``user`` may do to ``person`` through ``network``: edit, or only propose, and why."""

    allowed: bool
    may_propose: bool = False
    reason: str = ""
    is_self: bool = False


NetworkTree = dict[int, tuple[int | None, str]]  # id → (parent id, name)


def _tree() -> NetworkTree:
    rows = Network.objects.values_list("id", "parent_id", "name")
    return {pk: (parent, name) for pk, parent, name in rows}


def _ancestors(tree: NetworkTree, network_id: int | None) -> list[int]:
    """The network and its ancestors, nearest first (a stored loop stops the walk)."""
    chain: list[int] = []
    while network_id is not None and network_id not in chain and network_id in tree:
        chain.append(network_id)
        network_id = tree[network_id][0]
    return chain


def _covering_network(tree: NetworkTree, network_ids: set[int]) -> int | None:
    """The nearest network whose coordinators coordinate all of these (a common ancestor)."""
    chains = [_ancestors(tree, pk) for pk in sorted(network_ids)]
    if not chains:
        return None
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((pk for pk in chains[0] if pk in common), None)


def _networks_phrase(names: list[str], hidden: int) -> str:
    parts = [f"“{name}”" for name in names]
    if hidden:
        parts.append(
            ngettext(
                "%(count)d network you are not in",
                "%(count)d networks you are not in",
                hidden,
            )
            % {"count": hidden}
        )
    return ", ".join(parts)


def person_edit(user: Viewer, network: Network, person: Person) -> PersonEdit:
    """The one rule for changing a person's name, email, contact details and description, with
    what the refusal says; ``people_unchangeable`` is the same rule for many people at once.

    A fixed number of queries: the caller's roles (cached), the rule, the person's networks and,
    for a refusal, the network tree.
    """
    if user is not None and user.is_authenticated and person.user_id == user.pk:
        return PersonEdit(allowed=True, is_self=True)
    roles = network_roles(user)
    if not role_allows(roles.get(network.pk), Need.MANAGE):
        return PersonEdit(allowed=False, reason=_("Only coordinators of the network can do this."))
    theirs = set(
        Membership.objects.filter(person=person, left_on__isnull=True).values_list(
            "network_id", flat=True
        )
    )
    if network.pk not in theirs:
        raise Http404("person")
    why = people_unchangeable(user, [person.pk]).get(person.pk)
    if why is None:
        return PersonEdit(allowed=True)
    if why == CHANGE_ACCOUNT:
        reason = _(
            "%(name)s has an account, so only they can change their name, email address and "
            "contact details. You can propose the change; it takes effect when %(name)s accepts it."
        ) % {"name": person.name}
        return PersonEdit(allowed=False, may_propose=True, reason=reason)
    others = theirs - set(network_ids_where(user, Need.MANAGE))
    return _refusal(person, theirs, others, roles)


def _refusal(
    person: Person, theirs: set[int], others: set[int], roles: dict[int, str]
) -> PersonEdit:
    tree = _tree()
    visible = sorted(tree[pk][1] for pk in others if pk in roles and pk in tree)
    where = _networks_phrase(visible, len(others) - len(visible))
    lead = _(
        "%(name)s is also a member of %(networks)s, which you do not coordinate, and a change "
        "here would show there too."
    ) % {"name": person.name, "networks": where}
    cover = _covering_network(tree, theirs)
    if cover is not None and cover in roles:
        who = _("A coordinator of “%(network)s” can make it.") % {"network": tree[cover][1]}
    else:
        who = _("Only someone who coordinates all of their networks can make it.")
    if person.email:
        how = _("You can also propose the change; it takes effect when %(name)s accepts it.") % {
            "name": person.name
        }
    else:
        how = ""
    reason = " ".join(part for part in (lead, who, how) if part)
    return PersonEdit(allowed=False, may_propose=bool(person.email), reason=reason)


def person_edit_check(user: Viewer, network: Network, person: Person) -> PersonEdit:
    """Raise ``Refused`` with the reason unless ``user`` may change ``person`` directly."""
    decision = person_edit(user, network, person)
    if not decision.allowed:
        raise Refused(decision.reason)
    return decision


def person_propose_check(user: Viewer, network: Network, person: Person) -> None:
    """A coordinator may propose a change to anyone in the network who can accept it: through
    their account, or by a link mailed to their current address."""
    decision = person_edit(user, network, person)
    if decision.is_self:
        raise Refused(_("Change your own details directly; there is nothing to propose."))
    if not decision.allowed and not decision.may_propose:
        raise Refused(decision.reason)
    if person.user_id is None and not person.email:
        raise Refused(
            _("%(name)s has no account and no email address, so there is no one to accept it.")
            % {"name": person.name}
        )


# --- a person's own data (promise 24) ----------------------------------------------------------


def person_data_scope(user: Viewer, network: Network | None, person: Person) -> list[int] | None:
    """The networks a download of ``person`` may cover: None (everything) for the person
    themselves; for a coordinator, the networks they coordinate that the person is or was in,
    and only for someone without an account (who has no other way to ask). Nothing of a network
    the caller does not coordinate goes into it (promise 1)."""
    if user is not None and user.is_authenticated and person.user_id == user.pk:
        return None
    if network is None:
        raise Http404("person")
    if not role_allows(network_roles(user).get(network.pk), Need.MANAGE):
        raise PermissionDenied("role")
    if person.user_id is not None:
        raise Refused(
            _(
                "%(name)s has an account, so only they can download their data: on Your details "
                "(/me/), signed in as themselves."
            )
            % {"name": person.name}
        )
    theirs = set(Membership.objects.filter(person=person).values_list("network_id", flat=True))
    if network.pk not in theirs:
        raise Http404("person")
    return sorted(theirs & set(network_ids_where(user, Need.MANAGE)))


def person_erase_check(user: Viewer, network: Network | None, person: Person) -> None:
    """Erasing follows the rule of changing a person (``person_edit``): the person themselves,
    or, for someone without an account, whoever coordinates every network they are in."""
    if user is not None and user.is_authenticated and person.user_id == user.pk:
        return
    if network is None:
        raise Http404("person")
    decision = person_edit(user, network, person)
    if not decision.allowed:
        raise Refused(decision.reason)


def registry_names_visible(role: str | None) -> bool:
    """Whether the role may read by name who is in the network, as the registry shows it: the
    round page's list of who joined (issue 22) follows the registry's own page."""
    return role_allows(role, Need.VIEW)
