"""A closed wave's survey pages link to its dashboard through the link registry (rule of floors)."""

from django.urls import reverse

from tests.evaluation.conftest import closed_wave


def test_a_closed_wave_links_to_its_dashboard_and_an_open_one_does_not(client, survey_world):
    wave = closed_wave(survey_world, seed=1)
    client.force_login(survey_world.coordinator)
    dashboard = reverse("evaluation:dashboard", args=["core", wave.pk])
    open_dashboard = reverse("evaluation:dashboard", args=["core", survey_world.wave.pk])
    results = client.get(reverse("surveys:results", args=["core", wave.pk])).content.decode()
    waves = client.get(reverse("surveys:waves", args=["core"])).content.decode()
    assert f'href="{dashboard}"' in results
    assert f'href="{dashboard}"' in waves
    assert open_dashboard not in waves
