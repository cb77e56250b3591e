"""The charter's PDF is made by the background worker: WeasyPrint can hold a web worker for
seconds on a long charter with many goals, longer than a request should (issue 14).

The runner checks the starter's access again when it runs (a role may have been taken away in
between) and makes the same PDF as the page's view did.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.jobs import Progress, job_output, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import exports

CHARTER_PDF = "charter.charter_pdf"


def charter_pdf_run(job: Job, progress: Progress) -> dict[str, str]:
    network, _role = access.job_network(job, Need.VIEW)
    progress("pdf", 0, 1)
    data, name = exports.charter_pdf(network)
    job_output(job, data=data, name=name, content_type="application/pdf")
    return {"back": reverse("charter:charter", args=[network.slug])}


def jobs_register() -> None:
    job_register(
        CHARTER_PDF,
        charter_pdf_run,
        labels=lambda: {"pdf": _("Laying out the charter as a PDF…")},
        result_template="networks/_job_file.html",
    )
