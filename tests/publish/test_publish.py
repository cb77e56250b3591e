"""Spreading (issue 22, point 6): a network's opt-in public summary and its open data."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from suhde.charter.domain import goal_create
from suhde.evaluation import domain as evaluation
from suhde.evaluation.report import Health
from suhde.networks.models import Network, Person
from suhde.publish import queries, ratelimit
from suhde.publish.models import PublicSummary
from suhde.surveys import closing
from tests.evaluation.conftest import closed_wave, random_answers
from tests.surveys.conftest import survey_world  # noqa: F401 — the fixture

PAGE = "/p/core/"
JSON = "/api/v1/public/core"


def _plain(content: bytes) -> bytes:
    return re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", content)


def _publish(client, world, contact="verkosto@kunta.example.fi"):
    client.force_login(world.coordinator)
    return client.post(reverse("publish:publish", args=["core"]), {"contact": contact})


def _completed_round(world):
    """A goal with a verdict and an indicator value, a narrative, and two closed waves."""
    goal = goal_create(
        network=world.network,
        kind="customer",
        title="One door for young people",
        indicators=[{"name": "Young people bounced", "baseline": "40", "target": "10"}],
    )
    meeting = world.network.meetings.create(title="Reflection", starts_at=goal.created_at)
    evaluation.goal_result_update(
        network=world.network,
        number=1,
        goal=goal,
        verdict="partly",
        reason="Halfway there",
        meeting_id=meeting.pk,
    )
    evaluation.narrative_update(
        network=world.network,
        number=1,
        sections={"summary": "A year of building trust.", "next_focus": "Housing first."},
        user=world.coordinator,
    )
    random_answers(world, world.wave, 1, share=1.0)
    closing.wave_close(wave=world.wave)
    closed_wave(world, seed=2)


def test_public_summary_is_off_by_default_and_answers_as_a_network_that_does_not_exist(
    client, world
):
    for url in (PAGE, JSON):
        missing = client.get(url.replace("core", "nowhere"))
        response = client.get(url)
        assert response.status_code == 404 == missing.status_code
        # the same bytes but the address itself (the 404 page's language switch returns to it)
        # and the CSRF token, masked afresh for every response
        assert _plain(response.content.replace(b"/core/", b"/nowhere/")) == _plain(missing.content)
    assert not PublicSummary.objects.exists()


def test_the_coordinator_sees_a_preview_of_exactly_what_will_be_public_before_publishing(
    client, world
):
    client.force_login(world.coordinator)
    page = client.get(reverse("publish:settings", args=["core"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "City youth services" in html and "Far away NGO" not in html
    assert "Publish this summary" in html
    assert client.get(PAGE).status_code == 404
    assert not PublicSummary.objects.filter(enabled=True).exists()


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "Give a contact: an email address or a web address."),
        ("not an address", "The contact must be an email address"),
        ("javascript:alert(1)", "The contact must be an email address"),
        ("http://plain.example.fi", "starts with https://"),
        ("a@" + "b" * 260 + ".fi", "Ensure this value has at most 254 characters"),
    ],
)
def test_a_bad_contact_is_refused_at_its_field_and_nothing_is_published(
    client, world, contact, message
):
    response = _publish(client, world, contact)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicSummary.objects.filter(enabled=True).exists()
    assert client.get(PAGE).status_code == 404


def test_publishing_opens_the_page_and_the_json_and_stopping_closes_them_at_once(client, world):
    assert _publish(client, world).status_code == 302
    anonymous = client.__class__()
    page = anonymous.get(PAGE)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert "verkosto@kunta.example.fi" in page.content.decode()
    assert anonymous.get(JSON).json()["contact"] == "verkosto@kunta.example.fi"
    response = client.post(reverse("publish:withdraw", args=["core"]))
    assert response.status_code == 302
    assert anonymous.get(PAGE).status_code == 404
    assert anonymous.get(JSON).status_code == 404
    assert anonymous.get(JSON).content == anonymous.get("/api/v1/public/nowhere").content


def test_an_archived_network_has_no_public_page(client, world):
    _publish(client, world)
    Network.objects.filter(pk=world.network.pk).update(archived_at="2026-01-01T00:00Z")
    assert client.get(PAGE).status_code == 404
    assert client.get(JSON).status_code == 404


def test_the_public_page_and_json_contain_no_personal_data_and_no_figure_under_k(
    client,
    survey_world,  # noqa: F811 — the fixture
):
    world = survey_world
    for person in Person.objects.all():  # names nothing else on the page could contain
        person.name = f"Qx{person.pk}zName Surname{person.pk}q"
        person.email = f"qx{person.pk}z@mail.example"
        person.save()
    _completed_round(world)
    _publish(client, world)
    anonymous = client.__class__()
    page = anonymous.get(PAGE).content.decode()
    data = anonymous.get(JSON).json()
    text = page + json.dumps(data)
    people = list(Person.objects.values_list("name", "email"))
    users = list(get_user_model().objects.values_list("username", "email"))
    assert len(people) > 10
    for name, email in people:
        assert name not in text and email not in text
    for username, email in users:
        assert f">{username}<" not in page and (not email or email not in text)
    # the report's goals and the published figures are there, each on at least k answers
    assert data["goals"][0]["title"] == "One door for young people"
    assert data["goals"][0]["verdict"] == "partly"
    assert data["in_brief"] == "A year of building trust."
    assert data["k"] == 3
    assert data["figures"], "the figures of a wave everyone answered are published"
    assert all(f["respondents"] >= data["k"] for f in data["figures"])
    assert sorted(o["name"] for o in data["organizations"]) == [
        "Builder Ltd",
        "City youth services",
        "Housing NGO",
    ]
    assert "Halfway there" not in text  # the verdict's reason stays inside the network


def test_a_figure_standing_on_fewer_than_k_answers_is_never_published():
    health = Health(
        wave=None,
        previous=None,
        k=5,
        respondents=6,
        figures={"knowing": 3.1, "trust": 2.9, "commitment": 3.5},
        counts={"knowing": 6, "trust": 4, "commitment": 5},
        change=None,
    )
    assert [(f.key, f.respondents) for f in queries._figures(health)] == [
        ("knowing", 6),
        ("commitment", 5),
    ]


def test_a_wave_answered_by_too_few_publishes_no_figure(client, survey_world):  # noqa: F811
    world = survey_world
    random_answers(world, world.wave, 3, share=0.2)
    closing.wave_close(wave=world.wave)
    _publish(client, world)
    data = client.__class__().get(JSON).json()
    assert all(f["respondents"] >= 3 for f in data["figures"])


def test_public_reads_are_rate_limited_per_address(client, world, monkeypatch):
    _publish(client, world)
    monkeypatch.setattr(ratelimit, "PUBLIC_PER_ADDRESS", (2, 60))
    anonymous = client.__class__()
    assert [anonymous.get(PAGE).status_code for _ in range(2)] == [200, 200]
    limited = anonymous.get(PAGE)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert anonymous.get(JSON).status_code == 429


def test_the_public_page_costs_the_same_queries_for_one_or_many_organizations(
    client, world, django_assert_num_queries
):
    from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory

    _publish(client, world)
    anonymous = client.__class__()
    anonymous.get(PAGE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert anonymous.get(PAGE).status_code == 200
    for index in range(3):
        organization = OrganizationFactory(name=f"Org {index}", networks=[world.network])
        MembershipFactory(person=PersonFactory(organization=organization), network=world.network)
    with django_assert_num_queries(len(few.captured_queries)):
        assert anonymous.get(PAGE).status_code == 200


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_public_page_and_the_settings_are_wholly_in_the_sites_language(client, world, language):
    from tests.common.english import english_in

    _publish(client, world)
    settings_page = client.get(
        reverse("publish:settings", args=["core"]), headers={"Accept-Language": language}
    )
    public = client.__class__().get(PAGE, headers={"Accept-Language": language})
    assert public.status_code == 200 == settings_page.status_code
    assert english_in(public.content.decode(), language) == []
    assert english_in(settings_page.content.decode(), language) == []


def test_the_round_report_links_the_coordinator_to_the_public_summary(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("evaluation:round_report", args=["core", 1])).content.decode()
    assert f'btn-sm" href="{reverse("publish:settings", args=["core"])}"' in page
    client.force_login(world.member)
    page = client.get(reverse("evaluation:round_report", args=["core", 1])).content.decode()
    button = f'btn-sm" href="{reverse("publish:settings", args=["core"])}"'
    assert button not in page
