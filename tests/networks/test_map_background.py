"""A big network's map: the layout and the measures come from the background worker, the page
and the API answer at once with what is ready (issue 18, point 7)."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suhde.common import jobs
from suhde.common.models import Job
from suhde.networks import map as network_map
from suhde.networks.map import MAP_LAYOUT_JOB
from suhde.networks.models import MapLayout, Role
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
    member_user,
)

URL = "/api/v1/networks/wide/map"


@pytest.fixture
def wide(db, monkeypatch):
    """Six people in two organizations, counted as "many" for these tests."""
    monkeypatch.setattr(network_map, "BACKGROUND_FROM", 5)
    network = NetworkFactory(slug="wide")
    city = OrganizationFactory(name="City", sector="public", networks=[network])
    club = OrganizationFactory(name="Club", sector="third", networks=[network])
    user = member_user(network, Role.COORDINATOR, city, username="lead")
    people = [user.person]
    for i, organization in enumerate([city, city, club, club, club]):
        person = PersonFactory(name=f"P{i}", organization=organization)
        MembershipFactory(person=person, network=network)
        people.append(person)
    for a, b in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]:
        TieFactory(network=network, source=people[a], target=people[b])
    return network, user, people


@pytest.fixture
def no_worker(monkeypatch):
    """Jobs are queued and wait, as they do until `suhde worker` takes them."""
    queued: list[int] = []
    monkeypatch.setattr(jobs, "job_task", SimpleNamespace(enqueue=queued.append))
    return queued


def _queued() -> list[int]:
    return list(
        Job.objects.filter(kind=MAP_LAYOUT_JOB, state=Job.State.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_first_request_queues_the_layout_and_answers_at_once(client, wide, no_worker):
    network, user, _ = wide
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["pending"] == {"layout": True, "label": "Waiting for its turn…", "percent": 0}
    assert len(body["nodes"]) == 6  # the tables can show them already
    assert not MapLayout.objects.filter(network=network).exists()
    job = Job.objects.get(kind=MAP_LAYOUT_JOB, network_id=network.pk)
    # Asking again does not queue a second job for the same layout.
    assert client.get(URL).json()["pending"]["layout"] is True
    assert Job.objects.filter(kind=MAP_LAYOUT_JOB).count() == 1
    # The page answers too, with its tables, while the worker has not run.
    page = client.get("/n/wide/map/")
    assert page.status_code == 200
    assert "P4" in page.content.decode()
    assert Job.objects.filter(kind=MAP_LAYOUT_JOB).count() == 1

    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert set(MapLayout.objects.filter(network=network).values_list("kind", flat=True)) == {
        "people",
        "metrics",
    }
    body = client.get(URL).json()
    assert body["pending"] is None
    assert any(node["x"] != 0 or node["y"] != 0 for node in body["nodes"])


def test_a_changed_network_shows_the_older_layout_while_the_new_one_is_made(
    client, wide, no_worker
):
    network, user, people = wide
    client.force_login(user)
    client.get(URL)
    jobs.job_execute(job_id=_queued()[0])
    before = {node["id"]: (node["x"], node["y"]) for node in client.get(URL).json()["nodes"]}
    club = people[3].organization
    newcomer = PersonFactory(name="Newcomer", organization=club)
    MembershipFactory(person=newcomer, network=network)
    TieFactory(network=network, source=newcomer, target=people[0])
    body = client.get(URL).json()
    assert body["pending"] == {"layout": False, "label": "Waiting for its turn…", "percent": 0}
    after = {node["id"]: (node["x"], node["y"]) for node in body["nodes"]}
    assert {k: v for k, v in after.items() if k in before} == before
    # The newcomer stands at the middle of their organization's people meanwhile.
    club_xy = [before[f"p{p.pk}"] for p in people[3:]]
    middle = (sum(x for x, _ in club_xy) / 3, sum(y for _, y in club_xy) / 3)
    assert after[f"p{newcomer.pk}"] == pytest.approx(middle)
    assert len(_queued()) == 1
    jobs.job_execute(job_id=_queued()[0])
    assert client.get(URL).json()["pending"] is None


def test_warm_map_of_many_costs_the_same_queries_as_of_few(client, wide, no_worker):
    network, user, _ = wide
    client.force_login(user)
    client.get(URL)
    jobs.job_execute(job_id=_queued()[0])
    with CaptureQueriesContext(connection) as many:
        network_map.map_data(network, network_map.MapFilters())
    assert len(many) == 4  # as tests/networks/test_map.py pins for a small network


def test_pending_map_costs_a_fixed_number_of_queries(client, wide, no_worker):
    network, user, _ = wide
    client.force_login(user)
    client.get(URL)  # the job is queued
    with CaptureQueriesContext(connection) as pending:
        data = network_map.map_data(network, network_map.MapFilters())
    assert data.pending is not None
    assert len(pending) == 5  # graph (2), cache rows, fields, the running job


def test_the_job_is_handed_over_when_the_request_commits(
    client, wide, django_capture_on_commit_callbacks
):
    _, user, _ = wide
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get(URL).json()["pending"]["layout"] is True
    assert len(callbacks) == 1  # the immediate backend of the tests ran it here
    assert Job.objects.get(kind=MAP_LAYOUT_JOB).state == Job.State.DONE
    body = client.get(URL).json()
    assert body["pending"] is None
    assert any(node["x"] != 0 for node in body["nodes"])


def test_organization_view_of_many_is_computed_at_once(client, wide, no_worker):
    _, user, _ = wide
    client.force_login(user)
    body = client.get(URL + "?view=organizations").json()
    assert body["pending"] is None
    assert _queued() == []
    assert len(body["nodes"]) == 2
