"""A service path's PDF is made by the background worker, like the other PDFs (issue 14).

The runner checks the starter's access again when it runs, and finds the path through the
network it was started in.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.jobs import JobRefused, Progress, job_output, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import exports, queries

PATH_PDF = "paths.path_pdf"


def path_pdf_run(job: Job, progress: Progress) -> dict[str, str]:
    network, _role = access.job_network(job, Need.VIEW)
    try:
        path = queries.path_in(network, int(job.arguments.get("path") or 0))
    except (Http404, TypeError, ValueError):
        raise JobRefused(_("You no longer have access to this service path.")) from None
    progress("pdf", 0, 1)
    data, name = exports.path_pdf(path)
    job_output(job, data=data, name=name, content_type="application/pdf")
    return {"back": reverse("paths:path", args=[network.slug, path.pk])}


def jobs_register() -> None:
    job_register(
        PATH_PDF,
        path_pdf_run,
        labels=lambda: {"pdf": _("Laying out the service path as a PDF…")},
        result_template="networks/_job_file.html",
    )
