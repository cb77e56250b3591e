"""A live session's PDF is made by the background worker: laying out thousands of posts took
WeasyPrint minutes, far longer than a request should hold a web worker."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_output, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import exports, queries

SESSION_PDF = "workshops.session_pdf"


def session_pdf_run(job: Job, progress: Progress) -> dict[str, str]:
    network, _role = access.job_network(job, Need.FACILITATE)
    try:
        session = queries.session_in(network, job.arguments.get("session"))
    except Http404:
        raise JobRefused(_("This session no longer exists.")) from None
    progress("gather", 0, 2)
    results = queries.session_results(session, moderator=True)
    progress("pdf", 1, 2)
    data, name = exports.pdf_file(session, results)
    job_output(job, data=data, name=name, content_type="application/pdf")
    audit_record(user=job.user, action="live_export_pdf", obj=session)
    return {"back": reverse("workshops:session", args=[network.slug, session.pk])}


def jobs_register() -> None:
    job_register(
        SESSION_PDF,
        session_pdf_run,
        labels=lambda: {
            "gather": _("Gathering the posts and votes…"),
            "pdf": _("Laying out the PDF…"),
        },
        result_template="networks/_job_file.html",
    )
