import logging
import re
import time
import uuid

from django.utils.cache import add_never_cache_headers

from .logging import redact


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a signed-in user must not stay in a shared or browser cache (promise 27)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(request, "auth_token", None):
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
