"""The OpenAPI schema names each body and answer by its class name, so two classes of one name
would be documented as one: `live_vote_create` was documented with the decision poll's body."""

import inspect
import typing
from collections import defaultdict

import pydantic

from suhde.api import api


def _types(annotation):
    yield annotation
    for argument in typing.get_args(annotation):
        yield from _types(argument)


def _models(model, found: dict, seen: set) -> None:
    if not (inspect.isclass(model) and issubclass(model, pydantic.BaseModel)) or model in seen:
        return
    seen.add(model)
    found[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    for field in model.model_fields.values():
        for annotation in _types(field.annotation):
            _models(annotation, found, seen)


def schema_classes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    _models(model, found, seen)
    return found


def test_no_two_api_schema_classes_share_a_name():
    generated = {"BodyParams", "QueryParams", "PathParams", "FormParams", "FileParams"}
    generated |= {"NinjaResponseSchema", "Input", "FileParamsEx"}
    shared = {
        name: sorted(places)
        for name, places in schema_classes().items()
        if len(places) > 1 and name not in generated
    }
    assert shared == {}


def test_live_vote_and_poll_vote_bodies_are_documented_apart():
    schema = api.get_openapi_schema()
    live = schema["paths"]["/api/v1/live/votes"]["post"]["requestBody"]["content"]
    poll = schema["paths"]["/api/v1/decisions/{decision_id}/poll/votes"]["post"]["requestBody"]
    live_ref = live["application/json"]["schema"]["$ref"]
    poll_ref = poll["content"]["application/json"]["schema"]["$ref"]
    assert live_ref != poll_ref
    live_body = schema["components"]["schemas"][live_ref.rsplit("/", 1)[1]]
    assert sorted(live_body["properties"]) == ["participant", "value"]
