import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.surveys import closing, domain
from suhde.surveys.models import Response, Wave
from tests.surveys.conftest import answer, members, token_of


@pytest.fixture
def coordinator_api(client, survey_world):
    _, raw = api_token_create(user=survey_world.coordinator, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_survey_get_gives_roster_and_items(client, survey_world):
    me = members(survey_world)[3]
    body = client.get(f"/api/v1/survey/{token_of(survey_world.wave, me)}").json()
    assert {p["id"] for p in body["roster"]} == {p.pk for p in members(survey_world)} - {me.pk}
    assert set(body["roster"][0]) == {"id", "name", "organization"}
    assert [item["id"] for item in body["items"]] == [
        "K1",
        "K2",
        "K3",
        "K4",
        "T1",
        "T2",
        "T3",
        "T4",
        "C4",
        "C1",
        "C2",
        "C3",
    ]
    assert body["submitted"] is False


def test_survey_put_contract_saves_and_submits(client, survey_world):
    people = members(survey_world)
    token = token_of(survey_world.wave, people[3])
    payload = {
        "partners": [
            {"person": people[4].pk, "level": 5, "answers": {"K1": 4, "K2": None, "T1": 3, "C4": 2}}
        ],
        "self": {"C1": 5, "C2": None, "C3": 1},
        "open": {"works": "Good meetings.", "improve": "", "barriers": "Time."},
        "submit": True,
    }
    response = client.put(f"/api/v1/survey/{token}", data=payload, content_type="application/json")
    assert response.json() == {"saved": True, "submitted": True}
    draft = client.get(f"/api/v1/survey/{token}").json()
    # Nothing reads an answer back: the partners only, never a rating, self item or open answer.
    assert draft["partners"] == [{"person": people[4].pk}]
    assert set(draft) == {"wave", "closes_at", "k", "roster", "items", "partners", "submitted"}
    assert "Good meetings" not in json.dumps(draft) and "Time." not in json.dumps(draft)
    saved = Response.objects.get(respondent=people[3])
    assert (saved.c1, saved.c2, saved.c3) == (5, None, 1)
    assert list(saved.partners.values_list("level", "k1", "t1", "c4")) == [(5, 4, 3, 2)]
    assert draft["submitted"] is True


@pytest.mark.parametrize(
    "payload",
    [
        {"partners": [{"person": 1, "level": 6}]},
        {"partners": [{"person": 1, "answers": {"K1": 5}}]},
        {"self": {"C1": 0}},
        {"open": {"works": "x" * 2001}},
    ],
)
def test_survey_put_out_of_range_is_refused(client, survey_world, payload):
    token = token_of(survey_world.wave, members(survey_world)[3])
    response = client.put(f"/api/v1/survey/{token}", data=payload, content_type="application/json")
    assert response.status_code == 422
    assert not Response.objects.exists()


def test_survey_put_partner_from_elsewhere_is_a_400(client, survey_world):
    token = token_of(survey_world.wave, members(survey_world)[3])
    response = client.put(
        f"/api/v1/survey/{token}",
        content_type="application/json",
        data={"partners": [{"person": survey_world.other_person.pk}]},
    )
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_survey_by_unknown_or_closed_token_is_not_found(client, survey_world):
    token = token_of(survey_world.wave, members(survey_world)[3])
    assert client.get("/api/v1/survey/" + "q" * 43).status_code == 404
    closing.wave_close(wave=survey_world.wave)
    assert (
        client.put(
            f"/api/v1/survey/{token}", data={"submit": True}, content_type="application/json"
        ).status_code
        == 404
    )


def test_wave_create_takes_title_closes_at_k_and_invitees(coordinator_api, survey_world):
    chosen = [p.pk for p in members(survey_world)[:4]]
    closes = (timezone.now() + timedelta(days=9)).isoformat()
    response = coordinator_api.post(
        "/api/v1/networks/core/waves",
        content_type="application/json",
        data={"title": "Autumn", "closes_at": closes, "k": 4, "invitees": chosen},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["k"], body["invited"], body["status"]) == ("Autumn", 4, 4, "open")
    assert set(
        Wave.objects.get(pk=body["id"]).invitations.values_list("person_id", flat=True)
    ) == set(chosen)


def test_wave_create_refuses_k_below_three(coordinator_api):
    closes = (timezone.now() + timedelta(days=9)).isoformat()
    response = coordinator_api.post(
        "/api/v1/networks/core/waves",
        content_type="application/json",
        data={"title": "Autumn", "closes_at": closes, "k": 2},
    )
    assert response.status_code == 422
    assert Wave.objects.count() == 1


def test_wave_close_and_results(coordinator_api, survey_world):
    people = members(survey_world)
    for person in people[3:9]:
        answer(survey_world.wave, person, [q for q in people[3:9] if q != person])
    closed = coordinator_api.post(f"/api/v1/waves/{survey_world.wave.pk}/close").json()
    assert closed["status"] == "closed"
    results = coordinator_api.get(f"/api/v1/waves/{survey_world.wave.pk}/results").json()
    assert results["figures"]["network"] == {
        "key": "network",
        "direction": "all",
        "suppressed": False,
        "respondents": 6,
        "counts": {"knowing": 6, "trust": 6, "commitment": 6, "self": 6},
        "knowing": 66.7,
        "trust": 66.7,
        "commitment": 66.7,
        "self": 75.0,
        "commitment_index": 70.8,
    }


def test_wave_list_query_count_is_constant(coordinator_api, survey_world):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_api.get("/api/v1/networks/core/waves").status_code == 200
        return len(captured)

    count()  # the token's first use records itself once
    one = count()
    for number in range(2):
        domain.wave_create(
            network=survey_world.network,
            user=None,
            title=f"W{number}",
            closes_at=timezone.now() + timedelta(days=3),
        )
    assert count() == one


def test_results_page_query_count_is_constant(client, survey_world):
    from django.urls import reverse

    people = members(survey_world)
    answer(survey_world.wave, people[3], [people[4]], texts={"works": "One."})
    closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.coordinator)
    url = reverse("surveys:results", args=["core", survey_world.wave.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    one = count()
    for person in people[5:7]:
        Response.objects.create(
            wave=survey_world.wave, respondent=person, submitted_at=timezone.now()
        ).open_answers.create(kind="improve", text=f"From {person.pk}")
    assert count() == one
