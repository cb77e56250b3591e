"""Merging two records of one person or organization: pick the duplicate, see what will happen,
confirm; the message after it offers the undo (networks/merge.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.confirm import confirm_render, undo_message
from suhde.common.schemas import ID_MAX

from .. import access, merge, queries
from ..access import Need, network_view


def _chosen(queryset, value):
    try:
        pk = int(str(value or "").strip())
    except ValueError:
        return None
    return queryset.filter(pk=pk).first() if 0 < pk <= ID_MAX else None


def _done(request, network, removal, text: str) -> None:
    undo_message(
        request, text, reverse("networks:removal_restore", args=[network.slug, removal.pk])
    )


@network_view(Need.MANAGE)
def person_merge(request, network, role, person_id):
    """Merge a duplicate record into this person (the one kept)."""
    into = access.person_in(network, person_id)
    page = reverse("networks:person", args=[network.slug, into.pk])
    chosen = request.POST.get("person") or request.GET.get("person")
    if chosen is None:
        text = request.GET.get("q", "")
        hits = [h for h in queries.people_search(request.user, text) if h.person.pk != into.pk]
        context = {"network": network, "kept": into, "q": text, "hits": hits, "cancel": page}
        return render(request, "networks/merge_search.html", context)
    duplicate = _chosen(access.people_visible(request.user), chosen)
    if duplicate is None:
        messages.error(request, _("Person: choose someone from the search."))
        return redirect("networks:person_merge", slug=network.slug, person_id=into.pk)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Merge %(old)s into %(new)s?") % {"old": duplicate.name, "new": into.name},
            lines=[
                _(
                    "Everything of %(old)s moves to %(new)s: memberships, ties, survey answers "
                    "and history. Where both are members, the higher role stays. A tie between "
                    "the two goes. %(old)s is then archived."
                )
                % {"old": duplicate.name, "new": into.name},
                _("The contact details of %(new)s stay as they are.") % {"new": into.name},
            ],
            action=request.path,
            fields={"person": duplicate.pk},
            button=_("Merge"),
            cancel=page,
            undoable=True,
        )
    try:
        removal = merge.person_merge(
            user=request.user, network=network, person=duplicate, into=into
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    _done(
        request,
        network,
        removal,
        _("%(old)s was merged into %(new)s.") % {"old": duplicate.name, "new": into.name},
    )
    return redirect(page)


@network_view(Need.MANAGE)
def organization_merge(request, network, role, organization_id):
    """Merge a duplicate organization into this one (the one kept)."""
    into = access.organization_in(network, organization_id)
    page = reverse("networks:organization", args=[network.slug, into.pk])
    chosen = request.POST.get("organization") or request.GET.get("organization")
    if chosen is None:
        text = request.GET.get("q", "")
        found = queries.organizations_search(request.user, text)
        context = {
            "network": network,
            "kept": into,
            "q": text,
            "organizations": [o for o in found if o.pk != into.pk],
            "cancel": page,
        }
        return render(request, "networks/merge_search.html", context)
    duplicate = _chosen(access.organizations_visible(request.user), chosen)
    if duplicate is None:
        messages.error(request, _("Organization: choose one from the search."))
        return redirect("networks:organization_merge", slug=network.slug, organization_id=into.pk)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Merge %(old)s into %(new)s?") % {"old": duplicate.name, "new": into.name},
            lines=[
                _(
                    "The people, units and networks of %(old)s move to %(new)s, and %(old)s is "
                    "then archived."
                )
                % {"old": duplicate.name, "new": into.name}
            ],
            action=request.path,
            fields={"organization": duplicate.pk},
            button=_("Merge"),
            cancel=page,
            undoable=True,
        )
    try:
        removal = merge.organization_merge(
            user=request.user, network=network, organization=duplicate, into=into
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    _done(
        request,
        network,
        removal,
        _("%(old)s was merged into %(new)s.") % {"old": duplicate.name, "new": into.name},
    )
    return redirect(page)
