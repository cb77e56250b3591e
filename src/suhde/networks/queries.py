"""Reads shared by pages and the API. Each costs a fixed number of queries, whatever the size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.common.audit import audit_action_label
from suhde.common.folding import organization_key, search_terms
from suhde.common.mail import outbox_messages
from suhde.common.models import AuditEvent, OutboxMessage
from suhde.common.personal import personal_read, personal_zip

from .access import (
    Need,
    Viewer,
    memberships_current,
    network_ids_where,
    network_roles,
    networks_visible,
    organizations_in,
    people_in,
    ties_in,
)
from .access import ties_current as _ties_current
from .models import (
    CustomField,
    CustomValue,
    FieldFor,
    MapPins,
    MapView,
    Membership,
    Network,
    Organization,
    PendingImport,
    Person,
    PersonChange,
    Sector,
    Tie,
    TieOrigin,
)

PAGE_SIZE = 50


def my_networks(user: Viewer) -> list[tuple[Network, str]]:
    """The networks the user belongs to, each with their role and size, the tree in order."""
    roles = network_roles(user)
    networks = (
        networks_visible(user)
        .select_related("parent")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(
                    memberships__left_on__isnull=True,
                    memberships__person__archived_at__isnull=True,
                ),
            )
        )
        .order_by("name")
    )
    return [(network, roles[network.pk]) for network in networks]


def subnetworks(user: Viewer, network: Network) -> list[Network]:
    """Theme networks directly under this one that the user can open."""
    return list(network.children.filter(pk__in=list(network_roles(user))).order_by("name"))


SEARCH_LIMIT = 20


def _member_of(network_ids) -> Exists:
    return Exists(
        Membership.objects.filter(
            person=OuterRef("pk"), network_id__in=list(network_ids), left_on__isnull=True
        )
    )


@dataclass
class PersonHit:
    """One person a search found, with the caller's networks they are in now."""

    person: Person
    networks: list[Network]
    show_email: bool

    @property
    def network_ids(self) -> set[int]:
        return {network.pk for network in self.networks}


def people_search(user: Viewer, text: str, *, limit: int = SEARCH_LIMIT) -> list[PersonHit]:
    """People of every network the caller belongs to (coordinators: and their theme networks)
    whose name, organization or email holds each word typed, case and diacritics folded.

    An email is matched and shown only where the caller may see contact details (promise 4), so
    an observer cannot probe for addresses; people of other networks are never found. Two queries.
    """
    terms = search_terms(text)
    if not terms:
        return []
    roles = network_roles(user)
    contacts = network_ids_where(user, Need.CONTACTS)
    people = Person.objects.filter(_member_of(roles), archived_at__isnull=True).annotate(
        contacts=_member_of(contacts)
    )
    for term in terms:
        people = people.filter(
            Q(search__contains=term)
            | Q(organization__search__contains=term)
            | Q(contacts=True, email__icontains=term)
        )
    found = list(people.select_related("organization").order_by("name", "id")[:limit])
    networks: dict[int, list[Network]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            person__in=found, network_id__in=list(roles), left_on__isnull=True
        )
        .select_related("network")
        .order_by("network__name", "network_id")
    ):
        networks[membership.person_id].append(membership.network)
    return [PersonHit(p, networks[p.pk], p.contacts) for p in found]


def person_by_email(user: Viewer, email: str) -> Person | None:
    """Someone in the caller's networks with this address (any case), when the caller may see
    addresses there: the person to offer instead of making a second record of them."""
    email = (email or "").strip()
    if not email:
        return None
    contacts = network_ids_where(user, Need.CONTACTS)
    return (
        Person.objects.filter(_member_of(contacts), email__iexact=email, archived_at__isnull=True)
        .select_related("organization")
        .order_by("id")
        .first()
    )


def organizations_search(
    user: Viewer, text: str, *, limit: int = SEARCH_LIMIT
) -> list[Organization]:
    """Organizations of the caller's networks whose folded name holds each word typed."""
    terms = search_terms(text)
    if not terms:
        return []
    organizations = Organization.objects.filter(
        networks__in=list(network_roles(user)), archived_at__isnull=True
    )
    for term in terms:
        organizations = organizations.filter(search__contains=term)
    return list(organizations.distinct().order_by("name", "id")[:limit])


def organization_same_name(user: Viewer, name: str) -> Organization | None:
    """An organization of the caller's networks written the same way up to case, diacritics,
    spacing and legal form ("Järvelän Nuoret ry" = "jarvelan nuoret")."""
    key = organization_key(name)
    if not key:
        return None
    return (
        Organization.objects.filter(
            key=key, networks__in=list(network_roles(user)), archived_at__isnull=True
        )
        .order_by("id")
        .first()
    )


def memberships_of(network: Network, text: str = "") -> QuerySet[Membership]:
    """Current memberships in sector, organization and name order, for lists and pages."""
    queryset = Membership.objects.filter(
        network=network, left_on__isnull=True, person__archived_at__isnull=True
    ).select_related("person", "person__organization")
    text = (text or "").strip()[:100]
    if text:
        queryset = queryset.filter(
            Q(person__name__icontains=text)
            | Q(person__organization__name__icontains=text)
            | Q(person__title__icontains=text)
        )
    return queryset.order_by(
        "person__organization__sector", "person__organization__name", "person__name", "id"
    )


@dataclass
class OrganizationGroup:
    organization: Organization | None
    memberships: list[Membership] = field(default_factory=list)


@dataclass
class SectorGroup:
    sector: str
    label: str
    organizations: list[OrganizationGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.memberships) for group in self.organizations)


def group_by_sector(memberships: Iterable[Membership]) -> list[SectorGroup]:
    """Group one page of memberships by sector and organization, in the order given."""
    sectors: dict[str, SectorGroup] = {}
    for membership in memberships:
        organization = membership.person.organization
        key = organization.sector if organization else ""
        label = str(Sector(key).label) if key else ""
        sector = sectors.setdefault(key, SectorGroup(sector=key, label=label))
        if not sector.organizations or sector.organizations[-1].organization != organization:
            sector.organizations.append(OrganizationGroup(organization=organization))
        sector.organizations[-1].memberships.append(membership)
    return list(sectors.values())


def network_counts(network: Network) -> dict[str, int]:
    members = memberships_current(network)
    per_sector = dict(
        members.values_list("person__organization__sector").annotate(n=Count("id")).order_by()
    )
    return {
        "members": sum(per_sector.values()),
        "organizations": network.organizations.count(),
        "ties": ties_current(network).count(),
        **{f"sector_{key}": per_sector.get(key, 0) for key in Sector.values},
    }


def organizations_with_counts(network: Network, text: str = "") -> QuerySet[Organization]:
    queryset = network.organizations.annotate(
        member_count=Count(
            "people",
            filter=Q(
                people__memberships__network=network,
                people__memberships__left_on__isnull=True,
                people__archived_at__isnull=True,
            ),
            distinct=True,
        )
    ).order_by("sector", "name", "id")
    text = (text or "").strip()[:100]
    if text:
        queryset = queryset.filter(name__icontains=text)
    return queryset


def memberships_in_networks(network_ids: list[int]) -> QuerySet[Membership]:
    """Every membership of these networks, ended ones too, for the API's list."""
    return (
        Membership.objects.filter(network_id__in=network_ids)
        .select_related("network")
        .order_by("id")
    )


def organizations_in_networks(network_ids: list[int]) -> QuerySet[Organization]:
    return Organization.objects.filter(networks__in=network_ids).distinct().order_by("name", "id")


def people_in_networks(network_ids: list[int]) -> QuerySet[Person]:
    """The current members of these networks, each once, by name."""
    return (
        Person.objects.filter(
            memberships__network_id__in=network_ids,
            memberships__left_on__isnull=True,
            archived_at__isnull=True,
        )
        .distinct()
        .order_by("name", "id")
    )


def people_members_of(people: list[Person], network_ids: list[int] | set[int]) -> set[int]:
    """Which of these people are current members of one of these networks: one query."""
    members = Membership.objects.filter(
        person__in=people, network_id__in=network_ids, left_on__isnull=True
    )
    return set(members.values_list("person_id", flat=True))


def memberships_on_record(network: Network) -> QuerySet[Membership]:
    """Every membership of the network, ended ones too: what the API opens by id."""
    return Membership.objects.select_related("network").filter(network=network)


def ties_on_record(network: Network) -> QuerySet[Tie]:
    """Every tie of the network, those of people who left too (they return with them)."""
    return Tie.objects.select_related("network").filter(network=network)


def ties_current_in(network_ids: Iterable[int]) -> QuerySet[Tie]:
    """The ties that count: one per ordered pair, between two current, unarchived members of the
    tie's network (``access.ties_current``). Every count, list, map, export and API answer of ties
    starts here, so that they all agree."""
    return _ties_current(Tie.objects.filter(network_id__in=list(network_ids)))


def ties_current(network: Network) -> QuerySet[Tie]:
    return ties_in(network)


def origins_prefetch() -> Prefetch:
    return Prefetch("origins", queryset=TieOrigin.objects.order_by("-recorded_at", "-id"))


def ties_of(network: Network) -> QuerySet[Tie]:
    return (
        ties_current(network)
        .select_related("source", "target", "source__organization", "target__organization")
        .prefetch_related(origins_prefetch())
        .order_by("source__name", "target__name", "id")
    )


def ties_of_person(network: Network, person: Person) -> QuerySet[Tie]:
    """A person's ties in one network, either way, for their page."""
    return ties_of(network).filter(Q(source=person) | Q(target=person))


@dataclass(frozen=True)
class PartnerTie:
    """A tie seen from one of its people: ``out`` when they name the partner, ``in`` else."""

    tie: Tie
    direction: str
    partner: Person


def ties_with_partner(ties: Iterable[Tie], person: Person) -> list[PartnerTie]:
    """The ties with their partner, those the person names first."""
    result = [
        PartnerTie(tie, "out", tie.target)
        if tie.source_id == person.pk
        else PartnerTie(tie, "in", tie.source)
        for tie in ties
    ]
    result.sort(key=lambda t: (t.direction != "out", t.partner.name.lower(), t.tie.pk))
    return result


@dataclass
class SharedOrganization:
    organization: Organization
    networks: list[Network]


@dataclass
class SharedPerson:
    person: Person
    networks: list[Network]


@dataclass
class Ecosystem:
    networks: list[Network]
    shared: list[SharedOrganization]
    sector_counts: dict[str, int]
    people: list[SharedPerson] = field(default_factory=list)
    people_more: int = 0


ECOSYSTEM_PEOPLE = 100


def _people_shared(by_id: dict[int, Network]) -> tuple[list[SharedPerson], int]:
    """People who are members of more than one of the networks, each once (the first hundred,
    most networks first), and how many more there are."""
    per_person: dict[int, list[int]] = defaultdict(list)
    for person_id, network_id in Membership.objects.filter(
        network_id__in=list(by_id), left_on__isnull=True, person__archived_at__isnull=True
    ).values_list("person_id", "network_id"):
        per_person[person_id].append(network_id)
    shared = {pid: nids for pid, nids in per_person.items() if len(nids) > 1}
    people = Person.objects.filter(pk__in=list(shared)).select_related("organization")
    items = [
        SharedPerson(p, sorted((by_id[nid] for nid in shared[p.pk]), key=lambda n: n.name))
        for p in people
    ]
    items.sort(key=lambda item: (-len(item.networks), item.person.name, item.person.pk))
    return items[:ECOSYSTEM_PEOPLE], max(len(items) - ECOSYSTEM_PEOPLE, 0)


def ecosystem(user: Viewer) -> Ecosystem:
    """All networks the user can see and the organizations that take part in more than one."""
    networks = list(networks_visible(user).select_related("parent").order_by("name"))
    by_id = {network.pk: network for network in networks}
    links = Organization.networks.through.objects.filter(network_id__in=list(by_id)).values_list(
        "organization_id", "network_id"
    )
    per_organization: dict[int, list[int]] = defaultdict(list)
    for organization_id, network_id in links:
        per_organization[organization_id].append(network_id)
    organizations = Organization.objects.in_bulk(list(per_organization))
    shared = [
        SharedOrganization(organizations[oid], [by_id[nid] for nid in sorted(nids)])
        for oid, nids in per_organization.items()
        if len(nids) > 1
    ]
    shared.sort(key=lambda item: (-len(item.networks), item.organization.name))
    sector_counts: defaultdict[str, int] = defaultdict(int)
    for organization in organizations.values():
        sector_counts[organization.sector] += 1
    people, more = _people_shared(by_id)
    return Ecosystem(
        networks=networks,
        shared=shared,
        sector_counts=dict(sector_counts),
        people=people,
        people_more=more,
    )


def organization_members(network: Network, organization: Organization) -> list[Membership]:
    """The organization's people in this network (current, not archived), by name."""
    return list(
        memberships_of(network)
        .filter(person__organization=organization)
        .order_by("person__name", "id")
    )


def organization_networks(organization: Organization, visible_ids: Iterable[int]) -> list[Network]:
    """The networks the organization takes part in, among those the viewer is in."""
    return list(organization.networks.filter(pk__in=list(visible_ids)).order_by("name", "id"))


def person_networks(person: Person, visible_ids: Iterable[int]) -> list[Membership]:
    return list(
        Membership.objects.filter(
            person=person, left_on__isnull=True, network_id__in=list(visible_ids)
        )
        .select_related("network")
        .order_by("network__name")
    )


def people_of(network: Network) -> QuerySet[Person]:
    return people_in(network).select_related("organization").order_by("name", "id")


def membership_ended(network: Network, person: Person) -> Membership | None:
    """The person's last ended membership here, when they have no current one."""
    memberships = list(
        Membership.objects.filter(network=network, person=person).order_by("-joined_on", "-id")
    )
    if any(m.left_on is None for m in memberships):
        return None
    return max(memberships, key=lambda m: (m.left_on, m.pk), default=None)


# --- proposed changes to a person -----------------------------------------------------------------

CHANGE_ORDER = ["name", "email", "phone", "organization", "title", "human", "competences", "needs"]


@dataclass
class ChangeRow:
    label: str
    now: str
    proposed: str


def _change_text(name: str, value, organizations: dict[int, str]) -> str:
    if name == "organization":
        return organizations.get(value, "") if value else ""
    if name == "competences":
        return ", ".join(value or [])
    return str(value or "")


def person_change_rows(changes: Iterable[PersonChange]) -> dict[int, list[ChangeRow]]:
    """Each proposal's rows (field, value now, proposed value) in the form's order; one query
    for the organizations named, however many proposals. The person must be selected."""
    changes = list(changes)
    ids = {c.fields.get("organization") for c in changes} | {
        c.person.organization_id for c in changes
    }
    names = dict(Organization.objects.filter(pk__in=ids - {None}).values_list("id", "name"))
    labels = {f.name: str(f.verbose_name) for f in Person._meta.fields}
    rows: dict[int, list[ChangeRow]] = {}
    for change in changes:
        rows[change.pk] = [
            ChangeRow(
                label=labels[name],
                now=_change_text(
                    name,
                    change.person.organization_id
                    if name == "organization"
                    else getattr(change.person, name),
                    names,
                ),
                proposed=_change_text(name, change.fields[name], names),
            )
            for name in CHANGE_ORDER
            if name in change.fields
        ]
    return rows


def person_changes_waiting(user: User) -> QuerySet[PersonChange]:
    """The open proposals to the user's own record, newest first."""
    return PersonChange.objects.filter(
        person__user=user, state=PersonChange.State.OPEN, expires_at__gt=timezone.now()
    ).select_related("person", "network", "proposed_by")


# --- saved map views and pinned positions (issue 18) -------------------------------------------


def map_views(network: Network) -> QuerySet[MapView]:
    """The network's saved map views in presentation order."""
    return MapView.objects.filter(network=network).order_by("order", "id")


def map_pins_of(network: Network, user: Viewer) -> dict[str, list[float]]:
    """The positions this user kept on this network's map, or none."""
    if user is None or not user.is_authenticated:
        return {}
    row = MapPins.objects.filter(network=network, user=user).values_list("positions", flat=True)
    return row.first() or {}


# --- a person's own data (promise 24; common/personal.py) ---------------------------------------


def _in(queryset: QuerySet, field: str, network_ids: list[int] | None) -> QuerySet:
    return queryset if network_ids is None else queryset.filter(**{f"{field}__in": network_ids})


def person_data(person: Person, *, network_ids: list[int] | None, own: bool) -> dict[str, list]:
    """The registry's part of a person's download: the record, memberships, ties, ids in files."""
    record = {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "organization": person.organization.name if person.organization else "",
        "title": person.title,
        "the_human_behind_the_title": person.human,
        "competences": person.competences,
        "needs": person.needs,
        "confirmed_at": person.confirmed_at,
        "archived_at": person.archived_at,
        "created_at": person.created_at,
    }
    memberships = _in(Membership.objects.filter(person=person), "network_id", network_ids)
    ties = _in(
        Tie.objects.filter(Q(source=person) | Q(target=person)), "network_id", network_ids
    ).select_related("network", "source", "target")
    about = Q(object_type="networks.person", object_id=str(person.pk))
    if person.user_id:
        about |= Q(actor_id=person.user_id)
    audit = AuditEvent.objects.filter(about).order_by("at", "id") if own else []
    return {
        "person": [record],
        "memberships": [
            {
                "network": m.network.name,
                "role": m.role,
                "in_steering_group": m.in_steering_group,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in memberships.select_related("network").order_by("network__name", "pk")
        ],
        "ties": [
            {
                "network": t.network.name,
                "with": (t.target if t.source_id == person.pk else t.source).name,
                "direction": "out" if t.source_id == person.pk else "in",
                "strength": t.strength,
                "since": t.since,
            }
            for t in ties.order_by("network__name", "pk")
        ],
        "ids_in_files": [
            {"network": key.network.name, "id": key.key}
            for key in _in(person.external_keys.all(), "network_id", network_ids).select_related(
                "network"
            )
        ],
        # The networks' own fields about them (docs/people.md, "Custom fields and tags").
        "fields": [
            {"network": v.field.network.name, "field": v.field.name, "value": v.value}
            for v in _in(person.custom_values.all(), "field__network_id", network_ids)
            .select_related("field__network")
            .order_by("field__network__name", "field__position", "pk")
        ],
        # Who did what about the person; a coordinator's download leaves out the log, which
        # also holds what happened in networks they do not coordinate.
        "audit_log": [
            {
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "object": f"{e.object_type}:{e.object_id}",
                "outcome": e.outcome,
                "detail": e.detail,
            }
            for e in audit
        ],
    }


def person_download(person: Person, *, network_ids: list[int] | None) -> bytes:
    """The zip a person (or, for someone without an account, a coordinator) downloads."""
    own = network_ids is None
    lines = [
        _(
            "Everything Suhde holds about %(name)s, as JSON (data.json) and as one CSV file per "
            "table."
        )
        % {"name": person.name},
        _(
            "How other people rated this person in surveys is never included: it could point "
            "at them."
        ),
    ]
    if not own:
        lines.append(
            _(
                "Made by a coordinator: it covers only the networks they coordinate, and leaves "
                "out the person's own survey answers, votes and the audit log, which nobody but "
                "the person may read."
            )
        )
    tables = personal_read(person, network_ids=network_ids, own=own)
    return personal_zip(tables, readme="\n\n".join(lines) + "\n")


# --- custom fields ---------------------------------------------------------------------------


def custom_fields(network: Network, applies_to: str | None = None) -> list[CustomField]:
    """The network's fields in their order; one query."""
    fields = CustomField.objects.filter(network=network)
    if applies_to:
        fields = fields.filter(applies_to=applies_to)
    return list(fields.order_by("applies_to", "position", "id"))


def custom_values_map(
    network: Network, applies_to: str, owner_ids: Iterable[int] | None = None
) -> dict[int, dict[str, object]]:
    """Owner id → {field name: value} for this network's fields of people or organizations;
    one query, for all owners or those given."""
    owner = "person_id" if applies_to == FieldFor.PERSON else "organization_id"
    rows = CustomValue.objects.filter(field__network=network, field__applies_to=applies_to)
    if owner_ids is not None:
        rows = rows.filter(**{f"{owner}__in": owner_ids})
    found: dict[int, dict[str, object]] = defaultdict(dict)
    for owner_id, name, value in rows.order_by("field__position", "field_id").values_list(
        owner, "field__name", "value"
    ):
        found[owner_id][name] = value
    return dict(found)


def custom_values_of(
    network: Network, *, person: Person | None = None, organization: Organization | None = None
) -> dict[str, object]:
    """One person's or organization's values in this network, every field named (empty ones
    as None); two queries."""
    applies_to = FieldFor.PERSON if person is not None else FieldFor.ORGANIZATION
    owner = person if person is not None else organization
    if owner is None:
        raise TypeError("custom_values_of needs a person or an organization")
    values = custom_values_map(network, applies_to, [owner.pk]).get(owner.pk, {})
    return {f.name: values.get(f.name) for f in custom_fields(network, applies_to)}


PENDING_HOURS = 1  # how long a checked import waits for "Import" before it is forgotten


def pending_import_in(network: Network, user: Any, pending_id: int) -> PendingImport:
    """A pending import of this network, uploaded by this user, not yet expired."""
    since = timezone.now() - timedelta(hours=PENDING_HOURS)
    pending = PendingImport.objects.filter(network=network, created_by=user, created_at__gte=since)
    return get_object_or_404(pending, pk=pending_id)


def person_change_waiting(user: Any, change_id: int) -> PersonChange:
    """A change proposed to the user's own details that waits for their answer; 404 else."""
    return get_object_or_404(person_changes_waiting(user), pk=change_id)


def person_own(user: Any, person_id: int) -> Person | None:
    """The user's own record, if that is what ``person_id`` names."""
    return Person.objects.filter(pk=person_id, user=user).first()


def parents_for(user: Viewer, exclude: Network | None = None) -> QuerySet[Network]:
    """The networks a new (or this) network may be placed under: those the user coordinates."""
    coordinated = network_ids_where(user, Need.MANAGE)
    parents = Network.objects.filter(pk__in=coordinated, archived_at__isnull=True)
    return parents.exclude(pk=exclude.pk) if exclude else parents


def parent_named(user: Viewer, slug: str) -> Network | None:
    return parents_for(user).filter(slug=slug).first()


def organization_to_offer(user: Viewer, name: str, network: Network) -> Organization | None:
    """An organization of the caller's networks with the same name (``organization_same_name``)
    that does not take part in ``network`` yet: what to offer to link instead of a second one."""
    offer = organization_same_name(user, name)
    if offer is not None and offer.networks.filter(pk=network.pk).exists():
        return None
    return offer


def parents_of_organization(network: Network, organization: Organization) -> QuerySet[Organization]:
    """The organizations of the network that this one may be a unit of (not itself)."""
    return organizations_in(network).exclude(pk=organization.pk)


def network_outbox(network: Network, state: str = "") -> QuerySet[OutboxMessage]:
    """The network's outgoing messages; only those in ``state`` when given."""
    outgoing = outbox_messages(network_id=network.pk)
    return outgoing.filter(state=state) if state else outgoing


# --- the network's audit page ---------------------------------------------------------------


@dataclass
class AuditRow:
    at: Any
    actor: str
    action: str
    outcome: str
    object_type: str
    object_id: str
    detail: str


def audit_entries(network: Network, *, action: str = "") -> QuerySet[AuditEvent]:
    """The audit entries that concern this network, newest first: only those recorded with its
    id, never another network's (promise 26; the operators' `suhde audit export` has them all)."""
    entries = AuditEvent.objects.filter(network_id=network.pk).order_by("-id")
    return entries.filter(action=action) if action else entries


def audit_actions(network: Network) -> list[tuple[str, str]]:
    """The actions this network's entries have, for the page's filter, as (code, words)."""
    codes = (
        AuditEvent.objects.filter(network_id=network.pk)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    return sorted(((code, audit_action_label(code)) for code in codes), key=lambda c: c[1])


def audit_rows(entries: Any) -> list[AuditRow]:
    """What the page shows of each entry. Not the address it came from: that is the operators'."""
    return [
        AuditRow(
            at=event.at,
            actor=event.actor_label,
            action=audit_action_label(event.action),
            outcome=event.get_outcome_display(),
            object_type=event.object_type,
            object_id=event.object_id,
            detail=event.detail,
        )
        for event in entries
    ]
