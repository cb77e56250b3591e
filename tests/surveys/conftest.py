from datetime import timedelta

import pytest
from django.utils import timezone

from suhde.networks.models import Membership, Organization
from suhde.surveys import domain
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def survey_world(world):
    """The world's network with nine more members in three organizations, and an open wave."""
    ngo = OrganizationFactory(name="Housing NGO", sector="third", networks=[world.network])
    firm = OrganizationFactory(name="Builder Ltd", sector="private", networks=[world.network])
    for index in range(9):
        organization = [world.organization, ngo, firm][index % 3]
        MembershipFactory(person=PersonFactory(organization=organization), network=world.network)
    wave = domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave 1",
        closes_at=timezone.now() + timedelta(days=14),
        k=3,
    )
    world.wave = wave
    world.ngo, world.firm = ngo, firm
    return world


def invitation_of(wave, person):
    return wave.invitations.get(person=person)


def token_of(wave, person):
    return domain.survey_link_create(invitation=invitation_of(wave, person))


def members(world):
    return [
        m.person
        for m in Membership.objects.filter(network=world.network, left_on__isnull=True)
        .select_related("person__organization")
        .order_by("person_id")
    ]


def answer(wave, person, partners, *, level=3, value=3, self_value=4, submit=True, texts=None):
    """Put a whole response: the same ``value`` for every dyadic item about every partner."""
    payload = {
        "partners": [
            {
                "person": p.pk,
                "level": level,
                "answers": dict.fromkeys(
                    ["K1", "K2", "K3", "K4", "T1", "T2", "T3", "T4", "C4"], value
                ),
            }
            for p in partners
        ],
        "self": {"C1": self_value, "C2": self_value, "C3": self_value},
        "open": texts or {},
        "submit": submit,
    }
    return domain.response_put(invitation=invitation_of(wave, person), payload=payload)


__all__ = ["Organization", "answer", "invitation_of", "members", "token_of"]
