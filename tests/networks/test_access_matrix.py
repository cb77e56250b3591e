"""Promises 1 and 2: every URL and API route × (anonymous, outsider, member, coordinator).

The matrix lists every named URL pattern and every API operation. A new route that is not listed
here fails ``test_matrix_covers_every_route``, so nobody adds a page without deciding who may
open it.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from suhde.accounts.domain import api_token_create
from suhde.api import api
from suhde.networks.models import Membership

ROLES = ("anonymous", "outsider", "member", "coordinator")

# What each kind of route answers to each role.
VIEW = {"anonymous": "login", "outsider": 404, "member": 200, "coordinator": 200}
MANAGE = {"anonymous": "login", "outsider": 404, "member": 403, "coordinator": 200}
MANAGE_POST = {"anonymous": "login", "outsider": 404, "member": 403, "coordinator": 302}
SIGNED_IN = {"anonymous": "login", "outsider": 200, "member": 200, "coordinator": 200}
SIGNED_IN_POST = {"anonymous": "login", "outsider": 302, "member": 302, "coordinator": 302}
OPEN = {"anonymous": 200, "outsider": 200, "member": 200, "coordinator": 200}


def _membership(world):
    return Membership.objects.get(person=world.people[0], network=world.network)


# name: (method, kwargs builder, expected, post data)
PAGES = {
    "networks:my_networks": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:ecosystem": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:create": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:home": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:edit": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:archive": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {"archived": "1"}),
    "networks:phase": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {"to_phase": "2"}),
    "networks:members": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:member_add": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:member_edit": (
        "get",
        lambda w: {"slug": "core", "membership_id": _membership(w).pk},
        MANAGE,
        None,
    ),
    "networks:member_end": (
        "post",
        lambda w: {"slug": "core", "membership_id": _membership(w).pk},
        MANAGE_POST,
        {},
    ),
    "networks:person": ("get", lambda w: {"slug": "core", "person_id": w.people[0].pk}, VIEW, None),
    "networks:person_edit": (
        "get",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE,
        None,
    ),
    "networks:person_invite": (
        "post",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE_POST,
        {"role": "member"},
    ),
    "networks:person_archive": (
        "post",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE_POST,
        {"archived": "1"},
    ),
    "networks:organizations": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:organization_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:organization_edit": (
        "get",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        MANAGE,
        None,
    ),
    "networks:organization_archive": (
        "post",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        MANAGE_POST,
        {"archived": "1"},
    ),
    "networks:ties": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:tie_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:tie_delete": (
        "post",
        lambda w: {"slug": "core", "tie_id": w.tie.pk},
        MANAGE_POST,
        {},
    ),
    "accounts:account": ("get", lambda w: {}, SIGNED_IN, None),
    "accounts:api_token_create": (
        "post",
        lambda w: {},
        SIGNED_IN_POST | {"outsider": 200, "member": 200, "coordinator": 200},
        {"name": "script"},
    ),
    "accounts:password_change": ("get", lambda w: {}, SIGNED_IN, None),
    "accounts:password_done": ("get", lambda w: {}, SIGNED_IN, None),
}
# Routes that answer the same to everyone by design; each says why.
PUBLIC = {
    "login": "the login page itself",
    "logout": "ends whatever session there is",
    "password_reset": "asks for an email address and always answers the same",
    "password_reset_done": "a static message",
    "password_reset_confirm": "guarded by Django's signed, expiring reset token",
    "password_reset_complete": "a static message",
    "invitation_accept": "guarded by the invitation token (tests/networks/test_invitations.py)",
    "healthz": "answers ok without any data, for the reverse proxy",
    "set_language": "stores the language choice only",
    "accounts:api_token_revoke": "acts only on the caller's own tokens (test below)",
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in {"admin", "api"}:
                continue  # the admin and the API have their own tests below
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_matrix_covers_every_route():
    names = set(_named_patterns())
    missing = names - set(PAGES) - set(PUBLIC)
    assert not missing, f"routes without an access rule in the matrix: {sorted(missing)}"
    assert not (set(PAGES) - names), "the matrix lists routes that no longer exist"


def _client_for(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _snapshot():
    """Every row of our own apps' tables, to prove a refused write changed nothing."""
    rows = {}
    for label in ("networks", "accounts"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(str, model.objects.values_list()))
    return rows


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(client, world, name, role):
    method, kwargs, expected, data = PAGES[name]
    url = reverse(name, kwargs=kwargs(world))
    client = _client_for(client, world, role)
    before = _snapshot()
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    want = expected[role]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want, (name, role, response.status_code)
    if want in ("login", 403, 404):
        assert _snapshot() == before, f"a refused {method} to {name} changed the database"


OBJECT_ROUTES = {
    "networks:member_edit": (
        "membership_id",
        lambda w: Membership.objects.get(person=w.other_person).pk,
    ),
    "networks:member_end": (
        "membership_id",
        lambda w: Membership.objects.get(person=w.other_person).pk,
    ),
    "networks:person": ("person_id", lambda w: w.other_person.pk),
    "networks:person_edit": ("person_id", lambda w: w.other_person.pk),
    "networks:person_invite": ("person_id", lambda w: w.other_person.pk),
    "networks:person_archive": ("person_id", lambda w: w.other_person.pk),
    "networks:organization_edit": ("organization_id", lambda w: w.other_organization.pk),
    "networks:organization_archive": ("organization_id", lambda w: w.other_organization.pk),
    "networks:tie_delete": ("tie_id", lambda w: w.other_tie.pk),
}


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_page_object_from_another_network_is_not_found(client, world, name):
    method, _, _, data = PAGES[name]
    field, other_id = OBJECT_ROUTES[name]
    url = reverse(name, kwargs={"slug": "core", field: other_id(world)})
    client.force_login(world.coordinator)
    before = _snapshot()
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert _snapshot() == before


def test_api_token_revoke_touches_only_own_tokens(client, world):
    token, _ = api_token_create(user=world.coordinator, name="mine")
    client.force_login(world.outsider)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert world.coordinator.api_tokens.filter(pk=token.pk).exists()


def test_admin_refuses_non_staff(client, world):
    client.force_login(world.coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- the API ---------------------------------------------------------------------------------

API_VIEW = {"anonymous": 401, "outsider": 404, "member": 200, "coordinator": 200}
API_MANAGE = {"anonymous": 401, "outsider": 404, "member": 403, "coordinator": 200}
API_CREATE = {"anonymous": 401, "outsider": 404, "member": 403, "coordinator": 201}
API_ANY = {"anonymous": 401, "outsider": 200, "member": 200, "coordinator": 200}


def _tie_body(w):
    return {"network": "core", "source_id": w.people[1].pk, "target_id": w.people[2].pk}


API = {
    "network_list": ("get", lambda w: "/networks", None, API_ANY),
    "network_get": ("get", lambda w: "/networks/core", None, API_VIEW),
    "network_create": (
        "post",
        lambda w: "/networks",
        lambda w: {"name": "N", "slug": "n-new"},
        {"anonymous": 401, "outsider": 201, "member": 201, "coordinator": 201},
    ),
    "network_update": ("patch", lambda w: "/networks/core", lambda w: {"purpose": "x"}, API_MANAGE),
    "network_phase_change": (
        "post",
        lambda w: "/networks/core/phase",
        lambda w: {"to_phase": 2},
        API_CREATE,
    ),
    "organization_list": ("get", lambda w: "/organizations?network=core", None, API_VIEW),
    "organization_get": ("get", lambda w: f"/organizations/{w.organization.pk}", None, API_VIEW),
    "organization_create": (
        "post",
        lambda w: "/organizations",
        lambda w: {"network": "core", "name": "O", "sector": "third"},
        API_CREATE,
    ),
    "organization_update": (
        "patch",
        lambda w: f"/organizations/{w.organization.pk}",
        lambda w: {"notes": "x"},
        API_MANAGE,
    ),
    "person_list": ("get", lambda w: "/people?network=core", None, API_VIEW),
    "person_get": ("get", lambda w: f"/people/{w.people[0].pk}", None, API_VIEW),
    "person_create": (
        "post",
        lambda w: "/people",
        lambda w: {"network": "core", "name": "P"},
        API_CREATE,
    ),
    "person_update": (
        "patch",
        lambda w: f"/people/{w.people[0].pk}",
        lambda w: {"network": "core", "title": "x"},
        API_MANAGE,
    ),
    "membership_list": ("get", lambda w: "/memberships?network=core", None, API_VIEW),
    "membership_get": ("get", lambda w: f"/memberships/{_membership(w).pk}", None, API_VIEW),
    "membership_create": (
        "post",
        lambda w: "/memberships",
        lambda w: {"network": "core", "person_id": w.outsider.person.pk},
        API_CREATE | {"coordinator": 404},
    ),
    "membership_update": (
        "patch",
        lambda w: f"/memberships/{_membership(w).pk}",
        lambda w: {"role": "facilitator"},
        API_MANAGE,
    ),
    "tie_list": ("get", lambda w: "/ties?network=core", None, API_VIEW),
    "tie_get": ("get", lambda w: f"/ties/{w.tie.pk}", None, API_VIEW),
    "tie_create": ("post", lambda w: "/ties", _tie_body, API_CREATE),
    "tie_update": (
        "patch",
        lambda w: f"/ties/{w.tie.pk}",
        lambda w: {"strength": "strong"},
        API_MANAGE,
    ),
}


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield operation["operationId"], method, path


def test_api_matrix_covers_every_operation():
    operations = {op for op, _, _ in _operations()}
    assert operations == set(API), (
        f"missing: {sorted(operations - set(API))}; stale: {sorted(set(API) - operations)}"
    )


def _api_headers(world, role):
    if role == "anonymous":
        return {}
    _, raw = api_token_create(user=getattr(world, role), name="matrix")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_access(client, world, operation, role):
    method, path, body, expected = API[operation]
    headers = _api_headers(world, role)
    before = _snapshot()
    kwargs = {"content_type": "application/json", "data": body(world)} if body else {}
    response = getattr(client, method)("/api/v1" + path(world), headers=headers, **kwargs)
    assert response.status_code == expected[role], (operation, role, response.content)
    if expected[role] in (401, 403, 404):
        after = _snapshot()
        after.pop("accounts.ApiToken", None)
        before.pop("accounts.ApiToken", None)
        assert after == before


def test_api_network_list_shows_only_own_networks(client, world):
    _, raw = api_token_create(user=world.outsider, name="t")
    response = client.get("/api/v1/networks", headers={"Authorization": f"Bearer {raw}"})
    assert [item["slug"] for item in response.json()["items"]] == ["elsewhere"]


def test_api_session_write_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = client.patch(
        "/api/v1/networks/core", data={"purpose": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    world.network.refresh_from_db()
    assert world.network.purpose != "x"
