"""The PDF report is made by the background worker: WeasyPrint takes seconds on a large network
(3 s at 500 members, more with every tie on the map), longer than a request should hold a worker.

The runner checks the starter's access again when it runs (a role may have been taken away in
between) and makes the same PDF as the page's view did: the same context, charts inline.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_output, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need

from . import exports, queries

REPORT_PDF = "evaluation.report_pdf"
LANGUAGES = ("fi", "sv", "en")


def report_pdf_run(job: Job, progress: Progress) -> dict[str, str]:
    from .views import dashboard_context

    network, role = access.job_network(job, Need.VIEW)
    try:
        wave = queries.wave_of(network, job.arguments.get("wave"))
    except Http404:
        raise JobRefused(_("This wave no longer exists.")) from None
    progress("figures", 0, 2)
    board = queries.dashboard(wave, getattr(job.user, "person", None))
    context = dashboard_context(network, role, board, map_by=job.arguments.get("map", ""))
    progress("pdf", 1, 2)
    job_output(
        job,
        data=exports.to_pdf(board, context),
        name=f"wave-{wave.pk}.pdf",
        content_type="application/pdf",
    )
    audit_record(user=job.user, action="dashboard_export_pdf", obj=wave)
    return {"back": reverse("evaluation:dashboard", args=[network.slug, wave.pk])}


def jobs_register() -> None:
    job_register(
        REPORT_PDF,
        report_pdf_run,
        labels=lambda: {
            "figures": _("Gathering the figures…"),
            "pdf": _("Laying out the PDF report…"),
        },
        result_template="networks/_job_file.html",
    )
    _round_jobs_register()


ROUND_REPORT_PDF = "evaluation.round_report_pdf"


def round_report_pdf_run(job: Job, progress: Callable[[str, int, int], None]) -> dict:
    """The round report's PDF in the language asked for, with what the starter may see now."""
    network, _role = access.job_network(job, Need.VIEW)
    number = job.arguments.get("round")
    lang = job.arguments.get("lang") if job.arguments.get("lang") in LANGUAGES else "fi"
    progress("figures", 0, 2)
    with translation.override(lang):
        try:
            data = exports.round_report_pdf(network, int(number or 0))
        except Http404:
            raise JobRefused(_("This round no longer exists.")) from None
    progress("pdf", 1, 2)
    job_output(
        job,
        data=data,
        name=f"{network.slug}-round-{number}-{lang}.pdf",
        content_type="application/pdf",
    )
    audit_record(user=job.user, action="round_report_pdf", obj=network)
    return {"back": reverse("evaluation:round_report", args=[network.slug, number])}


def _round_jobs_register() -> None:
    job_register(
        ROUND_REPORT_PDF,
        round_report_pdf_run,
        labels=lambda: {
            "figures": _("Gathering the figures…"),
            "pdf": _("Laying out the PDF report…"),
        },
        result_template="networks/_job_file.html",
    )
