"""Pages about work done in the background: the network's outgoing mail and one job's progress."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from suhde.common.jobs import job_status
from suhde.common.mail import KIND_LABELS, outbox_counts, outbox_messages
from suhde.common.models import Job, OutboxMessage

from ..access import Need
from .registry import _page, _render, network_view

MAIL_PAGE_SIZE = 50


@network_view(Need.MANAGE)
def network_mail(request, network, role):
    """Every message the network sent or is sending, with its state (sent, failed, bounced)."""
    state = request.GET.get("state", "")
    messages = outbox_messages(network_id=network.pk)
    if state in OutboxMessage.State.values:
        messages = messages.filter(state=state)
    else:
        state = ""
    page = _page(request, messages, MAIL_PAGE_SIZE)
    for message in page:
        message.kind_label = KIND_LABELS.get(message.kind, message.kind)
    context = {
        "network": network,
        "page": page,
        "counts": outbox_counts(network_id=network.pk),
        "state": state,
        "states": OutboxMessage.State.choices,
    }
    return _render(request, "networks/mail.html", context, partial="mail-list")


def _job_in(network, user, job_id: int) -> Job:
    """A job of this network, started by this user: nobody else's progress or file."""
    jobs = Job.objects.defer("output")
    return get_object_or_404(jobs, network_id=network.pk, user=user, pk=job_id)


@network_view()
def network_job(request, network, role, job_id):
    job = _job_in(network, request.user, job_id)
    context = {"network": network, "job": job, "status": job_status(job)}
    return _render(request, "networks/job.html", context, partial="job-progress")


@network_view()
def network_job_file(request, network, role, job_id):
    job = _job_in(network, request.user, job_id)
    if job.state != Job.State.DONE or not job.output_name:
        raise Http404("file")
    body = Job.objects.values_list("output", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(body), content_type=job.output_type)
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response
