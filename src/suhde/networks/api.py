"""The registry's JSON API: the same access gate and domain functions as the pages."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from suhde.common.audit import audit_record
from suhde.common.jobs import job_file_response, job_in, job_start
from suhde.common.models import Job, Removal
from suhde.common.removals import removal_label, removal_restore
from suhde.common.schemas import Id, Pagination

from . import access, domain, merge, queries
from .access import Need
from .downloads import download_response, export_job_start, export_response
from .imports import (
    ImportRefused,
    Problem,
    Upload,
    import_apply,
    import_check,
    max_bytes,
    problem_dict,
    size_problem,
)
from .jobs import IMPORT_APPLY, IMPORT_CHECK, export_in_background, import_in_background
from .map import MapEncoding, MapFilters, map_data
from .models import Membership, Network, Person, Tie
from .schemas import (
    CustomFieldIn,
    CustomFieldOut,
    CustomFieldPatch,
    CustomValuesIn,
    CustomValuesOut,
    ErrorOut,
    ExportQuery,
    ImportOut,
    JobOut,
    MapOut,
    MapQuery,
    MapViewOut,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    MergeIn,
    NetworkIn,
    NetworkOut,
    NetworkPatch,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PersonChangeOut,
    PersonDataQuery,
    PersonEraseIn,
    PersonEraseOut,
    PersonHitOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonSearchQuery,
    PhaseChangeOut,
    PhaseIn,
    RemovalOut,
    TieIn,
    TieOut,
    TiePatch,
    job_out,
)

router = Router(tags=["registry"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class NetworkFilter(Schema):
    network: str | None = None


def _parent(user, slug: str | None) -> Network | None:
    """A parent must be a network the caller coordinates."""
    if not slug:
        return None
    return access.network_access(user, slug, Need.MANAGE)[0]


T = TypeVar("T")


def _found(found: T | None, name: str) -> T:
    """An object the caller may see, or 404 naming what was not found."""
    if found is None:
        raise Http404(name)
    return found


def _scope_network(request, slug: str | None, need: Need = Need.VIEW) -> list[int]:
    """Network ids a list may draw from: one named network, or all the caller's."""
    if slug:
        return [access.network_access(request.user, slug, need)[0].pk]
    return access.network_ids_where(request.user, need)


# --- networks --------------------------------------------------------------------------------


@router.get("/networks", response=list[NetworkOut], operation_id="network_list")
@paginate(Pagination)
def network_list(request):
    return access.networks_visible(request.user).select_related("parent").order_by("name", "id")


@router.get("/networks/{slug}", response={200: NetworkOut, **ERRORS}, operation_id="network_get")
def network_get(request, slug: str):
    return access.network_access(request.user, slug)[0]


@router.post("/networks", response={201: NetworkOut, **ERRORS}, operation_id="network_create")
def network_create(request, payload: NetworkIn):
    fields = payload.model_dump()
    fields["parent"] = _parent(request.user, fields.pop("parent"))
    network = domain.network_create(user=request.user, **fields)
    access.roles_forget(request.user)
    return Status(201, network)


@router.patch(
    "/networks/{slug}", response={200: NetworkOut, **ERRORS}, operation_id="network_update"
)
def network_update(request, slug: str, payload: NetworkPatch):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    fields = payload.model_dump(exclude_unset=True)
    if "parent" in fields:
        fields["parent"] = _parent(request.user, fields["parent"])
    return domain.network_update(network=network, **fields)


@router.post(
    "/networks/{slug}/phase",
    response={201: PhaseChangeOut, **ERRORS},
    operation_id="network_phase_change",
)
def network_phase_change(request, slug: str, payload: PhaseIn):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    change = domain.network_phase_change(
        network=network, user=request.user, to_phase=payload.to_phase, note=payload.note
    )
    return Status(201, change)


# --- organizations ---------------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    operation_id="organization_list",
)
@paginate(Pagination)
def organization_list(request, filters: Query[NetworkFilter]):
    ids = _scope_network(request, filters.network)
    return queries.organizations_in_networks(ids)


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    operation_id="organization_get",
)
def organization_get(request, organization_id: Id):
    return _found(access.organization_visible(request.user, organization_id), "organization")


def _organization_parent(network: Network, parent_id: int | None):
    return access.organization_in(network, parent_id) if parent_id else None


@router.post(
    "/organizations", response={201: OrganizationOut, **ERRORS}, operation_id="organization_create"
)
def organization_create(request, payload: OrganizationIn):
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    fields = payload.model_dump(exclude={"network", "parent_id"})
    fields["parent"] = _organization_parent(network, payload.parent_id)
    return Status(201, domain.organization_create(network=network, user=request.user, **fields))


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    operation_id="organization_update",
)
def organization_update(request, organization_id: Id, payload: OrganizationPatch):
    organization, network = access.organization_for_change(request.user, organization_id)
    fields = payload.model_dump(exclude_unset=True)
    if "parent_id" in fields:
        fields["parent"] = _organization_parent(network, fields.pop("parent_id"))
    return domain.organization_update(organization=organization, **fields)


# --- people ----------------------------------------------------------------------------------


def _person_out(person: Person, with_contacts: bool) -> dict:
    out = {
        "id": person.pk,
        "name": person.name,
        "organization_id": person.organization_id,
        "title": person.title,
        "human": person.human,
        "competences": person.competences,
        "needs": person.needs,
        "confirmed_at": person.confirmed_at,
    }
    if with_contacts:
        out.update(email=person.email, phone=person.phone)
    return out


@router.get("/people", response={200: list[PersonOut], **ERRORS}, operation_id="person_list")
@paginate(Pagination)
def person_list(request, filters: Query[NetworkFilter]):
    ids = _scope_network(request, filters.network)
    contact_ids = set(access.network_ids_where(request.user, Need.CONTACTS))
    return _PeoplePage(queries.people_in_networks(ids), contact_ids)


class _PeoplePage:
    """Adds contact details to one page of people in one query, after pagination slices it."""

    def __init__(self, queryset, contact_network_ids):
        self.queryset = queryset
        self.contact_network_ids = contact_network_ids

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        people = list(self.queryset[item])
        allowed = queries.people_members_of(people, self.contact_network_ids)
        return [_person_out(person, person.pk in allowed) for person in people]


@router.get(
    "/people/search", response={200: list[PersonHitOut], **ERRORS}, operation_id="person_search"
)
def person_search(request, filters: Query[PersonSearchQuery]):
    """People of the caller's networks by name, organization or email; case and diacritics
    folded ("makela" finds Mäkelä). At most 20, by name."""
    return [
        {
            "id": hit.person.pk,
            "name": hit.person.name,
            "title": hit.person.title,
            "organization_id": hit.person.organization_id,
            "organization_name": hit.person.organization.name if hit.person.organization else "",
            "networks": [network.slug for network in hit.networks],
            "email": hit.person.email if hit.show_email else None,
        }
        for hit in queries.people_search(request.user, filters.q)
    ]


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, operation_id="person_get")
def person_get(request, person_id: Id):
    person = _found(access.person_visible(request.user, person_id), "person")
    contacts = access.person_visible(request.user, person_id, Need.CONTACTS) is not None
    return _person_out(person, contacts)


@router.post("/people", response={201: PersonOut, **ERRORS}, operation_id="person_create")
def person_create(request, payload: PersonIn):
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    fields = payload.model_dump(exclude={"network", "organization_id"})
    fields["organization"] = (
        access.organization_in(network, payload.organization_id)
        if payload.organization_id
        else None
    )
    person = domain.person_create(network=network, user=request.user, **fields)
    return Status(201, _person_out(person, True))


@router.patch(
    "/people/{person_id}", response={200: PersonOut, **ERRORS}, operation_id="person_update"
)
def person_update(request, person_id: Id, payload: PersonPatch):
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    person = access.person_in(network, person_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"network"})
    if "organization_id" in fields:
        organization_id = fields.pop("organization_id")
        fields["organization"] = (
            access.organization_in(network, organization_id) if organization_id else None
        )
    person = domain.person_update(network=network, person=person, user=request.user, **fields)
    return _person_out(person, True)


@router.post(
    "/people/{person_id}/merge",
    response={200: RemovalOut, **ERRORS},
    operation_id="person_merge",
)
def person_merge(request, person_id: Id, payload: MergeIn):
    """Merge this person into ``into`` (which stays): memberships, ties, answers and history
    move; undo with the removal's ``restore``."""
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    person = _found(access.person_visible(request.user, person_id), "person")
    into = access.person_visible(request.user, payload.into)
    if into is None:
        raise ValidationError({"into": gettext("Choose someone in your networks.")})
    removal = merge.person_merge(user=request.user, network=network, person=person, into=into)
    return removal_out(removal, network)


def _person_for_data(request, person_id: int, slug: str | None) -> tuple[Person, Network | None]:
    """The person themselves, or someone in the network a coordinator names."""
    own = queries.person_own(request.user, person_id)
    if own is not None:
        return own, None
    if not slug:
        raise ValidationError({"network": gettext("Name the network you coordinate them in.")})
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    return access.person_on_record(network, person_id), network


@router.get(
    "/people/{person_id}/export",
    response={200: None, **ERRORS},
    operation_id="person_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "A zip of JSON and CSV files: everything held about the person",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def person_export(request, person_id: Id, filters: Query[PersonDataQuery]):
    """Everything Suhde holds about a person (promise 24): yourself, or — as a coordinator of
    ``network`` — someone without an account, covering the networks you coordinate."""
    person, network = _person_for_data(request, person_id, filters.network)
    scope = access.person_data_scope(request.user, network, person)
    return download_response(request, person, scope, network)


@router.post(
    "/people/{person_id}/erase",
    response={200: PersonEraseOut, **ERRORS},
    operation_id="person_erase",
)
def person_erase(request, person_id: Id, payload: PersonEraseIn):
    """Erase a person everywhere: yourself, or someone without an account in every network you
    coordinate. Survey answers stay counted under a nameless record, so no published figure
    changes. Cannot be undone: ``confirm`` must be true."""
    person, network = _person_for_data(request, person_id, payload.network)
    access.person_erase_check(request.user, network, person)
    if not payload.confirm:
        raise ValidationError(
            {"confirm": gettext("An erasure cannot be undone: send confirm: true to erase.")}
        )
    changed = domain.person_erase(person=person, user=request.user, request=request)
    return {"id": person.pk, "changed": changed}


@router.post(
    "/organizations/{organization_id}/merge",
    response={200: RemovalOut, **ERRORS},
    operation_id="organization_merge",
)
def organization_merge(request, organization_id: Id, payload: MergeIn):
    """Merge this organization into ``into`` (which stays); undo with ``restore``."""
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    organization = _found(
        access.organization_visible(request.user, organization_id), "organization"
    )
    into = access.organization_visible(request.user, payload.into)
    if into is None:
        raise ValidationError({"into": gettext("Choose an organization in your networks.")})
    removal = merge.organization_merge(
        user=request.user, network=network, organization=organization, into=into
    )
    return removal_out(removal, network)


# --- proposed changes to a person ---------------------------------------------------------------


@router.post(
    "/people/{person_id}/changes",
    response={201: PersonChangeOut, **ERRORS},
    operation_id="person_change_create",
)
def person_change_create(request, person_id: Id, payload: PersonPatch):
    """Propose a change to someone you may not change directly (see docs/access.md): it takes
    effect when they accept it. They get a link by email to their current address."""
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    person = access.person_in(network, person_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"network"})
    if "organization_id" in fields:
        organization_id = fields.pop("organization_id")
        fields["organization"] = (
            access.organization_in(network, organization_id) if organization_id else None
        )
    change = domain.person_change_propose(
        network=network, person=person, user=request.user, **fields
    )
    return Status(201, change)


@router.get(
    "/person-changes",
    response={200: list[PersonChangeOut], **ERRORS},
    operation_id="person_change_list",
)
@paginate(Pagination)
def person_change_list(request):
    """The changes proposed to your own details that wait for your answer."""
    return queries.person_changes_waiting(request.user).order_by("-created_at", "-id")


def _own_change(request, change_id: int):
    return queries.person_change_waiting(request.user, change_id)


@router.post(
    "/person-changes/{change_id}/accept",
    response={200: PersonChangeOut, **ERRORS},
    operation_id="person_change_accept",
)
def person_change_accept(request, change_id: Id):
    """Accept a change proposed to your own details: the values become yours."""
    change = _own_change(request, change_id)
    domain.person_change_accept(change=change, user=request.user)
    change.refresh_from_db()
    return change


@router.post(
    "/person-changes/{change_id}/decline",
    response={200: PersonChangeOut, **ERRORS},
    operation_id="person_change_decline",
)
def person_change_decline(request, change_id: Id):
    """Decline a change proposed to your own details: nothing changes."""
    return domain.person_change_decline(change=_own_change(request, change_id), user=request.user)


# --- memberships -----------------------------------------------------------------------------


@router.get(
    "/memberships", response={200: list[MembershipOut], **ERRORS}, operation_id="membership_list"
)
@paginate(Pagination)
def membership_list(request, filters: Query[NetworkFilter]):
    ids = _scope_network(request, filters.network)
    return queries.memberships_in_networks(ids)


def _membership(user, membership_id: int, need: Need) -> Membership:
    found = access.object_in_network(
        user, Membership, membership_id, need, scope=queries.memberships_on_record
    )
    return found[0]


@router.get(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **ERRORS},
    operation_id="membership_get",
)
def membership_get(request, membership_id: Id):
    return _membership(request.user, membership_id, Need.VIEW)


@router.post(
    "/memberships", response={201: MembershipOut, **ERRORS}, operation_id="membership_create"
)
def membership_create(request, payload: MembershipIn):
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    # Anyone from any of the caller's networks: one person, one record across networks. Only
    # where the caller sees their contact details, or an observer could reveal an address by
    # adding its owner to a network they coordinate (promise 4).
    person = _found(access.person_visible(request.user, payload.person_id, Need.CONTACTS), "person")
    membership = domain.membership_create(
        network=network,
        person=person,
        role=payload.role,
        in_steering_group=payload.in_steering_group,
    )
    return Status(201, membership)


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **ERRORS},
    operation_id="membership_update",
)
def membership_update(request, membership_id: Id, payload: MembershipPatch):
    membership = _membership(request.user, membership_id, Need.MANAGE)
    fields = payload.model_dump(exclude_unset=True)
    left = fields.pop("left", None)
    if left and membership.left_on is None:
        domain.membership_end(membership=membership, user=request.user)
    elif left is False and membership.left_on is not None:
        membership = domain.membership_restore(membership=membership, user=request.user)
    if fields:
        domain.membership_update(membership=membership, **fields)
    return membership


# --- ties ------------------------------------------------------------------------------------


@router.get("/ties", response={200: list[TieOut], **ERRORS}, operation_id="tie_list")
@paginate(Pagination)
def tie_list(request, filters: Query[NetworkFilter]):
    ids = _scope_network(request, filters.network)
    return (
        queries.ties_current_in(ids)
        .select_related("network")
        .prefetch_related(queries.origins_prefetch())
        .order_by("id")
    )


def _tie_visible(user, tie_id: int, need: Need = Need.VIEW) -> Tie:
    return access.object_in_network(user, Tie, tie_id, need, scope=queries.ties_on_record)[0]


@router.get("/ties/{tie_id}", response={200: TieOut, **ERRORS}, operation_id="tie_get")
def tie_get(request, tie_id: Id):
    return _tie_visible(request.user, tie_id)


@router.post("/ties", response={201: TieOut, **ERRORS}, operation_id="tie_create")
def tie_create(request, payload: TieIn):
    network, _ = access.network_access(request.user, payload.network, Need.MANAGE)
    fields = payload.model_dump(exclude={"network"})
    return Status(201, domain.tie_create(network=network, **fields))


@router.patch("/ties/{tie_id}", response={200: TieOut, **ERRORS}, operation_id="tie_update")
def tie_update(request, tie_id: Id, payload: TiePatch):
    tie = _tie_visible(request.user, tie_id, Need.MANAGE)
    return domain.tie_update(tie=tie, **payload.model_dump(exclude_unset=True))


@router.delete("/ties/{tie_id}", response={200: RemovalOut, **ERRORS}, operation_id="tie_delete")
def tie_delete(request, tie_id: Id):
    """Remove a tie. It can be restored for the undo window: POST the answer's ``restore``."""
    tie = _tie_visible(request.user, tie_id, Need.MANAGE)
    network = tie.network
    tie = access.tie_in(network, tie.pk)
    return removal_out(domain.tie_delete(tie=tie, user=request.user), network)


# --- removals --------------------------------------------------------------------------------


def removal_out(removal: Removal, network: Network) -> dict:
    """The API's view of a removal; other apps' DELETE operations answer with it too."""
    return {
        "id": removal.pk,
        "network": network.slug,
        "kind": removal.kind,
        "label": removal_label(removal),
        "object_id": removal.object_id,
        "name": removal.name,
        "detail": removal.detail,
        "removed_at": removal.removed_at,
        "removed_by": removal.removed_by.get_username() if removal.removed_by_id else None,
        "restore": f"/api/v1/networks/{network.slug}/removals/{removal.pk}/restore",
    }


@router.get(
    "/networks/{slug}/removals",
    response={200: list[RemovalOut], **ERRORS},
    operation_id="removal_list",
)
@paginate(Pagination)
def removal_list(request, slug: str):
    """What was removed in the network in the undo window and can be restored, newest first."""
    network, role = access.network_access(request.user, slug, Need.FACILITATE)
    return _Removals(access.removals_restorable(network, role), network)


class _Removals:
    """A lazy list for the paginator: only the page's removals are read and shaped."""

    def __init__(self, queryset, network):
        self.queryset, self.network = queryset, network

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [removal_out(removal, self.network) for removal in self.queryset[item]]


@router.post(
    "/networks/{slug}/removals/{removal_id}/restore",
    response={200: RemovalOut, **ERRORS},
    operation_id="removal_restore",
)
def removal_restore_api(request, slug: str, removal_id: Id):
    """Undo a removal: the thing comes back as it was, with the same id."""
    network, role = access.network_access(request.user, slug, Need.FACILITATE)
    removal = access.removal_in(network, role, removal_id)
    removal = removal_restore(removal=removal, user=request.user)
    audit_record(request=request, action="removal_restore", obj=removal)
    return removal_out(removal, network)


# --- map, import and export -------------------------------------------------------------------


@router.get("/networks/{slug}/map", response={200: MapOut, **ERRORS}, operation_id="network_map")
def network_map(request, slug: str, filters: Query[MapQuery]):
    """Nodes with server-computed positions and attributes, and edges, for the network map."""
    network, _ = access.network_access(request.user, slug)
    params = {key: value for key, value in filters.model_dump().items() if value is not None}
    if filters.saved is not None:  # a saved view: every member sees the coordinator's picture
        saved = access.map_view_in(network, filters.saved)
        params, encoding, positions = saved.filters, saved.encoding, saved.positions
    else:
        encoding = params
        positions = queries.map_pins_of(network, request.user) if filters.pins == "mine" else {}
    # Served as is: the data are built from typed rows, and validating 14,000 nodes and edges
    # against the schema again took longer than building them (docs/benchmarks.md).
    visible = list(access.network_roles(request.user))
    data = map_data(
        network,
        MapFilters.parse(params),
        visible,
        encoding=MapEncoding.parse(encoding),
        positions=positions,
        rerun=filters.rerun,
    ).as_json()
    return JsonResponse(data, json_dumps_params={"separators": (",", ":")})


@router.get(
    "/networks/{slug}/map/views",
    response={200: list[MapViewOut], **ERRORS},
    operation_id="map_view_list",
)
def map_view_list(request, slug: str):
    """The network's saved map views in presentation order; open one with ``network_map``'s
    ``saved``. Every member may read them."""
    network, _ = access.network_access(request.user, slug)
    return list(queries.map_views(network))


# --- custom fields and tags ------------------------------------------------------------------


def _field_out(field) -> dict:
    return {
        "id": field.pk,
        "applies_to": field.applies_to,
        "name": field.name,
        "kind": field.kind,
        "choices": field.choices,
        "position": field.position,
    }


@router.get(
    "/networks/{slug}/fields",
    response={200: list[CustomFieldOut], **ERRORS},
    operation_id="custom_field_list",
)
def custom_field_list(request, slug: str):
    """The network's own fields of people and organizations, in their order."""
    network, _ = access.network_access(request.user, slug)
    return [_field_out(field) for field in queries.custom_fields(network)]


@router.post(
    "/networks/{slug}/fields",
    response={201: CustomFieldOut, **ERRORS},
    operation_id="custom_field_create",
)
def custom_field_create(request, slug: str, payload: CustomFieldIn):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    field = domain.custom_field_create(network=network, user=request.user, **payload.model_dump())
    return Status(201, _field_out(field))


@router.patch(
    "/networks/{slug}/fields/{field_id}",
    response={200: CustomFieldOut, **ERRORS},
    operation_id="custom_field_update",
)
def custom_field_update(request, slug: str, field_id: Id, payload: CustomFieldPatch):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    field = access.custom_field_in(network, field_id)
    changes = payload.model_dump(exclude_unset=True)
    return _field_out(domain.custom_field_update(field=field, user=request.user, **changes))


@router.get(
    "/networks/{slug}/people/{person_id}/fields",
    response={200: CustomValuesOut, **ERRORS},
    operation_id="person_fields_get",
)
def person_fields_get(request, slug: str, person_id: Id):
    network, _ = access.network_access(request.user, slug)
    person = access.person_in(network, person_id)
    return {"values": queries.custom_values_of(network, person=person)}


@router.patch(
    "/networks/{slug}/people/{person_id}/fields",
    response={200: CustomValuesOut, **ERRORS},
    operation_id="person_fields_update",
)
def person_fields_update(request, slug: str, person_id: Id, payload: CustomValuesIn):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    person = access.person_in(network, person_id)
    values = domain.custom_values_set(network=network, person=person, values=payload.values)
    return {"values": values}


@router.get(
    "/networks/{slug}/organizations/{organization_id}/fields",
    response={200: CustomValuesOut, **ERRORS},
    operation_id="organization_fields_get",
)
def organization_fields_get(request, slug: str, organization_id: Id):
    network, _ = access.network_access(request.user, slug)
    organization = access.organization_in(network, organization_id)
    return {"values": queries.custom_values_of(network, organization=organization)}


@router.patch(
    "/networks/{slug}/organizations/{organization_id}/fields",
    response={200: CustomValuesOut, **ERRORS},
    operation_id="organization_fields_update",
)
def organization_fields_update(request, slug: str, organization_id: Id, payload: CustomValuesIn):
    network, _ = access.network_access(request.user, slug, Need.MANAGE)
    organization = access.organization_in(network, organization_id)
    values = domain.custom_values_set(
        network=network, organization=organization, values=payload.values
    )
    return {"values": values}


def _import_out(applied: bool, summary: dict | None, problems) -> dict:
    """``summary`` is :meth:`ImportPlan.summary`: counts, rows not applied, columns ignored."""
    empty = {"created": 0, "updated": 0, "unchanged": 0, "not_applied": 0, "joined": 0}
    summary = summary or {"people": empty, "ties": empty, "organizations": empty}
    return {"applied": applied, **summary, "problems": [problem_dict(p) for p in problems]}


def _api_upload(file) -> Upload | None:
    if file is None:
        return None
    if file.size > max_bytes():
        raise ImportRefused([size_problem(file.name, file.size)])
    return Upload(name=(file.name or "upload")[:255], data=file.read())


@router.post(
    "/networks/{slug}/import",
    response={
        200: ImportOut,
        201: ImportOut,
        202: JobOut,
        400: ImportOut | ErrorOut,  # the problems, or a field that no upload may carry (NUL)
        403: ErrorOut,
        404: ErrorOut,
        413: ImportOut,
    },
    operation_id="network_import",
)
def network_import(
    request,
    slug: str,
    people: File[UploadedFile] = None,
    ties: File[UploadedFile] = None,
    confirm: Form[bool] = False,
):
    """Check the files and show the plan; with ``confirm`` write it, all or nothing.

    Files larger than ``SUHDE_IMPORT_BACKGROUND_BYTES`` answer 202 with a job: the worker checks
    (or writes) them and the job's ``result`` holds what this answer would have."""
    network, _role = access.network_access(request.user, slug, Need.MANAGE)
    if people is None:
        missing = Problem(
            "people", None, "", gettext("Send the people file as the form field “people”.")
        )
        return Status(400, _import_out(False, None, [missing]))
    try:
        people_file, ties_file = _api_upload(people), _api_upload(ties)
    except ImportRefused as refused:
        return Status(413, _import_out(False, None, refused.problems))
    if import_in_background(people_file, ties_file):
        # Past a few thousand rows the worker checks (and with confirm writes) the files.
        pending = domain.pending_import_create(
            network=network, user=request.user, people=people_file, ties=ties_file
        )
        job = job_start(
            kind=IMPORT_APPLY if confirm else IMPORT_CHECK,
            network_id=network.pk,
            user=request.user,
            arguments={"pending": pending.pk},
        )
        return Status(202, job_out(network, job))
    if not confirm:
        plan = import_check(network=network, people=people_file, ties=ties_file, user=request.user)
        return Status(
            400 if plan.problems else 200, _import_out(False, plan.summary(), plan.problems)
        )
    try:
        counts = import_apply(
            network=network, people=people_file, ties=ties_file, user=request.user
        )
    except ImportRefused as refused:
        return Status(400, _import_out(False, None, refused.problems))
    audit_record(request=request, action="import", obj=network)
    return Status(201, _import_out(True, counts, []))


@router.get(
    "/networks/{slug}/export",
    response={200: None, 202: JobOut, **ERRORS},
    operation_id="network_export",
)
def network_export(request, slug: str, filters: Query[ExportQuery]):
    """The network as a file: csv (people or ties), xlsx, gexf, graphml, node-link json, vcard.

    A network with more people and ties than ``SUHDE_EXPORT_INLINE_ROWS`` answers 202 with a
    job instead: the worker writes the file, which ``file`` serves when the job is done."""
    network, role = access.network_access(request.user, slug)
    if export_in_background(network):
        job = export_job_start(request, network, role, filters.format, filters.table)
        return Status(202, job_out(network, job))
    return export_response(request, network, role, filters.format, filters.table)


BINARY = {"type": "string", "format": "binary"}


def _job(request, slug: str, job_id: int) -> tuple[Network, Job]:
    network, _role = access.network_access(request.user, slug)
    return network, job_in(network_id=network.pk, user=request.user, job_id=job_id)


@router.get(
    "/networks/{slug}/jobs/{job_id}",
    response={200: JobOut, **ERRORS},
    operation_id="job_detail",
)
def job_detail(request, slug: str, job_id: Id):
    """How far a background job has come, and its result once it is done."""
    network, job = _job(request, slug, job_id)
    return job_out(network, job)


@router.get(
    "/networks/{slug}/jobs/{job_id}/file",
    response={200: None, **ERRORS},
    operation_id="job_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file the job made",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def job_file(request, slug: str, job_id: Id):
    """The file a finished export (or report) job made."""
    _network, job = _job(request, slug, job_id)
    return job_file_response(job)
