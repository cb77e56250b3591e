"""The dashboard, the comparison, the suggestions and the bad input they must survive."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.models import AuditEvent
from suhde.coordination.digest import DIGEST_PROVIDERS
from suhde.evaluation import queries, reading
from suhde.evaluation.models import SuggestionDecision
from suhde.networks.continuum import checklist_for
from suhde.surveys import closing, domain
from tests.evaluation.conftest import answer, closed_wave, members
from tests.jobs_helpers import job_file, job_follow


def _url(name, world, *args):
    return reverse(f"evaluation:{name}", args=["core", *args])


def _api(client, user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def test_dashboard_shows_figures_readings_form_and_suggestions(client, two_waves):
    client.force_login(two_waves.coordinator)
    response = client.get(_url("dashboard", two_waves, two_waves.second.pk))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.any_figure
    assert board.figures["network"]["respondents"] >= 3
    assert [r.title for r in board.readings][:3] == [
        "Density",
        "Steps between people",
        "Strong and weak ties",
    ]
    assert board.form_hint["form"] in {"hierarchical", "joint", "evolving", "chaotic"}
    assert board.form_hint["reasons"] or board.form_hint["against"]
    page = response.content.decode()
    for heading in (
        "Key figures, in plain words",
        "Crossing silos",
        "Sector × sector",
        "Weaving suggestions",
    ):
        assert heading in page
    assert 'src="/n/core/evaluation/' in page and "style=" not in page.split("<main")[1]


def test_latest_redirects_to_the_newest_closed_wave(client, two_waves):
    client.force_login(two_waves.member)
    response = client.get(reverse("evaluation:latest", args=["core"]))
    assert response["Location"] == _url("dashboard", two_waves, two_waves.second.pk)


def test_latest_without_closed_wave_says_so(client, survey_world):
    client.force_login(survey_world.member)
    response = client.get(reverse("evaluation:latest", args=["core"]))
    assert response.status_code == 200
    assert "No survey wave of this network has closed yet" in response.content.decode()


def test_open_wave_gives_a_clear_message_not_an_error(client, survey_world):
    client.force_login(survey_world.coordinator)
    response = client.get(_url("dashboard", survey_world, survey_world.wave.pk))
    assert response.status_code == 400
    assert "This wave is still open" in response.content.decode()
    api = client.get(
        f"/api/v1/waves/{survey_world.wave.pk}/dashboard",
        headers=_api(client, survey_world.coordinator),
    )
    assert api.status_code == 400
    assert "still open" in api.json()["detail"][0]["msg"]


def test_wave_with_too_few_answers_says_so(client, survey_world):
    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]])
    closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    response = client.get(_url("dashboard", survey_world, survey_world.wave.pk))
    assert response.status_code == 200
    assert not response.context["board"].any_figure
    assert "Too few people answered for any group figure" in response.content.decode()
    for name in ("indices", "heatmap", "strength"):
        chart = client.get(_url("chart", survey_world, survey_world.wave.pk, name, "svg"))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_wave_nobody_answered_still_renders(client, survey_world):
    closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.coordinator)
    assert client.get(_url("dashboard", survey_world, survey_world.wave.pk)).status_code == 200
    pdf = job_file(client, _url("pdf", survey_world, survey_world.wave.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(_url("xlsx", survey_world, survey_world.wave.pk)).status_code == 200


def test_compare_shows_changes_tie_by_tie(client, two_waves):
    client.force_login(two_waves.member)
    response = client.get(
        _url("compare", two_waves, two_waves.second.pk) + f"?before={two_waves.first.pk}"
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    old = {tuple(t[:2]): t[2] for t in two_waves.first.snapshot["ties"]}
    new = {tuple(t[:2]): t[2] for t in two_waves.second.snapshot["ties"]}
    assert comparison.ties["gained"]["count"] == len(set(new) - set(old))
    assert comparison.ties["lost"]["count"] == len(set(old) - set(new))
    assert comparison.ties["strengthened"]["count"] == sum(
        1 for p in set(old) & set(new) if new[p] and not old[p]
    )
    assert comparison.network["ties"] == {
        "before": len(old),
        "after": len(new),
        "change": len(new) - len(old),
    }
    assert "sector_matrix" in comparison.indices
    assert (
        "Julkinen sektori → " in response.content.decode()
        or "Public sector → " in response.content.decode()
    )
    net = comparison.indices["network"][0]
    assert net["trust"]["change"] == pytest.approx(
        net["trust"]["after"] - net["trust"]["before"], abs=0.11
    )
    # either order of the two waves gives the same comparison
    swapped = client.get(
        _url("compare", two_waves, two_waves.first.pk) + f"?before={two_waves.second.pk}"
    )
    assert (
        swapped.context["comparison"].ties["gained"]["count"] == comparison.ties["gained"]["count"]
    )
    for name in ("indices", "ties"):
        for fmt in ("svg", "png"):
            chart = client.get(
                _url("compare_chart", two_waves, two_waves.second.pk, two_waves.first.pk, name, fmt)
            )
            assert chart.status_code == 200


def test_compare_with_a_wave_of_another_network_is_a_clear_message(client, two_waves):
    other = closed_wave_elsewhere(two_waves)
    client.force_login(two_waves.coordinator)
    response = client.get(_url("compare", two_waves, two_waves.second.pk) + f"?before={other.pk}")
    assert response.status_code == 400
    assert "Both waves must belong to this network" in response.content.decode()
    api = client.get(
        f"/api/v1/waves/{two_waves.second.pk}/compare?before={other.pk}",
        headers=_api(client, two_waves.coordinator),
    )
    assert api.status_code == 400
    chart = client.get(
        _url("compare_chart", two_waves, two_waves.second.pk, other.pk, "ties", "svg")
    )
    assert chart.status_code == 400


def test_compare_with_a_wave_number_beyond_any_id_is_a_clear_message(client, two_waves):
    """A number the database cannot hold (PostgreSQL refused it with a 500) is no wave."""
    client.force_login(two_waves.coordinator)
    page = _url("compare", two_waves, two_waves.second.pk)
    for before in ("99999999999999999999", "0", "-1", "x"):
        response = client.get(page + f"?before={before}")
        assert response.status_code == 400
        assert "Choose a wave to compare with." in response.content.decode()


def closed_wave_elsewhere(world):
    wave = domain.wave_create(
        network=world.other,
        user=None,
        title="Elsewhere",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
    )
    return closing.wave_close(wave=wave)


# The API's schema refuses an id that is no number (422); a number that names no closed earlier
# wave of this network is the domain's refusal (400).
@pytest.mark.parametrize(
    ("before", "api_status"), [("open", 400), ("same", 400), ("junk", 422), ("missing", 400)]
)
def test_compare_bad_input_is_a_clear_message(client, two_waves, before, api_status):
    open_wave = domain.wave_create(
        network=two_waves.network,
        user=None,
        title="Open",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
    )
    value = {"open": open_wave.pk, "same": two_waves.second.pk, "junk": "x1", "missing": 999999}[
        before
    ]
    client.force_login(two_waves.coordinator)
    response = client.get(_url("compare", two_waves, two_waves.second.pk) + f"?before={value}")
    assert response.status_code == 400
    assert response.context["message"]
    api = client.get(
        f"/api/v1/waves/{two_waves.second.pk}/compare?before={value}",
        headers=_api(client, two_waves.coordinator),
    )
    assert api.status_code == api_status


def test_compare_index_change_only_when_both_waves_show_the_family_and_the_auditor_allows():
    shown = {
        "key": "a",
        "direction": "received",
        "suppressed": False,
        "respondents": 6,
        "counts": {"knowing": 6, "trust": 6, "commitment": 6},
        "knowing": 10.0,
        "trust": 20.0,
        "commitment": 30.0,
    }
    hidden = {"key": "a", "direction": "received", "suppressed": True}
    key = ("organizations", "received", "a")
    allowed = {(*key, "trust"), (*key, "knowing")}
    assert queries._cell_change(shown, hidden, allowed, key) == {"suppressed": True}
    assert queries._cell_change(hidden, shown, allowed, key) == {"suppressed": True}
    assert queries._cell_change(None, shown, allowed, key) == {"suppressed": True}
    both = queries._cell_change(shown, {**shown, "trust": 25.5}, allowed, key)
    assert both["trust"] == {"before": 20.0, "after": 25.5, "change": 5.5}
    assert both["commitment"] is None  # not allowed: the answers behind it differ too little
    assert queries._cell_change(shown, shown, set(), key) == {"suppressed": True}


def test_accepting_a_suggestion_makes_a_todo_on_the_home_and_in_the_digest(client, two_waves):
    wave = two_waves.second
    suggestion = queries.suggestions_of(wave)[0]
    client.force_login(two_waves.coordinator)
    url = _url("suggestion", two_waves, wave.pk, suggestion["key"])
    assert client.post(url, {"status": "accepted"}).status_code == 302
    decision = SuggestionDecision.objects.get()
    assert (decision.status, decision.network, decision.kind) == (
        "accepted",
        two_waves.network,
        suggestion["kind"],
    )
    todos = checklist_for(two_waves.network, 1)
    assert any(item.label == suggestion["reason"] and not item.done for item in todos)
    section = [p(two_waves.network, today=timezone.now().date()) for p in DIGEST_PROVIDERS]
    assert any(s and suggestion["reason"] in s.lines for s in section)
    client.post(url, {"status": "done"})
    assert SuggestionDecision.objects.get().status == "done"
    assert any(
        item.label == suggestion["reason"] and item.done
        for item in checklist_for(two_waves.network, 1)
    )
    client.post(url, {"status": "open"})
    assert not SuggestionDecision.objects.exists()
    client.post(url, {"status": "dismissed"})
    assert queries.suggestions_of(wave)[0]["status"] == "dismissed"
    assert AuditEvent.objects.filter(action="suggestion_update").count() == 4
    assert mail.outbox == []


def test_suggestion_bad_status_and_unknown_key(client, two_waves):
    wave = two_waves.second
    key = queries.suggestions_of(wave)[0]["key"]
    client.force_login(two_waves.coordinator)
    response = client.post(_url("suggestion", two_waves, wave.pk, key), {"status": "maybe"})
    assert response.status_code == 302 and not SuggestionDecision.objects.exists()
    assert (
        client.post(_url("suggestion", two_waves, wave.pk, "nope"), {"status": "done"}).status_code
        == 404
    )


def test_suggestion_api_lists_and_updates(client, two_waves):
    wave = two_waves.second
    headers = _api(client, two_waves.coordinator)
    listed = client.get(f"/api/v1/waves/{wave.pk}/suggestions", headers=headers).json()
    assert listed and listed[0]["status"] == "open"
    key = listed[0]["key"]
    updated = client.put(
        f"/api/v1/waves/{wave.pk}/suggestions/{key}",
        data={"status": "accepted"},
        content_type="application/json",
        headers=headers,
    )
    assert updated.status_code == 200 and updated.json()["status"] == "accepted"
    bad = client.put(
        f"/api/v1/waves/{wave.pk}/suggestions/{key}",
        data={"status": "maybe"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422  # the status is a choice of the schema
    assert (
        client.put(
            f"/api/v1/waves/{wave.pk}/suggestions/unknown",
            data={"status": "done"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 404
    )


def test_my_view_shows_own_ties_and_in_ratings_only_to_me(client, survey_world):
    people = [p for p in members(survey_world) if p.user_id is None]
    me = survey_world.member.person
    for rater in people[:3]:
        answer(survey_world.wave, rater, [me], value=4)
    answer(survey_world.wave, me, [people[0]], value=2, level=4)
    wave = closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    board = client.get(_url("dashboard", survey_world, wave.pk)).context["board"]
    assert board.mine["ratings"]["received"]["raters"] == 3
    assert set(board.mine["ratings"]) == {"received"}  # how I rated others is not read back
    ego = {tie["id"]: tie for tie in board.mine["ego"]}
    assert (
        ego[people[0].pk]["named"] and ego[people[0].pk]["named_by"] and ego[people[0].pk]["strong"]
    )
    assert set(ego) == {p.pk for p in people[:3]}
    client.force_login(survey_world.coordinator)
    theirs = client.get(_url("dashboard", survey_world, wave.pk)).context["board"]
    assert theirs.mine is None
    api = client.get(
        f"/api/v1/waves/{wave.pk}/dashboard", headers=_api(client, survey_world.coordinator)
    ).json()
    assert api["mine"] is None
    pdf_html = client.get(_url("dashboard", survey_world, wave.pk))
    assert "My view" not in pdf_html.content.decode()


def test_exports_are_audited_and_pdf_is_a_pdf(client, two_waves):
    from django.test import TestCase

    client.force_login(two_waves.member)
    pdf = job_file(client, _url("pdf", two_waves, two_waves.second.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="wave-{two_waves.second.pk}.pdf"'
    xlsx = client.get(_url("xlsx", two_waves, two_waves.second.pk))
    assert xlsx.content.startswith(b"PK")
    headers = _api(client, two_waves.member)
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(f"/api/v1/waves/{two_waves.second.pk}/report.pdf", headers=headers)
    assert started.status_code == 202 and started.json()["kind"] == "evaluation.report_pdf"
    job = client.get(started.json()["status"], headers=headers).json()
    assert job["state"] == "done"
    api = client.get(job["file"], headers=headers)
    assert api["Content-Type"] == "application/pdf" and api.content.startswith(b"%PDF")
    open_wave = client.post(f"/api/v1/waves/{two_waves.second.pk + 99}/report.pdf", headers=headers)
    assert open_wave.status_code == 404
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("dashboard_export_pdf") == 2 and "dashboard_export_xlsx" in actions


def test_excel_escapes_formula_names(client, two_waves):
    from io import BytesIO

    from openpyxl import load_workbook

    two_waves.ngo.name = '=HYPERLINK("http://x")'
    two_waves.ngo.save()
    wave = closed_wave(two_waves, seed=5, title="Wave 3")
    client.force_login(two_waves.coordinator)
    book = load_workbook(BytesIO(client.get(_url("xlsx", two_waves, wave.pk)).content))
    values = [
        c.value
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
    assert any(v.startswith("'=HYPERLINK") for v in values)


def test_excel_report_speaks_the_readers_language_and_rounds(client, two_waves):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(two_waves.coordinator)
    client.cookies["django_language"] = "fi"
    content = client.get(_url("xlsx", two_waves, two_waves.second.pk)).content
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["Indeksit", "Rakenne", "Yhteydet sektorien välillä", "Ryhmittymät"]
    structure = {row[0].value: row[1] for row in book["Rakenne"].iter_rows(min_row=2)}
    assert "density" not in structure and "mean_distance" not in structure
    density = structure["Tiheys"]
    assert density.number_format == "0.0%"
    assert density.value == round(density.value, 3)
    distance = structure["Askeleita henkilöiden välillä keskimäärin"]
    assert distance.value == round(distance.value, 2)
    indices = [
        cell.value
        for row in book["Indeksit"].iter_rows(min_row=2)
        for cell in row[2:5]
        if isinstance(cell.value, float)
    ]
    assert indices and all(value == round(value, 1) for value in indices)


def test_form_hint_reads_a_star_as_hierarchical_and_scattered_as_chaotic():
    star = {
        "network": {
            "nodes": 20,
            "ties": 19,
            "density": 0.05,
            "reciprocity": 0.0,
            "isolates": 0,
            "largest_component_share": 1.0,
            "degree_centralization_in": 0.9,
            "degree_centralization_out": 0.1,
            "strong_tie_share": 0.8,
            "mean_distance": 1.9,
            "diameter": 2,
            "components": 1,
        },
        "groups": {"communities": {"modularity": 0.0}},
    }
    assert reading.form_hint(star)["form"] == "hierarchical"
    scattered = {
        "network": {
            **star["network"],
            "largest_component_share": 0.3,
            "isolates": 8,
            "degree_centralization_in": 0.05,
            "reciprocity": 0.0,
            "strong_tie_share": 0.6,
        },
        "groups": {"communities": {"modularity": 0.1}},
    }
    assert reading.form_hint(scattered)["form"] == "chaotic"


@pytest.mark.parametrize("size", [8, 40, 500])
def test_density_reading_fits_the_network_size(size):
    net = {"nodes": size, "ties": size * 2, "density": 2 / (size - 1)}
    text = reading._density(net).text
    expected = {
        8: "In a group this small",
        40: "nobody works with everyone",
        500: "low density is normal",
    }
    assert expected[size] in text


def test_shares_are_rounded_not_cut():
    assert reading.pct(0.0489) == "5 %"
    assert reading.pct(0.489) == "49 %"
    assert reading.num(2.46, 1) == "2.5"


@pytest.mark.parametrize("by", ["sector", "organization", "community", "betweenness", "coreness"])
def test_map_coloured_by_a_dimension_or_metric_with_its_table(client, two_waves, by):
    client.force_login(two_waves.member)
    url = _url("chart", two_waves, two_waves.second.pk, "map", "svg") + f"?by={by}"
    chart = client.get(url)
    assert chart.status_code == 200 and chart.content.lstrip().startswith(b"<?xml")
    page = client.get(_url("dashboard", two_waves, two_waves.second.pk) + f"?map={by}")
    rows = page.context["map_rows"]
    nodes = len(two_waves.second.snapshot["structure"]["nodes"])
    if by in ("sector", "organization", "community"):
        assert sum(row["value"] for row in rows) == nodes
    else:
        values = [row["value"] for row in rows]
        assert values == sorted(values, reverse=True) and len(values) <= 10
    assert f"charts/map.svg?by={by}" in page.content.decode()


def test_map_refuses_unknown_colourings_quietly(client, two_waves):
    client.force_login(two_waves.member)
    page = client.get(_url("dashboard", two_waves, two_waves.second.pk) + "?map=trust")
    assert page.context["map_by"] == "sector"  # no person's ratings can colour the map
    chart = client.get(_url("chart", two_waves, two_waves.second.pk, "map", "png") + "?by=x")
    assert chart["Content-Type"] == "image/png"


def test_pdf_report_is_made_by_the_worker_and_only_for_its_starter(client, two_waves):
    from django.test import TestCase

    from suhde.common.models import Job
    from suhde.networks.models import Membership

    url = _url("pdf", two_waves, two_waves.second.pk)
    client.force_login(two_waves.member)
    ask = client.get(url)  # a GET only offers the button: no job, no file
    assert ask.status_code == 200 and "Make the PDF report" in ask.content.decode()
    assert not Job.objects.exists()
    page = client.get(_url("dashboard", two_waves, two_waves.second.pk)).content.decode()
    assert f'<form method="post" action="{url}"' in page
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = client.post(url, {"map": "community"})
    job = Job.objects.get()
    assert started["Location"] == reverse("networks:job", args=["core", job.pk])
    assert job.arguments["map"] == "community" and job.state == "queued"
    waiting = client.get(started["Location"]).content.decode()
    assert "Waiting for its turn" in waiting and 'hx-trigger="every 1s"' in waiting
    client.force_login(two_waves.coordinator)  # someone else's job is not found
    assert client.get(started["Location"]).status_code == 404
    # The member leaves the network before the worker reaches the job: no report is made.
    Membership.objects.filter(person=two_waves.member.person).delete()
    from suhde.common.jobs import job_execute

    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.output is None
    assert job.error == "You no longer have access to this network."
    assert not AuditEvent.objects.filter(action="dashboard_export_pdf").exists()


def test_pdf_report_of_a_wave_still_open_is_refused_by_name(client, survey_world):
    client.force_login(survey_world.coordinator)
    page = job_follow(client, _url("pdf", survey_world, survey_world.wave.pk)).content.decode()
    assert "alert-danger" in page and "Download" not in page
