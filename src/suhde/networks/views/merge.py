"""Merging two records of one person or organization: pick the duplicate, see what will happen,
confirm; the message after it offers the undo (networks/merge.py).

People and organizations go through the same steps; ``Merging`` holds what differs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.confirm import confirm_render, undo_message

from .. import access, merge, queries
from ..access import Need, network_view
from ..models import Network


@dataclass(frozen=True)
class Merging:
    field: str  # the form field naming the duplicate, and the URL's id
    page: str  # the kept record's page
    start: str  # this view's own URL name
    kept: Callable[[Network, int], Any]
    visible: Callable[[Any, object], Any]
    found: Callable[[HttpRequest, Any, str], dict]  # the search's context
    merge: Callable[..., Any]
    choose: Callable[[], str]
    lines: Callable[[Any, Any], list[str]]


def _merge_page(request: HttpRequest, network: Network, pk: int, how: Merging) -> HttpResponse:
    into = how.kept(network, pk)
    page = reverse(how.page, args=[network.slug, into.pk])
    chosen = request.POST.get(how.field) or request.GET.get(how.field)
    if chosen is None:
        text = request.GET.get("q", "")
        context = {"network": network, "kept": into, "q": text, "cancel": page}
        context.update(how.found(request, into, text))
        return render(request, "networks/merge_search.html", context)
    duplicate = how.visible(request.user, chosen)
    if duplicate is None:
        messages.error(request, how.choose())
        return redirect(reverse(how.start, args=[network.slug, into.pk]))
    names = {"old": duplicate.name, "new": into.name}
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Merge %(old)s into %(new)s?") % names,
            lines=how.lines(duplicate, into),
            action=request.path,
            fields={how.field: duplicate.pk},
            button=_("Merge"),
            cancel=page,
            undoable=True,
        )
    try:
        removal = how.merge(request.user, network, duplicate, into)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    undo = reverse("networks:removal_restore", args=[network.slug, removal.pk])
    undo_message(request, _("%(old)s was merged into %(new)s.") % names, undo)
    return redirect(page)


def _people_found(request: HttpRequest, into: Any, text: str) -> dict:
    hits = queries.people_search(request.user, text)
    return {"hits": [hit for hit in hits if hit.person.pk != into.pk]}


def _organizations_found(request: HttpRequest, into: Any, text: str) -> dict:
    found = queries.organizations_search(request.user, text)
    return {"organizations": [o for o in found if o.pk != into.pk]}


PEOPLE = Merging(
    field="person",
    page="networks:person",
    start="networks:person_merge",
    kept=access.person_in,
    visible=access.person_visible,
    found=_people_found,
    merge=lambda user, network, old, new: merge.person_merge(
        user=user, network=network, person=old, into=new
    ),
    choose=lambda: _("Person: choose someone from the search."),
    lines=lambda old, new: [
        _(
            "Everything of %(old)s moves to %(new)s: memberships, ties, survey answers "
            "and history. Where both are members, the higher role stays. A tie between "
            "the two goes. %(old)s is then archived."
        )
        % {"old": old.name, "new": new.name},
        _("The contact details of %(new)s stay as they are.") % {"new": new.name},
    ],
)
ORGANIZATIONS = Merging(
    field="organization",
    page="networks:organization",
    start="networks:organization_merge",
    kept=access.organization_in,
    visible=access.organization_visible,
    found=_organizations_found,
    merge=lambda user, network, old, new: merge.organization_merge(
        user=user, network=network, organization=old, into=new
    ),
    choose=lambda: _("Organization: choose one from the search."),
    lines=lambda old, new: [
        _(
            "The people, units and networks of %(old)s move to %(new)s, and %(old)s is "
            "then archived."
        )
        % {"old": old.name, "new": new.name}
    ],
)


@network_view(Need.MANAGE)
def person_merge(request: HttpRequest, network: Network, role: str, person_id: int) -> HttpResponse:
    """Merge a duplicate record into this person (the one kept)."""
    return _merge_page(request, network, person_id, PEOPLE)


@network_view(Need.MANAGE)
def organization_merge(
    request: HttpRequest, network: Network, role: str, organization_id: int
) -> HttpResponse:
    """Merge a duplicate organization into this one (the one kept)."""
    return _merge_page(request, network, organization_id, ORGANIZATIONS)
