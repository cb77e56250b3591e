"""Rule 7: service path pages and endpoints cost the same queries for 1 item or 3."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suhde.accounts.domain import api_token_create
from suhde.networks.domain import tie_create
from suhde.networks.models import Role
from suhde.paths import domain
from tests.factories import NetworkFactory, OrganizationFactory, member_user
from tests.paths.helpers import member_of

pytestmark = pytest.mark.django_db


def _network_with(size: int):
    """``size`` paths, each of ``size`` + 1 stages of its own organization with ``size`` people
    and ties across every transition; the last path's id."""
    network = NetworkFactory(slug=f"n{size}")
    user = member_user(network, Role.COORDINATOR, username=f"coord{size}")
    created = None
    for index in range(size):
        stages = []
        previous = None
        for number in range(size + 1):
            org = OrganizationFactory(name=f"Org {index}-{number}", networks=[network])
            people = member_of(network, org, size)
            if previous:
                for a, b in zip(previous, people, strict=True):
                    tie_create(network=network, source_id=a.pk, target_id=b.pk)
            previous = people
            stages.append(
                {"key": f"s{number}", "name": f"Stage {number}", "organization_ids": [org.pk]}
            )
        created = domain.path_create(network=network, name=f"Path {index}", stages=stages)
    return user, network, created


def _count(size: int, url: str, api: bool) -> int:
    user, network, created = _network_with(size)
    transition = created.transitions.order_by("pk").first()
    url = (
        url.replace("SLUG", network.slug)
        .replace("PATH", str(created.pk))
        .replace("TRANSITION", str(transition.pk))
    )
    client, headers = Client(), {}
    if api:
        headers = {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}
    else:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


QUERIES = {
    "/n/SLUG/paths/": 7,
    "/n/SLUG/paths/PATH/": 21,
    "/n/SLUG/paths/PATH/diagram.svg": 20,
    "/n/SLUG/paths/PATH/print/": 20,
    "/n/SLUG/paths/transitions/TRANSITION/": 21,
}
API_QUERIES = {"/api/v1/networks/SLUG/paths": 7, "/api/v1/paths/PATH": 21}


@pytest.mark.parametrize("url", QUERIES)
def test_page_queries_do_not_grow(url):
    assert (_count(1, url, False), _count(3, url, False)) == (QUERIES[url],) * 2


@pytest.mark.parametrize("url", API_QUERIES)
def test_api_queries_do_not_grow(url):
    assert (_count(1, url, True), _count(3, url, True)) == (API_QUERIES[url],) * 2
