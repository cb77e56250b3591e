"""Who may open each route of the dashboard (see tests/access.py)."""

from datetime import timedelta

from django.utils import timezone

from suhde.evaluation import queries
from suhde.surveys import closing, domain
from suhde.surveys.models import Response
from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, MANAGE_POST, VIEW


def _closed_wave(network):
    """A closed wave whose one respondent names a partner: it has a suggestion to act on."""
    wave = domain.wave_create(
        network=network, user=None, title="W", closes_at=timezone.now() + timedelta(days=3), k=3
    )
    invitations = list(wave.invitations.select_related("person")[:2])
    response = Response.objects.create(
        wave=wave, respondent=invitations[0].person, submitted_at=timezone.now()
    )
    if len(invitations) > 1:
        response.partners.create(partner=invitations[1].person, level=3)
    return closing.wave_close(wave=wave)


def _key(wave):
    return queries.suggestions_of(wave)[0]["key"]


def _wave(w):
    return {"slug": "core", "wave_id": _closed_wave(w.network).pk}


def _chart(w):
    return {**_wave(w), "name": "indices", "fmt": "svg"}


def _suggestion(w):
    wave = _closed_wave(w.network)
    return {"slug": "core", "wave_id": wave.pk, "key": _key(wave)}


def _compare_chart(w):
    before = _closed_wave(w.network)
    after = _closed_wave(w.network)
    return {
        "slug": "core",
        "wave_id": after.pk,
        "before_id": before.pk,
        "name": "ties",
        "fmt": "svg",
    }


PAGES = {
    "evaluation:latest": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "evaluation:dashboard": ("get", _wave, VIEW, None),
    "evaluation:chart": ("get", _chart, VIEW, None),
    "evaluation:xlsx": ("get", _wave, VIEW, None),
    "evaluation:pdf": ("get", _wave, VIEW, None),
    "evaluation:suggestion": ("post", _suggestion, MANAGE_POST, {"status": "accepted"}),
    "evaluation:compare": ("get", _wave, VIEW, None),
    "evaluation:compare_chart": ("get", _compare_chart, VIEW, None),
}


def _other(w):
    return _closed_wave(w.other).pk


OBJECT_ROUTES = {
    "evaluation:dashboard": ("wave_id", _other),
    "evaluation:xlsx": ("wave_id", _other),
    "evaluation:pdf": ("wave_id", _other),
    "evaluation:compare": ("wave_id", _other),
}


def _api_suggestion(w):
    wave = _closed_wave(w.network)
    return f"/waves/{wave.pk}/suggestions/{_key(wave)}"


def _api_compare(w):
    before = _closed_wave(w.network)
    return f"/waves/{_closed_wave(w.network).pk}/compare?before={before.pk}"


API = {
    "wave_dashboard": (
        "get",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/dashboard",
        None,
        API_VIEW,
    ),
    "wave_compare": ("get", _api_compare, None, API_VIEW),
    # The worker makes the report: the answer is a job (202), whose file is the PDF.
    "wave_report_pdf": (
        "post",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/report.pdf",
        None,
        API_VIEW | {"member": 202, "coordinator": 202},
    ),
    "suggestion_list": (
        "get",
        lambda w: f"/waves/{_closed_wave(w.network).pk}/suggestions",
        None,
        API_VIEW,
    ),
    "suggestion_update": ("put", _api_suggestion, lambda w: {"status": "accepted"}, API_MANAGE),
}


# --- rounds and their report (issue 22) ----------------------------------------------------------

ROUND_ONE = {"slug": "core", "number": 1}


def _goal(w):
    from suhde.charter.domain import goal_create

    goal = goal_create(
        network=w.network, kind="customer", title="G", indicators=[{"name": "I", "target": "1"}]
    )
    return goal


def _meeting_id(w):
    from suhde.workshops.models import Meeting

    return Meeting.objects.create(network=w.network, title="M", starts_at=timezone.now()).pk


def _goal_result(w):
    return {**ROUND_ONE, "goal_id": _goal(w).pk}


def _indicator_value(w):
    return {**ROUND_ONE, "indicator_id": _goal(w).indicators.get().pk}


def _verdict(w):
    return {"verdict": "reached", "reason": "Fewer bounced", "meeting": _meeting_id(w)}


_TODAY = lambda w: {  # noqa: E731 — a rule's body
    "value": "3",
    "measured_on": timezone.localdate().isoformat(),
    "source": "Statistics",
}

PAGES.update(
    {
        "evaluation:rounds": ("get", lambda w: {"slug": "core"}, VIEW, None),
        "evaluation:round": ("get", lambda w: ROUND_ONE, VIEW, None),
        "evaluation:round_report": ("get", lambda w: ROUND_ONE, VIEW, None),
        "evaluation:round_report_pdf": ("get", lambda w: ROUND_ONE, VIEW, None),
        "evaluation:round_narrative": ("get", lambda w: ROUND_ONE, MANAGE, None),
        "evaluation:goal_result": ("post", _goal_result, MANAGE_POST, _verdict),
        "evaluation:indicator_value": ("post", _indicator_value, MANAGE_POST, _TODAY),
        "evaluation:learning_outcome_add": (
            "post",
            lambda w: ROUND_ONE,
            MANAGE_POST,
            {"kind": "knowledge", "example": "Shared a platform"},
        ),
        "evaluation:reflection_plan": (
            "post",
            lambda w: ROUND_ONE,
            MANAGE_POST,
            {"starts_at": "2026-05-04T13:00"},
        ),
        "evaluation:position_save": (
            "post",
            lambda w: ROUND_ONE,
            MANAGE_POST,
            {"position": "guiding", "working": "together"},
        ),
    }
)

API.update(
    {
        "round_report_get": ("get", lambda w: "/networks/core/rounds/1/report", None, API_VIEW),
        "round_report_pdf": (
            "post",
            lambda w: "/networks/core/rounds/1/report.pdf?lang=sv",
            None,
            API_VIEW | {"member": 202, "coordinator": 202},
        ),
        "goal_result_update": (
            "put",
            lambda w: f"/networks/core/rounds/1/goals/{_goal(w).pk}/result",
            _verdict,
            API_MANAGE,
        ),
        "learning_outcome_list": (
            "get",
            lambda w: "/networks/core/rounds/1/learning-outcomes",
            None,
            API_VIEW,
        ),
        "learning_outcome_create": (
            "post",
            lambda w: "/networks/core/rounds/1/learning-outcomes",
            lambda w: {"kind": "together", "example": "We-spirit"},
            API_CREATE,
        ),
    }
)
