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
from tests.access import rules

ROLES = ("anonymous", "outsider", "member", "coordinator")
RULES = rules()
PAGES, PUBLIC, OBJECT_ROUTES, API = (RULES[k] for k in ("PAGES", "PUBLIC", "OBJECT_ROUTES", "API"))


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
    for config in apps.get_app_configs():
        if config.name.startswith("suhde.") and config.label != "common":
            for model in config.get_models():
                rows[model._meta.label] = sorted(map(str, model.objects.values_list()))
    return rows


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(client, world, name, role):
    method, kwargs, expected, data = PAGES[name]
    url = reverse(name, kwargs=kwargs(world))
    data = data(world) if callable(data) else data  # a body may name what the rule created
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


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_page_object_from_another_network_is_not_found(client, world, name):
    method, _, _, data = PAGES[name]
    data = data(world) if callable(data) else data
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
    url = "/api/v1" + path(world)  # a rule may create the object it needs
    kwargs = {"content_type": "application/json", "data": body(world)} if body else {}
    before = _snapshot()
    response = getattr(client, method)(url, headers=headers, **kwargs)
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
