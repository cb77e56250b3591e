import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def without_chromium(environ) -> str:
    """What to do when Chromium is missing: skip on a laptop, fail in CI.

    A CI run that silently skipped every browser test would pass without having tried a single
    page in a browser, so there (CI=true, as .ci/run and most CI services set it) it must fail.
    """
    return "fail" if environ.get("CI", "").lower() in ("true", "1") else "skip"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = "Debian chromium is not installed (apt-get install chromium)"
        if without_chromium(os.environ) == "fail":
            pytest.fail(f"{message}; CI=true, so the browser tests may not be skipped")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser lives;
    # the ORM calls of the tests and their database set-up are ordinary synchronous code, so
    # Django's async-safety guard does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app itself never needs inline scripts.
    context = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
