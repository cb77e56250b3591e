"""No page and no mail in Finnish or Swedish shows an English word of the interface.

The demo network, with a meeting, a live session, an agreement poll and an open survey wave
added, is walked as its coordinator walks it: every link from the home page, one page of each
kind. Every kind of mail is sent in the language, and the pages behind its personal links are
opened as their anonymous receiver opens them; a participant joins the live session. Every
named page of the site must be among the pages seen; ``NOT_PAGES`` says why the rest are not.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from suhde.coordination import digest
from suhde.coordination import domain as coordination
from suhde.decisions import domain as decisions
from suhde.networks import domain as networks
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Membership, Network
from suhde.networks.signals import demo_loaded
from suhde.surveys import domain as surveys
from suhde.workshops import domain as workshops
from suhde.workshops import live
from tests.common.english import english_in, pieces_of_html
from tests.test_access_matrix import _named_patterns

pytestmark = pytest.mark.django_db(transaction=True)

# Links that change something, leave the site or belong to the admin and the API.
LEAVE = ("/logout", "/i18n/", "/static/", "/media/", "/admin/", "/api/")
# Named routes that are not pages: files, images and feeds (their own tests read them), and
# actions that answer a POST with a redirect back to a page that is walked.
NOT_PAGES = {
    "charter:charter_pdf",
    "charter:indicator_chart",
    "coordination:clock_ics",
    "coordination:clock_pdf",
    "coordination:contacts_csv",
    "coordination:contacts_export",
    "coordination:event_ics",
    "coordination:feed",
    "coordination:ical_feed",
    "evaluation:chart",
    "evaluation:compare_chart",
    "evaluation:pdf",
    "evaluation:xlsx",
    "healthz",
    "networks:export",
    "networks:export_file",
    "networks:import_template",
    "networks:job_file",
    "networks:map_data",
    "networks:my_export",
    "networks:person_export",
    "workshops:session_export",
    "workshops:session_qr",
    "workshops:presenter_board",
    "live_join_watch",
    "live_join_results",
    "paths:path_json",
    "paths:path_svg",
    # off in the demo (a coordinator turns it on); tests/publish reads it in Finnish and Swedish
    "publish:public",
    # single sign-on: off in the demo (404); tests/accounts/test_sso.py reads its pages in
    # Finnish and Swedish
    "sso_login",
    "sso_callback",
    # event streams of the live session (their own tests read them)
    "workshops:session_events",
    "live_join_events",
    # POST only
    "decisions:comment_create",
    "decisions:comment_hide",
    "networks:map_pins",
    "networks:map_view_create",
    "networks:map_view_delete",
    "networks:map_view_move",
    "networks:map_view_update",
    "networks:rings_place",
    "paths:transition_decision",
    "publish:publish",
    "publish:withdraw",
    "accounts:api_token_create",
    "accounts:api_token_revoke",
    "charter:progress_create",
    "coordination:category_create",
    "coordination:feed_create",
    "coordination:feed_revoke",
    "coordination:my_feed_create",
    "coordination:my_feed_revoke",
    # its confirmation is common/confirm.html with the lines of my_erase's, which is walked
    "networks:person_erase",
    # its confirmation is the same page as contacts_ask's, which is walked
    "decisions:poll_links",
    "decisions:poll_open",
    "decisions:poll_vote",
    "evaluation:suggestion",
    "live_join_post",
    "live_join_vote",
    "live_join_upvote",
    "logout",
    "networks:import_confirm",
    "networks:mail_bounced",
    "networks:member_restore",
    "networks:my_change_accept",
    "networks:my_change_decline",
    "networks:person_invite",
    "networks:phase",
    "networks:removal_restore",
    "networks:tie_edit",
    "set_language",
    "surveys:open_answer_hide",
    "workshops:block_move",
    "workshops:prompt_move",
    "workshops:meeting_attendees",
    "workshops:meeting_notes",
    "workshops:post_moderate",
    "workshops:prompt_add",
    "workshops:prompt_open",
    "workshops:prompt_reveal",
    # a redirect to the newest closed wave's dashboard, which is walked
    "evaluation:latest",
    # the round page's forms (POST only), and the report's PDF, whose GET is
    # common/confirm.html (its buttons post from the report)
    "evaluation:goal_result",
    "evaluation:indicator_value",
    "evaluation:learning_outcome_add",
    "evaluation:reflection_plan",
    "evaluation:position_save",
    "evaluation:round_report_pdf",
    # no page starts a background job yet, so no job page can be reached
    "networks:job",
}
URL = re.compile(r"https?://[^\s/]+(/\S*)")


def _view_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _links(html: str) -> list[str]:
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href and href.startswith("/") and not href.startswith(LEAVE):
                found.append(href.split("#")[0])

    Links().feed(html)
    return found


def _walk(client: Client, start: list[str], pages: dict, kinds: Counter) -> None:
    """Follow links breadth first, one page of each named route; record path → HTML."""
    queue, seen = list(start), set(pages)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        name = _view_name(path)
        if name is None or name in NOT_PAGES or kinds[name] >= 1:
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        kinds[name] += 1
        html = response.content.decode()
        pages[path] = html
        queue += [href for href in _links(html) if href not in seen]


def _richer(network: Network, user) -> dict:
    """What the demo lacks: a meeting with an agenda, an own method, a live session, a poll, an
    open wave."""
    now = timezone.now()
    meeting = workshops.meeting_create(
        network=network, user=user, title="Verkostopalaveri", starts_at=now + timedelta(days=7)
    )
    workshops.block_add(meeting=meeting, title="Aloituskierros", minutes=15)
    workshops.method_create(network=network, name="Kalamalja")
    people = [m.person_id for m in Membership.objects.filter(network=network)[:3]]
    workshops.attendees_set(meeting=meeting, person_ids=people)
    session = live.session_create(
        network=network,
        user=user,
        title="Nostot",
        meeting=meeting,
        prompts=[{"kind": "highlights", "question": "Mikä toimii?", "options": []}],
    )
    live.prompt_open(prompt=session.prompts.first())
    decision = decisions.decision_create(
        network=network, title="Yhteinen käytäntö", proposal="Teemme näin.", mode="facilitated"
    )
    poll = decisions.poll_open(decision=decision, deadline=now + timedelta(days=3))
    wave = surveys.wave_create(
        network=network, user=user, title="Kevään kysely", closes_at=now + timedelta(days=14), k=3
    )
    # A saved map view, a field of the network's own and a comment of the coordinator's, so that
    # the walk reaches the presentation, the saved view, a field's page and the comment's edit.
    networks.map_view_create(network=network, user=user, title="Sektorit")
    for each in Network.objects.all():  # the walk reads the fields page of whichever it meets
        networks.custom_field_create(
            network=each, applies_to="person", name="Osaamisalue", kind="text", user=user
        )
    decisions.comment_create(decision=decision, person=user.person, body="Hyvä ehdotus.")
    return {"session": session, "poll": poll, "wave": wave}


def _send_every_mail(network, user, made, language, capture) -> None:
    newcomer = (
        Membership.objects.filter(network=network, person__user__isnull=True)
        .exclude(person__email="")
        .first()
        .person
    )
    with capture(execute=True):
        networks.invitation_create(
            network=network, person=newcomer, role="member", invited_by=user, language=language
        )
        coordination.confirm_requests_send(network=network, people=[newcomer], language=language)
        networks.person_change_propose(
            network=network, person=newcomer, user=user, language=language, phone="+358 40 1"
        )
        moved = (
            Membership.objects.filter(network=network, person__user__isnull=True)
            .exclude(person__email="")
            .exclude(person=newcomer)
            .first()
            .person
        )
        with translation.override(language):  # the notice goes in the language of the change
            networks.person_update(
                network=network, person=moved, user=user, email="uusi.osoite@example.fi"
            )
        surveys.wave_invitations_send(wave=made["wave"], language=language)
        decisions.poll_links_send(poll=made["poll"], language=language)
        digest.digests_send(language=language)
        digest.reminders_send(today=timezone.localdate() + timedelta(days=6), language=language)


def _answer_the_survey(client: Client, paths: list[str], pages: dict, kinds: Counter) -> None:
    """The respondent's steps after the roster, which only a chosen partner opens."""
    start = next(path for path in paths if _view_name(path) == "survey_start")
    roster = client.get(f"{start}partners/").content.decode()
    partner = re.search(r'name="partners" value="(\d+)"', roster).group(1)
    client.post(f"{start}partners/", {"partners": [partner]})
    steps = [f"{start}partners/1/", f"{start}you/", f"{start}thoughts/", f"{start}review/"]
    _walk(client, steps, pages, kinds)
    client.post(f"{start}review/")
    _walk(client, [f"{start}thanks/"], pages, kinds)


def _english_on(pages: dict[str, str], language: str) -> dict[str, list[str]]:
    found = {}
    for path, html in pages.items():
        if english := english_in(pieces_of_html(html, language), language):
            found[path] = english
    return found


def demo_walk(language: str, capture) -> tuple[dict[str, str], dict[str, Client], Counter]:
    """The demo, made richer and mailed in the language, walked by its coordinator, by the
    anonymous receivers of its mails and by a live-session participant: every page seen (path →
    HTML), whose client saw it (path → Client, for its cookies) and the named routes seen."""
    # The demo is made as `suhde demo` makes it, on a site whose language is Finnish: stored
    # texts such as a decision's review on the clock are written in the site's language
    # (the test settings' English is for the other tests' assertions).
    with override_settings(LANGUAGE_CODE="fi"):
        demo_load(password="a demo password for tests")
        network = Network.objects.get(slug=CORE_SLUG)
        demo_loaded.send(sender=Network, network=network)
    user = get_user_model().objects.get(username="demo")
    made = _richer(network, user)
    mail.outbox.clear()
    _send_every_mail(network, user, made, language, capture)
    coordinator = Client()
    coordinator.cookies["django_language"] = language
    coordinator.post("/reset/", {"email": user.email})
    coordinator.force_login(user)

    pages, kinds, who = {}, Counter(), {}

    def walk(client, start, walker=_walk):
        before = set(pages)
        walker(client, start, pages, kinds)
        who.update(dict.fromkeys(set(pages) - before, client))

    # The decision with the open poll first, so that its page (with "Close the poll") is the
    # decision page walked.
    decision = f"/n/{network.slug}/decisions/{made['poll'].decision_id}/"
    walk(
        coordinator,
        ["/", decision, f"/n/{network.slug}/", "/calendar/", "/account/password/done/"],
    )
    visitor = Client()
    visitor.cookies["django_language"] = language
    personal = [match.group(1) for m in mail.outbox for match in URL.finditer(m.body)]
    walk(visitor, ["/login/", "/reset/", "/reset/sent/", "/reset/done/", "/j/", *personal])
    walk(visitor, personal, _answer_the_survey)
    participant = Client()
    participant.cookies["django_language"] = language
    code = made["session"].code
    participant.post(f"/j/{code}", {"name": "Maija"})
    walk(participant, [f"/j/{code}"])
    return pages, who, kinds


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_page_and_no_mail_shows_english(language, django_capture_on_commit_callbacks):
    pages, _who, kinds = demo_walk(language, django_capture_on_commit_callbacks)
    mails = {
        f"mail: {m.subject}": english_in([m.subject, *m.body.splitlines()], language)
        for m in mail.outbox
    }
    assert {subject: found for subject, found in mails.items() if found} == {}
    assert len(mail.outbox) >= 6
    found = _english_on(pages, language)
    assert found == {}, "\n".join(f"{path}: {english}" for path, english in found.items())
    missing = set(_named_patterns()) - set(kinds) - NOT_PAGES
    assert missing == set(), " ".join(sorted(missing))


def test_the_check_sees_english_and_only_english():
    html = (
        '<main><h1>Jäsenet</h1><button type="submit">Save</button>'
        "<p>Versio 2, tallennettu 1.3.2026.</p><p>See the members by organization and sector</p>"
        '<a title="Edit the network" href="/">Muokkaa</a>'
        '<option lang="en">English</option><p>Version 3 was agreed on 2 Mar 2026.</p>'
        "<p>A string that the code never marked for translation.</p></main>"
    )
    assert english_in(pieces_of_html(html, "fi"), "fi") == [
        "A string that the code never marked for translation.",
        "Edit the network",
        "Save",
        "See the members by organization and sector",
        "Version 3 was agreed on 2 Mar 2026.",
    ]
    assert english_in(pieces_of_html("<p>Tallenna</p><p>to 14.7.</p>", "fi"), "fi") == []
