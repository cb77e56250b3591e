"""A person's own data: the download and the erasure of promise 24 (docs/people.md, "Your data").

The person does both for themselves on Your details; a coordinator does them for someone without
an account, who has no other way to ask. The rules are in ``access`` (``person_data_scope``,
``person_erase_check``), the work in ``queries.person_download`` and ``domain.person_erase``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.confirm import confirm_render
from suhde.common.http import AuthedRequest

from .. import access, domain
from ..access import Need, network_view
from ..downloads import download_response
from ..models import Network


def erase_lines(name: str) -> list[str]:
    return [
        _(
            "%(name)s's name, email address, phone, title, descriptions and ids in imported "
            "files are removed everywhere, and any account is closed for good."
        )
        % {"name": name},
        _(
            "Survey answers, votes and live-session posts stay counted under a record that no "
            "longer says who gave them, so that no published figure changes: a figure that "
            "changed would let anyone who compared it before and after work out the answers."
        ),
        _(
            "This cannot be undone. The data stays only in backups made before today, until "
            "they expire (at most %(months)d months)."
        )
        % {"months": settings.SUHDE_BACKUP_KEEP_MONTHS},
    ]


@login_required
def my_export(request: AuthedRequest) -> HttpResponse:
    person = domain.person_for_user(user=request.user)
    return download_response(request, person, access.person_data_scope(request.user, None, person))


@login_required
def my_erase(request: AuthedRequest) -> HttpResponseBase:
    person = domain.person_for_user(user=request.user)
    page = reverse("networks:my_details")
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Erase your data and close your account?"),
            lines=erase_lines(person.name),
            action=request.path,
            button=_("Erase my data"),
            cancel=page,
            final=True,
        )
    try:
        domain.person_erase(person=person, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    logout(request)
    messages.success(request, _("Your data was erased and your account closed."))
    return redirect("login")


@network_view(Need.MANAGE)
def person_export(
    request: AuthedRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    person = access.person_on_record(network, person_id)
    try:
        scope = access.person_data_scope(request.user, network, person)
    except access.Refused as refused:
        messages.error(request, refused.public_message)
        return redirect("networks:person", slug=network.slug, person_id=person.pk)
    return download_response(request, person, scope, network)


@network_view(Need.MANAGE)
def person_erase(
    request: AuthedRequest, network: Network, role: str, person_id: int
) -> HttpResponseBase:
    person = access.person_on_record(network, person_id)
    page = reverse("networks:person", args=[network.slug, person.pk])
    try:
        access.person_erase_check(request.user, network, person)
    except access.Refused as refused:
        messages.error(request, refused.public_message)
        return redirect(page)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Erase %(name)s's data?") % {"name": person.name},
            lines=erase_lines(person.name),
            action=request.path,
            button=_("Erase the data"),
            cancel=page,
            final=True,
        )
    try:
        domain.person_erase(person=person, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    messages.success(request, _("The person's data was erased."))
    return redirect("networks:members", slug=network.slug)
