"""The network's own fields of people and organizations, and their values (docs/people.md,
"Custom fields and tags"): coordinators define them and set the values."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from suhde.common.confirm import confirm_render, undo_message
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest

from .. import access, domain, queries
from ..access import Need, network_view
from ..forms import CustomFieldForm, CustomValuesForm
from ..models import FieldFor, Network


@network_view(Need.MANAGE)
def fields(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    """The fields in their order, and a form to add one."""
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.custom_field_create(network=network, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The field was added."))
            return redirect("networks:fields", slug=network.slug)
    context = {"network": network, "form": form, "fields": queries.custom_fields(network)}
    return render(request, "networks/fields.html", context, status=form_status(form))


@network_view(Need.MANAGE)
def field_edit(
    request: AuthedRequest, network: Network, role: str, field_id: int
) -> HttpResponseBase:
    field = access.custom_field_in(network, field_id)
    initial = {"name": field.name, "choices": "\n".join(field.choices)}
    form = CustomFieldForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            domain.custom_field_update(field=field, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The field was saved."))
            return redirect("networks:fields", slug=network.slug)
    context = {"network": network, "form": form, "field": field}
    return render(request, "networks/field_form.html", context, status=form_status(form))


@network_view(Need.MANAGE)
def field_delete(
    request: AuthedRequest, network: Network, role: str, field_id: int
) -> HttpResponseBase:
    """Remove a field and its values: asks first, and can be undone from "Recently removed"."""
    field = access.custom_field_in(network, field_id)
    back = reverse("networks:fields", args=[network.slug])
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove the field “%(name)s”?") % {"name": field.name},
            lines=[
                _("Every value of it goes with it, on every person or organization."),
                _("Saved map views that filter by it show nobody until it is restored."),
            ],
            action=request.path,
            button=_("Remove the field"),
            cancel=back,
            undoable=True,
        )
    removal = domain.custom_field_delete(field=field, user=request.user)
    undo_message(
        request,
        _("The field “%(name)s” was removed.") % {"name": removal.name},
        reverse("networks:removal_restore", args=[network.slug, removal.pk]),
    )
    return redirect(back)


@network_view(Need.MANAGE)
def person_fields(
    request: AuthedRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    person = access.person_in(network, person_id)
    return _values(request, network, FieldFor.PERSON, person)


@network_view(Need.MANAGE)
def organization_fields(
    request: AuthedRequest, network: Network, role: str, organization_id: int
) -> HttpResponseBase:
    organization = access.organization_in(network, organization_id)
    return _values(request, network, FieldFor.ORGANIZATION, organization)


def _values(request, network, applies_to, owner):
    owner_kw = {"person" if applies_to == FieldFor.PERSON else "organization": owner}
    form = CustomValuesForm(
        request.POST or None,
        fields=queries.custom_fields(network, applies_to),
        values=queries.custom_values_of(network, **owner_kw),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.custom_values_set(network=network, values=form.values(), **owner_kw)
        except ValidationError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The details were saved."))
            if applies_to == FieldFor.PERSON:
                return redirect("networks:person", slug=network.slug, person_id=owner.pk)
            return redirect("networks:organization", slug=network.slug, organization_id=owner.pk)
    context = {"network": network, "form": form, "owner": owner, "applies_to": applies_to}
    return render(request, "networks/field_values.html", context, status=form_status(form))


def values_shown(values: dict) -> dict[str, str]:
    """Values as a page shows them: tags joined, numbers in the reader's format (2,5)."""
    shown = {}
    for name, value in values.items():
        if isinstance(value, list):
            shown[name] = ", ".join(value)
        elif isinstance(value, int | float):
            shown[name] = number_format(value)
        else:
            shown[name] = value or "–"
    return shown
