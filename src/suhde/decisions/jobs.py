"""Emailing an agreement poll's personal links to many members runs in the background worker:
a new link and a mail for each of a few thousand members takes longer than a request should."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import domain
from .models import Poll

POLL_LINKS = "decisions.poll_links"


def poll_links_run(job: Job, progress: Progress) -> dict[str, object]:
    """The same sending as the page's: members who have not voted by now get a new link."""
    network, _role = access.job_network(job, Need.FACILITATE)
    poll = (
        Poll.objects.select_related("decision__network")
        .filter(pk=job.arguments.get("poll"), decision__network=network)
        .first()
    )
    if poll is None:
        raise JobRefused(_("This poll no longer exists."))
    progress("send", 0, 1)
    count = domain.poll_links_send(poll=poll, language=job.arguments.get("language") or "fi")
    audit_record(user=job.user, action="poll_links_send", obj=poll)
    back = reverse("decisions:decision", args=[network.slug, poll.decision_id])
    return {"count": count, "back": back}


def jobs_register() -> None:
    job_register(
        POLL_LINKS,
        poll_links_run,
        labels=lambda: {"send": _("Writing the emails…")},
        result_template="networks/_mail_queued.html",
    )
