"""The surveys snapshot's extensions for the dashboard: the tie list and the sector heat map."""

from hypothesis import given, settings
from hypothesis import strategies as st

from suhde.surveys import closing, scores
from suhde.surveys.models import PartnerAnswer
from tests.evaluation.conftest import answer, members
from tests.surveys.test_privacy import SECTOR, _rows, rows


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


def _matrix_respondents(dyads, key):
    rater, _, partner = key.partition(">")
    return {d.rater for d in dyads if d.rater_sector == rater and d.partner_sector == partner}


@settings(max_examples=300, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_sector_matrix_shows_no_cell_under_k_and_no_recoverable_hidden_group(raw, k):
    dyads, selves = _rows(raw)
    figures = scores.wave_figures(dyads, selves, k)
    cells = figures["sector_matrix"]
    shown_sectors = {c["key"] for c in figures["sectors"] if not c["suppressed"]}
    for cell in cells:
        people = _matrix_respondents(dyads, cell["key"])
        if cell["suppressed"]:
            assert set(cell) == {"key", "suppressed"}
        else:
            assert len(people) >= k and cell["respondents"] == len(people)
            assert cell["key"].partition(">")[2] in shown_sectors
    # Within each shown column (a partition of a shown sector), what is not shown holds 0 or
    # ≥ k people: raters without a sector are never shown, so they count as hidden.
    shown = {c["key"] for c in cells if not c["suppressed"]}
    for sector in shown_sectors:
        hidden = {
            d.rater
            for d in dyads
            if d.partner_sector == sector and f"{d.rater_sector}>{sector}" not in shown
        }
        assert len(hidden) == 0 or len(hidden) >= k
    if figures["network"]["suppressed"]:
        assert all(cell["suppressed"] for cell in cells)


def test_sector_matrix_keys_are_sector_pairs():
    dyads, selves = _rows([(r, (r + 1) % 12, "o1", "o3", 3) for r in range(12)])
    figures = scores.wave_figures(dyads, selves, 3)
    assert [c["key"] for c in figures["sector_matrix"]] == ["public>third"]
    assert figures["sector_matrix"][0]["respondents"] == 12
    assert SECTOR["o3"] == "third"
