"""Charter, goals and roles pages. Views parse, call the domain and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.forms import form_add_errors, form_status
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network
from suhde.networks.queries import people_of

from . import charts, domain, exports, queries
from .diff import charter_diff
from .forms import (
    AgreeForm,
    CharterForm,
    GoalForm,
    IndicatorFormSet,
    ProgressCorrectForm,
    ProgressForm,
    RoleForm,
    indicator_rows,
)
from .jobs import CHARTER_PDF
from .questions import QUESTIONS, Question

# --- the charter -----------------------------------------------------------------------------


@network_view()
def charter(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    current = queries.charter_current(network)
    sections = queries.charter_sections(current)
    versions = list(queries.charter_versions(network))
    context = {
        "network": network,
        "current": current,
        "sections": sections,
        "open_count": sum(1 for s in sections if not s.answer),
        "answered": queries.answered_count(current),
        "total": len(QUESTIONS),
        "versions": versions,
        "agreed": next((v for v in versions if v.agreed_on), None),
        "annexes": queries.annexes_of(network),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "charter/charter.html", context)


@network_view(Need.MANAGE)
def charter_edit(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    current = queries.charter_current(network)
    theirs = None
    if request.method == "POST":
        form = CharterForm(request.POST)
        if form.is_valid():
            try:
                _version, created = domain.charter_update(
                    network=network,
                    user=request.user,
                    answers=form.answers(),
                    based_on=form.cleaned_data["based_on"],
                )
            except domain.StaleVersion as stale:
                theirs = queries.charter_sections(stale.current)
                data = request.POST.copy()
                data["based_on"] = str(stale.current.number if stale.current else 0)
                form = CharterForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone saved a newer version while you were editing. Your text is "
                        "kept below; compare it with theirs under each question, merge and "
                        "save again."
                    ),
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                if created:
                    audit_record(request=request, action="charter_update", obj=_version)
                    messages.success(request, _("The charter was saved as a new version."))
                else:
                    messages.info(request, _("Nothing changed, so no new version was saved."))
                return redirect("charter:charter", slug=network.slug)
    else:
        initial: dict[str, object] = {
            f"answer_{s.question.number}": s.answer for s in queries.charter_sections(current)
        }
        initial["based_on"] = current.number if current else 0
        form = CharterForm(initial=initial)
    fields = form.sections()
    sections: list[tuple[Question, BoundField, str | None]]
    if theirs is not None:
        sections = [(q, field, t.answer) for (q, field), t in zip(fields, theirs, strict=True)]
    else:
        sections = [(q, field, None) for q, field in fields]
    context = {
        "network": network,
        "form": form,
        "sections": sections,
        "conflict": theirs is not None,
    }
    status = 409 if theirs is not None else form_status(form)
    return render(request, "charter/charter_form.html", context, status=status)


def _version_number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@network_view()
def charter_diff_view(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    # One query for every version with its answers: a charter has tens of versions, not more.
    versions = list(network.charter_versions.order_by("-number"))
    by_number = {version.number: version for version in versions}
    context = {"network": network, "versions": versions, "rows": None}
    if len(versions) >= 2:
        new = _version_number(request.GET.get("new"), versions[0].number)
        old = _version_number(request.GET.get("old"), versions[1].number)
        if old not in by_number or new not in by_number:
            raise Http404("charter version")
        old_version, new_version = by_number[old], by_number[new]
        rows = charter_diff(old_version, new_version)
        context.update(
            old=old_version,
            new=new_version,
            rows=rows,
            changed=[row for row in rows if row.changed],
        )
    return render(request, "charter/charter_diff.html", context)


@network_view(Need.MANAGE)
def charter_agree(
    request: AuthedRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    version = queries.version_in(network, number)
    form = AgreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.charter_version_agree(version=version, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="charter_agree", obj=version)
            messages.success(request, _("The version was marked as agreed on."))
            return redirect("charter:charter", slug=network.slug)
    context = {"network": network, "version": version, "form": form}
    return render(request, "charter/charter_agree.html", context, status=form_status(form))


@network_view()
def charter_print(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return render(request, "charter/charter_print.html", exports.print_context(network))


@network_view()
def charter_pdf(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    """The PDF is made by the worker: a POST starts it and the job's page follows it to the
    download; a GET shows the button that does."""
    if request.method == "POST":
        job = job_start(kind=CHARTER_PDF, network_id=network.pk, user=request.user, arguments={})
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("The charter as a PDF"),
        action=request.path,
        button=_("Make the PDF"),
        cancel=reverse("charter:charter", args=[network.slug]),
        lines=[
            _(
                "The PDF is laid out in the background, which takes a few seconds for a long "
                "charter; its page offers the file when it is ready."
            )
        ],
        danger=False,
    )


# --- goals -----------------------------------------------------------------------------------


@network_view()
def goal_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    context = {
        "network": network,
        "goals": queries.goals_of(network),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "charter/goal_list.html", context)


def _goal_form(request, network, goal=None):
    members = people_of(network)
    initial, indicators = None, None
    if goal is not None:
        initial = {
            name: getattr(goal, name)
            for name in ("kind", "title", "due_on", *domain.GOAL_TEXT_FIELDS)
        }
        initial["owner"] = goal.owner_id
        indicators = [
            {k: getattr(i, k) for k in ("id", "name", "baseline", "target", "unit", "how_measured")}
            for i in goal.indicators.all()
        ]
    form = GoalForm(request.POST or None, initial=initial, members=members)
    formset = IndicatorFormSet(request.POST or None, initial=indicators, prefix="indicators")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        data["owner_id"] = data.pop("owner")
        try:
            if goal is None:
                goal = domain.goal_create(
                    network=network, indicators=indicator_rows(formset), **data
                )
            else:
                goal = domain.goal_update(goal=goal, indicators=indicator_rows(formset), **data)
        except ValidationError as error:
            if "indicators" in getattr(error, "error_dict", {}):
                formset._non_form_errors = formset.error_class(error.error_dict["indicators"])
            form_add_errors(form, error)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("charter:goal", slug=network.slug, goal_id=goal.pk)
    context = {"network": network, "form": form, "formset": formset, "goal": goal}
    status = 400 if request.method == "POST" else 200
    return render(request, "charter/goal_form.html", context, status=status)


@network_view(Need.MANAGE)
def goal_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return _goal_form(request, network)


@network_view(Need.MANAGE)
def goal_edit(
    request: AuthedRequest, network: Network, role: str, goal_id: int
) -> HttpResponseBase:
    return _goal_form(request, network, queries.goal_in(network, goal_id))


@network_view()
def goal_detail(
    request: AuthedRequest, network: Network, role: str, goal_id: int
) -> HttpResponseBase:
    goal = queries.goal_in(network, goal_id)
    can_manage = access.role_allows(role, Need.MANAGE)
    indicators = list(goal.indicators.all())
    context = {
        "network": network,
        "goal": goal,
        "indicators": indicators,
        "can_manage": can_manage,
        "progress_form": ProgressForm(indicators=indicators) if can_manage and indicators else None,
    }
    return render(request, "charter/goal_detail.html", context)


@require_POST
@network_view(Need.MANAGE)
def progress_create(
    request: AuthedRequest, network: Network, role: str, goal_id: int
) -> HttpResponseBase:
    goal = queries.goal_in(network, goal_id)
    indicators = list(goal.indicators.all())
    form = ProgressForm(request.POST, indicators=indicators)
    if form.is_valid():
        data = form.cleaned_data
        indicator = next(i for i in indicators if i.pk == data["indicator"])
        try:
            domain.goal_progress_create(
                indicator=indicator,
                recorded_on=data["recorded_on"],
                value=data["value"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The progress update was recorded."))
            return redirect("charter:goal", slug=network.slug, goal_id=goal.pk)
    context = {
        "network": network,
        "goal": goal,
        "indicators": indicators,
        "can_manage": True,
        "progress_form": form,
    }
    return render(request, "charter/goal_detail.html", context, status=400)


@network_view(Need.MANAGE)
def progress_correct(
    request: AuthedRequest, network: Network, role: str, progress_id: int
) -> HttpResponseBase:
    progress = queries.progress_in(network, progress_id)
    goal_id = progress.indicator.goal_id
    form = ProgressCorrectForm(request.POST or None, progress=progress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.goal_progress_update(
                progress=progress,
                recorded_on=data["recorded_on"],
                value=data["value"],
                note=data["note"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="progress_update", obj=progress)
            messages.success(request, _("The progress update was corrected."))
            return redirect("charter:goal", slug=network.slug, goal_id=goal_id)
    context = {
        "network": network,
        "goal": progress.indicator.goal,
        "progress": progress,
        "form": form,
    }
    return render(request, "charter/progress_correct.html", context, status=form_status(form))


@network_view(Need.MANAGE)
def progress_remove(
    request: AuthedRequest, network: Network, role: str, progress_id: int
) -> HttpResponseBase:
    """GET asks first; POST removes the update and its point in the chart."""
    progress = queries.progress_in(network, progress_id)
    goal_id = progress.indicator.goal_id
    if request.method == "POST":
        audit_record(request=request, action="progress_delete", obj=progress)
        domain.goal_progress_delete(progress=progress)
        messages.success(request, _("The progress update was removed."))
        return redirect("charter:goal", slug=network.slug, goal_id=goal_id)
    context = {"network": network, "goal": progress.indicator.goal, "progress": progress}
    return render(request, "charter/progress_remove.html", context)


@network_view()
def indicator_chart(
    request: AuthedRequest, network: Network, role: str, goal_id: int, indicator_id: int
) -> HttpResponseBase:
    indicator = queries.indicator_in(network, indicator_id)
    if indicator.goal_id != goal_id:
        raise Http404("indicator")
    response = HttpResponse(charts.indicator_svg(indicator), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


# --- roles -----------------------------------------------------------------------------------


@network_view()
def role_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    rows = queries.roles_of(network)
    context = {
        "network": network,
        "rows": rows,
        "vacant": [row for row in rows if row.vacant],
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "charter/role_list.html", context)


def _role_form(request, network, charter_role=None):
    initial = None
    if charter_role is not None:
        initial = {
            "kind": charter_role.kind,
            "name": charter_role.name,
            "description": charter_role.description,
            "holders": [p.pk for p in charter_role.holders.all()],
        }
    form = RoleForm(request.POST or None, initial=initial, members=people_of(network))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.role_save(
                network=network,
                role=charter_role,
                kind=data["kind"],
                name=data["name"],
                description=data["description"],
                holder_ids=data["holders"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The role was saved."))
            return redirect("charter:roles", slug=network.slug)
    context = {"network": network, "form": form, "charter_role": charter_role}
    status = 400 if request.method == "POST" else 200
    return render(request, "charter/role_form.html", context, status=status)


@network_view(Need.MANAGE)
def role_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return _role_form(request, network)


@network_view(Need.MANAGE)
def role_edit(
    request: AuthedRequest, network: Network, role: str, role_id: int
) -> HttpResponseBase:
    return _role_form(request, network, queries.role_in(network, role_id))
