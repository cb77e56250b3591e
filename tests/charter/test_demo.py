from suhde.charter.queries import answered_count, charter_current, roles_of
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded


def test_demo_has_a_partly_answered_charter_goals_with_progress_and_a_vacant_role(db):
    demo_load(password="demo password 1")
    network = Network.objects.get(slug=CORE_SLUG)
    demo_loaded.send(sender=Network, network=network)
    demo_loaded.send(sender=Network, network=network)  # idempotent
    current = charter_current(network)
    assert current.number == 2
    assert 0 < answered_count(current) < 15
    assert network.charter_versions.get(number=1).agreed_on is not None
    goals = list(network.goals.all())
    assert len(goals) == 2
    assert all(goal.indicators.filter(progress__isnull=False).exists() for goal in goals)
    vacant = [row.role.name for row in roles_of(network) if row.vacant]
    assert vacant == ["Kokemusasiantuntija"]
