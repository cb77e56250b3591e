"""The dashboard's API: the same gate, the same queries, the same suppression as the pages."""

from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import Http404
from ninja import Router, Status

from suhde.charter import queries as charter_queries
from suhde.common.audit import audit_record
from suhde.common.http import AuthedRequest
from suhde.common.jobs import job_start
from suhde.common.schemas import Id
from suhde.networks import access
from suhde.networks.access import Need
from suhde.networks.schemas import ErrorOut, JobOut, job_out
from suhde.surveys.models import Wave

from . import domain, queries, report, rounds
from .jobs import REPORT_PDF, ROUND_REPORT_PDF
from .report import GoalRow as GoalResultRow
from .schemas import (
    CompareOut,
    DashboardOut,
    GoalResultIn,
    GoalResultOut,
    OutcomeIn,
    OutcomeOut,
    RoundReportOut,
    SuggestionIn,
    SuggestionOut,
)

router = Router(tags=["evaluation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _wave(user: User, wave_id: int, need: Need) -> tuple[Wave, str]:
    wave, _network, role = access.object_in_network(
        user, Wave, wave_id, need, scope=queries.waves_in
    )
    return wave, role


def _board(request: AuthedRequest, wave_id: Id) -> tuple[queries.Dashboard, str]:
    wave, role = _wave(request.user, wave_id, Need.VIEW)
    return queries.dashboard(wave, getattr(request.user, "person", None)), role


@router.get(
    "/waves/{wave_id}/dashboard",
    response={200: DashboardOut, **ERRORS},
    operation_id="wave_dashboard",
)
def wave_dashboard(request: AuthedRequest, wave_id: Id) -> dict[str, Any]:
    board, _role = _board(request, wave_id)
    return queries.dashboard_dict(board)


@router.get(
    "/waves/{wave_id}/compare",
    response={200: CompareOut, **ERRORS},
    operation_id="wave_compare",
)
def wave_compare(request: AuthedRequest, wave_id: Id, before: Id) -> dict[str, Any]:
    wave, _role = _wave(request.user, wave_id, Need.VIEW)
    first, second = queries.waves_for_compare(wave.network, wave_id, before)
    return queries.comparison_dict(queries.compare(first, second))


@router.post(
    "/waves/{wave_id}/report.pdf",
    response={202: JobOut, **ERRORS},
    operation_id="wave_report_pdf",
)
def wave_report_pdf(request: AuthedRequest, wave_id: Id) -> Status[dict[str, Any]]:
    """Start the PDF report: 202 with a job; its ``file`` is the PDF once ``state`` is done.

    WeasyPrint takes seconds on a large network, so the background worker makes the report, the
    same one as the dashboard page's button."""
    board, _role = _board(request, wave_id)  # a wave not yet closed is refused here, at once
    network = board.wave.network
    job = job_start(
        kind=REPORT_PDF, network_id=network.pk, user=request.user, arguments={"wave": wave_id}
    )
    return Status(202, job_out(network, job))


@router.get(
    "/waves/{wave_id}/suggestions",
    response={200: list[SuggestionOut], **ERRORS},
    operation_id="suggestion_list",
)
def suggestion_list(request: AuthedRequest, wave_id: Id) -> list[dict[str, Any]]:
    wave, _role = _wave(request.user, wave_id, Need.VIEW)
    return queries.suggestions_of(queries.wave_closed(wave))


@router.put(
    "/waves/{wave_id}/suggestions/{key}",
    response={200: SuggestionOut, **ERRORS},
    operation_id="suggestion_update",
)
def suggestion_update(
    request: AuthedRequest, wave_id: Id, key: str, payload: SuggestionIn
) -> dict[str, Any]:
    wave, _role = _wave(request.user, wave_id, Need.MANAGE)
    wave = queries.wave_closed(wave)
    if queries.suggestion_find(wave, key) is None:
        raise Http404("suggestion")
    domain.suggestion_update(wave=wave, key=key, status=payload.status, user=request.user)
    audit_record(request=request, action="suggestion_update", obj=wave)
    return next(s for s in queries.suggestions_of(wave) if s["key"] == key)


# --- rounds (issue 22) -------------------------------------------------------------------------

ROUND = "/networks/{slug}/rounds/{number}"


@router.get(
    ROUND + "/report",
    response={200: RoundReportOut, **ERRORS},
    operation_id="round_report_get",
)
def round_report_get(request: AuthedRequest, slug: str, number: Id) -> dict:
    """The round's report: every figure from the system (published survey figures only, with
    their counts) and the narrative the coordinators wrote around them."""
    network, _role = access.network_access(request.user, slug, Need.VIEW)
    return report.report_dict(report.round_report(network, number))


@router.post(
    ROUND + "/report.pdf",
    response={202: JobOut, **ERRORS},
    operation_id="round_report_pdf",
)
def round_report_pdf(
    request: AuthedRequest, slug: str, number: Id, lang: Literal["fi", "sv", "en"] = "fi"
) -> Status:
    """Start the report's PDF (tagged, in ``lang``): 202 with a job; its ``file`` is the PDF
    once ``state`` is done."""
    network, _role = access.network_access(request.user, slug, Need.VIEW)
    rounds.round_span(network, number)
    job = job_start(
        kind=ROUND_REPORT_PDF,
        network_id=network.pk,
        user=request.user,
        arguments={"round": number, "lang": lang},
    )
    return Status(202, job_out(network, job))


@router.put(
    ROUND + "/goals/{goal_id}/result",
    response={200: GoalResultOut, **ERRORS},
    operation_id="goal_result_update",
)
def goal_result_update(
    request: AuthedRequest, slug: str, number: Id, goal_id: Id, payload: GoalResultIn
) -> GoalResultRow:
    """A goal's verdict in the round (reached, partly, not), why, and the meeting or decision
    where the network agreed on it."""
    network, _role = access.network_access(request.user, slug, Need.MANAGE)
    goal = charter_queries.goal_in(network, goal_id)
    domain.goal_result_update(
        network=network,
        number=number,
        goal=goal,
        verdict=payload.verdict,
        reason=payload.reason,
        meeting_id=payload.meeting,
        decision_id=payload.decision,
        user=request.user,
    )
    audit_record(request=request, action="goal_result_update", obj=goal)
    return next(g for g in report.round_report(network, number).goals if g.id == goal.pk)


@router.get(
    ROUND + "/learning-outcomes",
    response={200: list[OutcomeOut], **ERRORS},
    operation_id="learning_outcome_list",
)
def learning_outcome_list(request: AuthedRequest, slug: str, number: Id) -> list[dict]:
    network, _role = access.network_access(request.user, slug, Need.VIEW)
    return [report.outcome_dict(row) for row in report.outcomes_of(network, number)]


@router.post(
    ROUND + "/learning-outcomes",
    response={201: OutcomeOut, **ERRORS},
    operation_id="learning_outcome_create",
)
def learning_outcome_create(
    request: AuthedRequest, slug: str, number: Id, payload: OutcomeIn
) -> Status:
    network, _role = access.network_access(request.user, slug, Need.MANAGE)
    outcome = domain.learning_outcome_create(
        network=network, number=number, user=request.user, **payload.model_dump()
    )
    audit_record(request=request, action="learning_outcome_create", obj=outcome)
    return Status(201, report.outcome_dict(outcome))
