from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import translation

from suhde.networks.models import Role
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
    member_user,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    """Two networks: ``network`` with its people and roles, and ``other`` that nobody here is in."""

    network: object
    other: object
    organization: object
    other_organization: object
    coordinator: object
    member: object
    observer: object
    outsider: object  # coordinator of the other network
    people: list
    tie: object
    other_person: object
    other_tie: object


@pytest.fixture
def world(db):
    network = NetworkFactory(name="Core", slug="core")
    other = NetworkFactory(name="Elsewhere", slug="elsewhere")
    organization = OrganizationFactory(name="City youth services", networks=[network])
    other_organization = OrganizationFactory(name="Far away NGO", sector="third", networks=[other])
    coordinator = member_user(network, Role.COORDINATOR, organization, username="coord")
    member = member_user(network, Role.MEMBER, organization, username="member")
    observer = member_user(network, Role.OBSERVER, organization, username="observer")
    outsider = member_user(other, Role.COORDINATOR, other_organization, username="outsider")
    people = [PersonFactory(organization=organization) for _ in range(3)]
    for person in people:
        MembershipFactory(person=person, network=network)
    tie = TieFactory(network=network, source=people[0], target=people[1])
    other_person = PersonFactory(
        organization=other_organization, name="Secret Person", email="secret@elsewhere.example"
    )
    MembershipFactory(person=other_person, network=other)
    other_tie = TieFactory(network=other, source=other_person, target=outsider.person)
    return World(
        network,
        other,
        organization,
        other_organization,
        coordinator,
        member,
        observer,
        outsider,
        people,
        tie,
        other_person,
        other_tie,
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is Django's business; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(settings):
    # Tests read messages in English; tests/common/test_i18n.py checks the other languages.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _tasks_inline(settings, tmp_path):
    # Background tasks run inside the test; tests/common/test_worker.py runs a real worker.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.DATA_DIR = tmp_path
