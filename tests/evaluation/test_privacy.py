"""Promises 8–10 on the dashboard: no figure from fewer than k respondents in the page, its API
answer, the Excel file or the PDF report; a change only where both waves show the group."""

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from suhde.common.privacy import AUDIT_VERSION, figures_public
from suhde.evaluation import exports, queries
from suhde.surveys import closing, scores
from suhde.surveys.models import PartnerAnswer, Wave
from tests.evaluation.conftest import answer, members, random_answers
from tests.jobs_helpers import job_file
from tests.surveys.privacy_helpers import _rows, attack, contributions, rows

TOO_FEW = "too few answers to show"


def _audited(raw, k):
    dyads, selves = _rows(raw)
    figures, _cells = scores.wave_figures(dyads, selves, k)
    return dyads, selves, figures_public(figures | {"audit": AUDIT_VERSION}, k)


@settings(max_examples=150, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_dashboard_tables_and_excel_rows_show_no_small_group(raw, k):
    dyads, selves, figures = _audited(raw, k)
    assert attack(figures, dyads, selves, k) == []
    heat = queries._heatmap(figures, {"groups": {"mixing": {}}})
    for row in heat["rows"]:
        for cell in row["cells"]:
            figure = cell["figure"]
            if figure and "trust" in figure.get("counts", {}):
                people = contributions(
                    dyads, selves, "sector_matrix", "between", figure["key"], "trust"
                )
                assert len({r for r, _p in people}) >= k
    for row in exports._figure_rows(figures, {}):
        values, respondents = row[3:7], row[7] if len(row) > 7 else None
        assert all(v == TOO_FEW or v is None or isinstance(v, int | float) for v in values)
        assert respondents is None or respondents >= k


@settings(max_examples=100, deadline=None)
@given(before=rows, after=rows, k=st.integers(3, 6))
def test_a_change_stands_on_k_people_in_both_waves_and_in_their_difference(before, after, k):
    waves = []
    for raw in (before, after):
        dyads, selves = _rows(raw)
        figures, _cells = scores.wave_figures(dyads, selves, k)
        figures["audit"] = AUDIT_VERSION
        waves.append((dyads, selves, figures, scores.cells_build(dyads, selves)))
    (old_d, old_s, old_f, old_c), (new_d, new_s, new_f, new_c) = waves
    allowed = {tuple(i) for i in scores.change_ids(old_c, new_c, old_f, new_f, k)}
    changes = queries.index_changes(figures_public(old_f, k), figures_public(new_f, k), allowed)
    for section, cells in changes.items():
        for cell in cells:
            if cell["suppressed"]:
                assert set(cell) == {"key", "direction", "suppressed"}
                continue
            for family in ("knowing", "trust", "commitment", "self"):
                if cell[family] is None:
                    continue
                both = [
                    contributions(d, s, section, cell["direction"], cell["key"], family)
                    for d, s in ((old_d, old_s), (new_d, new_s))
                ]
                difference = both[0] ^ both[1]
                for answers in (*both, difference):
                    people = {r for r, _p in answers}
                    rated = {p for _r, p in answers if p is not None}
                    assert (len(people) == 0 and answers is difference) or len(people) >= k
                    assert len(rated) == 0 or len(rated) >= k


# --- end to end: page, API, Excel, PDF ----------------------------------------------------------


def _walk_cells(value):
    """Every figure cell anywhere in a nested answer."""
    if isinstance(value, dict):
        if "suppressed" in value and "key" in value:
            yield value
        for item in value.values():
            yield from _walk_cells(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_cells(item)


FAMILIES = ("knowing", "trust", "commitment", "self")


def _assert_no_small_cell(data, k):
    cells = list(_walk_cells(data))
    assert cells
    for cell in cells:
        if cell["suppressed"]:
            assert set(cell) <= {"key", "direction", "suppressed"}
            continue
        counts = cell["counts"]
        assert counts and all(n >= k for n in counts.values())
        for family in FAMILIES:
            assert family in counts or cell.get(family) is None


@pytest.mark.parametrize("seed", range(4))
def test_random_waves_show_no_small_group_anywhere(client, survey_world, seed):
    Wave.objects.filter(pk=survey_world.wave.pk).update(k=5)  # opened with 5
    random_answers(survey_world, survey_world.wave, seed)
    wave = closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    api = client.get(f"/api/v1/waves/{wave.pk}/dashboard").json()
    _assert_no_small_cell(api["figures"], 5)
    page = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    _assert_no_small_cell(queries.dashboard_dict(page.context["board"]), 5)
    book = load_workbook(
        BytesIO(client.get(reverse("evaluation:xlsx", args=["core", wave.pk])).content)
    )
    for row in list(book.worksheets[0].iter_rows(values_only=True))[1:]:
        assert row[7] is None or row[7] >= 5
        assert all(v is None or v == TOO_FEW or isinstance(v, int | float) for v in row[3:7])


def _lonely_wave(world):
    """Everyone answers with 3s; one respondent alone rates the one NGO person with 1s."""
    people = members(world)
    lonely = next(p for p in people if p.organization == world.ngo)
    others = [p for p in people if p.organization != world.ngo]
    for person in others:
        answer(world.wave, person, [q for q in others if q != person][:4], value=3)
    answer(world.wave, others[0], [*[q for q in others if q != others[0]][:4], lonely], value=3)
    PartnerAnswer.objects.filter(partner=lonely).update(
        k1=1, k2=1, k3=1, k4=1, t1=1, t2=1, t3=1, t4=1, c4=1
    )
    return closing.wave_close(wave=world.wave)


def _hidden_value_absent(text):
    # The NGO's lonely 1s would be an index of 0.0 (0,0 in Finnish); no "0.0" figure anywhere.
    assert not re.search(r"(?<![\d.,])0[.,]0(?![\d])", text)


def test_lonely_rating_is_absent_from_page_api_excel_and_pdf(client, survey_world):
    wave = _lonely_wave(survey_world)
    client.force_login(survey_world.coordinator)
    page = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    html = page.content.decode()
    assert "Housing NGO" in html and "too few answers to show" in html
    _hidden_value_absent(html)
    api = client.get(f"/api/v1/waves/{wave.pk}/dashboard").json()
    ngo = [c for c in api["figures"]["organizations"] if c["key"] == "Housing NGO"]
    assert ngo == [{"key": "Housing NGO", "direction": "received", "suppressed": True}]
    book = load_workbook(
        BytesIO(client.get(reverse("evaluation:xlsx", args=["core", wave.pk])).content)
    )
    ngo_rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[1] == "Housing NGO"]
    assert ngo_rows == [
        ("By organization", "Housing NGO", "received", TOO_FEW, None, None, None, None)
    ]
    report = exports.report_html(page.context["board"], page.context)
    _hidden_value_absent(report)
    assert "Housing NGO" in report
    pdf = job_file(client, reverse("evaluation:pdf", args=["core", wave.pk])).content
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Housing NGO" in text
        _hidden_value_absent(text)


def test_pdf_report_leaves_out_my_view_and_hidden_answers(client, survey_world):
    people = [p for p in members(survey_world) if p.user_id is None]
    me = survey_world.member.person
    for rater in people[:3]:
        answer(survey_world.wave, rater, [me], value=4, texts={"works": f"Secret note {rater.pk}"})
    wave = closing.wave_close(wave=survey_world.wave)
    first = wave.responses.first().open_answers.first()
    first.hidden = True
    first.save()
    client.force_login(survey_world.member)
    page = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    assert "My view" in page.content.decode()
    report = exports.report_html(page.context["board"], page.context)
    assert "My view" not in report
    assert first.text not in report
    assert first.text not in page.content.decode()  # a member never sees a hidden answer
