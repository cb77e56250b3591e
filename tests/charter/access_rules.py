"""Who may open each route of the charter, goals and roles (see tests/access.py)."""

from suhde.charter import domain
from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, VIEW
from tests.charter.helpers import charter_with, goal_with


def _slug(w):
    return {"slug": "core"}


def _version(w):
    charter_with(w.network, {"1": "One"})
    return {"slug": "core", "number": 1}


def _goal(w):
    return {"slug": "core", "goal_id": goal_with(w.network).pk}


def _chart(w):
    goal = goal_with(w.network, points=2)
    return {"slug": "core", "goal_id": goal.pk, "indicator_id": goal.indicators.first().pk}


def _progress_post(w):
    return {"recorded_on": "2026-02-01", "value": "3"}


def _progress(w):
    goal = goal_with(w.network, points=1)
    point = goal.indicators.first().progress.first()
    return {"slug": "core", "progress_id": point.pk}


def _other_progress(w):
    return goal_with(w.other, points=1).indicators.first().progress.first().pk


def _role(w):
    return {"slug": "core", "role_id": domain.role_save(network=w.network, kind="facilitation").pk}


PAGES = {
    "charter:charter": ("get", _slug, VIEW, None),
    "charter:charter_edit": ("get", _slug, MANAGE, None),
    "charter:charter_diff": ("get", _slug, VIEW, None),
    "charter:charter_print": ("get", _slug, VIEW, None),
    "charter:charter_pdf": ("get", _slug, VIEW, None),
    "charter:charter_agree": ("get", _version, MANAGE, None),
    "charter:goals": ("get", _slug, VIEW, None),
    "charter:goal_create": ("get", _slug, MANAGE, None),
    "charter:goal": ("get", _goal, VIEW, None),
    "charter:goal_edit": ("get", _goal, MANAGE, None),
    # A progress form without an indicator is refused by the form (400) once the role allows it.
    "charter:progress_create": ("post", _goal, MANAGE | {"coordinator": 400}, {"value": "3"}),
    "charter:progress_correct": ("get", _progress, MANAGE, None),
    "charter:progress_remove": ("get", _progress, MANAGE, None),
    "charter:indicator_chart": ("get", _chart, VIEW, None),
    "charter:roles": ("get", _slug, VIEW, None),
    "charter:role_create": ("get", _slug, MANAGE, None),
    "charter:role_edit": ("get", _role, MANAGE, None),
}


def _other_goal(w):
    return goal_with(w.other).pk


OBJECT_ROUTES = {
    "charter:goal": ("goal_id", _other_goal),
    "charter:goal_edit": ("goal_id", _other_goal),
    "charter:progress_create": ("goal_id", _other_goal),
    "charter:progress_correct": ("progress_id", _other_progress),
    "charter:progress_remove": ("progress_id", _other_progress),
    "charter:role_edit": (
        "role_id",
        lambda w: domain.role_save(network=w.other, kind="facilitation").pk,
    ),
}


def _goal_body(w):
    return {"kind": "aim", "title": "G", "indicators": [{"name": "I", "target": 3}]}


API = {
    "charter_get": ("get", lambda w: "/networks/core/charter", None, API_VIEW),
    "charter_update": (
        "put",
        lambda w: "/networks/core/charter",
        lambda w: {"version": 0, "answers": {"1": "One"}},
        API_MANAGE,
    ),
    "goal_list": ("get", lambda w: "/networks/core/goals", None, API_VIEW),
    "goal_create": ("post", lambda w: "/networks/core/goals", _goal_body, API_CREATE),
    "goal_update": (
        "put",
        lambda w: f"/goals/{goal_with(w.network).pk}",
        _goal_body,
        API_MANAGE,
    ),
    "goal_progress_create": (
        "post",
        lambda w: f"/indicators/{goal_with(w.network).indicators.first().pk}/progress",
        _progress_post,
        API_CREATE,
    ),
    "goal_progress_update": (
        "put",
        lambda w: f"/progress/{_progress(w)['progress_id']}",
        _progress_post,
        API_MANAGE,
    ),
    "goal_progress_delete": (
        "delete",
        lambda w: f"/progress/{_progress(w)['progress_id']}",
        None,
        API_MANAGE | {"coordinator": 204},
    ),
    "role_list": ("get", lambda w: "/networks/core/roles", None, API_VIEW),
}
