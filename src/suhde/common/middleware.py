import json
import logging
import re
import time
import uuid
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .logging import redact


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a signed-in user must not stay in a shared or browser cache (promise 27)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_log = logging.getLogger("suhde.request")


class RequestLogMiddleware:
    """One log line per request: its id, method, path (tokens redacted, no query string: a
    search may be a name), status, time taken and the user's id. Outermost, so that the time
    and status are the ones the client sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        # A proxy's id is kept so lines can be matched up; anything odd is replaced.
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            self._log(request, status, started)

    def _log(self, request, status: int, started: float) -> None:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        level = logging.WARNING if status >= 500 else logging.INFO
        request_log.log(
            level,
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": redact(request.path),
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000),
                "user_id": user_id,
            },
        )


def _nul_in_json(value, where: list) -> list | None:
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return [*where, key.replace("\x00", "")]
        found = _nul_in_json(item, [*where, key])
        if found is not None:
            return found
    return None


def nul_location(request: HttpRequest) -> list[object] | None:
    """Where a request carries a NUL character: ``["query", "q"]``, ``["body", "title"]``…"""
    if "\x00" in request.path:
        return ["path"]
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return ["query", key.replace("\x00", "")]
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if request.content_type == "application/json":
        body = request.body
        if b"\\u0000" not in body and b"\x00" not in body:
            return None
        try:
            return _nul_in_json(json.loads(body), ["body"])
        except ValueError:  # not JSON: the view answers that itself
            return None
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():  # uploaded files are not text and not here
            if "\x00" in key or any("\x00" in value for value in values):
                return ["body", key.replace("\x00", "")]
    return None


class NulRefusedMiddleware:
    """No text a person sends holds NUL; PostgreSQL cannot store it and SQLite cuts at it.

    Refused here, for every page and API operation alike, with a 400 that names the parameter
    or field, before any view or query sees it (issue 14: 500s from nine operations).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_location(request)
        if where is None:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"loc": where, "msg": message}]}, status=400)
        field = where[-1] if len(where) > 1 else ""
        text = f"{field}: {message}" if field else message
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
