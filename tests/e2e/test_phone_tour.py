"""Every named page on a 360 × 740 phone in Finnish: nothing wider than the screen, axe clean.

The pages are the ones the language check walks (tests/common/test_no_english.py): the demo made
richer, mailed, and walked by its coordinator, by the anonymous receivers of its mails and by a
live-session participant, one page of every named route — that test fails when a named route is
neither walked nor listed as not a page, so a new page is covered here too. The browser is shown
exactly the HTML each of them saw (a survey page that the respondent has since sent would
otherwise answer differently), with its styles, scripts and the coordinator's session from the
live server.
"""

from urllib.parse import urlsplit

import pytest

from tests.common.test_no_english import demo_walk
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 360, 740


def _overflow(page) -> tuple[int, list[str]]:
    """How far the document is wider than the screen, and the widest elements that stick out."""
    return page.evaluate(
        """() => {
            const over = document.documentElement.scrollWidth - window.innerWidth;
            const out = [];
            const clipped = (el) => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== 'visible') return true;
                }
                return false;
            };
            if (over > 0) {
                for (const el of document.body.querySelectorAll('*')) {
                    const box = el.getBoundingClientRect();
                    const parent = el.parentElement.getBoundingClientRect();
                    if (box.right > window.innerWidth + 1 && box.width > 0 &&
                        parent.right <= window.innerWidth + 1 && !clipped(el)) {
                        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                            (el.className && typeof el.className === 'string'
                                ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                            ' right=' + Math.round(box.right));
                    }
                }
            }
            return [over, out.slice(0, 4)];
        }"""
    )


def _serving(html: str):
    def serve(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    return serve


def test_every_named_page_fits_a_phone_in_finnish(
    browser, live_server, django_capture_on_commit_callbacks
):
    pages, who, kinds = demo_walk("fi", django_capture_on_commit_callbacks)
    assert len(kinds) > 80
    context = browser.new_context(
        locale="fi-FI", bypass_csp=True, viewport={"width": WIDTH, "height": HEIGHT}
    )
    coordinator = who["/"]
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in coordinator.cookies.items()
        ]
    )
    page = context.new_page()
    problems = {}
    try:
        for path, html in pages.items():
            url = live_server.url + path
            exact = urlsplit(url)._replace(fragment="").geturl()

            page.route(exact, _serving(html))
            page.goto(url)
            page.unroute(exact)
            over, out = _overflow(page)
            found = []
            if over > 0:
                found.append(f"{over} px wider than the screen: {out}")
            found += axe_violations(page)
            if found:
                problems[path] = found
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())
