"""The decision log: modes, status, review date, the meeting link, the digest, the API."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.mail import outbox_deliver
from suhde.coordination import digest
from suhde.coordination.digest import digests_send
from suhde.decisions.digest import review_section
from suhde.decisions.models import Decision
from suhde.networks.continuum import checklist_for
from suhde.networks.models import Person
from tests.decisions.helpers import decision, meeting

pytestmark = pytest.mark.django_db


def _post(**extra):
    data = {
        "title": "One door for young people",
        "proposal": "Each of us guides the young person in person to the next service.",
        "mode": "facilitated",
        "status": "decided",
        "decided_by": "Network meeting",
        "decided_on": "2026-03-10",
        "rationale": "Young people fall between services.",
        "review_on": "2026-09-10",
    }
    data.update(extra)
    return data


def _headers(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_decision_create_records_everything(client, world):
    held = meeting(world.network)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("decisions:decision_create", args=["core"]), _post(meeting=str(held.pk))
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert (decision.mode, decision.status, decision.decided_on, decision.review_on) == (
        "facilitated",
        "decided",
        date(2026, 3, 10),
        date(2026, 9, 10),
    )
    assert (decision.meeting, decision.created_by) == (held, world.coordinator)
    assert list(held.decisions.all()) == [decision]  # the meeting lists its decisions


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"proposal": "  "}, "proposal", "This field is required."),
        ({"proposal": "x" * 5001}, "proposal", "Ensure this value has at most 5000 characters"),
        (
            {"review_on": "2026-03-09"},
            "review_on",
            "The review date cannot be before the decision.",
        ),
        ({"decided_on": ""}, "decided_on", "Give the date the decision was made."),
        ({"mode": "dictator"}, "mode", "Select a valid choice."),
    ],
)
def test_decision_bad_input_is_refused_at_the_field(client, world, extra, field, message):
    client.force_login(world.coordinator)
    response = client.post(reverse("decisions:decision_create", args=["core"]), _post(**extra))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Decision.objects.exists()


def test_decision_linked_to_another_networks_meeting_is_refused(client, world):
    theirs = meeting(world.other, "Their meeting")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("decisions:decision_create", args=["core"]), _post(meeting=str(theirs.pk))
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["meeting"]
    assert "Their meeting" not in response.content.decode()
    api = client.post(
        "/api/v1/networks/core/decisions",
        {"title": "T", "proposal": "P", "meeting_id": theirs.pk},
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert api.status_code == 400
    assert api.json()["detail"] == [
        {"loc": ["body", "meeting"], "msg": "Choose one of this network's meetings."}
    ]
    assert not Decision.objects.exists()


# The domain's rules (a proposal to decide on, a review after the decision, a decided status
# needing its date) answer 400; an unknown mode or an over-long title never fits the schema (422).
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": "T", "proposal": ""}, 400),
        (
            {"title": "T", "proposal": "P", "decided_on": "2026-03-10", "review_on": "2026-03-01"},
            400,
        ),
        ({"title": "T", "proposal": "P", "status": "decided"}, 400),
        ({"title": "T", "proposal": "P", "mode": "anarchy"}, 422),
        ({"title": "T" * 201, "proposal": "P"}, 422),
    ],
)
def test_decision_api_refuses_bad_input_without_a_server_error(client, world, body, status):
    response = client.post(
        "/api/v1/networks/core/decisions",
        body,
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == status
    assert not Decision.objects.exists()


def test_decision_api_create_update_list(client, world):
    headers = _headers(world.coordinator)
    created = client.post(
        "/api/v1/networks/core/decisions",
        {"title": "T", "proposal": "P", "mode": "self_directed"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    decision_id = created.json()["id"]
    updated = client.put(
        f"/api/v1/decisions/{decision_id}",
        {
            "title": "T",
            "proposal": "P",
            "mode": "self_directed",
            "status": "carried_out",
            "decided_on": "2026-01-02",
        },
        content_type="application/json",
        headers=headers,
    )
    assert updated.status_code == 200
    listed = client.get("/api/v1/networks/core/decisions", headers=headers).json()
    assert [(d["id"], d["status"], d["has_poll"]) for d in listed] == [
        (decision_id, "carried_out", False)
    ]


def test_decision_list_and_detail_show_the_log(client, world):
    decision(world.network, "Top", mode="top_down", status="decided", decided_on=date(2026, 1, 1))
    client.force_login(world.member)
    body = client.get(reverse("decisions:decisions", args=["core"])).content.decode()
    assert "Top" in body and "top-down" in body and "decided" in body


def test_decision_review_reaches_the_digest(monkeypatch, world):
    monkeypatch.setattr(digest, "DIGEST_PROVIDERS", [review_section])
    Person.objects.update(confirmed_at=timezone.now())
    today = date(2026, 3, 2)
    decision(
        world.network,
        "Review the one-door practice",
        status="decided",
        decided_on=date(2026, 1, 1),
        review_on=today + timedelta(days=10),
    )
    decision(
        world.network,
        "Later",
        status="decided",
        decided_on=date(2026, 1, 1),
        review_on=today + timedelta(days=40),
    )
    assert digests_send(today=today, language="en") == 1
    outbox_deliver()
    (message,) = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    assert "Decisions to review in the coming 14 days" in message.body
    assert "Review the one-door practice" in message.body
    assert "Later" not in message.body


def test_decision_checklist_in_phase_three(world):
    decision(world.network)
    items = {item.label: item.detail for item in checklist_for(world.network, 3)}
    assert items["Decisions recorded in the log"] == "1 decision"
    assert items["Decisions made together"] == "1 facilitated decision"


def test_decision_approves_a_charter_version(client, world):
    from tests.charter.helpers import charter_with

    charter_with(world.network, {"1": "A"})
    client.force_login(world.coordinator)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("decisions:decision_create", args=["core"]),
        _post(decided_on=today, review_on="", charter_version="1"),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    version = world.network.charter_versions.get()
    assert (version.agreed_on.isoformat(), version.agreed_in) == (today, decision.title)
    assert (version.agreed_ref_kind, version.agreed_ref_id) == ("decision", decision.pk)
    page = client.get(reverse("charter:charter", args=["core"])).content.decode()
    assert reverse("decisions:decision", args=["core", decision.pk]) in page


def test_decision_proposed_cannot_approve_the_charter(client, world):
    from tests.charter.helpers import charter_with

    charter_with(world.network, {"1": "A"})
    client.force_login(world.coordinator)
    response = client.post(
        reverse("decisions:decision_create", args=["core"]),
        _post(status="proposed", decided_on="", review_on="", charter_version="1"),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["charter_version"]
    assert not Decision.objects.exists()
    assert world.network.charter_versions.get().agreed_on is None


def test_decision_api_cannot_approve_another_networks_charter(client, world):
    from tests.charter.helpers import charter_with

    charter_with(world.other, {"1": "Theirs"})
    response = client.post(
        "/api/v1/networks/core/decisions",
        {
            "title": "T",
            "proposal": "P",
            "status": "decided",
            "decided_on": timezone.localdate().isoformat(),
            "charter_version": 1,
        },
        content_type="application/json",
        headers=_headers(world.coordinator),
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()
    assert world.other.charter_versions.get().agreed_on is None


def test_decision_list_filters_by_allowlisted_status_and_mode(client, world):
    decision(world.network, "Ours", mode="top_down", status="decided", decided_on=date(2026, 1, 1))
    decision(world.network, "Together")
    client.force_login(world.member)
    url = reverse("decisions:decisions", args=["core"])
    assert [d.title for d in client.get(url, {"mode": "top_down"}).context["decisions"]] == ["Ours"]
    assert [d.title for d in client.get(url, {"status": "proposed"}).context["decisions"]] == [
        "Together"
    ]
    everything = client.get(url, {"status": "id; DROP TABLE", "mode": "-created_at"})
    assert everything.status_code == 200
    assert len(everything.context["decisions"]) == 2


def test_decision_list_marks_a_review_that_is_due(client, world):
    today = timezone.localdate()
    decision(
        world.network,
        "Due",
        status="decided",
        decided_on=today,
        review_on=today + timedelta(days=3),
    )
    client.force_login(world.member)
    body = client.get(reverse("decisions:decisions", args=["core"])).content.decode()
    assert "review in 3 days" in body


@pytest.mark.parametrize(
    ("days", "fi", "sv"),
    [
        (10, "tarkistus 10 päivän päästä", "omprövning om 10 dagar"),
        (1, "tarkistus huomenna", "omprövning i morgon"),
        (0, "tarkistus tänään", "omprövning i dag"),
        (-3, "tarkistus myöhässä", "omprövningen är försenad"),
    ],
)
def test_decision_list_says_when_a_review_is_due_without_calling_the_future_overdue(
    client, world, days, fi, sv
):
    today = timezone.localdate()
    decision(
        world.network,
        status="decided",
        decided_on=today - timedelta(days=30),
        review_on=today + timedelta(days=days),
    )
    client.force_login(world.member)
    for language, expected in (("fi", fi), ("sv", sv)):
        client.cookies["django_language"] = language
        body = client.get(reverse("decisions:decisions", args=["core"])).content.decode()
        assert expected in body
        if days >= 0:
            assert "myöhässä" not in body and "försenad" not in body
