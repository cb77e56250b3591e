"""Pages of phase 4: the dashboard of a closed wave, the comparison of two, and downloads.

Every view resolves its network through ``networks.access`` (``network_view``) and its waves
through that network; exports are checked at download time like any page and audited.
"""

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suhde.charter import queries as charter_queries
from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.common.privacy import POSITION_K
from suhde.networks import access
from suhde.networks import queries as network_queries
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network
from suhde.surveys import instrument
from suhde.surveys import queries as survey_queries

from . import charts, domain, exports, queries, report, rounds
from .jobs import REPORT_PDF, ROUND_REPORT_PDF
from .models import Decision, OutcomeKind, Position, Verdict, Working


def _problem(request, network, error: ValidationError, status=400):
    return render(
        request,
        "evaluation/problem.html",
        {"network": network, "message": " ".join(error.messages)},
        status=status,
    )


def _board(request: HttpRequest, network: Network, wave_id: int) -> queries.Dashboard:
    wave = queries.wave_of(network, wave_id)
    return queries.dashboard(wave, getattr(request.user, "person", None))


def _map_by(by: str) -> str:
    return by if by in charts.MAP_BY else "sector"


def dashboard_context(
    network: Network, role: str, board: queries.Dashboard, *, map_by: str = ""
) -> dict[str, Any]:
    can_manage = access.role_allows(role, Need.MANAGE)
    map_by = _map_by(map_by)
    return {
        "map_by": map_by,
        "map_choices": [(by, charts.map_label(by)) for by in charts.MAP_BY],
        "map_rows": charts.map_table(board, map_by),
        "map_is_metric": map_by in charts.MAP_METRICS,
        "network": network,
        "wave": board.wave,
        "board": board,
        # The wave's figures are about its answers; this one is the count every other page
        # shows (entered, imported and every wave's ties), so the two can be told apart.
        "network_ties": network_queries.ties_current(network).count(),
        "can_manage": can_manage,
        "show_mine": True,
        "pdf": False,
        "others": queries.waves_closed_besides(network, board.wave),
        "open_answers": survey_queries.open_answers(board.wave, include_hidden=can_manage),
        "open_questions": dict(instrument.OPEN_QUESTIONS)
        | {"barriers": instrument.BARRIERS_QUESTION},
        "decisions": Decision,
        "suggestion_groups": queries.suggestions_grouped(board.suggestions),
        "chart_urls": {
            name: {
                fmt: reverse("evaluation:chart", args=[network.slug, board.wave.pk, name, fmt])
                + (f"?by={map_by}" if name == "map" else "")
                for fmt in charts.FORMATS
            }
            for name in charts.CHARTS
        },
    }


@network_view()
def latest(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    wave = queries.waves_closed(network).first()
    if wave is None:
        return _problem(
            request,
            network,
            ValidationError(
                _(
                    "No survey wave of this network has closed yet. The dashboard appears when "
                    "the first wave closes."
                )
            ),
            status=200,
        )
    return redirect("evaluation:dashboard", slug=network.slug, wave_id=wave.pk)


@network_view()
def dashboard(request: HttpRequest, network: Network, role: str, wave_id: int) -> HttpResponseBase:
    try:
        board = _board(request, network, wave_id)
    except ValidationError as error:
        return _problem(request, network, error)
    context = dashboard_context(network, role, board, map_by=request.GET.get("map", ""))
    return render(request, "evaluation/dashboard.html", context)


@network_view()
def dashboard_chart(
    request: HttpRequest, network: Network, role: str, wave_id: int, name: str, fmt: str
) -> HttpResponseBase:
    if name not in charts.CHARTS or fmt not in charts.FORMATS:
        raise Http404("chart")
    try:
        board = _board(request, network, wave_id)
    except ValidationError as error:
        return _problem(request, network, error)
    by = request.GET.get("by", "sector")
    data = charts.dashboard_chart(board, name, fmt, by=by)
    return HttpResponse(data, content_type=charts.FORMATS[fmt])


@network_view()
def dashboard_xlsx(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    try:
        board = _board(request, network, wave_id)
    except ValidationError as error:
        return _problem(request, network, error)
    audit_record(request=request, action="dashboard_export_xlsx", obj=board.wave)
    response = HttpResponse(exports.to_xlsx(board), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="wave-{board.wave.pk}.xlsx"'
    return response


@network_view()
def dashboard_pdf(
    request: HttpRequest, network: Network, role: str, wave_id: int
) -> HttpResponseBase:
    """The PDF report is made by the worker (seconds on a large network): a POST starts it and
    the job's page follows it to the download; a GET shows the button that does."""
    wave = queries.wave_of(network, wave_id)
    map_by = _map_by(request.POST.get("map") or request.GET.get("map", ""))
    if request.method == "POST":
        job = job_start(
            kind=REPORT_PDF,
            network_id=network.pk,
            user=request.user,
            arguments={"wave": wave.pk, "map": map_by},
        )
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("PDF report"),
        action=request.path,
        button=_("Make the PDF report"),
        cancel=reverse("evaluation:dashboard", args=[network.slug, wave.pk]),
        lines=[
            _(
                "The report is laid out in the background, which takes a few seconds on a large "
                "network; its page offers the file when it is ready."
            )
        ],
        fields={"map": map_by},
        danger=False,
    )


@require_POST
@network_view(Need.MANAGE)
def suggestion_update(
    request: AuthedRequest, network: Network, role: str, wave_id: int, key: str
) -> HttpResponseBase:
    wave = queries.wave_of(network, wave_id)
    try:
        domain.suggestion_update(
            wave=wave, key=key, status=request.POST.get("status", ""), user=request.user
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "missing":
            raise Http404("suggestion") from None
        messages.error(request, " ".join(error.messages))
    else:
        audit_record(request=request, action="suggestion_update", obj=wave)
    return redirect(reverse("evaluation:dashboard", args=[network.slug, wave.pk]) + "#suggestions")


def _comparison(network: Network, wave_id: int, before_id: str | int | None) -> queries.Comparison:
    before, after = queries.waves_for_compare(network, wave_id, before_id)
    return queries.compare(before, after)


def _invited_lines(comparison, differ: dict) -> list[str]:
    lines = []
    for count, wave in (
        (differ["only_before"], comparison.before),
        (differ["only_after"], comparison.after),
    ):
        if count:
            lines.append(
                ngettext(
                    "%(count)d person was invited only to %(title)s.",
                    "%(count)d people were invited only to %(title)s.",
                    count,
                )
                % {"count": count, "title": wave.title}
            )
    return lines


@network_view()
def compare(request: HttpRequest, network: Network, role: str, wave_id: int) -> HttpResponseBase:
    wave = queries.wave_of(network, wave_id)
    others = queries.waves_closed_besides(network, wave)
    asked = request.GET.get("before")
    before_id: str | int | None = asked
    context = {
        "network": network,
        "wave": wave,
        "others": others,
        "comparison": None,
        "invited_differ": None,
        "before_pk": int(asked) if asked and asked.isdigit() else None,
        "sections": [
            ("network", _("Whole network"), ""),
            ("sectors", _("By sector"), "sector"),
            ("organizations", _("By organization"), ""),
            ("theme_networks", _("By theme network"), "theme"),
            (
                "organization_ties",
                _("Ties between people of the same or different organizations"),
                "organization_ties",
            ),
            (
                "sector_ties",
                _("Ties between people of the same or different sectors"),
                "sector_ties",
            ),
            ("sector_matrix", _("Sector × sector: raters → rated"), "sector_matrix"),
        ],
        "tie_groups": [
            ("gained", _("Gained")),
            ("lost", _("Lost")),
            ("strengthened", _("Strengthened")),
            ("weakened", _("Weakened")),
        ],
    }
    if before_id is None:
        # Without a choice, the wave before this one: a later (pilot) wave is never the default.
        previous = queries.wave_previous(network, wave)
        if previous is None:
            context["message"] = (
                _("There is no earlier closed wave. Choose a wave to compare with.")
                if others
                else _("There is no other closed wave to compare with yet.")
            )
            return render(request, "evaluation/compare.html", context)
        before_id = context["before_pk"] = previous.pk
    try:
        comparison = context["comparison"] = _comparison(network, wave_id, before_id)
        differ = context["invited_differ"] = queries.invited_difference(
            comparison.before, comparison.after
        )
        context["invited_lines"] = _invited_lines(comparison, differ) if differ else []
    except ValidationError as error:
        context["message"] = " ".join(error.messages)
        return render(request, "evaluation/compare.html", context, status=400)
    return render(request, "evaluation/compare.html", context)


@network_view()
def compare_chart(
    request: HttpRequest,
    network: Network,
    role: str,
    wave_id: int,
    before_id: int,
    name: str,
    fmt: str,
) -> HttpResponseBase:
    if name not in charts.COMPARE_CHARTS or fmt not in charts.FORMATS:
        raise Http404("chart")
    try:
        comparison = _comparison(network, wave_id, before_id)
    except ValidationError as error:
        return _problem(request, network, error)
    data = charts.comparison_chart(comparison, name, fmt)
    return HttpResponse(data, content_type=charts.FORMATS[fmt])


# --- rounds of the continuum and their report (issue 22) ----------------------------------------


def _day(value: str):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _round_context(request: HttpRequest, network: Network, role: str, number: int) -> dict:
    span = rounds.round_span(network, number)
    person = getattr(request.user, "person", None)
    the_report = report.round_report(network, number)
    return {
        "network": network,
        "role": role,
        "span": span,
        "spans": rounds.rounds_of(network),
        "report": the_report,
        "can_manage": access.role_allows(role, Need.MANAGE),
        "can_facilitate": access.role_allows(role, Need.FACILITATE),
        "joiners": report.new_actors_named(network, span)
        if access.registry_names_visible(role)
        else None,
        "mine": rounds.reflections_mine(network, number, person),
        "picture": rounds.position_picture(network, span),
        "position_k": POSITION_K,
        "positions": Position.choices,
        "workings": Working.choices,
        "verdicts": Verdict.choices,
        "outcome_kinds": OutcomeKind.choices,
        "meetings": report.meetings_in_round(network, span),
        "decisions": report.decisions_to_link(network),
        "written": the_report.written,
        "errors": {},
        "posted": {},
    }


@network_view()
def round_list(request: HttpRequest, network: Network, role: str) -> HttpResponseBase:
    spans = rounds.rounds_of(network)
    context = {
        "network": network,
        "role": role,
        "spans": list(reversed(spans)),
        "suggested": rounds.round_for_report(network, spans).number,
    }
    return render(request, "evaluation/rounds.html", context)


@network_view()
def round_detail(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    return render(request, "evaluation/round.html", _round_context(request, network, role, number))


def _round_problem(request, network, role, number, form: str, error: ValidationError):
    """The round page again, with the refused form's messages at its fields: nothing saved."""
    context = _round_context(request, network, role, number)
    context["errors"] = {
        form: error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    }
    context["posted"] = {form: request.POST}
    return render(request, "evaluation/round.html", context, status=400)


def _back(network: Network, number: int, anchor: str) -> HttpResponseBase:
    return redirect(reverse("evaluation:round", args=[network.slug, number]) + "#" + anchor)


@require_POST
@network_view(Need.MANAGE)
def goal_result(
    request: HttpRequest, network: Network, role: str, number: int, goal_id: int
) -> HttpResponseBase:
    goal = charter_queries.goal_in(network, goal_id)
    try:
        domain.goal_result_update(
            network=network,
            number=number,
            goal=goal,
            verdict=request.POST.get("verdict", ""),
            reason=request.POST.get("reason", ""),
            meeting_id=request.POST.get("meeting") or None,
            decision_id=request.POST.get("decision") or None,
            user=request.user,
        )
    except ValidationError as error:
        return _round_problem(request, network, role, number, f"goal-{goal.pk}", error)
    audit_record(request=request, action="goal_result_update", obj=goal)
    messages.success(request, _("The goal's result was saved."))
    return _back(network, number, f"goal-{goal.pk}")


@require_POST
@network_view(Need.MANAGE)
def indicator_value(
    request: HttpRequest, network: Network, role: str, number: int, indicator_id: int
) -> HttpResponseBase:
    indicator = charter_queries.indicator_in(network, indicator_id)
    fields = {
        "value": request.POST.get("value", ""),
        "measured_on": _day(request.POST.get("measured_on", "")),
        "source": request.POST.get("source", ""),
        "user": request.user,
    }
    try:
        earlier_id = request.POST.get("corrects")
        if earlier_id:
            earlier = report.value_in(network, number, indicator, earlier_id)
            domain.indicator_value_correct(
                earlier=earlier, reason=request.POST.get("reason", ""), **fields
            )
        else:
            domain.indicator_value_record(
                network=network, number=number, indicator=indicator, **fields
            )
    except ValidationError as error:
        return _round_problem(request, network, role, number, f"indicator-{indicator.pk}", error)
    audit_record(request=request, action="indicator_value_record", obj=indicator)
    messages.success(request, _("The value was saved."))
    return _back(network, number, f"goal-{indicator.goal_id}")


@require_POST
@network_view(Need.MANAGE)
def learning_outcome_add(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    try:
        outcome = domain.learning_outcome_create(
            network=network,
            number=number,
            kind=request.POST.get("kind", ""),
            example=request.POST.get("example", ""),
            evidence=request.POST.get("evidence", ""),
            user=request.user,
        )
    except ValidationError as error:
        return _round_problem(request, network, role, number, "outcome", error)
    audit_record(request=request, action="learning_outcome_create", obj=outcome)
    messages.success(request, _("The learning outcome was added."))
    return _back(network, number, "learning")


@require_POST
@network_view(Need.FACILITATE)
def reflection_plan(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    starts_at = _moment(request.POST.get("starts_at", ""))
    try:
        if starts_at is None:
            raise ValidationError({"starts_at": _("Give the meeting's date and time.")})
        written = domain.reflection_meeting_plan(
            network=network,
            number=number,
            starts_at=starts_at,
            place=request.POST.get("place", ""),
            user=request.user,
        )
    except ValidationError as error:
        return _round_problem(request, network, role, number, "reflection", error)
    audit_record(request=request, action="reflection_meeting_plan", obj=written.reflection_meeting)
    messages.success(
        request, _("The reflection meeting was planned, with its agenda and live session.")
    )
    return _back(network, number, "reflection")


def _moment(value: str):
    try:
        moment = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@require_POST
@network_view(Need.FACILITATE)
def position_save(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    person = getattr(request.user, "person", None)
    try:
        if person is None:
            raise ValidationError(_("Only a person of the network can reflect on their position."))
        domain.position_reflection_save(
            network=network,
            number=number,
            person=person,
            position=request.POST.get("position", ""),
            working=request.POST.get("working", ""),
            note=request.POST.get("note", ""),
            meeting_id=request.POST.get("meeting") or None,
        )
    except ValidationError as error:
        return _round_problem(request, network, role, number, "position", error)
    messages.success(request, _("Your reflection was saved. Only you see it."))
    return _back(network, number, "positions")


@network_view()
def round_report(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    context = {
        "network": network,
        "role": role,
        "report": report.round_report(network, number),
        "can_manage": access.role_allows(role, Need.MANAGE),
        "pdf_languages": LANGUAGE_CHOICES,
    }
    return render(request, "evaluation/round_report.html", context)


@network_view(Need.MANAGE)
def round_narrative(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    """The narrative around the report's figures, section by section; figures are not edited."""
    the_report = report.round_report(network, number)
    errors: dict = {}
    if request.method == "POST":
        sections = {key: request.POST.get(key, "") for key in rounds.NARRATIVE_SECTIONS}
        try:
            domain.narrative_update(
                network=network, number=number, sections=sections, user=request.user
            )
        except ValidationError as error:
            errors = error.message_dict
            for section in the_report.narrative:
                section.text = sections[section.key]
        else:
            audit_record(request=request, action="round_narrative_update", obj=network)
            messages.success(request, _("The report's text was saved."))
            return redirect("evaluation:round_report", network.slug, number)
    context = {"network": network, "role": role, "report": the_report, "errors": errors}
    return render(
        request, "evaluation/round_narrative.html", context, status=400 if errors else 200
    )


LANGUAGE_CHOICES = (("fi", "suomi"), ("sv", "svenska"), ("en", "English"))


@network_view()
def round_report_pdf(
    request: HttpRequest, network: Network, role: str, number: int
) -> HttpResponseBase:
    """A POST starts the PDF in the chosen language (the worker lays it out); a GET asks."""
    rounds.round_span(network, number)
    lang = request.POST.get("lang") or request.GET.get("lang") or "fi"
    if lang not in dict(LANGUAGE_CHOICES):
        lang = "fi"
    if request.method == "POST":
        job = job_start(
            kind=ROUND_REPORT_PDF,
            network_id=network.pk,
            user=request.user,
            arguments={"round": number, "lang": lang},
        )
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("The round report as PDF"),
        action=request.path,
        button=_("Make the PDF"),
        cancel=reverse("evaluation:round_report", args=[network.slug, number]),
        lines=[
            _(
                "The PDF is laid out in the background; its page offers the file when it is "
                "ready. It is tagged for screen readers."
            )
        ],
        fields={"lang": lang},
        danger=False,
    )
