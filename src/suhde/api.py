"""The JSON API under /api/v1/: each app's router, one authentication, one error format."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from suhde.accounts.domain import api_token_user
from suhde.charter.api import router as charter_router
from suhde.coordination.api import router as coordination_router
from suhde.decisions.api import router as decisions_router
from suhde.evaluation.api import router as evaluation_router
from suhde.networks.api import router as networks_router
from suhde.paths.api import router as paths_router
from suhde.publish.api import router as publish_router
from suhde.surveys.api import router as surveys_router
from suhde.workshops.api import router as workshops_router


class BearerToken(HttpBearer):
    """A personal API token. The header's value is never logged, even when malformed."""

    def __call__(self, request: HttpRequest) -> User | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(raw=token)
        if user is not None:
            request.user = user  # the pages' rules (no-store, audit log) see the token's user
        return user


class Session(APIKeyCookie):
    """The browser's own session, with Django's CSRF check on every change."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing for the CSRF check to protect: an
        # anonymous call gets 401 like a missing token, not 403 "CSRF check failed".
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return request.user if request.user.is_authenticated else None


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {
                                "type": "array",
                                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                            },
                            "msg": {"type": "string"},
                        },
                        "required": ["loc", "msg"],
                    },
                },
            ]
        }
    },
    "required": ["detail"],
}
ERRORS = {
    400: "The request breaks a rule; `detail` names the field.",
    401: "No valid token or session.",
    403: "Not allowed for your role in this network.",
    404: "Not found, or not in a network of yours.",
    422: "The request does not fit the schema; `detail` names the field.",
}


class ObjectParser(Parser):
    """Every body is a JSON object. Ninja's schemas read attributes from what they are given, so
    a bare number or list would otherwise pass as an update that changes nothing."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")  # answered as a 400
        return data


class SuhdeAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation documents the errors any request may get, in one error format.

        Ninja documents only what an operation declares; a client (and schemathesis) must also
        expect the 401, 404 and 422 that the authentication, the access gate and the schema give.
        """
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for code, description in ERRORS.items():
                    if code == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(code, {"description": description, "content": body})
        return schema


api = SuhdeAPI(
    title="Suhde API",
    version="1",
    description="Networks, organizations, people, memberships and ties. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`.",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    parser=ObjectParser(),
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
api.add_router("/", paths_router)
api.add_router("/", publish_router)


def _field_errors(error: ValidationError) -> list[dict[str, object]]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", field], "msg": message}
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"loc": ["body"], "msg": message} for message in error.messages]


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # A refusal that says who can do it instead (networks.access.Refused) is worth reading.
    detail = getattr(exc, "public_message", None) or "Forbidden"
    return api.create_response(request, {"detail": str(detail)}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not Found"}, status=404)
