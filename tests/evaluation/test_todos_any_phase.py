"""Issue 15, point 7: an accepted weaving suggestion is a to-do on the network's home in every
phase, not only in phase 1."""

import pytest
from django.urls import reverse

from suhde.evaluation import queries
from suhde.networks import domain as network_domain


@pytest.mark.parametrize("phase", [1, 2, 3, 4])
def test_an_accepted_suggestion_shows_on_the_home_in_any_phase(client, two_waves, phase):
    wave = two_waves.second
    suggestion = queries.suggestions_of(wave)[0]
    client.force_login(two_waves.coordinator)
    url = reverse("evaluation:suggestion", args=["core", wave.pk, suggestion["key"]])
    client.post(url, {"status": "accepted"})
    network_domain.network_phase_change(
        network=two_waves.network, to_phase=phase, note="", user=two_waves.coordinator
    )
    home = client.get(reverse("networks:home", args=["core"]))
    labels = [item.label for item in home.context["checklist"]]
    assert labels.count(suggestion["reason"]) == 1
    assert suggestion["reason"] in home.content.decode()


def test_a_dismissed_suggestion_is_no_to_do(client, two_waves):
    wave = two_waves.second
    suggestion = queries.suggestions_of(wave)[0]
    client.force_login(two_waves.coordinator)
    url = reverse("evaluation:suggestion", args=["core", wave.pk, suggestion["key"]])
    client.post(url, {"status": "dismissed"})
    home = client.get(reverse("networks:home", args=["core"]))
    assert suggestion["reason"] not in [item.label for item in home.context["checklist"]]
