"""The surveys snapshot's extensions for the dashboard: the tie list and the sector heat map."""

from hypothesis import given, settings
from hypothesis import strategies as st

from suhde.surveys import closing, scores
from suhde.surveys.models import PartnerAnswer
from tests.evaluation.conftest import answer, members
from tests.surveys.privacy_helpers import SECTOR, _rows, attack, rows


def test_snapshot_stores_ties_with_strength_only(survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]], level=4, value=1)
    answer(survey_world.wave, people[4], [people[3], people[5]], level=2, value=4)
    wave = closing.wave_close(wave=survey_world.wave)
    assert wave.snapshot["ties"] == sorted(
        [
            [people[3].pk, people[4].pk, 1],
            [people[4].pk, people[3].pk, 0],
            [people[4].pk, people[5].pk, 0],
        ]
    )
    assert PartnerAnswer.objects.count() == 3  # the answers stay; only existence and strength left


@settings(max_examples=150, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_sector_matrix_shows_no_cell_under_k_and_no_recoverable_hidden_group(raw, k):
    dyads, selves = _rows(raw)
    figures, _cells = scores.wave_figures(dyads, selves, k)
    assert attack(figures, dyads, selves, k) == []
    for cell in figures["sector_matrix"]:
        assert cell["direction"] == "between"
        if cell["suppressed"]:
            assert set(cell) == {"key", "direction", "suppressed"}
    if figures["network"]["suppressed"]:
        assert all(cell["suppressed"] for cell in figures["sector_matrix"])


def test_sector_matrix_keys_are_sector_pairs():
    dyads, selves = _rows([(r, (r + 1) % 12 + 20, "o1", "o3", 3) for r in range(12)])
    figures, _cells = scores.wave_figures(dyads, selves, 3)
    assert [c["key"] for c in figures["sector_matrix"]] == ["public>third"]
    assert figures["sector_matrix"][0]["counts"]["knowing"] == 12
    assert SECTOR["o3"] == "third"
