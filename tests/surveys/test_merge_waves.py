"""Issue 12: two records of one person are not merged across a wave that has not closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suhde.common.removals import removal_restore
from suhde.networks.merge import person_merge
from suhde.surveys import closing, domain
from suhde.surveys.models import Response, SurveyInvitation
from tests.factories import MembershipFactory, PersonFactory


@pytest.fixture
def twin(world):
    person = PersonFactory(name=world.people[0].name)
    MembershipFactory(person=person, network=world.network)
    return person


def _wave(world):
    return domain.wave_create(
        network=world.network, user=None, title="Spring round",
        closes_at=timezone.now() + timedelta(days=3), k=3,
    )  # fmt: skip


def test_merge_across_an_open_wave_both_were_invited_to_is_refused(world, twin):
    wave = _wave(world)
    assert (
        SurveyInvitation.objects.filter(wave=wave, person__in=[twin, world.people[0]]).count() == 2
    )
    Response.objects.create(wave=wave, respondent=twin, submitted_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        person_merge(
            user=world.coordinator, network=world.network, person=twin, into=world.people[0]
        )
    assert "“Spring round”" in error.value.message_dict["person"][0]
    assert Response.objects.get(wave=wave).respondent == twin
    assert twin.memberships.filter(left_on__isnull=True).exists()


def test_after_the_wave_closes_each_answer_stays_one_respondents(world, twin):
    wave = _wave(world)
    kept = world.people[0]
    mine = Response.objects.create(wave=wave, respondent=kept, submitted_at=timezone.now())
    theirs = Response.objects.create(wave=wave, respondent=twin, submitted_at=timezone.now())
    closing.wave_close(wave=wave)
    removal = person_merge(user=world.coordinator, network=world.network, person=twin, into=kept)
    # Both answered the same wave: the duplicate's answer stays with the archived record.
    assert Response.objects.get(pk=mine.pk).respondent == kept
    assert Response.objects.get(pk=theirs.pk).respondent == twin
    assert SurveyInvitation.objects.filter(wave=wave, person=kept).count() == 1
    removal_restore(removal=removal)
    assert twin.memberships.filter(left_on__isnull=True, network=world.network).exists()


def test_an_answer_of_the_duplicate_alone_follows_the_merge(world, twin):
    wave = _wave(world)
    SurveyInvitation.objects.filter(wave=wave, person=world.people[0]).delete()
    answer = Response.objects.create(wave=wave, respondent=twin, submitted_at=timezone.now())
    closing.wave_close(wave=wave)
    person_merge(user=world.coordinator, network=world.network, person=twin, into=world.people[0])
    assert Response.objects.get(pk=answer.pk).respondent == world.people[0]


def test_merge_away_someone_invited_to_an_open_wave_is_refused(world, twin):
    wave = _wave(world)
    SurveyInvitation.objects.filter(wave=wave, person=world.people[0]).delete()
    with pytest.raises(ValidationError) as error:
        person_merge(
            user=world.coordinator, network=world.network, person=twin, into=world.people[0]
        )
    assert "personal link never answers for someone else" in error.value.message_dict["person"][0]
    assert SurveyInvitation.objects.get(wave=wave, person=twin)


def test_merge_into_someone_invited_to_an_open_wave_is_allowed(world):
    duplicate = PersonFactory(name="Late Duplicate")
    MembershipFactory(person=duplicate, network=world.network)
    wave = _wave(world)
    SurveyInvitation.objects.filter(wave=wave, person=duplicate).delete()
    person_merge(
        user=world.coordinator, network=world.network, person=duplicate, into=world.people[0]
    )
    assert SurveyInvitation.objects.filter(wave=wave, person=world.people[0]).count() == 1
