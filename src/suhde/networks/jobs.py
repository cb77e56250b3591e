"""Imports past a few thousand rows run in the background worker (suhde.common.jobs).

The same two steps as on the page, with the same functions and so the same result: checking the
files (nothing written) and then writing the checked plan in one transaction. A file larger than
``SUHDE_IMPORT_BACKGROUND_BYTES`` takes this path; the page follows the job's progress.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from suhde.common.audit import audit_record
from suhde.common.jobs import JobRefused, Progress, job_output, job_register
from suhde.common.models import Job

from .imports import ImportRefused, Problem, Upload, import_apply, import_check, problem_dict
from .map import MAP_LAYOUT_JOB, MapEncoding, network_graph, people_metrics, people_positions
from .models import Network, PendingImport

EXPORT = "networks.export"
IMPORT_CHECK = "networks.import_check"
IMPORT_APPLY = "networks.import_apply"
PREVIEW_ROWS = 200
NOT_APPLIED_SHOWN = 500  # as the page shows problems; the count says how many in all


def import_in_background(*uploads: Upload | None) -> bool:
    size = sum(len(upload.data) for upload in uploads if upload is not None)
    return size > settings.SUHDE_IMPORT_BACKGROUND_BYTES


def _labels() -> dict[str, str]:
    return {
        "read": _("Reading the files…"),
        "check_people": _("Checking people…"),
        "check_ties": _("Checking ties…"),
        "write_people": _("Writing people and organizations…"),
        "write_ties": _("Writing ties…"),
    }


def _pending(job: Job) -> tuple[Network, PendingImport, Upload, Upload | None]:
    """The import's files, through the gate again: the starter may have lost the coordinator's
    role since they uploaded them."""
    from . import access
    from .access import Need

    network, _role = access.job_network(job, Need.MANAGE)
    pending = PendingImport.objects.filter(
        pk=job.arguments.get("pending"), network=network, created_by=job.user_id
    ).first()
    if pending is None:
        raise JobRefused(_("This import has expired; upload the files again."))
    people = Upload(pending.people_name, bytes(pending.people_data or b""))
    ties = Upload(pending.ties_name, bytes(pending.ties_data or b"")) if pending.ties_name else None
    return network, pending, people, ties


def _problems(problems: list[Problem]) -> list[dict[str, object]]:
    return [problem_dict(p) for p in problems]


def _refused(problems: list[Problem]) -> JobRefused:
    return JobRefused(_("Nothing was imported."), _problems(problems))


def import_check_run(job: Job, progress: Progress) -> dict[str, object]:
    network, pending, people, ties = _pending(job)
    plan = import_check(network=network, people=people, ties=ties, progress=progress, user=job.user)
    if plan.problems:
        pending.delete()
        raise _refused(plan.problems)
    preview = [
        {"row": r.row, "name": r.name, "organization": r.organization, "status": r.status}
        for r in plan.people[:PREVIEW_ROWS]
    ]
    return {
        "pending": pending.pk,
        "counts": plan.counts(),
        "preview": preview,
        "not_applied": _problems(plan.not_applied[:NOT_APPLIED_SHOWN]),
        "not_applied_count": len(plan.not_applied),
        "ignored_columns": _problems(plan.ignored),
        "fields_created": plan.fields_created(),
    }


def import_apply_run(job: Job, progress: Progress) -> dict[str, object]:
    network, pending, people, ties = _pending(job)
    try:
        counts = import_apply(
            network=network, people=people, ties=ties, progress=progress, user=job.user
        )
    except ImportRefused as refused:
        raise _refused(refused.problems) from None
    pending.delete()
    audit_record(user=job.user, action="import", obj=network)
    return {"counts": counts}


def export_in_background(network: Network) -> bool:
    """A network whose people and ties together pass ``SUHDE_EXPORT_INLINE_ROWS`` is exported
    by the worker: 20,000 people and 120,000 ties took 11 s to read in a request."""
    from . import access

    rows = access.people_in(network).count() + access.ties_in(network).count()
    return rows > settings.SUHDE_EXPORT_INLINE_ROWS


def export_run(job: Job, progress: Progress) -> dict[str, object]:
    """The same file as a small network's download; the role (and so whether contact details
    are included) is the starter's when the worker runs it, not when they asked."""

    from . import access
    from .access import Need
    from .exports import FORMATS, TABLES, export_data, export_render

    network, role = access.job_network(job, Need.VIEW)
    fmt, table = job.arguments.get("format"), job.arguments.get("table", "people")
    if fmt not in FORMATS or table not in TABLES:
        raise JobRefused(_("Unknown file format."))
    contacts = access.role_allows(role, Need.CONTACTS)
    if fmt == "vcard" and not contacts:
        raise JobRefused(_("Contact cards are only for roles that see contact details."))
    progress("export_read", 0, 2)
    data = export_data(network, contacts=contacts)
    progress("export_write", 1, 2)
    body, content_type, filename = export_render(data, fmt, table)
    job_output(job, data=body, name=filename, content_type=content_type)
    audit_record(user=job.user, action=f"export:{fmt}", obj=network)
    return {"back": reverse("networks:export", args=[network.slug])}


def map_layout_run(job: Job, progress: Progress) -> dict:
    """A big network's map layout and measures (``map.BACKGROUND_FROM``), stored in the same
    cache rows the map reads: the layout first, so the map shows as soon as it exists."""
    if job.network_id is None:  # every map job names its network; nothing to lay out
        return {}
    network = Network.objects.get(pk=job.network_id)
    encoding = MapEncoding.parse(job.arguments.get("encoding") or {})
    progress("map_read", 0, 3)
    graph = network_graph(network)
    progress("map_layout", 1, 3)
    people_positions(network, graph, encoding)
    progress("map_measures", 2, 3)
    people_metrics(network, graph)
    return {}


def jobs_register() -> None:
    job_register(
        EXPORT,
        export_run,
        labels=lambda: {
            "export_read": _("Reading the network…"),
            "export_write": _("Writing the file…"),
        },
        result_template="networks/_job_file.html",
    )
    job_register(
        IMPORT_CHECK,
        import_check_run,
        labels=_labels,
        result_template="networks/_import_checked.html",
    )
    job_register(
        IMPORT_APPLY,
        import_apply_run,
        labels=_labels,
        result_template="networks/_import_job_done.html",
    )
    job_register(
        MAP_LAYOUT_JOB,
        map_layout_run,
        labels=lambda: {
            "map_read": _("Reading the network…"),
            "map_layout": _("Laying out the map…"),
            "map_measures": _("Computing betweenness, communities and brokerage roles…"),
        },
        result_template="networks/_job_file.html",
    )
