"""Import and export pages: preview, confirm, templates and downloads."""

from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.jobs import job_start

from .. import access, domain, queries
from ..access import Need, network_view
from ..downloads import download, export_job_start, export_response
from ..exports import FORMATS, TABLES, template_file
from ..forms import ImportForm
from ..imports import (
    STEPS,
    ImportRefused,
    Problem,
    Upload,
    import_check,
    import_steps,
    max_bytes,
    size_problem,
)
from ..jobs import IMPORT_APPLY, IMPORT_CHECK, export_in_background, import_in_background
from ..models import Network, PendingImport

PREVIEW_ROWS = 200


def _upload(file) -> tuple[Upload | None, Problem | None]:
    if file is None:
        return None, None
    if file.size > max_bytes():
        return None, size_problem(file.name, file.size)
    return Upload(name=file.name[:255], data=file.read()), None


@network_view(Need.MANAGE)
def network_import(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"network": network, "form": form, "problems": [], "plan": None, "pending": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        people, too_big = _upload(form.cleaned_data["people"])
        ties, ties_too_big = _upload(form.cleaned_data.get("ties"))
        problems = [p for p in (too_big, ties_too_big) if p]
        if problems:
            context["problems"] = problems
            status = 413
        elif import_in_background(people, ties):
            pending = domain.pending_import_create(
                network=network, user=request.user, people=people, ties=ties
            )
            return _import_job(request, network, IMPORT_CHECK, pending)
        else:
            plan = import_check(network=network, people=people, ties=ties, user=request.user)
            context.update(plan=plan, problems=plan.problems, counts=plan.counts())
            context["not_applied"] = plan.not_applied
            context["not_applied_count"] = len(plan.not_applied)
            context["ignored_columns"] = plan.ignored
            context["fields_created"] = plan.fields_created()
            context["preview_people"] = plan.people[:PREVIEW_ROWS]
            status = 400 if plan.problems else 200
            if not plan.problems:
                context["pending"] = domain.pending_import_create(
                    network=network, user=request.user, people=people, ties=ties
                )
    elif request.method == "POST":
        status = 400
    return render(request, "networks/import.html", context, status=status)


def _import_job(request, network, kind: str, pending: PendingImport):
    """Hand a large import to the worker; the page that follows shows its progress."""
    job = job_start(
        kind=kind, network_id=network.pk, user=request.user, arguments={"pending": pending.pk}
    )
    return redirect("networks:job", network.slug, job.pk)


def _step_labels() -> dict[str, str]:
    return {
        "check": _("Checking the files again…"),
        "write_people": _("Writing people and organizations…"),
        "write_ties": _("Writing ties…"),
        "done": _("Finishing…"),
    }


def _import_stream(request, network, pending, people, ties):
    """The page, then one progress bar per step as the import reaches it, then the result."""
    head, tail = render_to_string(
        "networks/import_progress.html", {"network": network}, request=request
    ).split("<!--progress-->")
    labels = _step_labels()
    yield head
    steps = import_steps(network=network, people=people, ties=ties, user=request.user)
    try:
        while True:
            step = next(steps)
            number = STEPS.index(step) + 1
            yield render_to_string(
                "networks/_import_step.html",
                {"number": number, "total": len(STEPS), "label": labels[step]},
            )
    except StopIteration as finished:
        domain.pending_import_delete(pending=pending)
        audit_record(request=request, action="import", obj=network)
        yield render_to_string(
            "networks/_import_done.html", {"network": network, "counts": finished.value}
        )
    except ImportRefused as refused:
        yield render_to_string("networks/_import_problems.html", {"problems": refused.problems})
    yield tail


@require_POST
@network_view(Need.MANAGE)
def network_import_confirm(
    request: HttpRequest, network: Network, role: str, pending_id: int
) -> HttpResponseBase:
    """Write a checked import; the page streams its progress while the transaction runs."""
    pending = queries.pending_import_in(network, request.user, pending_id)
    people = Upload(pending.people_name, bytes(pending.people_data))
    ties = Upload(pending.ties_name, bytes(pending.ties_data)) if pending.ties_name else None
    if import_in_background(people, ties):
        return _import_job(request, network, IMPORT_APPLY, pending)
    response = StreamingHttpResponse(
        _import_stream(request, network, pending, people, ties),
        content_type="text/html; charset=utf-8",
    )
    response["X-Accel-Buffering"] = "no"  # let a reverse proxy pass each step on at once
    return response


@network_view(Need.MANAGE)
def network_import_template(
    request: HttpRequest, network: Network, role: str, kind: str, fmt: str
) -> HttpResponseBase:
    if kind not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404("template")
    return download(*template_file(kind, fmt))


@network_view()
def network_export(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "contacts": access.role_allows(role, Need.CONTACTS),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "networks/export.html", context)


@network_view()
def network_export_file(
    request: HttpRequest, network: Network, role: str, fmt: str
) -> HttpResponseBase:
    """A download; on a large network a GET asks first and a POST hands it to the worker."""
    table = request.POST.get("table") or request.GET.get("table", "people")
    if fmt not in FORMATS or table not in TABLES:
        raise Http404("format")
    if not export_in_background(network):
        return export_response(request, network, role, fmt, table)
    if request.method == "POST":
        job = export_job_start(request, network, role, fmt, table)
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("Export the network"),
        action=request.path,
        button=_("Prepare the file"),
        cancel=reverse("networks:export", args=[network.slug]),
        lines=[
            _(
                "This network is large: the file is written in the background, and its page "
                "offers it for download when it is ready."
            )
        ],
        fields={"table": table},
        danger=False,
    )
