"""Polls from before issue 20 migrate without loss: each ballot becomes a voter-list entry and a
secret ballot, the point, the reason, the channel and a signed name kept; and back again."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("decisions", "0001_initial")]
AFTER = [("decisions", "0003_polls_before_now_stay_anonymous")]
DEADLINE = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _with_networks(targets):
    """The networks app stays where it is: its people have the columns of today."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return targets + [node for node in leaves if node[0] == "networks"]


def _migrate(targets):
    targets = _with_networks(targets)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_poll(apps):
    network = apps.get_model("networks", "Network").objects.create(name="Old", slug="old")
    person = apps.get_model("networks", "Person").objects
    a, b, c = (
        person.create(name=name, search=name.lower()) for name in ("Aino", "Bertta", "Cecilia")
    )
    decision = apps.get_model("decisions", "Decision").objects.create(
        network=network, title="Old", proposal="P", mode="facilitated"
    )
    poll = apps.get_model("decisions", "Poll").objects.create(decision=decision, deadline=DEADLINE)
    ballot = apps.get_model("decisions", "Ballot").objects
    ballot.create(poll=poll, person=a, point=6, named=True, reason="Liian nopeasti.")
    ballot.create(poll=poll, person=b, point=7, named=False, reason="Ei.", channel="link")
    ballot.create(poll=poll, person=c, point=2)
    return poll, (a, b, c)


@pytest.mark.django_db(transaction=True)
def test_old_ballots_become_anonymous_without_loss_and_come_back():
    try:
        poll, (a, b, c) = _old_poll(_migrate(BEFORE))
        apps = _migrate(AFTER)
        Poll = apps.get_model("decisions", "Poll")
        migrated = Poll.objects.get(pk=poll.pk)
        assert (migrated.anonymous, migrated.results, migrated.kind) == (
            True,
            "closed",
            "gradients",
        )
        assert not apps.get_model("decisions", "Ballot").objects.exists()
        voters = apps.get_model("decisions", "Voter").objects.filter(poll_id=poll.pk)
        assert sorted(voters.values_list("person_id", "channel")) == sorted(
            [(a.pk, "meeting"), (b.pk, "link"), (c.pk, "meeting")]
        )
        secret = apps.get_model("decisions", "SecretBallot").objects.filter(poll_id=poll.pk)
        assert sorted(secret.values_list("point", "reason", "signed")) == [
            (2, "", ""),
            (6, "Liian nopeasti.", "Aino"),
            (7, "Ei.", ""),
        ]
        # Each voter finds their own ballot again (to change it) by the keyed hash alone.
        from suhde.decisions.models import ballot_key

        assert secret.get(key=ballot_key(poll.pk, b.pk)).point == 7

        apps = _migrate(BEFORE)
        back = apps.get_model("decisions", "Ballot").objects.filter(poll_id=poll.pk)
        assert sorted(back.values_list("person_id", "point", "named", "reason", "channel")) == [
            (a.pk, 6, True, "Liian nopeasti.", "meeting"),
            (b.pk, 7, False, "Ei.", "link"),
            (c.pk, 2, False, "", "meeting"),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
