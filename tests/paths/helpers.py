from suhde.networks.models import Organization
from suhde.paths import domain
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory


def second_organization(network, name="Housing NGO", sector="third"):
    found = Organization.objects.filter(networks=network, name=name).first()
    return found or OrganizationFactory(name=name, sector=sector, networks=[network])


def path(network, name="Aftercare path", stages=None, **fields):
    """A path of three stages: the network's first organization, a housing NGO, again the
    first: two transitions."""
    first = network.organizations.order_by("pk").first()
    housing = second_organization(network)
    if stages is None:
        stages = [
            {"key": "a", "name": "Plan at 17", "organization_ids": [first.pk]},
            {"key": "b", "name": "Own home", "organization_ids": [housing.pk]},
            {"key": "c", "name": "Work", "organization_ids": [first.pk]},
        ]
    return domain.path_create(network=network, name=name, stages=stages, **fields)


def member_of(network, organization, count=1):
    people = [PersonFactory(organization=organization) for _ in range(count)]
    for person in people:
        MembershipFactory(person=person, network=network)
    return people
