"""The contact list, its exports, and confirming one's own details by link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.jobs import export_in_background
from suhde.networks.models import Network
from suhde.networks.sending import sending_confirm, sending_in_background

from .. import domain, queries
from ..forms import ConfirmForm
from ..jobs import CONFIRM_SEND, CONTACT_FORMATS, CONTACTS_EXPORT, confirm_recipients, contacts_file

EXPORTS = CONTACT_FORMATS


# --- contacts ---------------------------------------------------------------------------------


@network_view(Need.CONTACTS)
def contacts(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    annual = domain.clock_ensure(network=network)
    found = queries.contacts_of(network, annual.stale_months)
    audit_record(request=request, action="contacts_view", obj=network)
    context = {
        "network": network,
        "annual": annual,
        "contacts": found,
        "stale_count": sum(1 for contact in found if contact.stale),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "coordination/contacts.html", context)


@network_view(Need.CONTACTS)
def contacts_export(
    request: AuthedRequest, network: Network, role: str, fmt: str
) -> HttpResponseBase:
    """A download; for a large network a GET asks first and a POST hands it to the worker."""
    if fmt not in EXPORTS:
        raise Http404("format")
    if export_in_background(network):
        if request.method == "POST":
            job = job_start(
                kind=CONTACTS_EXPORT,
                network_id=network.pk,
                user=request.user,
                arguments={"format": fmt},
            )
            return redirect("networks:job", network.slug, job.pk)
        return confirm_render(
            request,
            title=_("Contact list"),
            action=request.path,
            button=_("Prepare the file"),
            cancel=reverse("coordination:contacts", args=[network.slug]),
            lines=[
                _(
                    "This network is large: the file is written in the background, and its "
                    "page offers it for download when it is ready."
                )
            ],
            danger=False,
        )
    content, content_type, name = contacts_file(network, fmt)
    audit_record(request=request, action="contacts_export", obj=network)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@network_view(Need.MANAGE)
def contacts_ask(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    """GET asks first, saying how many will be mailed; POST mails them, through the worker when
    they are more than a request should queue (``SUHDE_MAIL_INLINE_LIMIT``)."""
    recipients = confirm_recipients(network)
    back = reverse("coordination:contacts", args=[network.slug])
    count = len(recipients)
    if request.method != "POST":
        if not count:
            messages.info(
                request, _("Nobody with an email address needs to confirm their details.")
            )
            return redirect(back)
        return sending_confirm(
            request,
            title=_("Ask them to confirm their details"),
            count=count,
            cancel=back,
            lines=[
                ngettext(
                    "%(count)d person gets an email with a personal link to confirm or correct "
                    "their own details, without an account.",
                    "%(count)d people get an email with a personal link to confirm or correct "
                    "their own details, without an account.",
                    count,
                )
                % {"count": count},
                _("A link sent to them earlier stops working."),
            ],
        )
    job = sending_in_background(request, network, count=count, kind=CONFIRM_SEND, arguments={})
    if job is not None:
        return job
    count = domain.confirm_requests_send(
        network=network, people=recipients, language=get_language()
    )
    audit_record(request=request, action="contacts_ask", obj=network)
    messages.success(
        request,
        ngettext(
            "%(count)d person was asked to confirm their details.",
            "%(count)d people were asked to confirm their details.",
            count,
        )
        % {"count": count},
    )
    return redirect(back)


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponseBase:
    """A person confirms or corrects their own details from the emailed link, without logging in."""
    pending = domain.confirm_open(raw=token)
    if pending is None:
        audit_record(request=request, action="contacts_confirm", outcome="refused")
        return render(request, "coordination/confirm_invalid.html", status=404)
    person = pending.person
    initial = {key: getattr(person, key) for key in ("name", "email", "phone", "title")}
    form = ConfirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.confirm_submit(request=pending, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="contacts_confirm", obj=person, label="link")
            return render(request, "coordination/confirm_done.html", {"person": person})
    context = {"pending": pending, "person": person, "form": form}
    return render(request, "coordination/confirm.html", context, status=form_status(form))
