import random

import pytest

from suhde.surveys import closing, domain
from tests.surveys.conftest import answer, members, survey_world  # noqa: F401 — the fixture

__all__ = ["answer", "closed_wave", "members", "random_answers"]


def random_answers(world, wave, seed, share=0.6):
    rng = random.Random(seed)
    people = members(world)
    for person in people:
        if rng.random() < share:
            partners = rng.sample([p for p in people if p != person], rng.randint(1, 4))
            answer(wave, person, partners, value=rng.randint(1, 4), level=rng.randint(1, 5))


def closed_wave(world, *, seed=0, share=1.0, title="Wave 2"):
    """A second wave in the survey world, answered at random and closed."""
    from datetime import timedelta

    from django.utils import timezone

    wave = domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title=title,
        closes_at=timezone.now() + timedelta(days=30),
        k=3,
    )
    random_answers(world, wave, seed, share)
    return closing.wave_close(wave=wave)


@pytest.fixture
def two_waves(survey_world):  # noqa: F811 — the imported fixture
    """The survey world's first wave and a later one, both answered by everyone and closed."""
    random_answers(survey_world, survey_world.wave, 1, share=1.0)
    first = closing.wave_close(wave=survey_world.wave)
    second = closed_wave(survey_world, seed=2)
    survey_world.first, survey_world.second = first, second
    return survey_world
