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

from suhde.common.privacy import figures_public
from suhde.evaluation import exports, queries
from suhde.surveys import closing, domain, scores
from suhde.surveys.models import PartnerAnswer
from tests.evaluation.conftest import answer, members, random_answers
from tests.surveys.test_privacy import _respondents, _rows, rows

SECTIONS = ("sectors", "organizations", "organization_ties", "sector_ties")


def _recount(dyads, selves, section, key):
    if section == "sector_matrix":
        rater, _, partner = key.partition(">")
        return {d.rater for d in dyads if (d.rater_sector, d.partner_sector) == (rater, partner)}
    return _respondents(dyads, selves, section, key)


def _shown_cells(figures):
    yield "network", figures["network"]
    for section in (*SECTIONS, "sector_matrix"):
        for cell in figures[section]:
            yield section, cell


@settings(max_examples=200, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_dashboard_tables_and_excel_rows_show_no_small_group(raw, k):
    dyads, selves = _rows(raw)
    figures = figures_public(scores.wave_figures(dyads, selves, k), k)
    for section, cell in _shown_cells(figures):
        if not cell["suppressed"]:
            assert len(_recount(dyads, selves, section, cell["key"])) >= k
    heat = queries._heatmap(figures, {"groups": {"mixing": {}}})
    for row in heat["rows"]:
        for cell in row["cells"]:
            figure = cell["figure"]
            if figure and not figure["suppressed"]:
                people = _recount(dyads, selves, "sector_matrix", figure["key"])
                assert len(people) >= k
    for row in exports._figure_rows(figures):
        assert row[2] == "too few answers to show" or row[5] >= k


@settings(max_examples=200, deadline=None)
@given(before=rows, after=rows, k=st.integers(3, 6))
def test_a_change_stands_on_k_respondents_in_both_waves(before, after, k):
    old_rows, new_rows = _rows(before), _rows(after)
    old = figures_public(scores.wave_figures(*old_rows, k), k)
    new = figures_public(scores.wave_figures(*new_rows, k), k)
    changes = queries.index_changes(old, new)
    for section in ("network", *SECTIONS, "sector_matrix"):
        for cell in changes[section]:
            if cell["suppressed"]:
                assert set(cell) == {"key", "suppressed"}
                continue
            for dyads, selves in (old_rows, new_rows):
                assert len(_recount(dyads, selves, section, cell["key"])) >= k


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


def _assert_no_small_cell(data, k):
    cells = list(_walk_cells(data))
    assert cells
    for cell in cells:
        if cell["suppressed"]:
            assert set(cell) <= {"key", "suppressed"}
        else:
            assert cell["respondents"] >= k


@pytest.mark.parametrize("seed", range(4))
def test_random_waves_show_no_small_group_anywhere(client, survey_world, seed):
    domain.wave_update(wave=survey_world.wave, k=5)
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
        assert row[2] == "too few answers to show" or row[5] >= 5


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
    ngo = next(c for c in api["figures"]["organizations"] if c["key"] == "Housing NGO")
    assert ngo == {"key": "Housing NGO", "suppressed": True}
    book = load_workbook(
        BytesIO(client.get(reverse("evaluation:xlsx", args=["core", wave.pk])).content)
    )
    ngo_rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[1] == "Housing NGO"]
    assert ngo_rows == [
        ("By organization", "Housing NGO", "too few answers to show", None, None, None)
    ]
    report = exports.report_html(page.context["board"], page.context)
    _hidden_value_absent(report)
    assert "Housing NGO" in report
    pdf = client.get(reverse("evaluation:pdf", args=["core", wave.pk])).content
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
