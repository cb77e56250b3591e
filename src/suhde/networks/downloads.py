"""Files the pages and the API hand out the same way: exports, checked at download time."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from suhde.common.audit import audit_record
from suhde.common.jobs import job_start
from suhde.common.models import Job

from . import access, queries
from .access import Need
from .exports import export_data, export_render
from .jobs import EXPORT
from .models import Network, Person


def download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_response(
    request: HttpRequest, network: Network, role: str, fmt: str, table: str
) -> HttpResponse:
    """Checked at download time (promise 5): the caller's role now, not when a link was made."""
    contacts = access.role_allows(role, Need.CONTACTS)
    if fmt == "vcard":
        access.role_require(role, Need.CONTACTS)
    body, content_type, filename = export_render(
        export_data(network, contacts=contacts), fmt, table
    )
    audit_record(request=request, action=f"export:{fmt}", obj=network)
    return download(body, content_type, filename)


def export_job_start(
    request: HttpRequest, network: Network, role: str, fmt: str, table: str
) -> Job:
    """A large network's export goes to the worker; the job's page (or the API's job) gives
    the file."""
    if fmt == "vcard":
        access.role_require(role, Need.CONTACTS)
    return job_start(
        kind=EXPORT,
        network_id=network.pk,
        user=request.user,
        arguments={"format": fmt, "table": table},
    )


def download_response(
    request: HttpRequest,
    person: Person,
    network_ids: list[int] | None,
    network: Network | None = None,
) -> HttpResponse:
    """A person's own data as a zip (promise 24), the same from the page and the API."""
    data = queries.person_download(person, network_ids=network_ids)
    # A coordinator's download is made through a network, whose audit page shows it.
    network = network if network_ids is not None else None
    audit_record(request=request, action="person_export", obj=person, network=network)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="suhde-person-{person.pk}-{stamp}.zip"'
    return response
