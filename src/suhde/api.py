"""The JSON API under /api/v1/: each app's router, one authentication, one error format."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from suhde.accounts.domain import api_token_user
from suhde.charter.api import router as charter_router
from suhde.coordination.api import router as coordination_router
from suhde.decisions.api import router as decisions_router
from suhde.evaluation.api import router as evaluation_router
from suhde.networks.api import router as networks_router
from suhde.surveys.api import router as surveys_router
from suhde.workshops.api import router as workshops_router


class BearerToken(HttpBearer):
    """A personal API token. The header's value is never logged, even when malformed."""

    def __call__(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        user = api_token_user(raw=token)
        if user is not None:
            request.user = user
            request.auth_token = True
        return user


class Session(APIKeyCookie):
    """The browser's own session, with Django's CSRF check on every change."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="Suhde API",
    version="1",
    description="Networks, organizations, people, memberships and ties. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`.",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    # The interactive docs page loads scripts from a CDN, which the CSP forbids; the schema is
    # at /api/v1/openapi.json and in docs/openapi.json.
    docs_url=None,
)
api.add_router("/", networks_router)
api.add_router("/", coordination_router)
api.add_router("/", surveys_router)
api.add_router("/", charter_router)
api.add_router("/", evaluation_router)
api.add_router("/", workshops_router)
api.add_router("/", decisions_router)


def _field_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", field], "msg": message}
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"loc": ["body"], "msg": message} for message in error.messages]


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not Found"}, status=404)
