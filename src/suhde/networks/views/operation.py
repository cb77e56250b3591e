"""Pages about work done in the background: the network's outgoing mail and one job's progress."""

from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.confirm import undo_message
from suhde.common.jobs import job_file_response, job_in, job_status
from suhde.common.mail import (
    BOUNCED_BY_HAND,
    BOUNCED_REPORTED,
    KIND_LABELS,
    outbox_bounced_set,
    outbox_counts,
    outbox_messages,
)
from suhde.common.models import OutboxMessage

from .. import queries
from ..access import Need, network_view
from ..models import Network
from .registry import _page, _render

MAIL_PAGE_SIZE = 50


@network_view(Need.MANAGE)
def network_mail(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    """Every message the network sent or is sending, with its state (sent, failed, bounced)."""
    state = request.GET.get("state", "")
    if state not in OutboxMessage.State.values:
        state = ""
    outgoing = queries.network_outbox(network, state)
    page = _page(request, outgoing, MAIL_PAGE_SIZE)
    for message in page:
        message.kind_label = KIND_LABELS.get(message.kind, message.kind)
    context = {
        "network": network,
        "page": page,
        "counts": outbox_counts(network_id=network.pk),
        "state": state,
        "states": OutboxMessage.State.choices,
        "by_hand": BOUNCED_BY_HAND,
        "reported": BOUNCED_REPORTED,
    }
    return _render(request, "networks/mail.html", context, partial="mail-list")


@require_POST
@network_view(Need.MANAGE)
def network_mail_bounced(
    request: HttpRequest, network: Network, role: str, message_id: int
) -> HttpResponseBase:
    """Mark a sent message bounced when the report reached the coordinator, or take it back."""
    message = get_object_or_404(outbox_messages(network_id=network.pk), pk=message_id)
    # The undo button posts to the same address with ?bounced=0.
    bounced = (request.POST.get("bounced") or request.GET.get("bounced") or "1") == "1"
    back = reverse("networks:mail", args=[network.slug])
    if not outbox_bounced_set(message=message, bounced=bounced):
        messages.error(request, _("Only a sent message can be marked bounced, and only a mark "
                                  "made by hand can be taken back."))  # fmt: skip
    elif bounced:
        undo = reverse("networks:mail_bounced", args=[network.slug, message.pk]) + "?bounced=0"
        undo_message(request, _("The message was marked bounced."), undo)
    else:
        messages.success(request, _("The message is marked sent again."))
    return redirect(back)


@network_view()
def network_job(request: HttpRequest, network: Network, role: str, job_id: int) -> HttpResponseBase:
    job = job_in(network_id=network.pk, user=request.user, job_id=job_id)
    context = {"network": network, "job": job, "status": job_status(job)}
    return _render(request, "networks/job.html", context, partial="job-progress")


@network_view()
def network_job_file(
    request: HttpRequest, network: Network, role: str, job_id: int
) -> HttpResponseBase:
    return job_file_response(job_in(network_id=network.pk, user=request.user, job_id=job_id))
