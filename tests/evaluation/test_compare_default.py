"""Issue 15, point 7: the comparison starts from the previous closed wave of the same network, and
says so when the two waves invited different people."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from suhde.surveys import closing, domain
from tests.evaluation.conftest import closed_wave, random_answers
from tests.factories import MembershipFactory, PersonFactory


def _compare(client, world, wave, query=""):
    client.force_login(world.coordinator)
    return client.get(reverse("evaluation:compare", args=["core", wave.pk]) + query)


def test_without_a_choice_the_previous_closed_wave_is_compared(client, two_waves):
    response = _compare(client, two_waves, two_waves.second)
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert (comparison.before, comparison.after) == (two_waves.first, two_waves.second)
    assert response.context["before_pk"] == two_waves.first.pk
    assert f'<option value="{two_waves.first.pk}" selected>' in response.content.decode()


def test_a_later_wave_is_not_the_default(client, two_waves):
    """A later pilot wave must not be offered as "before" by default."""
    closed_wave(two_waves, seed=3, title="Pilot")
    response = _compare(client, two_waves, two_waves.second)
    assert response.context["comparison"].before == two_waves.first


def test_an_open_wave_or_another_networks_wave_is_never_the_default(client, two_waves):
    domain.wave_create(
        network=two_waves.network,
        user=two_waves.coordinator,
        title="Open now",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
    )
    other = domain.wave_create(
        network=two_waves.other,
        user=two_waves.outsider,
        title="Elsewhere",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
    )
    closing.wave_close(wave=other)
    response = _compare(client, two_waves, two_waves.second)
    assert response.context["comparison"].before == two_waves.first


def test_the_first_wave_has_no_default_and_says_how_to_choose(client, two_waves):
    response = _compare(client, two_waves, two_waves.first)
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert response.context["message"] == (
        "There is no earlier closed wave. Choose a wave to compare with."
    )


def test_same_people_invited_no_warning(client, two_waves):
    response = _compare(client, two_waves, two_waves.second)
    assert response.context["invited_differ"] is None
    assert "invited different people" not in response.content.decode()


def test_different_people_invited_is_warned_with_counts(client, two_waves):
    for _ in range(2):
        MembershipFactory(
            person=PersonFactory(organization=two_waves.organization), network=two_waves.network
        )
    third = domain.wave_create(
        network=two_waves.network,
        user=two_waves.coordinator,
        title="Wave 3",
        closes_at=timezone.now() + timedelta(days=40),
        k=3,
    )
    random_answers(two_waves, third, 5, share=1.0)
    closing.wave_close(wave=third)
    client.cookies["django_language"] = "fi"
    response = _compare(client, two_waves, third)
    assert response.context["comparison"].before == two_waves.second
    assert response.context["invited_differ"] == {"only_before": 0, "only_after": 2}
    text = response.content.decode()
    assert "Kierroksille kutsuttiin eri ihmiset" in text
    assert "kierrokselle Wave 2." not in text  # nobody was only in the earlier one
    assert "2 henkilöä kutsuttiin vain kierrokselle Wave 3." in text
