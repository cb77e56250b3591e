"""Who may open each service path route (see tests/access.py)."""

from tests.access import API_CREATE, API_MANAGE, API_VIEW, MANAGE, MANAGE_POST, VIEW
from tests.paths.helpers import path, second_organization

FACILITATE = MANAGE  # member 403; coordinator (above facilitator) 200


def _slug(w):
    return {"slug": "core"}


def _path(w):
    return {"slug": "core", "path_id": path(w.network).pk}


def _transition(w):
    return {"slug": "core", "transition_id": path(w.network).transitions.first().pk}


PAGES = {
    "paths:paths": ("get", _slug, VIEW, None),
    "paths:path_create": ("get", _slug, MANAGE, None),
    "paths:path": ("get", _path, VIEW, None),
    "paths:path_edit": ("get", _path, MANAGE, None),
    "paths:path_delete": ("post", _path, MANAGE_POST, {}),
    "paths:path_svg": ("get", _path, VIEW, None),
    "paths:path_print": ("get", _path, VIEW, None),
    # A POST starts the worker's PDF and follows to the job's page.
    "paths:path_pdf": ("post", _path, VIEW | {"member": 302, "coordinator": 302}, {}),
    "paths:path_json": ("get", _path, VIEW, None),
    "paths:transition": ("get", _transition, VIEW, None),
    "paths:transition_edit": ("get", _transition, MANAGE, None),
    "paths:transition_meeting": ("get", _transition, FACILITATE, None),
    "paths:transition_decision": ("post", _transition, MANAGE_POST, {}),
    "paths:transition_annex": ("post", _transition, MANAGE_POST, {"text": "We meet first."}),
}


def _other_path(w):
    return path(w.other).pk


def _other_transition(w):
    return path(w.other).transitions.first().pk


OBJECT_ROUTES = {
    name: ("path_id", _other_path)
    for name in (
        "paths:path", "paths:path_edit", "paths:path_delete", "paths:path_svg",
        "paths:path_print", "paths:path_pdf", "paths:path_json",
    )
} | {
    name: ("transition_id", _other_transition)
    for name in (
        "paths:transition", "paths:transition_edit", "paths:transition_meeting",
        "paths:transition_decision", "paths:transition_annex",
    )
}  # fmt: skip


def _body(w):
    first = w.organization.pk
    return {
        "name": "Path",
        "stages": [
            {"key": "a", "name": "One", "organization_ids": [first]},
            {"key": "b", "name": "Two", "organization_ids": [second_organization(w.network).pk]},
        ],
    }


API = {
    "path_list": ("get", lambda w: "/networks/core/paths", None, API_VIEW),
    "path_create": ("post", lambda w: "/networks/core/paths", _body, API_CREATE),
    "path_get": ("get", lambda w: f"/paths/{path(w.network).pk}", None, API_VIEW),
    "path_update": ("put", lambda w: f"/paths/{path(w.network).pk}", _body, API_MANAGE),
    "transition_update": (
        "put",
        lambda w: f"/transitions/{path(w.network).transitions.first().pk}",
        lambda w: {"status": "agreed", "information": "The plan."},
        API_MANAGE,
    ),
}
