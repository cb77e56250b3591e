"""Service path pages: parse, call ``domain`` or ``queries``, render (rule 1)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.forms import form_add_errors
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network

from . import domain, exports, queries
from .diagram import Diagram, diagram_layout, sides_layout
from .domain import StageRow
from .forms import AnnexForm, MeetingPlanForm, PathForm, StageForm, TransitionForm
from .jobs import PATH_PDF
from .models import STAGES_MAX, ServicePath, Stage, Transition
from .queries import TransitionFigures

EXTRA_STAGES = 2


@network_view()
def path_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    paths = queries.paths_of(network).prefetch_related("stages")
    context = {
        "network": network,
        "paths": paths,
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "paths/path_list.html", context)


def _after_text(stage: Stage, numbers: dict[int, int], previous: Stage | None) -> str:
    after = [numbers[s.pk] for s in stage.after.all() if s.pk in numbers]
    if previous is not None and after == [numbers[previous.pk]]:
        return ""
    return ", ".join(str(n) for n in sorted(after)) if after else "0"


def _initial_stages(path: ServicePath | None) -> list[dict[str, object]]:
    if path is None:
        return []
    stages = queries.stages_of(path)
    numbers = {stage.pk: n for n, stage in enumerate(stages, start=1)}
    rows: list[dict[str, object]] = []
    previous = None
    for stage in stages:
        rows.append(
            {
                "key": stage.key,
                "name": stage.name,
                "needs": stage.needs,
                "organizations": [o.pk for o in stage.organizations.all()],
                "people": [p.pk for p in stage.people.all()],
                "after": _after_text(stage, numbers, previous),
            }
        )
        previous = stage
    return rows


class _AfterError(ValueError):
    pass


class _Ask(Exception):  # a question to the user (stages to remove), not an error
    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


def _dropped(path: ServicePath | None, stages: list[StageRow]) -> list[str]:
    """The names of the path's stages that this save would remove (their name was emptied)."""
    if path is None:
        return []
    kept = {stage["key"] for stage in stages}
    return [name for key, name in queries.stage_names(path).items() if key not in kept]


def _stages_from(formset: BaseFormSet[StageForm]) -> list[StageRow]:
    """The formset's filled rows as the domain's stages; "after" numbers become keys."""
    rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("name")]
    keys, used = [], {row["key"] for row in rows if row.get("key")}
    for number, row in enumerate(rows, start=1):
        key = row.get("key") or ""
        if not key:
            key = next(f"s{n}" for n in range(number, number + 1000) if f"s{n}" not in used)
            used.add(key)
        keys.append(key)
    stages: list[StageRow] = []
    for number, row in enumerate(rows, start=1):
        text = (row.get("after") or "").replace(" ", "")
        after: list[str] | None
        if not text:
            after = None
        elif text == "0":
            after = []
        else:
            after = []
            for part in text.split(","):
                if not part.isdigit() or not 1 <= int(part) <= len(rows):
                    raise _AfterError(
                        _(
                            "Stage %(number)d (“%(name)s”): “%(part)s” is not the number of a "
                            "stage of this path."
                        )
                        % {"number": number, "name": row["name"], "part": part[:20]}
                    )
                after.append(keys[int(part) - 1])
        stages.append(
            {
                "key": keys[number - 1],
                "name": row["name"],
                "needs": row.get("needs", ""),
                "organization_ids": row.get("organizations") or [],
                "person_ids": row.get("people") or [],
                "after": after,
            }
        )
    return stages


def _path_form(
    request: AuthedRequest, network: Network, path: ServicePath | None = None
) -> HttpResponseBase:
    organizations, people = queries.responsible_choices(network)
    initial = None
    if path is not None:
        initial = {"name": path.name, "client_group": path.client_group, "goal": path.goal}
    form = PathForm(request.POST or None, initial=initial)
    Formset = formset_factory(
        StageForm, extra=EXTRA_STAGES, max_num=STAGES_MAX, absolute_max=STAGES_MAX
    )
    formset = Formset(
        request.POST or None,
        initial=_initial_stages(path),
        prefix="stage",
        form_kwargs={"organizations": organizations, "people": people},
    )
    errors: list[object] = []
    asking: list[str] = []
    if request.method == "POST":
        if not formset.is_valid():
            errors += [e for e in formset.non_form_errors()]
        elif form.is_valid():
            try:
                stages = _stages_from(formset)
                fields = {**form.cleaned_data, "stages": stages}
                dropped = _dropped(path, stages)
                if dropped and request.POST.get("confirm_remove") != "1":
                    raise _Ask(dropped)
                if path is None:
                    path = domain.path_create(network=network, user=request.user, **fields)
                else:
                    domain.path_update(path=path, **fields)
            except _AfterError as error:
                errors.append(str(error))
            except _Ask as ask:
                asking = ask.names
            except ValidationError as error:
                form_add_errors(form, error)
                errors += list(getattr(error, "error_dict", {}).get("stages", []))
                errors = [e.message if hasattr(e, "message") else str(e) for e in errors]
            else:
                audit_record(request=request, action="service_path_save", obj=path)
                messages.success(request, _("The service path was saved."))
                return redirect("paths:path", slug=network.slug, path_id=path.pk)
    context = {
        "network": network,
        "form": form,
        "formset": formset,
        "path": path,
        "errors": [str(e) for e in errors],
        "asking": asking,
        "stages_max": STAGES_MAX,
    }
    status = 400 if request.method == "POST" and not asking else 200
    return render(request, "paths/path_form.html", context, status=status)


@network_view(Need.MANAGE)
def path_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return _path_form(request, network)


@network_view(Need.MANAGE)
def path_edit(
    request: AuthedRequest, network: Network, role: str, path_id: int
) -> HttpResponseBase:
    return _path_form(request, network, queries.path_in(network, path_id))


def _diagram_context(path: ServicePath) -> tuple[list[Stage], list[TransitionFigures], Diagram]:
    stages = queries.stages_of(path)
    figures = queries.path_figures(path)
    return stages, figures, diagram_layout(path, stages, figures)


@network_view()
def path_detail(
    request: AuthedRequest, network: Network, role: str, path_id: int
) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    stages, figures, diagram = _diagram_context(path)
    waves = queries.closed_waves(network)
    changes = queries.transitions_change(path, waves[1], waves[0]) if len(waves) > 1 else []
    context = {
        "network": network,
        "path": path,
        "stages": stages,
        "figures": figures,
        "weakest": queries.weakest(figures),
        "diagram": diagram,
        "wave": figures[0].wave if figures else queries.latest_wave(network),
        "waves": waves[:2],
        "changes": changes,
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "paths/path_detail.html", context)


@network_view()
def path_svg(request: AuthedRequest, network: Network, role: str, path_id: int) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    _stages, _figures, diagram = _diagram_context(path)
    svg = render_to_string("paths/_diagram_svg.html", {"diagram": diagram, "path": path})
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@network_view()
def path_print(
    request: AuthedRequest, network: Network, role: str, path_id: int
) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    return render(request, "paths/path_print.html", exports.print_context(path))


@network_view()
def path_json(
    request: AuthedRequest, network: Network, role: str, path_id: int
) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    data = json.dumps(exports.path_data(path), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="path-{path.pk}.json"'
    return response


@network_view()
def path_pdf(request: AuthedRequest, network: Network, role: str, path_id: int) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    if request.method == "POST":
        job = job_start(
            kind=PATH_PDF, network_id=network.pk, user=request.user, arguments={"path": path.pk}
        )
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("The service path as a PDF"),
        action=request.path,
        button=_("Make the PDF"),
        cancel=reverse("paths:path", args=[network.slug, path.pk]),
        lines=[
            _("The PDF is laid out in the background; its page offers the file when it is ready.")
        ],
        danger=False,
    )


@network_view(Need.MANAGE)
def path_delete(
    request: AuthedRequest, network: Network, role: str, path_id: int
) -> HttpResponseBase:
    path = queries.path_in(network, path_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("Remove the service path “%(name)s”?") % {"name": path.name},
            lines=[
                _(
                    "Its stages and transitions go with it. You can undo this for a while on "
                    "the page of recently removed things."
                )
            ],
            action=request.path,
            button=_("Remove the path"),
            cancel=reverse("paths:path", args=[network.slug, path.pk]),
            undoable=True,
        )
    domain.path_delete(path=path, user=request.user)
    audit_record(request=request, action="service_path_remove", obj=path)
    messages.success(request, _("The service path was removed. You can undo this."))
    return redirect("paths:paths", slug=network.slug)


# --- transitions --------------------------------------------------------------------------


def _one(network: Network, transition: Transition) -> TransitionFigures:
    figures = queries.transitions_with_figures(network, path=transition.path)
    return next(f for f in figures if f.transition.pk == transition.pk)


@network_view()
def transition_detail(
    request: AuthedRequest, network: Network, role: str, transition_id: int
) -> HttpResponseBase:
    transition = queries.transition_in(network, transition_id)
    figures = _one(network, transition)
    sides = queries.sides_people(network, transition)
    context = {
        "network": network,
        "transition": transition,
        "path": transition.path,
        "figures": figures,
        "figures_list": [figures],
        "sides": sides,
        "sides_list": [sides.source, sides.target],
        "sides_map": sides_layout(sides),
        "can_manage": access.role_allows(role, Need.MANAGE),
        "can_facilitate": access.role_allows(role, Need.FACILITATE),
    }
    return render(request, "paths/transition_detail.html", context)


@network_view(Need.MANAGE)
def transition_edit(
    request: AuthedRequest, network: Network, role: str, transition_id: int
) -> HttpResponseBase:
    transition = queries.transition_in(network, transition_id)
    _organizations, people = queries.responsible_choices(network)
    initial = {
        "status": transition.status,
        "handed_by": transition.handed_by_id,
        "received_by": transition.received_by_id,
        "information": transition.information,
        "consent": transition.consent,
        "timing": transition.timing,
        "way": transition.way,
        "problems": transition.problems,
    }
    form = TransitionForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["handed_by_id"], data["received_by_id"] = (
            data.pop("handed_by"),
            data.pop("received_by"),
        )
        try:
            domain.transition_update(transition=transition, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="transition_save", obj=transition)
            messages.success(request, _("The handoff was saved."))
            return redirect("paths:transition", slug=network.slug, transition_id=transition.pk)
    context = {"network": network, "transition": transition, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "paths/transition_form.html", context, status=status)


def _next_week_morning() -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@network_view(Need.FACILITATE)
def transition_meeting(
    request: AuthedRequest, network: Network, role: str, transition_id: int
) -> HttpResponseBase:
    """Plan a development meeting of the transition's two sides (the meetings app)."""
    transition = queries.transition_in(network, transition_id)
    figures = _one(network, transition)
    initial = {
        "title": _("Developing the handoff: %(source)s → %(target)s")
        % {"source": transition.source.name, "target": transition.target.name},
        "starts_at": _next_week_morning(),
        "purpose": exports.meeting_purpose(figures, queries.sides_people(network, transition)),
    }
    form = MeetingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = domain.transition_meeting_plan(
                transition=transition, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="transition_meeting", obj=transition)
            messages.success(request, _("The development meeting was planned."))
            return redirect("workshops:meeting", slug=network.slug, meeting_id=meeting.pk)
    context = {"network": network, "transition": transition, "form": form, "figures": figures}
    status = 400 if request.method == "POST" else 200
    return render(request, "paths/transition_meeting.html", context, status=status)


@require_POST
@network_view(Need.MANAGE)
def transition_decision(
    request: AuthedRequest, network: Network, role: str, transition_id: int
) -> HttpResponseBase:
    """Open a proposed decision about the handoff agreement in the decision log."""
    transition = queries.transition_in(network, transition_id)
    decision = domain.transition_decision_open(transition=transition, user=request.user)
    audit_record(request=request, action="transition_decision", obj=transition)
    messages.success(request, _("A decision about the handoff was opened in the decision log."))
    return redirect("decisions:decision_edit", slug=network.slug, decision_id=decision.pk)


@network_view(Need.MANAGE)
def transition_annex(
    request: AuthedRequest, network: Network, role: str, transition_id: int
) -> HttpResponseBase:
    """Record the agreed handoff in the charter's annexes."""
    transition = queries.transition_in(network, transition_id)
    form = AnnexForm(request.POST or None, initial={"text": exports.handoff_text(transition)})
    if request.method == "POST" and form.is_valid():
        try:
            domain.transition_annex_record(transition=transition, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="transition_annex", obj=transition)
            messages.success(
                request, _("The agreed handoff was recorded in the charter's annexes.")
            )
            return redirect("paths:transition", slug=network.slug, transition_id=transition.pk)
    context = {"network": network, "transition": transition, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "paths/transition_annex.html", context, status=status)
