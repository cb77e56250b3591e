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


class _Served:
    def __init__(self, url: str):
        self.url = url


@pytest.fixture
def asgi_server(transactional_db, settings):
    """The site under uvicorn in a thread of this process, as `suhde serve` runs it (ASGI), so
    the live pages' Server-Sent Events stream; it shares the test database with the test."""
    import socket
    import threading
    import time

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(get_asgi_application()),
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _attempt in range(100):  # at most 10 s
        if server.started:
            break
        time.sleep(0.1)
    yield _Served(f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
