"""Figures about a group need the group (issue 13, points 3, 4 and 7), end to end."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.privacy import AUDIT_VERSION, figures_public
from suhde.surveys import closing, domain
from suhde.surveys.models import Wave
from tests.factories import MembershipFactory, NetworkFactory, OrganizationFactory, PersonFactory
from tests.surveys.conftest import answer
from tests.surveys.privacy_helpers import attack


@pytest.fixture
def groups_world(world):
    """Core with organizations of 12, 4, 1 and 10 people and a theme network; k = 5."""
    network = world.network
    sizes = {"Big Agency": 12, "Small Four": 4, "Lone One": 1, "Middle Ten": 10}
    sectors = {"Big Agency": "public", "Small Four": "third", "Lone One": "private"}
    theme = NetworkFactory(name="Housing theme", slug="housing-theme", parent=network)
    people = {}
    for name, size in sizes.items():
        org = OrganizationFactory(name=name, sector=sectors.get(name, "public"), networks=[network])
        people[name] = [PersonFactory(organization=org) for _ in range(size)]
        for index, person in enumerate(people[name]):
            MembershipFactory(person=person, network=network)
            if index % 2 == 0:
                MembershipFactory(person=person, network=theme)
    wave = domain.wave_create(
        network=network,
        user=world.coordinator,
        title="Groups",
        closes_at=timezone.now() + timedelta(days=10),
        k=5,
        invitees=[p.pk for group in people.values() for p in group],
    )
    rng = random.Random(5)
    everyone = [p for group in people.values() for p in group]
    for person in everyone:
        partners = rng.sample([p for p in everyone if p != person], 8)
        answer(wave, person, partners, value=rng.randint(1, 4), level=rng.randint(1, 5))
    world.groups, world.theme, world.groups_wave = people, theme, wave
    return world


def _api(client, user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _cells(figures, key):
    return [
        cell
        for section, cells in figures.items()
        if isinstance(cells, list)
        for cell in cells
        if cell["key"] == key
    ]


def test_an_organization_of_four_under_k_five_shows_no_number_in_either_direction(
    client, groups_world
):
    wave = closing.wave_close(wave=groups_world.groups_wave)
    results = client.get(
        f"/api/v1/waves/{wave.pk}/results", headers=_api(client, groups_world.coordinator)
    ).json()
    small = _cells(results["figures"], "Small Four")
    assert {cell["direction"] for cell in small} == {"received", "given"}
    assert all(set(cell) == {"key", "direction", "suppressed"} for cell in small)
    lone = _cells(results["figures"], "Lone One")
    assert lone and all(set(cell) == {"key", "direction", "suppressed"} for cell in lone)
    # The larger groups still show: the auditor hides what it must, not everything.
    big = _cells(results["figures"], "Big Agency")
    assert any(cell.get("counts") for cell in big)
    dashboard = client.get(
        f"/api/v1/waves/{wave.pk}/dashboard", headers=_api(client, groups_world.coordinator)
    ).json()
    for cell in _cells(dashboard["figures"], "Small Four") + _cells(
        dashboard["figures"], "Lone One"
    ):
        assert set(cell) == {"key", "direction", "suppressed"}


def test_theme_networks_get_their_own_figures_under_the_same_auditor(client, groups_world):
    wave = closing.wave_close(wave=groups_world.groups_wave)
    figures = wave.snapshot["figures"]
    themes = figures["theme_networks"]
    assert {(c["key"], c["direction"]) for c in themes} == {
        ("housing-theme", "received"),
        ("housing-theme", "given"),
    }
    assert wave.snapshot["theme_names"] == {"housing-theme": "Housing theme"}
    assert any(c.get("counts") for c in themes)
    page = client.get(f"/n/core/surveys/{wave.pk}/results/")
    assert page.status_code == 302  # not signed in: to the sign-in page
    client.force_login(groups_world.member)
    page = client.get(f"/n/core/surveys/{wave.pk}/results/").content.decode()
    assert "Housing theme" in page


def test_the_attacker_learns_nothing_from_a_real_closed_wave(groups_world):
    from suhde.surveys.closing import _answers

    wave = closing.wave_close(wave=groups_world.groups_wave)
    dyads, selves, _names = _answers(wave)
    assert attack(figures_public(wave.snapshot["figures"], 5), dyads, selves, 5) == []


def test_a_one_person_group_reaches_only_that_person_as_in_ratings(client, groups_world):
    lone = groups_world.groups["Lone One"][0]
    wave = groups_world.groups_wave
    raters = [p for group in groups_world.groups.values() for p in group if p != lone][:4]
    for rater in raters:
        answer(wave, rater, [lone], value=2)
    wave = closing.wave_close(wave=wave)
    assert str(lone.pk) in wave.snapshot["in_ratings"]
    assert all(not cell.get("counts") for cell in _cells(wave.snapshot["figures"], "Lone One"))


def test_closed_waves_stored_before_the_auditor_are_computed_again(groups_world):
    wave = closing.wave_close(wave=groups_world.groups_wave)
    old = {"network": {"key": "network", "suppressed": False, "respondents": 27, "trust": 50.0}}
    Wave.objects.filter(pk=wave.pk).update(snapshot={**wave.snapshot, "figures": old})
    wave.refresh_from_db()
    assert figures_public(wave.snapshot["figures"], 5)["network"]["suppressed"] is True
    assert closing.waves_refigure() == 1
    wave.refresh_from_db()
    assert wave.snapshot["figures"]["audit"] == AUDIT_VERSION
    assert wave.snapshot["figures"]["network"]["counts"]["trust"] == 27
    assert closing.waves_refigure() == 0


def test_a_change_between_waves_is_checked_like_a_figure(client, groups_world):
    """Wave 2 repeats wave 1 but for one more rating of the Big Agency: the two figures differ
    by one person, so their change is not shown, though each wave shows its own figure."""
    first = closing.wave_close(wave=groups_world.groups_wave)
    second = domain.wave_create(
        network=groups_world.network,
        user=None,
        title="Again",
        closes_at=timezone.now() + timedelta(days=10),
        k=5,
        invitees=[p.pk for group in groups_world.groups.values() for p in group],
    )
    big = {p.pk for p in groups_world.groups["Big Agency"]}
    chosen = {}
    for response in first.responses.all():
        chosen[response.respondent_id] = list(
            response.partners.values_list("partner_id", flat=True)
        )
    target = min(big)
    extra = next(p for p, partners in chosen.items() if p not in big and target not in partners)
    chosen[extra].append(target)
    for person, partners in chosen.items():
        domain.response_put(
            invitation=second.invitations.get(person_id=person),
            payload={
                "partners": [
                    {"person": pid, "level": 3, "answers": dict.fromkeys(["K1", "T1", "C4"], 3)}
                    for pid in partners
                ],
                "self": {"C1": 4},
                "submit": True,
            },
        )
    second = closing.wave_close(wave=second)
    shown = [
        next(
            "trust" in (c.get("counts") or {})
            for c in w.snapshot["figures"]["organizations"]
            if (c["key"], c["direction"]) == ("Big Agency", "received")
        )
        for w in (first, second)
    ]
    assert shown == [True, True]
    allowed = {tuple(item) for item in second.snapshot["changes"][str(first.pk)]}
    assert ("organizations", "received", "Big Agency", "trust") not in allowed
    assert ("organizations", "received", "Middle Ten", "trust") in allowed
    client.force_login(groups_world.member)
    page = client.get(f"/n/core/evaluation/{second.pk}/compare/?before={first.pk}")
    comparison = page.context["comparison"]
    big_change = next(
        c
        for c in comparison.indices["organizations"]
        if (c["key"], c["direction"]) == ("Big Agency", "received")
    )
    assert big_change.get("trust") is None
