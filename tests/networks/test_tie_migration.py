"""The data migration to one tie per pair: rows merged, every source kept, survey dates gone."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("networks", "0003_tieorigin"), ("surveys", "0003_wavetie_origin")]
AFTER = [("networks", "0004_tie_one_per_pair"), ("surveys", "0005_wavetie_origin_required")]
T0 = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_world(apps):
    """A pair entered by hand (strong, rated) that a later wave reported weak; a survey-only pair
    with the wave's date on it; a hand-only pair."""
    network = apps.get_model("networks", "Network").objects.create(name="Old", slug="old")
    person = apps.get_model("networks", "Person")
    a, b, c = (person.objects.create(name=name) for name in "abc")
    tie = apps.get_model("networks", "Tie").objects
    wave = apps.get_model("surveys", "Wave").objects.create(
        network=network,
        title="Spring wave",
        opens_at=T1 - timedelta(days=20),
        closes_at=T1,
        closed_at=T1,
        status="closed",
    )
    link = apps.get_model("surveys", "WaveTie").objects
    hand = tie.create(
        network=network,
        source=a,
        target=b,
        origin="manual",
        strength="strong",
        knowing=3,
        since=date(2024, 1, 1),
    )
    asked = tie.create(network=network, source=a, target=b, origin="survey", strength="weak")
    only = tie.create(
        network=network, source=b, target=c, origin="survey", strength="strong", since=T1.date()
    )
    plain = tie.create(network=network, source=c, target=a, origin="manual", strength="weak")
    tie.filter(pk__in=[hand.pk, plain.pk]).update(created_at=T0)
    link.create(wave=wave, tie=asked)
    link.create(wave=wave, tie=only)
    return network, (a, b, c), (hand, asked, only, plain), wave


@pytest.mark.django_db(transaction=True)
def test_migration_makes_one_tie_per_pair_and_keeps_every_source():
    try:
        network, (a, b, c), (hand, asked, only, plain), wave = _old_world(_migrate(BEFORE))
        apps = _migrate(AFTER)
        Tie = apps.get_model("networks", "Tie")
        rows = {(t.source_id, t.target_id): t for t in Tie.objects.filter(network_id=network.pk)}
        assert sorted(rows) == sorted([(a.pk, b.pk), (b.pk, c.pk), (c.pk, a.pk)])
        merged = rows[(a.pk, b.pk)]
        # The hand-entered row's id survives; the later wave decides the strength; the rating
        # and the date the coordinator gave stay.
        assert (merged.pk, merged.strength, merged.knowing, merged.since) == (
            hand.pk,
            "weak",
            3,
            date(2024, 1, 1),
        )
        origins = apps.get_model("networks", "TieOrigin").objects
        assert sorted(
            origins.filter(tie_id=merged.pk).values_list(
                "kind", "strength", "knowing", "label", "recorded_at", "current"
            )
        ) == [
            ("entered", "strong", 3, "", T0, True),
            ("survey", "weak", None, "Spring wave", T1, True),
        ]
        survey_only = rows[(b.pk, c.pk)]
        assert (survey_only.pk, survey_only.strength, survey_only.since) == (
            only.pk,
            "strong",
            None,
        )
        assert rows[(c.pk, a.pk)].pk == plain.pk
        assert list(origins.filter(tie_id=plain.pk).values_list("kind", "strength")) == [
            ("entered", "weak")
        ]
        links = apps.get_model("surveys", "WaveTie").objects
        assert sorted(links.values_list("wave_id", "origin__tie_id", "origin__kind")) == sorted(
            [(wave.pk, merged.pk, "survey"), (wave.pk, only.pk, "survey")]
        )
        assert not Tie.objects.filter(pk=asked.pk).exists()

        # Backwards again: one row per kind of source, the wave link on the survey row.
        apps = _migrate(BEFORE)
        old = apps.get_model("networks", "Tie").objects.filter(network_id=network.pk)
        assert sorted(old.values_list("source_id", "target_id", "origin", "strength")) == sorted(
            [
                (a.pk, b.pk, "manual", "weak"),
                (a.pk, b.pk, "survey", "weak"),
                (b.pk, c.pk, "survey", "strong"),
                (c.pk, a.pk, "manual", "weak"),
            ]
        )
        links = apps.get_model("surveys", "WaveTie").objects
        assert sorted(links.values_list("tie__origin", "tie__source_id")) == [
            ("survey", a.pk),
            ("survey", b.pk),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
