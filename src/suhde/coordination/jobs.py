"""Asking many people to confirm their details runs in the background worker: writing a personal
link and a mail for each of a few thousand people takes longer than a request should."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_output, job_register
from suhde.common.models import Job
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.models import Network, Person

from . import domain, queries

CONFIRM_SEND = "coordination.confirm_send"
CONTACTS_EXPORT = "coordination.contacts_export"
CLOCK_PDF = "coordination.clock_pdf"


def confirm_recipients(network: Network) -> list[Person]:
    """Who "Ask them to confirm" mails now: stale people with an email address."""
    annual = domain.clock_ensure(network=network)
    return [p for p in queries.stale_people(network, annual.stale_months) if p.email]


def confirm_send_run(job: Job, progress: Progress) -> dict[str, object]:
    """The same sending as the page's, for more people than a request should mail."""
    network, _role = access.job_network(job, Need.MANAGE)
    progress("send", 0, 1)
    count = domain.confirm_requests_send(
        network=network,
        people=confirm_recipients(network),
        language=job.arguments.get("language") or "fi",
    )
    audit_record(user=job.user, action="contacts_ask", obj=network)
    return {"count": count, "back": reverse("coordination:contacts", args=[network.slug])}


def contacts_file(network: Network, fmt: str) -> tuple[bytes, str, str]:
    """The contact list as csv, xlsx or vcf: (content, content type, file name)."""
    from . import exports

    annual = domain.clock_ensure(network=network)
    found = queries.contacts_of(network, annual.stale_months)
    if fmt == "csv":
        content = exports.contacts_csv(found)
    elif fmt == "xlsx":
        content = exports.contacts_xlsx(found, title=network.name)
    else:
        content = exports.contacts_vcard(found)
    content_type, extension = CONTACT_FORMATS[fmt]
    return content, content_type, f"{network.slug}-contacts.{extension}"


CONTACT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "vcf": ("text/vcard; charset=utf-8", "vcf"),
}


def contacts_export_run(job: Job, progress: Progress) -> dict[str, object]:
    """A large network's contact list, written by the worker; the role is checked again."""
    network, _role = access.job_network(job, Need.CONTACTS)
    fmt = job.arguments.get("format")
    if fmt not in CONTACT_FORMATS:
        raise JobRefused(_("Unknown file format."))
    progress("export_write", 0, 1)
    content, content_type, name = contacts_file(network, fmt)
    data = content.encode("utf-8") if isinstance(content, str) else content
    job_output(job, data=data, name=name, content_type=content_type)
    audit_record(user=job.user, action="contacts_export", obj=network)
    return {"back": reverse("coordination:contacts", args=[network.slug])}


def clock_pdf_run(job: Job, progress: Progress) -> dict[str, object]:
    """The annual clock's PDF, the same as the page's button made in the request before; the
    starter's access is checked again (a role may have been taken away in between)."""
    from . import exports
    from .views.clock import clock_context

    network, _role = access.job_network(job, Need.VIEW)
    if job.user is None:  # its starter's account was removed since
        raise JobRefused(_("You no longer have access to this network."))
    progress("clock_gather", 0, 2)
    context = clock_context(job.user, network, year=job.arguments.get("year"))
    window = context["window"]
    assert isinstance(window, queries.YearWindow)  # clock_context's own
    progress("clock_pdf", 1, 2)
    data, name = exports.clock_pdf(context)
    job_output(job, data=data, name=name, content_type="application/pdf")
    back = reverse("coordination:clock", args=[network.slug]) + f"?year={window.year}"
    return {"back": back}


def jobs_register() -> None:
    job_register(
        CLOCK_PDF,
        clock_pdf_run,
        labels=lambda: {
            "clock_gather": _("Gathering the year's events…"),
            "clock_pdf": _("Laying out the annual clock as a PDF…"),
        },
        result_template="networks/_job_file.html",
    )
    job_register(
        CONTACTS_EXPORT,
        contacts_export_run,
        labels=lambda: {"export_write": _("Writing the file…")},
        result_template="networks/_job_file.html",
    )
    job_register(
        CONFIRM_SEND,
        confirm_send_run,
        labels=lambda: {"send": _("Writing the emails…")},
        result_template="networks/_mail_queued.html",
    )
