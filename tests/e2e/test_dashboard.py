"""The new user's walk through phase 4 in the demo: open the latest wave's dashboard, compare it
with the first, accept a suggestion and download the PDF; axe finds nothing serious."""

import pytest

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded
from suhde.surveys.models import Wave
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journey import PASSWORD, _log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_compare_accept_and_pdf(page, live_server):
    demo_load(password=PASSWORD)
    demo_loaded.send(sender=Network, network=Network.objects.get(slug=CORE_SLUG))
    first, latest = Wave.objects.filter(network__slug=CORE_SLUG).order_by("closes_at")
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/n/{CORE_SLUG}/evaluation/")
    page.wait_for_url(f"**/evaluation/{latest.pk}/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.locator("img[src$='indices.svg']").evaluate("img => img.naturalWidth") > 0
    assert axe_violations(page) == []

    page.locator("#suggestions ~ ol button[value=accepted]").first.click()
    page.wait_for_url("**#suggestions")
    assert page.locator("#suggestions ~ ol .badge").count() == 1

    page.goto(f"{live_server.url}/n/{CORE_SLUG}/evaluation/{latest.pk}/compare/?before={first.pk}")
    assert page.locator("#tie-change").is_visible()
    assert page.locator("img[src$='ties.svg']").evaluate("img => img.naturalWidth") > 0
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/n/{CORE_SLUG}/evaluation/{latest.pk}/")
    # The worker makes the PDF (here at once); its page offers the file, in Finnish.
    page.locator(f"form[action$='/evaluation/{latest.pk}/report.pdf'] button").click()
    page.wait_for_url("**/jobs/*/")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.locator("a[href$='/file/']").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
