"""Pages of the network registry. Views parse, call ``access`` and ``domain``, and render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common import removals
from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render, undo_message
from suhde.common.forms import form_add_errors, form_status
from suhde.common.removals import KINDS, removal_label, undo_days

from .. import access, domain, queries
from ..access import Need, network_view
from ..attention import attention_for
from ..continuum import PHASES, checklist_for, round_end_for, round_ends
from ..forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipForm,
    NetworkForm,
    NewMemberForm,
    OrganizationForm,
    OwnDetailsForm,
    PersonForm,
    PhaseForm,
    TieEditForm,
    TieForm,
)
from ..map import network_graph
from ..models import Network, OriginKind, PersonChange, Role
from ..rings import organization_rings, partners_by_sector
from .fields import values_shown


def _page(request, queryset, size=queries.PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _render(request, template, context, partial=None, status=200):
    """Render the page, or only its partial for an htmx request."""
    if partial and request.htmx:
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


# --- networks --------------------------------------------------------------------------------


@login_required
def my_networks(request: HttpRequest) -> HttpResponseBase:
    rows = queries.my_networks(request.user)
    active = [row for row in rows if row[0].archived_at is None]
    archived = [row for row in rows if row[0].archived_at is not None]
    waiting = queries.person_changes_waiting(request.user).count()
    context = {
        "active": active,
        "archived": archived,
        "changes_waiting": waiting,
        "attention": attention_for(request.user),
    }
    return render(request, "networks/my_networks.html", context)


def _network_fields(form) -> dict:
    return {
        key: form.cleaned_data[key]
        for key in ("name", "slug", "purpose", "form", "levels", "scope", "goal_kinds", "parent")
    }


@login_required
def network_create(request: HttpRequest) -> HttpResponseBase:
    parents = queries.parents_for(request.user)
    initial = {}
    if request.GET.get("parent"):
        initial["parent"] = queries.parent_named(request.user, request.GET["parent"])
    form = NetworkForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            network = domain.network_create(user=request.user, **_network_fields(form))
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The network was created."))
            return redirect("networks:home", slug=network.slug)
    return render(request, "networks/network_form.html", {"form": form}, status=form_status(form))


@network_view()
def network_home(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "role": role,
        "can_manage": access.role_allows(role, Need.MANAGE),
        "phases": PHASES,
        "current": PHASES[network.phase - 1],
        "checklist": checklist_for(network, network.phase),
        "counts": queries.network_counts(network),
        "subnetworks": queries.subnetworks(request.user, network),
        "phase_changes": network.phase_changes.select_related("changed_by")[:5],
        "phase_form": PhaseForm(initial={"to_phase": network.phase % 4 + 1}),
    }
    return render(request, "networks/home.html", context)


@network_view(Need.MANAGE)
def network_edit(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    initial = {
        key: getattr(network, key)
        for key in ("name", "slug", "purpose", "form", "levels", "scope", "goal_kinds", "parent")
    }
    form = NetworkForm(
        request.POST or None,
        initial=initial,
        parents=queries.parents_for(request.user, exclude=network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            network = domain.network_update(network=network, **_network_fields(form))
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The network was saved."))
            return redirect("networks:home", slug=network.slug)
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "network": network},
        status=form_status(form),
    )


@network_view(Need.MANAGE)
def network_archive(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    home = reverse("networks:home", args=[network.slug])
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Archive the network %(name)s?") % {"name": network.name},
            lines=[
                _(
                    "The network moves to the archived ones on My networks. Its members, ties "
                    "and everything else are kept, and it can be restored."
                )
            ],
            action=request.path,
            fields={"archived": "1"},
            button=_("Archive the network"),
            cancel=home,
            undoable=True,
        )
    archived = request.POST.get("archived", "1") == "1"
    domain.network_archive(network=network, archived=archived, user=request.user)
    messages.success(
        request, _("The network was archived.") if archived else _("The network was restored.")
    )
    return redirect(home)


@require_POST
@network_view(Need.MANAGE)
def network_phase(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    form = PhaseForm(request.POST)
    if form.is_valid():
        to_phase = form.cleaned_data["to_phase"]
        if round_ends(network, to_phase) and not form.cleaned_data["confirmed"]:
            context = {"network": network, "form": form, "items": round_end_for(network)}
            return render(request, "networks/phase_round_end.html", context)
        domain.network_phase_change(
            network=network,
            user=request.user,
            to_phase=form.cleaned_data["to_phase"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The phase was changed."))
    else:
        messages.error(
            request,
            _("The phase could not be changed: %(errors)s")
            % {"errors": " ".join(form.errors.get("to_phase", []) + form.errors.get("note", []))},
        )
    return redirect("networks:home", slug=network.slug)


@login_required
def ecosystem(request: HttpRequest) -> HttpResponseBase:
    return render(
        request, "networks/ecosystem.html", {"ecosystem": queries.ecosystem(request.user)}
    )


# --- members and people ----------------------------------------------------------------------


@network_view()
def members(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    text = request.GET.get("q", "")
    page = _page(request, queries.memberships_of(network, text))
    show_contacts = access.role_allows(role, Need.CONTACTS)
    if show_contacts:
        audit_record(request=request, action="contacts_view", obj=network)
    context = {
        "network": network,
        "role": role,
        "page": page,
        "q": text,
        "groups": queries.group_by_sector(page.object_list),
        "show_contacts": show_contacts,
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return _render(request, "networks/members.html", context, partial="member-list")


@network_view(Need.MANAGE)
def member_add(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    """Adding someone starts from a search over the people of the caller's networks; a new
    person is the last choice, and an address that someone already has offers that person."""
    if "person" in request.POST or "person" in request.GET:
        return _member_add_existing(request, network)
    if request.method == "POST" or "new" in request.GET:
        return _member_add_new(request, network)
    text = request.GET.get("q", "")
    context = {
        "network": network,
        "q": text,
        "hits": queries.people_search(request.user, text),
        "searched": bool(text.strip()),
    }
    return _render(request, "networks/member_search.html", context, partial="hits")


def _member_add_existing(request: HttpRequest, network: Network) -> HttpResponseBase:
    # Only someone whose contact details the caller sees: an observer elsewhere could otherwise
    # reveal an address by adding its owner to a network they coordinate.
    chosen = request.POST.get("person") or request.GET.get("person")
    person = access.person_visible(request.user, chosen, Need.CONTACTS)
    form = MembershipForm(request.POST if request.method == "POST" else None)
    if person is None:
        form.add_error(None, _("Person: choose someone from the search."))
    elif request.method == "POST" and form.is_valid():
        try:
            domain.membership_create(network=network, person=person, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was added to the network.") % {"name": person.name}
            )
            return redirect("networks:members", slug=network.slug)
    context = {
        "network": network,
        "form": form,
        "person": person,
        "networks": queries.person_networks(person, access.network_roles(request.user))
        if person
        else [],
    }
    context["member_here"] = any(m.network_id == network.pk for m in context["networks"])
    status = 400 if person is None else form_status(form)
    return render(request, "networks/member_existing.html", context, status=status)


def _member_add_new(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = NewMemberForm(
        request.POST or None,
        initial={"name": request.GET.get("name", "")[:200]},
        organizations=access.organizations_in(network),
    )
    offer = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = domain.person_create(network=network, user=request.user, **data)
        except ValidationError as error:
            form_add_errors(form, error)
            offer = queries.person_by_email(request.user, data.get("email", ""))
        else:
            messages.success(
                request, _("%(name)s was added to the network.") % {"name": person.name}
            )
            return redirect("networks:members", slug=network.slug)
    return render(
        request,
        "networks/member_form.html",
        {"network": network, "form": form, "offer": offer},
        status=form_status(form),
    )


@network_view(Need.MANAGE)
def member_edit(
    request: HttpRequest, network: Network, role: str, membership_id: int
) -> HttpResponseBase:
    membership = access.membership_in(network, membership_id)
    initial = {"role": membership.role, "in_steering_group": membership.in_steering_group}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.membership_update(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="role_change", obj=membership)
            messages.success(request, _("The membership was saved."))
            return redirect("networks:members", slug=network.slug)
    return render(
        request,
        "networks/membership_form.html",
        {"network": network, "membership": membership, "form": form},
        status=form_status(form),
    )


@network_view(Need.MANAGE)
def member_end(
    request: HttpRequest, network: Network, role: str, membership_id: int
) -> HttpResponseBase:
    membership = access.membership_in(network, membership_id)
    members_url = reverse("networks:members", args=[network.slug])
    if request.method != "POST":
        name = membership.person.name
        return confirm_render(
            request,
            title=_("End the membership of %(name)s?") % {"name": name},
            lines=[
                _(
                    "%(name)s leaves %(network)s today: they no longer see the network, and "
                    "they and their ties drop out of the member list, the map, the counts and "
                    "the exports. Their page stays open to coordinators, with a button to "
                    "restore the membership."
                )
                % {"name": name, "network": network.name}
            ],
            action=request.path,
            button=_("End the membership"),
            cancel=reverse("networks:member_edit", args=[network.slug, membership.pk]),
            undoable=True,
        )
    try:
        removal = domain.membership_end(membership=membership, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit_record(request=request, action="membership_end", obj=membership)
        _removed(
            request,
            network,
            removal,
            _("%(name)s left the network.") % {"name": membership.person.name},
        )
    return redirect(members_url)


@require_POST
@network_view(Need.MANAGE)
def member_restore(
    request: HttpRequest, network: Network, role: str, membership_id: int
) -> HttpResponseBase:
    membership = access.membership_in(network, membership_id)
    try:
        domain.membership_restore(membership=membership, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit_record(request=request, action="membership_restore", obj=membership)
        messages.success(
            request, _("%(name)s is a member again.") % {"name": membership.person.name}
        )
    return redirect("networks:person", slug=network.slug, person_id=membership.person_id)


@network_view()
def person_detail(
    request: HttpRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    can_manage = access.role_allows(role, Need.MANAGE)
    # A coordinator still finds someone who left or was archived, to restore them.
    person = (
        access.person_on_record(network, person_id)
        if can_manage
        else access.person_in(network, person_id)
    )
    show_contacts = access.role_allows(role, Need.CONTACTS)
    if show_contacts:
        audit_record(request=request, action="contacts_view", obj=person, network=network)
    context = {
        "network": network,
        "role": role,
        "person": person,
        "show_contacts": show_contacts,
        "can_manage": can_manage,
        "memberships": queries.person_networks(person, access.network_roles(request.user)),
        "ended": queries.membership_ended(network, person) if can_manage else None,
        "ties": queries.ties_with_partner(queries.ties_of_person(network, person), person),
        "invitation_form": InvitationForm(),
        "edit": _edit_decision(request.user, network, person) if can_manage else None,
        "custom_values": values_shown(queries.custom_values_of(network, person=person)),
    }
    return render(request, "networks/person_detail.html", context)


def _edit_decision(user, network, person):
    """Whether the page offers to edit or to propose; None for someone no longer a member."""
    try:
        return access.person_edit(user, network, person)
    except Http404:
        return None


@network_view(Need.MANAGE)
def person_edit(
    request: HttpRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    """Edit a person, or, where the rule (access.person_edit) does not let the caller, propose
    the change for the person to accept; the same form either way."""
    person = access.person_in(network, person_id)
    decision = access.person_edit(request.user, network, person)
    context = {"network": network, "person": person, "refusal": decision.reason}
    if not decision.allowed and not decision.may_propose:
        audit_record(
            request=request, action="person_update", outcome="refused", obj=person, network=network
        )
        return render(request, "networks/person_form.html", context, status=403)
    initial = {key: getattr(person, key) for key in PersonForm.base_fields}
    form = PersonForm(
        request.POST or None, initial=initial, organizations=access.organizations_in(network)
    )
    if request.method == "POST" and form.is_valid():
        try:
            if decision.allowed:
                domain.person_update(
                    network=network, person=person, user=request.user, **form.cleaned_data
                )
            else:
                domain.person_change_propose(
                    network=network,
                    person=person,
                    user=request.user,
                    language=get_language(),
                    **form.cleaned_data,
                )
        except ValidationError as error:
            form_add_errors(form, error)
        except PermissionDenied as error:  # the rule changed under us: say why
            context["refusal"] = getattr(error, "public_message", "")
            return render(request, "networks/person_form.html", context, status=403)
        else:
            if decision.allowed:
                messages.success(request, _("The details were saved."))
            else:
                messages.success(
                    request,
                    _("The change was proposed to %(name)s; nothing changes until they accept it.")
                    % {"name": person.name},
                )
            return redirect("networks:person", slug=network.slug, person_id=person.pk)
    context.update(form=form, proposing=not decision.allowed)
    return render(request, "networks/person_form.html", context, status=form_status(form))


@require_POST
@network_view(Need.MANAGE)
def person_invite(
    request: HttpRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    person = access.person_in(network, person_id)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role for the invitation."))
    else:
        try:
            domain.invitation_create(
                network=network,
                person=person,
                invited_by=request.user,
                role=form.cleaned_data["role"],
                language=get_language(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            audit_record(request=request, action="invitation_create", obj=person, network=network)
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": person.email}
            )
    return redirect("networks:person", slug=network.slug, person_id=person.pk)


@network_view(Need.MANAGE)
def person_archive(
    request: HttpRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    person = access.person_on_record(network, person_id)
    page = reverse("networks:person", args=[network.slug, person.pk])
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Archive %(name)s?") % {"name": person.name},
            lines=[
                _(
                    "An archived person is kept for the record but drops out of the member "
                    "lists, the map, the counts and the exports of every network, and cannot "
                    "open any network."
                )
            ],
            action=request.path,
            fields={"archived": "1"},
            button=_("Archive the person"),
            cancel=page,
            undoable=True,
        )
    archived = request.POST.get("archived", "1") == "1"
    try:
        domain.person_archive(person=person, archived=archived, network=network, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    audit_record(
        request=request,
        action="person_archive" if archived else "person_restore",
        obj=person,
        network=network,
    )
    messages.success(
        request, _("The person was archived.") if archived else _("The person was restored.")
    )
    return redirect(page)


# --- organizations ---------------------------------------------------------------------------


@network_view()
def organizations(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    text = request.GET.get("q", "")
    page = _page(request, queries.organizations_with_counts(network, text))
    context = {
        "network": network,
        "page": page,
        "q": text,
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return _render(request, "networks/organizations.html", context, partial="organization-list")


@network_view()
def organization_detail(
    request: HttpRequest, network: Network, role: str, organization_id: int
) -> HttpResponseBase:
    organization = access.organization_in(network, organization_id)
    show_contacts = access.role_allows(role, Need.CONTACTS)
    if show_contacts:
        audit_record(request=request, action="contacts_view", obj=organization, network=network)
    graph = network_graph(network)
    members = {pid for pid, p in graph.people.items() if p.organization_id == organization.pk}
    inside = sum(1 for t in graph.ties if t.source in members and t.target in members)
    rings = organization_rings(graph, organization.pk)
    context = {
        "network": network,
        "organization": organization,
        "show_contacts": show_contacts,
        "can_manage": access.role_allows(role, Need.MANAGE),
        "memberships": queries.organization_members(network, organization),
        "networks": queries.organization_networks(organization, access.network_roles(request.user)),
        "sectors": partners_by_sector(rings.alters + rings.unplaced) if rings else [],
        "inside": inside,
        "custom_values": values_shown(queries.custom_values_of(network, organization=organization)),
    }
    return render(request, "networks/organization_detail.html", context)


def _organization_fields(form) -> dict:
    return {key: form.cleaned_data[key] for key in ("name", "sector", "parent", "website", "notes")}


@network_view(Need.MANAGE)
def organization_create(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    """A new organization, unless the caller's networks already have it: then it is offered,
    to take part in this network too (one organization, one record)."""
    if "existing" in request.POST:
        return _organization_link(request, network)
    form = OrganizationForm(request.POST or None, organizations=access.organizations_in(network))
    offer = None
    if request.method == "POST" and form.is_valid():
        fields = _organization_fields(form)
        try:
            domain.organization_create(network=network, user=request.user, **fields)
        except ValidationError as error:
            form_add_errors(form, error)
            offer = queries.organization_to_offer(request.user, fields["name"], network)
        else:
            messages.success(request, _("The organization was added."))
            return redirect("networks:organizations", slug=network.slug)
    return render(
        request,
        "networks/organization_form.html",
        {"network": network, "form": form, "offer": offer},
        status=form_status(form),
    )


def _organization_link(request: HttpRequest, network: Network) -> HttpResponseBase:
    organization = access.organization_visible(request.user, request.POST["existing"])
    if organization is None:
        raise Http404("organization")
    try:
        domain.organization_link(network=network, organization=organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s now takes part in this network.") % {"name": organization.name},
        )
    return redirect("networks:organizations", slug=network.slug)


@network_view(Need.MANAGE)
def organization_edit(
    request: HttpRequest, network: Network, role: str, organization_id: int
) -> HttpResponseBase:
    organization = access.organization_in(network, organization_id)
    initial = {key: getattr(organization, key) for key in OrganizationForm.base_fields}
    form = OrganizationForm(
        request.POST or None,
        initial=initial,
        organizations=queries.parents_of_organization(network, organization),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.organization_update(organization=organization, **_organization_fields(form))
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The organization was saved."))
            return redirect("networks:organizations", slug=network.slug)
    return render(
        request,
        "networks/organization_form.html",
        {"network": network, "organization": organization, "form": form},
        status=form_status(form),
    )


@network_view(Need.MANAGE)
def organization_archive(
    request: HttpRequest, network: Network, role: str, organization_id: int
) -> HttpResponseBase:
    organization = access.organization_in(network, organization_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Archive %(name)s?") % {"name": organization.name},
            lines=[
                _("The organization is kept for the record, with its people, and can be restored.")
            ],
            action=request.path,
            fields={"archived": "1"},
            button=_("Archive the organization"),
            cancel=reverse("networks:organization_edit", args=[network.slug, organization.pk]),
            undoable=True,
        )
    archived = request.POST.get("archived", "1") == "1"
    domain.organization_archive(
        organization=organization, archived=archived, network=network, user=request.user
    )
    messages.success(
        request,
        _("The organization was archived.") if archived else _("The organization was restored."),
    )
    return redirect("networks:organizations", slug=network.slug)


# --- ties ------------------------------------------------------------------------------------


@network_view()
def ties(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    page = _page(request, queries.ties_of(network))
    context = {
        "network": network,
        "page": page,
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return _render(request, "networks/ties.html", context, partial="tie-list")


@network_view(Need.MANAGE)
def tie_create(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    form = TieForm(request.POST or None, people=queries.people_of(network))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.tie_create(
                network=network,
                source_id=data["source"].pk,
                target_id=data["target"].pk,
                strength=data["strength"],
                since=data["since"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The tie was added."))
            return redirect("networks:ties", slug=network.slug)
    return render(
        request,
        "networks/tie_form.html",
        {"network": network, "form": form},
        status=form_status(form),
    )


def _tie_page(request, network, role, tie, form=None, status=200):
    can_manage = access.role_allows(role, Need.MANAGE)
    if can_manage and form is None:
        form = TieEditForm(initial={"strength": tie.strength, "since": tie.since})
    origins = list(tie.origins.order_by("-recorded_at", "-id"))
    context = {
        "network": network,
        "tie": tie,
        "origins": origins,
        "waves": [o for o in origins if o.kind == OriginKind.SURVEY and o.current],
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "networks/tie_detail.html", context, status=status)


@network_view()
def tie_detail(request: HttpRequest, network: Network, role: str, tie_id: int) -> HttpResponseBase:
    return _tie_page(request, network, role, access.tie_in(network, tie_id))


@require_POST
@network_view(Need.MANAGE)
def tie_edit(request: HttpRequest, network: Network, role: str, tie_id: int) -> HttpResponseBase:
    tie = access.tie_in(network, tie_id)
    form = TieEditForm(request.POST)
    if form.is_valid():
        fields = {"since": form.cleaned_data["since"]}
        if form.cleaned_data["strength"] != tie.strength:
            fields["strength"] = form.cleaned_data["strength"]
        try:
            domain.tie_update(tie=tie, **fields)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The tie was saved."))
            return redirect("networks:tie", slug=network.slug, tie_id=tie.pk)
    return _tie_page(request, network, role, tie, form, status=form_status(form))


@network_view(Need.MANAGE)
def tie_origin_remove(
    request: HttpRequest, network: Network, role: str, tie_id: int, origin_id: int
) -> HttpResponseBase:
    tie = access.tie_in(network, tie_id)
    origin = access.tie_origin_in(tie, origin_id)
    tie_url = reverse("networks:tie", args=[network.slug, tie.pk])
    last = origin.current and len(tie.current_origins()) == 1
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove a source of the tie %(from)s → %(to)s?")
            % {"from": tie.source.name, "to": tie.target.name},
            lines=[
                capfirst(origin.name),
                _("It is the only source that stands: the tie goes with it.")
                if last
                else _("The tie stays: another source still reports it.")
                if origin.current
                else _("Only the history changes."),
            ],
            action=request.path,
            button=_("Remove this source"),
            cancel=tie_url,
            undoable=True,
        )
    removal, tie = domain.tie_origin_remove(origin=origin, user=request.user)
    if tie is None:
        _removed(
            request,
            network,
            removal,
            _("The source was removed, and the tie with it: no other source reports it."),
        )
        return redirect("networks:ties", slug=network.slug)
    _removed(
        request,
        network,
        removal,
        _(
            "The source was removed. The tie stays, because other sources remain: "
            "%(sources)s. Its strength is now: %(strength)s."
        )
        % {
            "sources": ", ".join(o.name for o in tie.current_origins()),
            "strength": tie.get_strength_display(),
        },
    )
    return redirect(tie_url)


@network_view(Need.MANAGE)
def tie_delete(request: HttpRequest, network: Network, role: str, tie_id: int) -> HttpResponseBase:
    tie = access.tie_in(network, tie_id)
    ties_url = reverse("networks:ties", args=[network.slug])
    surveyed = tie.survey_reported
    if request.method != "POST":
        lines = [_("The tie disappears from the list, the map, the counts and the exports.")]
        if surveyed:
            lines.append(
                _(
                    "A survey wave reports this tie too: its source goes with the tie. "
                    "A later survey wave may report it again."
                )
            )
        return confirm_render(
            request,
            title=_("Remove the tie %(source)s → %(target)s?")
            % {"source": tie.source.name, "target": tie.target.name},
            lines=lines,
            action=request.path,
            button=_("Remove the tie"),
            cancel=ties_url,
            undoable=True,
        )
    removal = domain.tie_delete(tie=tie, user=request.user)
    if surveyed:
        text = _(
            "The tie was removed with all its sources, the survey's too. "
            "A later survey wave may report it again."
        )
    else:
        text = _("The tie was removed.")
    _removed(request, network, removal, text)
    return redirect(ties_url)


# --- recently removed ------------------------------------------------------------------------


def _removed(request, network, removal, text: str) -> None:
    """The success message after a removal, with its "Undo" button."""
    undo_message(
        request, text, reverse("networks:removal_restore", args=[network.slug, removal.pk])
    )


@network_view(Need.FACILITATE)
def removed(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    """What was removed in the last days, each with "Undo": only what this role may restore."""
    page = _page(request, access.removals_restorable(network, role))
    rows = [(removal, removal_label(removal)) for removal in page]
    context = {"network": network, "page": page, "rows": rows, "undo_days": undo_days()}
    return render(request, "networks/removed.html", context)


@require_POST
@network_view(Need.FACILITATE)
def removal_restore(
    request: HttpRequest, network: Network, role: str, removal_id: int
) -> HttpResponseBase:
    removal = access.removal_in(network, role, removal_id)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    try:
        removals.removal_restore(removal=removal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back or reverse("networks:removed", args=[network.slug]))
    audit_record(request=request, action="removal_restore", obj=removal)
    messages.success(
        request,
        _("Restored: %(name)s (%(what)s).")
        % {"what": removal_label(removal), "name": removal.name},
    )
    kind = KINDS.get(removal.kind)
    target = kind.url(removal) if kind and kind.url else None
    return redirect(back or target or reverse("networks:removed", args=[network.slug]))


# --- invitations -----------------------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponseBase:
    invitation = domain.invitation_open(raw=token)
    if invitation is None:
        audit_record(request=request, action="invitation_accept", outcome="refused")
        return render(request, "networks/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    refusal = domain.invitation_refusal(invitation=invitation, user=user)
    form = None if user is not None or refusal else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and not refusal and (form is None or form.is_valid()):
        try:
            person = domain.invitation_accept(
                invitation=invitation,
                user=user,
                username=form.cleaned_data["username"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            if form is not None:
                login(request, person.user, backend="suhde.accounts.sso.PasswordBackend")
            audit_record(request=request, action="invitation_accept", obj=invitation)
            messages.success(
                request, _("Welcome to the network %(name)s.") % {"name": invitation.network.name}
            )
            return redirect(reverse("networks:home", args=[invitation.network.slug]))
    if refusal:
        audit_record(request=request, action="invitation_accept", outcome="refused", obj=invitation)
    context = {
        "invitation": invitation,
        "form": form,
        "role_label": Role(invitation.role).label,
        "refusal": refusal,
    }
    status = 403 if refusal else (form_status(form) if form else 200)
    return render(request, "networks/invitation_accept.html", context, status=status)


# --- a person's own details and the changes proposed to them -----------------------------------


def _own_context(request, person, form):
    changes = list(queries.person_changes_waiting(request.user))
    rows = queries.person_change_rows(changes)
    return {
        "person": person,
        "form": form,
        "changes": [(change, rows[change.pk]) for change in changes],
    }


@login_required
def my_details(request: HttpRequest) -> HttpResponseBase:
    """The user's own record: only they change it (access.person_edit), and here they answer
    the changes coordinators proposed."""
    person = domain.person_for_user(user=request.user)
    initial = {key: getattr(person, key) for key in OwnDetailsForm.base_fields}
    form = OwnDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.person_self_update(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("networks:my_details")
    context = _own_context(request, person, form)
    return render(request, "networks/my_details.html", context, status=form_status(form))


def _own_change(request: HttpRequest, change_id: int) -> PersonChange:
    return queries.person_change_waiting(request.user, change_id)


@require_POST
@login_required
def my_change_decide(request: HttpRequest, change_id: int, decision: str) -> HttpResponseBase:
    change = _own_change(request, change_id)
    _change_decide(request, change, decision, user=request.user)
    return redirect("networks:my_details")


def _change_decide(request, change, decision, user) -> bool:
    try:
        if decision == "accept":
            domain.person_change_accept(change=change, user=user)
            messages.success(request, _("The change was accepted; your details are updated."))
        else:
            domain.person_change_decline(change=change, user=user)
            messages.success(request, _("The change was declined; nothing was changed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def person_change_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """A proposal opened from the mail sent to the person's address: no account needed."""
    change = domain.person_change_open(raw=token)
    if change is None:
        audit_record(request=request, action="person_change_link", outcome="refused")
        return render(request, "networks/person_change.html", {"change": None}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("accept", "decline"):
            messages.error(request, _("Choose to accept or to decline the change."))
        elif _change_decide(request, change, decision, user=None):
            return render(request, "networks/person_change_done.html", {"change": change})
        else:
            return render(request, "networks/person_change.html", {"change": None}, status=400)
    rows = queries.person_change_rows([change])[change.pk]
    return render(request, "networks/person_change.html", {"change": change, "rows": rows})
