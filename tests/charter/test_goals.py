"""Goals with indicators and progress, roles and their warning, and the phase-2 checklist."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suhde.accounts.domain import api_token_create
from suhde.charter import domain
from suhde.charter.models import Goal, Indicator, Progress
from suhde.networks.continuum import checklist_for
from tests.charter.helpers import charter_with, goal_with

pytestmark = pytest.mark.django_db


def _goal_post(**extra):
    data = {
        "kind": "customer",
        "title": "One door",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "10",
        "indicators-0-name": "Young people guided",
        "indicators-0-baseline": "12",
        "indicators-0-target": "60",
        "indicators-0-unit": "per year",
    }
    data.update(extra)
    return data


def test_goal_create_with_indicators(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:goal_create", args=["core"]),
        _goal_post(why="Young people are sent from door to door.", owner=str(world.people[0].pk)),
    )
    goal = Goal.objects.get(network=world.network)
    assert response.status_code == 302
    assert (goal.title, goal.owner, goal.why) == (
        "One door",
        world.people[0],
        "Young people are sent from door to door.",
    )
    indicator = goal.indicators.get()
    assert (indicator.name, str(indicator.baseline), str(indicator.target), indicator.unit) == (
        "Young people guided",
        "12.00",
        "60.00",
        "per year",
    )


def test_goal_with_a_target_but_no_indicator_name_is_refused_at_the_field(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:goal_create", args=["core"]),
        _goal_post(**{"indicators-1-target": "5"}),
    )
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[1].errors == {
        "name": ["Give the indicator a name before its target or baseline."]
    }
    assert not Goal.objects.exists()


def test_goal_owner_from_another_network_is_refused(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:goal_create", args=["core"]), _goal_post(owner=str(world.other_person.pk))
    )
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_goal_edit_updates_and_removes_indicators(client, world):
    goal = goal_with(world.network, indicators=2, points=1)
    first, second = goal.indicators.all()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:goal_edit", args=["core", goal.pk]),
        _goal_post(
            **{
                "indicators-TOTAL_FORMS": "2",
                "indicators-INITIAL_FORMS": "2",
                "indicators-0-id": str(first.pk),
                "indicators-0-name": "Renamed",
                "indicators-1-id": str(second.pk),
                "indicators-1-name": second.name,
                "indicators-1-DELETE": "on",
            }
        ),
    )
    assert response.status_code == 302
    assert list(goal.indicators.values_list("pk", "name")) == [(first.pk, "Renamed")]
    assert Progress.objects.filter(indicator=first).count() == 1


def test_goal_progress_shows_chart_and_table(client, world):
    goal = goal_with(world.network, points=3)
    indicator = goal.indicators.get()
    client.force_login(world.member)
    page = client.get(reverse("charter:goal", args=["core", goal.pk]))
    body = page.content.decode()
    chart_url = reverse("charter:indicator_chart", args=["core", goal.pk, indicator.pk])
    assert f'src="{chart_url}"' in body
    assert "<svg" not in body
    assert body.count('<td class="text-nowrap">4\xa0pcs</td>') == 1
    chart = client.get(chart_url)
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in chart.content


def test_goal_progress_create(client, world):
    goal = goal_with(world.network)
    indicator = goal.indicators.get()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:progress_create", args=["core", goal.pk]),
        {"indicator": indicator.pk, "recorded_on": "2026-03-01", "value": "7.5", "note": "Spring"},
    )
    assert response.status_code == 302
    point = Progress.objects.get(indicator=indicator)
    assert (str(point.value), point.note, point.recorded_by) == (
        "7.50",
        "Spring",
        world.coordinator,
    )


def test_goal_progress_for_another_goals_indicator_is_refused(client, world):
    goal = goal_with(world.network)
    other = goal_with(world.other)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:progress_create", args=["core", goal.pk]),
        {"indicator": other.indicators.get().pk, "recorded_on": "2026-03-01", "value": "1"},
    )
    assert response.status_code == 400
    assert not Progress.objects.exists()


def test_goal_chart_of_another_goal_is_not_found(client, world):
    first, second = goal_with(world.network, "A"), goal_with(world.network, "B")
    client.force_login(world.member)
    url = reverse("charter:indicator_chart", args=["core", first.pk, second.indicators.get().pk])
    assert client.get(url).status_code == 404


def _headers(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_goal_api_create_and_list(client, world):
    headers = _headers(world.coordinator)
    response = client.post(
        "/api/v1/networks/core/goals",
        {
            "kind": "aim",
            "title": "Vision",
            "indicators": [{"name": "Share", "baseline": 1, "target": 2, "unit": "%"}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    indicator_id = response.json()["indicators"][0]["id"]
    progress = client.post(
        f"/api/v1/indicators/{indicator_id}/progress",
        {"recorded_on": "2026-01-05", "value": "1.5"},
        content_type="application/json",
        headers=headers,
    )
    assert progress.status_code == 201
    listed = client.get("/api/v1/networks/core/goals", headers=headers).json()
    assert [(g["title"], g["indicators"][0]["progress"][0]["value"]) for g in listed] == [
        ("Vision", "1.50")
    ]


# An indicator without a name is the domain's refusal (400); a value the schema cannot take — not
# a finite number, longer than its field — is the schema's (422).
@pytest.mark.parametrize(
    ("indicator", "status"),
    [
        ({"target": 5}, 400),
        ({"name": "", "baseline": 1}, 400),
        ({"name": "X", "target": "NaN"}, 422),
        ({"name": "X", "unit": "u" * 41}, 422),
        ({"name": "X" * 201}, 422),
        ({"name": "X", "how_measured": "h" * 5001}, 422),
    ],
)
def test_goal_api_refuses_an_indicator_without_a_name_or_number(client, world, indicator, status):
    response = client.post(
        "/api/v1/networks/core/goals",
        {"kind": "aim", "title": "Vision", "indicators": [indicator]},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == status
    assert not Goal.objects.exists() and not Indicator.objects.exists()


def test_role_named_by_the_charter_without_holder_warns(client, world):
    domain.role_save(network=world.network, kind="communication")
    domain.role_save(network=world.network, kind="other", name="Secretary")
    domain.role_save(
        network=world.network, kind="coordination"
    )  # held through the coordinator's membership
    client.force_login(world.member)
    body = client.get(reverse("charter:roles", args=["core"])).content.decode()
    assert "Nobody holds these roles the charter names:" in body
    warning = body.split('class="alert alert-warning"')[1].split("</div>")[0]
    assert "communication" in warning and "Secretary" in warning
    assert "coordination" not in warning


def test_role_holders_from_another_network_are_refused(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("charter:role_create", args=["core"]),
        {"kind": "other", "name": "Host", "holders": [str(world.other_person.pk)]},
    )
    assert response.status_code == 400
    assert not world.network.charter_roles.exists()


def test_role_standard_kind_only_once(world):
    domain.role_save(network=world.network, kind="facilitation")
    with pytest.raises(Exception, match="already names this role"):
        domain.role_save(network=world.network, kind="facilitation")


def test_checklist_phase_two_moves(world):
    def items():
        return {item.label: (item.done, item.detail) for item in checklist_for(world.network, 2)}

    assert items()["Charter questions answered"] == (False, "0/15")
    charter_with(world.network, {str(n): "Yes" for n in range(1, 10)})
    goal_with(world.network, "A")
    goal_with(world.network, "B")
    goal_with(world.network, "C", indicators=0)
    assert items()["Charter questions answered"] == (False, "9/15")
    assert items()["Goals with indicators"] == (False, "2/3")
    charter_with_all = {str(n): "Yes" for n in range(1, 16)}
    domain.charter_update(network=world.network, user=None, answers=charter_with_all, based_on=1)
    assert items()["Charter questions answered"] == (True, "15/15")


def test_network_home_shows_the_charter_checklist(client, world):
    world.network.phase = 2
    world.network.save()
    charter_with(world.network, {"1": "Yes"})
    client.force_login(world.member)
    body = client.get(reverse("networks:home", args=["core"])).content.decode()
    assert "Charter questions answered" in body and "1/15" in body


@pytest.mark.parametrize(
    "fields",
    [{"title": "T" * 201}, {"why": "w" * 5001}, {"resources": "r" * 5001}],
)
def test_goal_create_refuses_oversized_text(world, fields):
    with pytest.raises(ValidationError):
        domain.goal_create(network=world.network, **{"kind": "aim", "title": "T", **fields})
    assert not Goal.objects.exists()


def test_goal_api_update_with_another_goals_indicator_is_refused(client, world):
    goal = goal_with(world.network, "Mine")
    other = goal_with(world.other, "Theirs")
    theirs = other.indicators.get()
    response = client.put(
        f"/api/v1/goals/{goal.pk}",
        {"kind": "aim", "title": "Changed", "indicators": [{"id": theirs.pk, "name": "Stolen"}]},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 400
    goal.refresh_from_db()
    theirs.refresh_from_db()
    assert (goal.title, theirs.name, theirs.goal_id) == ("Mine", "Indicator 0", other.pk)
    assert goal.indicators.count() == 1
