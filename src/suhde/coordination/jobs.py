"""Asking many people to confirm their details runs in the background worker: writing a personal
link and a mail for each of a few thousand people takes longer than a request should."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, job_register
from suhde.networks import access
from suhde.networks.access import Need

from . import domain, queries

CONFIRM_SEND = "coordination.confirm_send"


def confirm_recipients(network) -> list:
    """Who "Ask them to confirm" mails now: stale people with an email address."""
    annual = domain.clock_ensure(network=network)
    return [p for p in queries.stale_people(network, annual.stale_months) if p.email]


def confirm_send_run(job, progress) -> dict:
    """The same sending as the page's, for more people than a request should mail."""
    try:
        network, _role = access.network_access_by_id(job.user, job.network_id, Need.MANAGE)
    except (Http404, PermissionDenied):
        raise JobRefused(_("You no longer have access to this network.")) from None
    progress("send", 0, 1)
    count = domain.confirm_requests_send(
        network=network,
        people=confirm_recipients(network),
        language=job.arguments.get("language") or "fi",
    )
    audit_record(user=job.user, action="contacts_ask", obj=network)
    return {"count": count, "back": reverse("coordination:contacts", args=[network.slug])}


def jobs_register() -> None:
    job_register(
        CONFIRM_SEND,
        confirm_send_run,
        labels=lambda: {"send": _("Writing the emails…")},
        result_template="networks/_mail_queued.html",
    )
