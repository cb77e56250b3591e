"""A person's erasure (promise 24) while a wave they were invited to is still open."""

import pytest

from suhde.surveys.domain import person_survey_erase
from suhde.surveys.models import SurveyInvitation

from .conftest import answer, members, token_of

pytestmark = pytest.mark.django_db


def test_erasing_someone_invited_to_an_open_wave_revokes_their_link(survey_world):
    """An open wave has no snapshot (SQL NULL); the erasure skips it instead of failing on it."""
    people = members(survey_world)
    person = people[1]
    token_of(survey_world.wave, person)
    answer(survey_world.wave, person, people[2:4])
    result = person_survey_erase(person)
    assert result == {"survey_links_revoked": 1, "survey_waves_rechecked": 0}
    assert SurveyInvitation.objects.get(wave=survey_world.wave, person=person).sent_to == ""
