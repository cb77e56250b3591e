"""Calendar subscriptions: secret, revocable, checked again at every fetch, never logged."""

import logging
from datetime import datetime

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from suhde.common.logging import redact
from suhde.common.tokens import token_digest
from suhde.coordination import domain
from suhde.coordination.models import FeedToken
from suhde.networks.models import Membership
from tests.coordination.helpers import at, event

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def _subscribe(client, world, user=None) -> str:
    client.force_login(user or world.member)
    response = client.post(reverse("coordination:feed_create", args=["core"]))
    assert response.status_code == 200
    return response.context["url"]


def test_subscription_finds_the_monthly_meeting_on_the_right_dates(client, world):
    event(
        world.network,
        "Network meeting",
        start=at(2026, 9, 8, 17),
        end=at(2026, 9, 8, 18),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
    )
    url = _subscribe(client, world)
    client.logout()
    response = client.get(_path(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    found = recurring_ical_events.of(calendar).between(datetime(2026, 9, 1), datetime(2027, 1, 1))
    assert [o["DTSTART"].dt for o in found] == [
        at(2026, 9, 8, 17),
        at(2026, 10, 13, 17),
        at(2026, 11, 10, 17),
        at(2026, 12, 8, 17),
    ]


def test_only_the_digest_of_the_token_is_stored(client, world):
    url = _subscribe(client, world)
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(raw) >= 43  # 256 random bits, URL-safe base64
    assert FeedToken.objects.get().token_digest == token_digest(raw)
    assert not FeedToken.objects.filter(token_digest=raw).exists()


def test_a_new_address_stops_the_old_one_and_revoking_stops_all(client, world):
    first = _subscribe(client, world)
    second = _subscribe(client, world)
    assert client.get(_path(first)).status_code == 404
    assert client.get(_path(second)).status_code == 200
    client.post(reverse("coordination:feed_revoke", args=["core"]))
    assert client.get(_path(second)).status_code == 404


def test_leaving_the_network_closes_the_feed_at_the_next_fetch(client, world):
    url = _subscribe(client, world)
    Membership.objects.filter(person__user=world.member).update(left_on="2026-01-01")
    assert client.get(_path(url)).status_code == 404


def test_a_disabled_account_closes_its_feeds(client, world):
    url = _subscribe(client, world)
    world.member.is_active = False
    world.member.save()
    assert client.get(_path(url)).status_code == 404


def test_unknown_token_is_not_found(client, db):
    assert client.get(reverse("coordination:ical_feed", args=["x" * 43])).status_code == 404


def test_personal_feed_holds_all_my_networks_and_no_others(client, world):
    event(world.network, "Core meeting")
    event(world.other, "Other meeting")
    client.force_login(world.coordinator)
    url = client.post(reverse("coordination:my_feed_create")).context["url"]
    calendar = icalendar.Calendar.from_ical(client.get(_path(url)).content)
    assert [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")] == ["Core meeting"]


def test_feed_token_never_reaches_the_log(client, world, caplog):
    url = _subscribe(client, world)
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert raw not in redact(f"GET {_path(url)} HTTP/1.1")
    with caplog.at_level(logging.INFO):
        client.get(_path(url))
    assert raw not in caplog.text


def test_feed_url_from_the_domain_is_absolute(world):
    _feed, raw = domain.feed_create(user=world.member, network=world.network)
    assert domain.feed_url(raw) == f"http://127.0.0.1:8000/ical/{raw}.ics"
