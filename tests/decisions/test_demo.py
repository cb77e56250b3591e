from suhde.decisions.models import Decision
from suhde.decisions.queries import poll_result
from suhde.networks.demo import CORE_SLUG, demo_load
from suhde.networks.models import Network
from suhde.networks.signals import demo_loaded


def test_demo_log_has_all_three_modes_and_two_polls(db):
    demo_load(password="demo password 1")
    network = Network.objects.get(slug=CORE_SLUG)
    demo_loaded.send(sender=Network, network=network)
    demo_loaded.send(sender=Network, network=network)  # idempotent
    decisions = Decision.objects.filter(network=network)
    assert decisions.count() == 4
    assert set(decisions.values_list("mode", flat=True)) == {
        "top_down",
        "facilitated",
        "self_directed",
    }
    closed, open_ = (d.poll for d in decisions.filter(poll__isnull=False).order_by("pk"))
    assert (closed.is_open, open_.is_open) == (False, True)
    assert poll_result(closed).total == 10
    result = poll_result(closed)
    # The one formal disagreement was signed; the other nine gave no reason and stay unlisted.
    (reason,) = result.reasons
    assert (reason.reason, bool(reason.name)) == (
        "Resurssit eivät riitä kaikkiin siirtymiin.",
        True,
    )
    assert (closed.anonymous, closed.decision.status, closed.final["voted"]) == (
        True,
        "decided",
        10,
    )
