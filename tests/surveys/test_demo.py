from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded
from suhde.surveys.models import Wave


def test_demo_has_two_closed_waves_a_year_apart_with_believable_change(db):
    demo_load(password="demo password 1")
    network = Network.objects.get(slug=CORE_SLUG)
    demo_loaded.send(sender=Network, network=network)
    demo_loaded.send(sender=Network, network=network)  # idempotent
    first, second = Wave.objects.filter(network=network).order_by("closes_at")
    assert first.status == second.status == "closed"
    assert 330 <= (second.closed_at - first.closed_at).days <= 400
    across = [
        next(c for c in w.snapshot["figures"]["sector_ties"] if c["key"] == "across")
        for w in (first, second)
    ]
    assert across[1]["trust"] > across[0]["trust"] + 5
    assert first.snapshot["responses"]["invited"] == second.snapshot["responses"]["invited"] + 1
    assert network.memberships.filter(left_on__isnull=False).count() == 1
