"""The continuum as guidance (issue 22, point 7): leaving phase 4 for a new round shows what the
round leaves behind before anything changes."""

from django.urls import reverse

from suhde.charter.domain import goal_create
from suhde.decisions.models import Decision
from suhde.networks.domain import network_phase_change
from suhde.networks.models import Network, PhaseChange


def _to_phase_four(network):
    for phase in (2, 3, 4):
        network_phase_change(network=network, to_phase=phase, note="", user=None)


def test_leaving_phase_four_first_shows_the_open_ends_and_changes_nothing(client, world):
    _to_phase_four(world.network)
    goal_create(network=world.network, kind="customer", title="One door", indicators=[])
    Decision.objects.create(network=world.network, title="Open one", proposal="x")
    client.force_login(world.coordinator)
    changes = PhaseChange.objects.count()
    response = client.post(
        reverse("networks:phase", args=["core"]), {"to_phase": "1", "note": "Done <b>"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Before the new round begins" in page
    assert "1 goal without a result" in page
    assert "1 proposed decision" in page
    assert 'name="note" value="Done &lt;b&gt;"' in page
    assert Network.objects.get(pk=world.network.pk).phase == 4
    assert PhaseChange.objects.count() == changes


def test_confirming_starts_the_new_round_in_phase_one(client, world):
    _to_phase_four(world.network)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("networks:phase", args=["core"]),
        {"to_phase": "1", "note": "Round done", "confirmed": "1"},
    )
    assert response.status_code == 302
    assert Network.objects.get(pk=world.network.pk).phase == 1
    assert PhaseChange.objects.filter(to_phase=1, from_phase=4, note="Round done").count() == 1


def test_other_phase_changes_need_no_confirmation(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("networks:phase", args=["core"]), {"to_phase": "2"})
    assert response.status_code == 302
    assert Network.objects.get(pk=world.network.pk).phase == 2


def test_a_member_cannot_reach_the_confirmation(client, world):
    _to_phase_four(world.network)
    client.force_login(world.member)
    response = client.post(reverse("networks:phase", args=["core"]), {"to_phase": "1"})
    assert response.status_code == 403
    assert Network.objects.get(pk=world.network.pk).phase == 4


def test_phase_one_of_the_next_round_links_the_last_rounds_report(client, world):
    _to_phase_four(world.network)
    network_phase_change(network=world.network, to_phase=1, note="", user=None)
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:home", args=["core"])).content.decode()
    assert f'href="{reverse("evaluation:round_report", args=["core", 1])}"' in page
    assert "The last round&#x27;s report" in page


def test_the_round_end_page_is_wholly_in_finnish(client, world):
    from tests.common.english import english_in

    _to_phase_four(world.network)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("networks:phase", args=["core"]),
        {"to_phase": "1"},
        headers={"Accept-Language": "fi"},
    )
    page = response.content.decode()
    assert "Ennen kuin uusi kierros alkaa" in page
    assert english_in(page, "fi") == []
