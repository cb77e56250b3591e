"""Issue 19, tried as a facilitator, a projector and a 360 px phone would, under uvicorn (ASGI) as
`suhde serve` runs it: the presenter screen and the phone follow by Server-Sent Events without a
single poll; a post to a question with approval waits in the facilitator's queue, away from the
projector, until the facilitator approves it; a new question reaches the phone without a reload,
and the phone changes its answer. Selectors never rely on texts: the pages are in Finnish."""

import pytest

from suhde.networks.models import Role
from suhde.workshops import live, queries
from suhde.workshops.models import Post, Vote
from tests.e2e.conftest import axe_violations
from tests.factories import NetworkFactory, member_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "push test password"
POLLS = ("/present/board/", "/watch", "/results")


def _context(browser, seen, **options):
    context = browser.new_context(locale="fi-FI", bypass_csp=True, **options)
    context.on("request", lambda request: seen.append((request.resource_type, request.url)))
    return context


def _pushing(page):
    page.wait_for_selector("#live[data-live-mode=push]", state="attached", timeout=5000)


def test_presenter_and_phone_follow_by_push_and_a_held_post_waits(browser, asgi_server):
    base = asgi_server.url
    network = NetworkFactory(name="Verkosto", slug="core")
    user = member_user(network, Role.FACILITATOR, username="fasilitaattori")
    user.set_password(PASSWORD)
    user.save()
    session = live.session_create(
        network=network,
        user=user,
        title="Nostot",
        prompts=[{"kind": "highlights", "question": "Mikä toimii?", "approval": True}],
    )
    seen = []
    desk = _context(browser, seen, viewport={"width": 1280, "height": 900})
    control = desk.new_page()
    control.goto(f"{base}/login/")
    control.fill("#id_username", "fasilitaattori")
    control.fill("#id_password", PASSWORD)
    with control.expect_navigation():
        control.click("main button[type=submit]")
    control.goto(f"{base}/n/core/live/{session.pk}/")
    screen = desk.new_page()
    screen.goto(f"{base}/n/core/live/{session.pk}/present/")

    phone = _context(
        browser, seen, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(f"{base}/j/{session.code}")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    for page in (control, screen, phone):
        _pushing(page)

    # A post to a question with approval: in the queue, not on the projector.
    phone.fill("#id_text", "Matti on hankala ja jarruttaa kaikkea")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    post = Post.objects.get()
    assert (post.held, post.hidden) == (True, True)
    control.wait_for_selector(f"#prompt-{session.open_prompt_id} .live-approve", timeout=5000)
    version = queries.board_version(session.pk)
    screen.wait_for_selector(f"#board[data-version='{version}']", state="attached", timeout=5000)
    assert "Matti" not in screen.locator("#board").inner_text()
    assert screen.locator("#board .highlight").count() == 0

    # Approved, it reaches the projector by push.
    with control.expect_navigation():
        control.click(".live-approve")
    screen.wait_for_function(
        "() => document.querySelector('#board').innerText.includes('Matti on hankala')",
        timeout=5000,
    )
    assert axe_violations(screen) == []

    # A new question reaches the phone without reloading it.
    _pushing(phone)
    phone.evaluate("() => { window.stayed = true; }")
    live.prompt_add(
        session=session, kind="choice", question="Kumpi?", options=["Aamu", "Ilta"], open=True
    )
    phone.wait_for_function(
        "() => document.querySelector('#live-stage h1').innerText === 'Kumpi?'", timeout=5000
    )
    assert phone.evaluate("() => window.stayed") is True
    for label in phone.locator("#live-stage .live-choice").all():
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert box["height"] >= 44  # a thumb's target
    assert axe_violations(phone) == []

    # The phone answers, then changes its mind while the question is open.
    phone.check("#value0")
    with phone.expect_navigation():
        phone.click("#live-stage button[type=submit]")
    phone.check("#value1")
    with phone.expect_navigation():
        phone.click("#live-stage button[type=submit]")
    assert list(Vote.objects.values_list("value", flat=True)) == [1]

    streams = [url for kind, url in seen if kind == "eventsource"]
    assert any("/present/" not in url and "/events/?a=board" in url for url in streams)
    assert any(f"/j/{session.code}/events" in url for url in streams)
    assert [url for _kind, url in seen if any(p in url for p in POLLS)] == []
