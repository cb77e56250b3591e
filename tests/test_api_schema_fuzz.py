"""Schemathesis over the API's own OpenAPI schema, with a coordinator's token (issue 14).

Every operation gets generated requests — ones that fit the schema and ones that break it — in the
demo network, with its real ids mixed into the paths so that requests get past the 404. No answer
may be a server error or differ from what the schema documents, and every request that breaks
the schema must get a 4xx.

The run is bounded and repeatable: ``SUHDE_FUZZ_EXAMPLES`` examples per operation and mode (5 in
``make test``), the same ones every time. ``SUHDE_FUZZ_RANDOM=1`` draws new ones, for a longer
search by hand (`SUHDE_FUZZ_EXAMPLES=200 SUHDE_FUZZ_RANDOM=1 pytest tests/test_api_schema_fuzz.py`).
"""

import io
import os

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from suhde.accounts.domain import api_token_create

EXAMPLES = int(os.environ.get("SUHDE_FUZZ_EXAMPLES", 5))
RANDOM = os.environ.get("SUHDE_FUZZ_RANDOM") == "1"
# A request that fits the schema may still break a rule (a slug in use, a closed wave): its 400
# is the API working, so schemathesis's "valid data must be accepted" check is left out.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _real_ids() -> dict[str, list]:
    from suhde.charter.models import Goal, Indicator, Progress
    from suhde.coordination.models import Event
    from suhde.decisions.models import Decision
    from suhde.networks.models import Membership, Organization, Person, Tie
    from suhde.surveys.models import Wave
    from suhde.workshops.models import LiveSession, Meeting

    models = {
        "event_id": Event,
        "decision_id": Decision,
        "goal_id": Goal,
        "indicator_id": Indicator,
        "progress_id": Progress,
        "session_id": LiveSession,
        "meeting_id": Meeting,
        "membership_id": Membership,
        "organization_id": Organization,
        "person_id": Person,
        "tie_id": Tie,
        "wave_id": Wave,
    }
    ids = {name: list(m.objects.values_list("pk", flat=True)[:5]) for name, m in models.items()}
    return {**ids, "slug": ["core", "jarvela-asuminen"]}


def _strategy(operation, ids: dict):
    """Generated paths, and the demo's real ids in them, for both kinds of request."""
    names = [parameter.name for parameter in operation.path_parameters]
    real = {name: st.sampled_from(ids[name]) for name in names if ids.get(name)}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(mode))
        if real:
            strategies.append(
                st.fixed_dictionaries(real).flatmap(
                    lambda path, mode=mode: operation.as_strategy(mode, path_parameters=path)
                )
            )
    return st.one_of(strategies)


def _run(operation, strategy, headers) -> str | None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # every operation's failures, all reported
        return f"{operation.label}: {error}"
    return None


@pytest.fixture
def wsgi_app():
    """The WSGI application, without closing the test's database connection after each request.

    Django's own test client does the same: a request's end closes old connections, which on
    PostgreSQL would end the transaction the test runs in.
    """
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_no_server_error_and_keeps_its_schema(wsgi_app):
    from django.contrib.auth import get_user_model

    call_command("demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username="demo")
    _, raw = api_token_create(user=user, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    ids = _real_ids()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 68
    failures = [_run(op, _strategy(op, ids), headers) for op in operations]
    failures = [failure for failure in failures if failure]
    assert failures == [], "\n\n".join(failures)
