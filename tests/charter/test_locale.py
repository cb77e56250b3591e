"""A Finnish coordinator's numbers and dates: typed as Finns write them, shown back the same way;
impossible dates refused; a wrong progress point corrected or removed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from suhde.accounts.domain import api_token_create
from suhde.charter import charts, domain
from suhde.charter.models import CharterVersion, Goal, Progress
from tests.charter.helpers import charter_with, goal_with

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def finnish(client):
    client.cookies["django_language"] = "fi"
    with translation.override("fi"):
        yield client


def _goal_post(**indicator):
    data = {
        "kind": "customer",
        "title": "Yksi ovi",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "10",
        "indicators-0-name": "Ohjatut nuoret",
    }
    data.update({f"indicators-0-{key}": value for key, value in indicator.items()})
    return data


def _text(response) -> str:
    return response.content.decode().replace(NBSP, " ")


@pytest.mark.parametrize(
    ("baseline", "target", "unit", "shown"),
    [
        ("4,5", "1 200", "nuorta", ("4,5 nuorta", "1 200 nuorta")),
        ("4,5", f"1{NBSP}200", "nuorta", ("4,5 nuorta", "1 200 nuorta")),
        ("7", "12,5 %", "", ("7 %", "12,5 %")),
        ("0,25", "12,5 %", "%", ("0,25 %", "12,5 %")),
    ],
)
def test_finnish_goal_values_come_back_as_written(finnish, world, baseline, target, unit, shown):
    finnish.force_login(world.coordinator)
    response = finnish.post(
        reverse("charter:goal_create", args=["core"]),
        _goal_post(baseline=baseline, target=target, unit=unit),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = Goal.objects.get(network=world.network).indicators.get()
    assert indicator.unit == (unit or "%")
    page = _text(finnish.get(response["Location"]))
    assert f"Lähtötaso: {shown[0]} · Tavoitearvo: {shown[1]}" in page
    edit = _text(finnish.get(reverse("charter:goal_edit", args=["core", indicator.goal_id])))
    assert f'value="{baseline.replace(NBSP, " ").replace(" %", "")}"' in edit
    assert f'value="{target.replace(NBSP, " ").replace(" %", "")}"' in edit


def test_finnish_progress_values_come_back_as_written(finnish, world):
    goal = goal_with(world.network)
    indicator = goal.indicators.get()
    indicator.unit = "%"
    indicator.save()
    finnish.force_login(world.coordinator)
    url = reverse("charter:progress_create", args=["core", goal.pk])
    for typed in ("4,5", "1 200", f"2{NBSP}400,75", "12,5 %"):
        response = finnish.post(
            url, {"indicator": indicator.pk, "recorded_on": "2026-02-01", "value": typed}
        )
        assert response.status_code == 302, _text(response)[:3000]
    assert sorted(Progress.objects.values_list("value", flat=True)) == [
        Decimal("4.50"),
        Decimal("12.50"),
        Decimal("1200.00"),
        Decimal("2400.75"),
    ]
    page = _text(finnish.get(reverse("charter:goal", args=["core", goal.pk])))
    for shown in ("4,5 %", "1 200 %", "2 400,75 %", "12,5 %"):
        assert f'<td class="text-nowrap">{shown}</td>' in page


def test_a_finnish_decimal_comma_is_never_read_as_thousands(finnish, world):
    goal = goal_with(world.network)
    finnish.force_login(world.coordinator)
    finnish.post(
        reverse("charter:progress_create", args=["core", goal.pk]),
        {"indicator": goal.indicators.get().pk, "recorded_on": "2026-02-01", "value": "4,5"},
    )
    assert Progress.objects.get().value == Decimal("4.50")


def test_a_percent_sign_on_an_indicator_counted_in_something_else_is_refused(finnish, world):
    goal = goal_with(world.network)  # its unit is "pcs"
    finnish.force_login(world.coordinator)
    response = finnish.post(
        reverse("charter:progress_create", args=["core", goal.pk]),
        {"indicator": goal.indicators.get().pk, "recorded_on": "2026-02-01", "value": "12,5 %"},
    )
    assert response.status_code == 400
    assert "Tämän mittarin yksikkö on ”pcs” eikä prosentti" in _text(response)
    assert not Progress.objects.exists()


def test_english_keeps_its_point_and_refuses_a_decimal_comma(client, world):
    goal = goal_with(world.network)
    client.force_login(world.coordinator)
    url = reverse("charter:progress_create", args=["core", goal.pk])
    indicator = goal.indicators.get().pk
    response = client.post(
        url, {"indicator": indicator, "recorded_on": "2026-02-01", "value": "4,5"}
    )
    assert response.status_code == 400
    assert "Write a number, for example 4.5 or 1,200." in response.content.decode()
    client.post(url, {"indicator": indicator, "recorded_on": "2026-02-01", "value": "1,200.5"})
    assert Progress.objects.get().value == Decimal("1200.50")


def test_values_are_shown_rounded_to_what_they_mean(finnish, world):
    goal = goal_with(world.network, points=1)  # one point of value 2, unit "pcs"
    finnish.force_login(world.coordinator)
    page = _text(finnish.get(reverse("charter:goal", args=["core", goal.pk])))
    assert '<td class="text-nowrap">2 pcs</td>' in page
    assert "2,00" not in page


def test_progress_in_the_future_is_refused(finnish, world):
    goal = goal_with(world.network)
    finnish.force_login(world.coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = finnish.post(
        reverse("charter:progress_create", args=["core", goal.pk]),
        {"indicator": goal.indicators.get().pk, "recorded_on": tomorrow.isoformat(), "value": "3"},
    )
    assert response.status_code == 400
    assert "Edistymistä ei voi kirjata päivälle, joka on vasta tulossa." in _text(response)
    assert not Progress.objects.exists()


def test_indicator_chart_axes_speak_finnish(world):
    goal = goal_with(world.network, points=3)
    indicator = goal.indicators.get()
    with translation.override("fi"):
        svg = charts.indicator_svg(indicator).decode()
    assert "2026-01-0" not in svg
    assert "1.1.2026" in svg or "2.1.2026" in svg
    with translation.override("en"):
        svg = charts.indicator_svg(indicator).decode()
    assert "Jan 2026" in svg
    assert "/2026" not in svg


# --- correcting and removing progress --------------------------------------------------------


def test_progress_correct_fixes_a_wrong_value(finnish, world):
    goal = goal_with(world.network, points=1)
    point = Progress.objects.get()
    finnish.force_login(world.coordinator)
    url = reverse("charter:progress_correct", args=["core", point.pk])
    form = _text(finnish.get(url))
    assert 'value="2"' in form
    response = finnish.post(url, {"recorded_on": "2026-01-02", "value": "4,5", "note": "korjattu"})
    assert response.status_code == 302
    assert response["Location"] == reverse("charter:goal", args=["core", goal.pk])
    point.refresh_from_db()
    assert (point.recorded_on, point.value, point.note) == (
        date(2026, 1, 2),
        Decimal("4.50"),
        "korjattu",
    )


def test_progress_remove_asks_first_and_the_point_leaves_the_chart(finnish, world):
    goal = goal_with(world.network, points=2)
    wrong = Progress.objects.order_by("recorded_on").last()
    finnish.force_login(world.coordinator)
    url = reverse("charter:progress_remove", args=["core", wrong.pk])
    question = _text(finnish.get(url))
    assert "Poistetaanko edistymismerkintä?" in question
    assert Progress.objects.count() == 2  # asking removed nothing
    response = finnish.post(url)
    assert response.status_code == 302
    assert list(Progress.objects.values_list("value", flat=True)) == [Decimal("2.00")]
    with translation.override("fi"):
        svg = charts.indicator_svg(goal.indicators.get()).decode()
    assert "2.1.2026" not in svg


def test_progress_correct_and_remove_are_refused_to_a_member(client, world):
    goal_with(world.network, points=1)
    point = Progress.objects.get()
    client.force_login(world.member)
    remove = client.post(reverse("charter:progress_remove", args=["core", point.pk]))
    correct = client.post(
        reverse("charter:progress_correct", args=["core", point.pk]),
        {"recorded_on": "2026-01-01", "value": "99"},
    )
    assert (remove.status_code, correct.status_code) == (403, 403)
    point.refresh_from_db()
    assert point.value == Decimal("2.00")


def test_progress_of_another_network_is_not_found(client, world):
    goal_with(world.other, points=1)
    point = Progress.objects.get()
    client.force_login(world.coordinator)
    response = client.post(reverse("charter:progress_remove", args=["core", point.pk]))
    assert response.status_code == 404
    assert Progress.objects.filter(pk=point.pk).exists()


def test_progress_api_corrects_and_removes(client, world):
    goal_with(world.network, points=1)
    point = Progress.objects.get()
    _, raw = api_token_create(user=world.coordinator, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.put(
        f"/api/v1/progress/{point.pk}",
        {"recorded_on": "2026-01-03", "value": "4.5"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["value"] == "4.50"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.put(
        f"/api/v1/progress/{point.pk}",
        {"recorded_on": future, "value": "5"},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["loc"] == ["body", "recorded_on"]
    assert client.delete(f"/api/v1/progress/{point.pk}", headers=headers).status_code == 204
    assert not Progress.objects.exists()


def test_progress_api_of_another_network_is_not_found(client, world):
    goal_with(world.other, points=1)
    point = Progress.objects.get()
    _, raw = api_token_create(user=world.coordinator, name="t")
    response = client.delete(
        f"/api/v1/progress/{point.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 404
    assert Progress.objects.exists()


# --- agreement dates -------------------------------------------------------------------------


def test_charter_agreement_in_the_future_is_refused(finnish, world):
    charter_with(world.network, {"1": "Yksi"})
    finnish.force_login(world.coordinator)
    response = finnish.post(
        reverse("charter:charter_agree", args=["core", 1]),
        {"agreed_on": "2030-03-12", "agreed_in": "Verkostopalaveri"},
    )
    assert response.status_code == 400
    assert "Sopimisen päivä ei voi olla tulevaisuudessa." in _text(response)
    assert CharterVersion.objects.get().agreed_on is None


def test_charter_agreement_on_a_superseded_version_after_it_was_replaced_is_refused(world):
    first = charter_with(world.network, {"1": "Yksi"})
    CharterVersion.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    second, _ = domain.charter_update(
        network=world.network, user=None, answers={"1": "Kaksi"}, based_on=1
    )
    CharterVersion.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    first.refresh_from_db()
    with pytest.raises(Exception) as refused:
        domain.charter_version_agree(
            version=first, agreed_on=timezone.localdate(), agreed_in="Palaveri"
        )
    assert "was replaced by version 2" in str(refused.value)
    # Before it was replaced, version 1 could well have been agreed on: that is kept.
    domain.charter_version_agree(
        version=first,
        agreed_on=timezone.localdate() - timedelta(days=20),
        agreed_in="Palaveri",
    )
    first.refresh_from_db()
    assert first.agreed_on == timezone.localdate() - timedelta(days=20)


def test_agree_form_offers_no_day_after_today(finnish, world):
    charter_with(world.network, {"1": "Yksi"})
    finnish.force_login(world.coordinator)
    page = _text(finnish.get(reverse("charter:charter_agree", args=["core", 1])))
    assert f'max="{timezone.localdate().isoformat()}"' in page
