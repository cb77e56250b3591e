"""Anonymous API calls answer 401; a signed-in browser's changes still need the CSRF token."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
BODY = {"name": "New", "slug": "new"}


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_anonymous_calls_answer_401(method, world):
    client = Client(enforce_csrf_checks=True)
    path = {"get": "/api/v1/networks", "post": "/api/v1/networks"}.get(method, "/api/v1/events/1")
    response = getattr(client, method)(path, BODY, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_anonymous_call_with_a_stale_session_cookie_answers_401(world):
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "not-a-session"
    response = client.post("/api/v1/networks", BODY, content_type="application/json")
    assert response.status_code == 401


def test_signed_in_browser_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = client.post("/api/v1/networks", BODY, content_type="application/json")
    assert response.status_code == 403
    assert client.get("/api/v1/networks").status_code == 200
