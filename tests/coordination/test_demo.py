"""The demo network's year is full on its clock, and loading it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from suhde.coordination.demo import clock_demo_load
from suhde.coordination.models import AnnualClock, Event
from suhde.networks.demo import CORE_SLUG, demo_load

pytestmark = pytest.mark.django_db


def test_demo_clock_fills_every_ring_once(client):
    demo_load(password="demo password for tests")
    assert clock_demo_load() == 19
    assert clock_demo_load() == 0
    core = Event.objects.filter(network__slug=CORE_SLUG)
    assert core.count() == 15
    assert sorted(set(core.values_list("category__key", flat=True))) == [
        "budget",
        "meetings",
        "reporting",
        "steering",
        "surveys",
        "themes",
    ]
    assert AnnualClock.objects.get(network__slug=CORE_SLUG).start_month == 8
    client.login(username="demo", password="demo password for tests")
    response = client.get(reverse("coordination:clock", args=[CORE_SLUG]))
    rings = response.context["rings"]
    assert all(ring.occurrences for ring in rings)
    assert len(rings) == 8  # six categories and the two theme networks
    assert len(response.context["occurrences"]) == 45


def test_demo_clock_without_the_demo_does_nothing(db):
    assert clock_demo_load() == 0
    call_command("demo_clock")
    assert Event.objects.count() == 0
