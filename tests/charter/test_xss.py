"""Promise 16: user text in the charter, goals, roles and decisions is never marked safe."""

from datetime import date

import pytest
from django.urls import reverse

from suhde.charter import domain
from suhde.decisions import domain as decisions
from tests.charter.helpers import charter_with

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


def test_user_text_is_escaped_on_every_page(client, world):
    charter_with(world.network, {"1": "Old"}, {"1": XSS, "2": XSS})
    goal = domain.goal_create(
        network=world.network,
        kind="aim",
        title=XSS,
        why=XSS,
        indicators=[{"name": XSS, "unit": "<b>u</b>", "how_measured": XSS, "target": 1}],
    )
    domain.goal_progress_create(
        indicator=goal.indicators.get(), recorded_on=date(2026, 1, 1), value=1, note=XSS
    )
    role = domain.role_save(network=world.network, kind="other", name=XSS, description=XSS)
    decision = decisions.decision_create(
        network=world.network,
        title=XSS,
        proposal=XSS,
        mode="facilitated",
        rationale=XSS,
        decided_by=XSS,
    )
    client.force_login(world.coordinator)
    pages = [
        reverse("charter:charter", args=["core"]),
        reverse("charter:charter_diff", args=["core"]),
        reverse("charter:charter_print", args=["core"]),
        reverse("charter:charter_edit", args=["core"]),
        reverse("charter:goals", args=["core"]),
        reverse("charter:goal", args=["core", goal.pk]),
        reverse("charter:goal_edit", args=["core", goal.pk]),
        reverse("charter:roles", args=["core"]),
        reverse("charter:role_edit", args=["core", role.pk]),
        reverse("decisions:decisions", args=["core"]),
        reverse("decisions:decision", args=["core", decision.pk]),
        reverse("decisions:decision_edit", args=["core", decision.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;" in body, url
