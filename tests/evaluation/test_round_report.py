"""The round's page, its report (page, PDF, API) and the attacks on them (issue 22)."""

import contextlib
import re
import zlib

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suhde.charter.domain import goal_create
from suhde.common.jobs import job_file_response
from suhde.common.models import Job
from suhde.evaluation import domain, report
from suhde.evaluation.models import GoalResult, LearningOutcome, NarrativeRevision, Round
from suhde.surveys import closing
from suhde.workshops.models import Meeting
from tests.evaluation.conftest import closed_wave, random_answers
from tests.jobs_helpers import job_follow
from tests.surveys.conftest import answer, members


def _goal(network, title="One door", kind="customer"):
    return goal_create(
        network=network, kind=kind, title=title, indicators=[{"name": "Bounced", "target": "10"}]
    )


def _meeting(network):
    return Meeting.objects.create(
        network=network, title="Network meeting", starts_at=timezone.now()
    )


def _api(client, user, method, path, body=None):
    client.force_login(user)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)("/api/v1" + path, **kwargs)


# --- attacks ----------------------------------------------------------------------------------


def test_another_networks_goal_is_not_found_through_my_round(client, world):
    theirs = _goal(world.other, "Their secret goal")
    client.force_login(world.coordinator)
    url = reverse("evaluation:goal_result", args=["core", 1, theirs.pk])
    response = client.post(
        url, {"verdict": "reached", "reason": "x", "meeting": _meeting(world.network).pk}
    )
    assert response.status_code == 404
    response = _api(
        client,
        world.coordinator,
        "put",
        f"/networks/core/rounds/1/goals/{theirs.pk}/result",
        {"verdict": "reached", "reason": "x", "meeting": _meeting(world.network).pk},
    )
    assert response.status_code == 404
    assert not GoalResult.objects.exists()


def test_another_networks_meeting_cannot_be_named_as_where_it_was_agreed(client, world):
    goal = _goal(world.network)
    theirs = _meeting(world.other)
    response = _api(
        client,
        world.coordinator,
        "put",
        f"/networks/core/rounds/1/goals/{goal.pk}/result",
        {"verdict": "reached", "reason": "x", "meeting": theirs.pk},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {"loc": ["body", "meeting"], "msg": "Choose a meeting of this network."}
    ]
    assert not GoalResult.objects.exists()


def test_a_member_reads_the_report_but_cannot_write_it(client, world):
    goal = _goal(world.network)
    client.force_login(world.member)
    assert client.get(reverse("evaluation:round_report", args=["core", 1])).status_code == 200
    response = client.post(
        reverse("evaluation:round_narrative", args=["core", 1]), {"summary": "Mine"}
    )
    assert response.status_code == 403
    response = _api(
        client,
        world.member,
        "put",
        f"/networks/core/rounds/1/goals/{goal.pk}/result",
        {"verdict": "reached", "reason": "x", "meeting": _meeting(world.network).pk},
    )
    assert response.status_code == 403
    assert not Round.objects.exists()


def test_a_round_that_has_not_begun_is_not_found(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("evaluation:round", args=["core", 2])).status_code == 404
    assert (
        _api(client, world.coordinator, "get", "/networks/core/rounds/2/report").status_code == 404
    )
    too_big = "/networks/core/rounds/99999999999999999999999/report"
    assert _api(client, world.coordinator, "get", too_big).status_code == 422


def test_bad_verdict_on_the_page_says_what_and_where_and_keeps_the_text(client, world):
    goal = _goal(world.network)
    client.force_login(world.coordinator)
    url = reverse("evaluation:goal_result", args=["core", 1, goal.pk])
    response = client.post(url, {"verdict": "reached", "reason": "Fewer bounced around"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name the meeting or the decision where the network agreed on this verdict." in page
    assert "Fewer bounced around" in page
    assert not Round.objects.exists()


def test_bad_value_on_the_page_is_refused_at_its_field(client, world):
    indicator = _goal(world.network).indicators.get()
    client.force_login(world.coordinator)
    url = reverse("evaluation:indicator_value", args=["core", 1, indicator.pk])
    response = client.post(url, {"value": "a lot", "measured_on": "yesterday", "source": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="value-{indicator.pk}-error">Give the value as a number.' in page
    assert not Round.objects.exists()


def test_correcting_a_value_of_another_indicator_is_not_found(client, world):
    first, second = (_goal(world.network, t).indicators.get() for t in ("A", "B"))
    value = domain.indicator_value_record(
        network=world.network,
        number=1,
        indicator=first,
        value="3",
        measured_on=timezone.localdate(),
        source="s",
    )
    client.force_login(world.coordinator)
    url = reverse("evaluation:indicator_value", args=["core", 1, second.pk])
    data = {"value": "4", "measured_on": timezone.localdate().isoformat(), "source": "s"}
    response = client.post(url, {**data, "corrects": value.pk, "reason": "r"})
    assert response.status_code == 404
    response = client.post(url, {**data, "corrects": "2" * 30, "reason": "r"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "gossip", "example": "x"},
        {"kind": "knowledge", "example": "x" * 5001},
        {"kind": "knowledge"},
        {"kind": "knowledge", "example": None},
    ],
)
def test_learning_outcome_bad_input_is_refused_with_nothing_stored(client, world, body):
    response = _api(
        client, world.coordinator, "post", "/networks/core/rounds/1/learning-outcomes", body
    )
    assert response.status_code == 422
    assert not LearningOutcome.objects.exists()


def test_learning_outcome_api_creates_and_lists_in_the_materials_order(client, world):
    for kind in ("new_actors", "knowledge"):
        response = _api(
            client,
            world.coordinator,
            "post",
            "/networks/core/rounds/1/learning-outcomes",
            {"kind": kind, "example": f"Example of {kind}", "evidence": "Minutes 3/2026"},
        )
        assert response.status_code == 201
    listed = _api(client, world.member, "get", "/networks/core/rounds/1/learning-outcomes").json()
    assert [(o["kind"], o["example"], o["evidence"]) for o in listed] == [
        ("knowledge", "Example of knowledge", "Minutes 3/2026"),
        ("new_actors", "Example of new_actors", "Minutes 3/2026"),
    ]


def test_narrative_edit_keeps_the_earlier_text_and_refuses_too_long(client, world):
    client.force_login(world.coordinator)
    url = reverse("evaluation:round_narrative", args=["core", 1])
    assert client.post(url, {"summary": "First words"}).status_code == 302
    assert client.post(url, {"summary": "Second words", "next_focus": "Paths"}).status_code == 302
    response = client.post(url, {"summary": "x" * 5001, "next_focus": "Changed"})
    assert response.status_code == 400
    assert "Keep this under 5000 characters." in response.content.decode()
    written = Round.objects.get()
    assert written.narrative == {"summary": "Second words", "next_focus": "Paths"}
    assert list(NarrativeRevision.objects.values_list("section", "text")) == [
        ("summary", "First words")
    ]
    got = _api(client, world.member, "get", "/networks/core/rounds/1/report").json()
    assert [s["text"] for s in got["narrative"] if s["key"] in ("summary", "next_focus")] == [
        "Second words",
        "Paths",
    ]


def test_reflection_meeting_is_planned_once_with_the_agenda_and_its_highlights_land(client, world):
    from suhde.workshops import live

    client.force_login(world.coordinator)
    url = reverse("evaluation:reflection_plan", args=["core", 1])
    assert client.post(url, {"starts_at": "not a time"}).status_code == 400
    assert not Meeting.objects.exists()
    assert client.post(url, {"starts_at": "2026-12-20T13:00"}).status_code == 302
    written = Round.objects.get()
    meeting = written.reflection_meeting
    assert [b.title for b in meeting.blocks.all()] == [
        "What worked, and why?",
        "What did not work yet, and what do we do about it?",
        "What did we learn together?",
        "Our dream network, and the next concrete steps",
    ]
    session = written.reflection_session
    assert session.meeting_id == meeting.pk
    assert [p.kind for p in session.prompts.all()] == ["scale", "highlights", "highlights"]
    prompt = session.prompts.get(order=1)
    live.prompt_open(prompt=prompt)
    participant, _token = live.participant_join(code=session.code)
    live.post_create(participant=participant, text="We learned to call each other")
    hidden, _created = live.post_create(participant=participant, text="Something rude")
    live.post_moderate(post=hidden, hidden=True)
    assert report.round_report(world.network, 1).highlights == ["We learned to call each other"]
    assert client.post(url, {"starts_at": "2026-12-21T13:00"}).status_code == 400
    assert Meeting.objects.count() == 1


# --- the figures: only what the survey published --------------------------------------------------


def test_report_shows_no_network_figure_resting_on_fewer_than_k(client, survey_world):
    people = members(survey_world)
    for person in people[:2]:  # two respondents, k = 3
        answer(survey_world.wave, person, [p for p in people if p != person][:3])
    closing.wave_close(wave=survey_world.wave)
    got = _api(client, survey_world.member, "get", "/networks/core/rounds/1/report").json()
    assert got["health"]["wave"]["title"] == "Wave 1"
    assert got["health"]["counts"] == {}
    assert set(got["health"]["figures"].values()) == {None}
    page = client.get(reverse("evaluation:round_report", args=["core", 1])).content.decode()
    health = page[page.index('id="report-health"') : page.index('id="report-paths"')]
    assert "figures to be shown." in health
    assert "Respondents" not in health


def test_report_shows_the_published_figures_with_counts_and_their_change(client, survey_world):
    random_answers(survey_world, survey_world.wave, 1, share=1.0)
    first = closing.wave_close(wave=survey_world.wave)
    second = closed_wave(survey_world, seed=2)
    got = _api(client, survey_world.member, "get", "/networks/core/rounds/1/report").json()
    health = got["health"]
    assert health["wave"]["id"] == second.pk and health["previous"]["id"] == first.pk
    assert health["counts"]["trust"] >= 3
    assert isinstance(health["figures"]["trust"], float)
    assert set(health["change"]) <= {"knowing", "trust", "commitment", "self"}


# --- the PDF -------------------------------------------------------------------------------------


def _inflated(pdf: bytes) -> bytes:
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"".join(parts)


def test_round_report_pdf_is_tagged_and_in_the_language_asked_for(client, world):
    _goal(world.network, "Yksi ovi nuorille")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _api(client, world.member, "post", "/networks/core/rounds/1/report.pdf?lang=sv")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "done"
    assert job.output_name == "core-round-1-sv.pdf"
    pdf = job_file_response(job).content
    text = _inflated(pdf)
    assert pdf.startswith(b"%PDF")
    assert b"StructTreeRoot" in text and b"MarkInfo" in text
    assert re.search(rb"/Lang ?\(sv\)", text)


def test_round_report_pdf_from_the_page_in_finnish(client, world):
    client.force_login(world.member)
    page = job_follow(
        client, reverse("evaluation:round_report_pdf", args=["core", 1]), {"lang": "fi"}
    )
    assert page.status_code == 200
    job = Job.objects.get()
    assert (job.state, job.output_name) == ("done", "core-round-1-fi.pdf")
    assert re.search(rb"/Lang ?\(fi\)", _inflated(job_file_response(job).content))


# --- queries are pinned --------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


URLS = [
    lambda: reverse("evaluation:round", args=["core", 1]),
    lambda: reverse("evaluation:round_report", args=["core", 1]),
    lambda: "/api/v1/networks/core/rounds/1/report",
    lambda: "/api/v1/networks/core/rounds/1/learning-outcomes",
]


def _items(world, start, end):
    meeting = _meeting(world.network)
    for index in range(start, end):
        goal = _goal(world.network, f"Goal {index}", kind=["customer", "aim"][index % 2])
        domain.goal_result_update(
            network=world.network,
            number=1,
            goal=goal,
            verdict="partly",
            reason="r",
            meeting_id=meeting.pk,
        )
        domain.indicator_value_record(
            network=world.network,
            number=1,
            indicator=goal.indicators.get(),
            value=index,
            measured_on=timezone.localdate(),
            source="s",
        )
        domain.learning_outcome_create(
            network=world.network, number=1, kind="knowledge", example="e"
        )


# Pinned (rule 7), in the order of URLS: the round's page reads the report and, beside it, the
# names of who joined, the caller's own reflections, the picture, and the meetings and decisions
# a verdict can name; the report reads goals, values, verdicts, waves, paths, attendances,
# decisions, outcomes, joiners and highlights once each.
QUERIES = [28, 20, 20, 7]


@pytest.mark.parametrize("index", range(4))
def test_round_pages_cost_the_same_for_one_and_three_items(client, world, index):
    client.force_login(world.coordinator)
    _items(world, 0, 1)
    one = _count(client, URLS[index]())
    _items(world, 1, 3)
    three = _count(client, URLS[index]())
    assert [one, three] == [QUERIES[index]] * 2
