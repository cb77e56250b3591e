from django.contrib.auth import authenticate

from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network, Organization, Person, Tie


def _sizes():
    return (
        Network.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
        Tie.objects.count(),
    )


def test_demo_is_a_realistic_network_across_sectors(db):
    assert demo_load(password="first password 1") is True
    core = Network.objects.get(slug=CORE_SLUG)
    assert 70 <= core.memberships.count() <= 90
    assert 18 <= core.organizations.count() <= 22
    assert set(core.organizations.values_list("sector", flat=True)) == {
        "public",
        "private",
        "third",
    }
    assert core.children.count() == 2
    strengths = set(core.ties.values_list("strength", flat=True))
    assert strengths == {"weak", "strong"}


def test_demo_load_is_idempotent_and_resets_the_password(db):
    demo_load(password="first password 1")
    sizes = _sizes()
    assert demo_load(password="second password 2") is False
    assert _sizes() == sizes
    assert authenticate(username="demo", password="second password 2") is not None
    assert authenticate(username="demo", password="first password 1") is None


def test_demo_is_deterministic(db):
    demo_load(password="p p p p p p 1")
    names = list(Person.objects.order_by("id").values_list("name", flat=True))
    Tie.objects.all().delete()
    from suhde.networks.models import Membership

    Membership.objects.all().delete()
    Network.objects.filter(parent__isnull=False).delete()
    Network.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    demo_load(password="p p p p p p 1")
    assert list(Person.objects.order_by("id").values_list("name", flat=True)) == names
