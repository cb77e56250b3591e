"""Pages of phase 4: the dashboard of a closed wave, the comparison of two, and downloads.

Every view resolves its network through ``networks.access`` (``network_view``) and its waves
through that network; exports are checked at download time like any page and audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.jobs import job_start
from suhde.networks import access
from suhde.networks import queries as network_queries
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network
from suhde.surveys import instrument
from suhde.surveys import queries as survey_queries

from . import charts, domain, exports, queries
from .jobs import REPORT_PDF
from .models import Decision


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


def dashboard_context(network, role, board, *, map_by: str = "") -> dict:
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
        "others": queries.waves_closed(network).exclude(pk=board.wave.pk),
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
    request: HttpRequest, network: Network, role: str, wave_id: int, key: str
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


def _comparison(network, wave_id, before_id):
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
    others = queries.waves_closed(network).exclude(pk=wave.pk)
    before_id = request.GET.get("before")
    context = {
        "network": network,
        "wave": wave,
        "others": others,
        "comparison": None,
        "invited_differ": None,
        "before_pk": int(before_id) if (before_id or "").isdigit() else None,
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
        context["comparison"] = _comparison(network, wave_id, before_id)
        comparison = context["comparison"]
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
