import factory
from django.contrib.auth import get_user_model

from suhde.networks.models import (
    RATINGS,
    Membership,
    Network,
    Organization,
    Person,
    Role,
    Tie,
    TieOrigin,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    purpose = "Working together."


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organization {n}")
    sector = "public"

    @factory.post_generation
    def networks(self, create, extracted, **kwargs):
        if create and extracted:
            self.networks.add(*extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "+358 40 123 4567"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Role.MEMBER


class TieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tie
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    source = factory.SubFactory(PersonFactory)
    target = factory.SubFactory(PersonFactory)
    strength = "weak"

    @factory.post_generation
    def origin(obj, create, extracted, **kwargs):
        """Entered by hand unless ``origin="imported"`` or ``origin="survey"`` is given."""
        if not create:
            return
        kind = extracted or "entered"
        ratings = {n: None if kind == "survey" else getattr(obj, n) for n in RATINGS}
        TieOrigin.objects.create(tie=obj, kind=kind, strength=obj.strength, **ratings)


def member_user(network, role=Role.MEMBER, organization=None, **user_fields):
    """A user account with a person in the network, in the given role."""
    user = UserFactory(**user_fields)
    person = PersonFactory(user=user, organization=organization, name=user.username)
    MembershipFactory(person=person, network=network, role=role)
    return user
