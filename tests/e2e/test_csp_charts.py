"""Served charts draw under the strict Content-Security-Policy, with no violation in the console.

The other browser tests turn the CSP off to inject axe-core; this one keeps it on, as a visitor's
browser does, and counts what Chromium reports (issue 14: 182 violations before).
"""

import pytest

from suhde.charter.models import Indicator
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded
from suhde.surveys.models import Wave
from tests.e2e.test_journey import PASSWORD, _log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _violations(browser, live_server, paths: list[str]) -> dict[str, int]:
    context = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    _log_in(page, live_server)
    counts = {}
    for path in paths:
        seen.clear()
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        counts[path] = sum("Content Security Policy" in text for text in seen)
    context.close()
    return counts


def test_charts_draw_without_a_single_csp_violation(browser, live_server):
    demo_load(password=PASSWORD)
    demo_loaded.send(sender=Network, network=Network.objects.get(slug=CORE_SLUG))
    first, latest = Wave.objects.filter(network__slug=CORE_SLUG).order_by("closes_at")
    indicator = Indicator.objects.filter(goal__network__slug=CORE_SLUG).first()
    board = f"/n/{CORE_SLUG}/evaluation/{latest.pk}/"
    goal = f"/n/{CORE_SLUG}/goals/{indicator.goal_id}/"
    charts = [f"{board}charts/{name}.svg" for name in ("indices", "heatmap", "strength", "map")]
    charts += [f"{board}compare/{first.pk}/charts/{name}.svg" for name in ("indices", "ties")]
    charts.append(f"{goal}indicators/{indicator.pk}/chart.svg")
    pages = [board, f"{board}compare/?before={first.pk}", goal]
    counts = _violations(browser, live_server, pages + charts)
    print("CSP violations:", sum(counts.values()), counts)
    assert counts == dict.fromkeys(pages + charts, 0)
