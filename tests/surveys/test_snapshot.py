"""A closed wave's snapshot: typed, versioned, read by one reader that migrates old versions."""

import copy

import pytest
from django.urls import reverse

from suhde.surveys import closing
from suhde.surveys.models import Wave
from suhde.surveys.snapshot import VERSION, Snapshot, SnapshotError, snapshot_of
from tests.evaluation.conftest import random_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(survey_world):
    random_answers(survey_world, survey_world.wave, 1, share=1.0)
    survey_world.closed = closing.wave_close(wave=survey_world.wave)
    return survey_world


def test_closing_stores_the_current_version_with_every_key(closed):
    stored = Wave.objects.get(pk=closed.closed.pk).snapshot
    assert stored["version"] == VERSION == 2
    assert set(stored) == {
        "version", "responses", "k", "figures", "structure", "ties",
        "theme_names", "in_ratings", "changes",
    }  # fmt: skip
    assert set(stored["structure"]) >= {"network", "nodes", "groups", "suggestions", "meta"}
    assert "dimensions" not in stored["structure"]  # no ratings went into the structure
    read = snapshot_of(closed.closed)
    assert Snapshot.from_json(read.to_json(), k=closed.closed.k) == read


def _as_version_1(snapshot: dict) -> dict:
    """What a wave closed before the version key looked like: no version, no k, no changes, and
    (before the auditor) the respondents' out-ratings."""
    old = copy.deepcopy(snapshot)
    for key in ("version", "k", "changes", "theme_names"):
        old.pop(key)
    old["out_ratings"] = {"1": {"K": 3.25}}
    return old


def test_a_version_1_snapshot_reads_and_its_out_ratings_are_dropped(client, closed):
    wave = closed.closed
    Wave.objects.filter(pk=wave.pk).update(snapshot=_as_version_1(wave.snapshot))
    wave.refresh_from_db()
    read = snapshot_of(wave)
    assert read.version == VERSION and read.k == wave.k and read.changes == {}
    assert "out_ratings" not in read.to_json()
    client.force_login(closed.coordinator)
    page = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    assert page.status_code == 200
    assert "Weaving suggestions" in page.content.decode()


def test_refiguring_rewrites_an_old_snapshot_in_the_current_version(closed):
    wave = closed.closed
    Wave.objects.filter(pk=wave.pk).update(snapshot=_as_version_1(wave.snapshot))
    assert closing.waves_refigure(force=True) == 1
    stored = Wave.objects.get(pk=wave.pk).snapshot
    assert stored["version"] == VERSION and "out_ratings" not in stored
    assert stored["structure"] == wave.snapshot["structure"]  # the structure stays as it was


def test_a_snapshot_from_a_newer_suhde_is_a_clear_message_not_a_server_error(client, closed):
    wave = closed.closed
    Wave.objects.filter(pk=wave.pk).update(snapshot={**wave.snapshot, "version": VERSION + 1})
    client.force_login(closed.coordinator)
    page = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    assert page.status_code == 400
    assert "cannot be read by this version of Suhde" in page.content.decode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.pop("structure"),
        lambda s: s["structure"].pop("nodes"),
        lambda s: s.pop("responses"),
        lambda s: s.update(version="2"),
        lambda s: s.update(version=0),
    ],
)
def test_a_damaged_snapshot_fails_in_the_reader_with_what_is_missing(closed, damage):
    stored = copy.deepcopy(closed.closed.snapshot)
    damage(stored)
    with pytest.raises(SnapshotError):
        Snapshot.from_json(stored, k=3)
    with pytest.raises(SnapshotError):
        Snapshot.from_json(["not", "an", "object"], k=3)
