"""Issue 15, point 6: every picker of people or organizations is a searchable field.

The server marks each such choice with ``data-picker`` (app.js adds the search box; the browser
test tests/e2e/test_pickers.py types into it). A person's own page edit is h12a's; here only the
pickers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suhde.workshops import domain as workshops


def _marked(html: str) -> set[str]:
    """Names of the selects and checkbox groups marked as searchable pickers."""
    selects = set(re.findall(r'<select name="(\w+)"[^>]*\bdata-picker\b', html))
    groups = set()
    for fieldset in re.findall(r"<fieldset[^>]*\bdata-picker\b.*?</fieldset>", html, re.S):
        groups |= set(re.findall(r'type="checkbox" name="(\w+)"', fieldset))
    return selects | groups


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("networks:tie_create", {"source", "target"}),
        ("charter:goal_create", {"owner"}),
        ("charter:role_create", {"holders"}),
        ("coordination:event_create", {"responsible"}),
        ("surveys:wave_create", {"invitees"}),
    ],
)
def test_people_pickers_are_searchable(client, world, name, fields):
    client.force_login(world.coordinator)
    html = client.get(reverse(name, args=["core"])).content.decode()
    assert _marked(html) >= fields


def test_attendees_and_home_organization_are_searchable(client, world):
    client.force_login(world.coordinator)
    meeting = workshops.meeting_create(
        network=world.network,
        user=world.coordinator,
        title="Palaveri",
        starts_at=timezone.now() + timedelta(days=1),
    )
    html = client.get(
        reverse("workshops:meeting_attendees", args=["core", meeting.pk])
    ).content.decode()
    assert "attendees" in _marked(html)
    person = world.people[0]
    html = client.get(reverse("networks:person_edit", args=["core", person.pk])).content.decode()
    assert "organization" in _marked(html)


def test_the_search_box_is_labelled_in_the_readers_language(client, world):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    html = client.get(reverse("networks:tie_create", args=["core"])).content.decode()
    assert 'data-search-label="Hae kirjoittamalla nimi"' in html
