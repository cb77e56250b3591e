"""Issue 15: every removal asks first, is soft, and can be undone for 30 days.

Removed things disappear from every count, list, map, export and API list; the "recently
removed" page and the API bring them back with their ids.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.common.models import Removal
from suhde.common.removals import removal_restore
from suhde.networks import domain
from suhde.networks.models import Membership, Role, Tie
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    TieFactory,
    member_user,
)


def _login(client, user):
    client.force_login(user)
    return client


def _api(client, user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _visible_everywhere(client, world, headers) -> dict:
    """How many members and ties each page, export and API list shows for the network."""
    home = client.get(reverse("networks:home", args=["core"])).context["counts"]
    ties_page = client.get(reverse("networks:ties", args=["core"])).context["page"]
    members_page = client.get(reverse("networks:members", args=["core"])).context["page"]
    map_data = client.get("/api/v1/networks/core/map", headers=headers).json()
    people_csv = client.get(reverse("networks:export_file", args=["core", "csv"]))
    people_rows = list(csv.reader(io.StringIO(people_csv.content.decode("utf-8-sig"))))[1:]
    api_people = client.get("/api/v1/people?network=core", headers=headers).json()
    api_ties = client.get("/api/v1/ties?network=core", headers=headers).json()
    return {
        "home_members": home["members"],
        "home_ties": home["ties"],
        "members_page": members_page.paginator.count,
        "ties_page": ties_page.paginator.count,
        "map_people": len(map_data["nodes"]),
        "map_ties": len(map_data["edges"]),
        "export_people": len(people_rows),
        "api_people": api_people["count"],
        "api_ties": api_ties["count"],
    }


# --- asking first -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("networks:tie_delete", lambda w: {"slug": "core", "tie_id": w.tie.pk}),
        (
            "networks:member_end",
            lambda w: {
                "slug": "core",
                "membership_id": Membership.objects.get(person=w.people[0]).pk,
            },
        ),
        ("networks:person_archive", lambda w: {"slug": "core", "person_id": w.people[0].pk}),
        (
            "networks:organization_archive",
            lambda w: {"slug": "core", "organization_id": w.organization.pk},
        ),
        ("networks:archive", lambda w: {"slug": "core"}),
    ],
)
def test_destructive_route_asks_first_and_changes_nothing_on_get(client, world, name, kwargs):
    _login(client, world.coordinator)
    url = reverse(name, kwargs=kwargs(world))
    before = (Tie.objects.count(), Membership.objects.filter(left_on__isnull=True).count())
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'action="{url}"' in body
    assert "You can undo this for 30 days" in body
    assert (Tie.objects.count(), Membership.objects.filter(left_on__isnull=True).count()) == before
    assert not Removal.objects.exists()


def test_confirmation_for_htmx_is_only_the_dialog_body(client, world):
    _login(client, world.coordinator)
    url = reverse("networks:tie_delete", args=["core", world.tie.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="confirm-title"' in body
    assert "data-dialog-close" in body


def test_ties_page_links_to_the_confirmation_not_a_bare_form(client, world):
    _login(client, world.coordinator)
    body = client.get(reverse("networks:ties", args=["core"])).content.decode()
    url = reverse("networks:tie_delete", args=["core", world.tie.pk])
    assert f'href="{url}"' in body
    assert f'hx-get="{url}"' in body
    assert f'<form method="post" action="{url}"' not in body


# --- ties ---------------------------------------------------------------------------------------


def test_tie_removal_disappears_everywhere_and_undo_brings_it_back(client, world):
    _login(client, world.coordinator)
    headers = _api(client, world.coordinator)
    TieFactory(network=world.network, source=world.people[1], target=world.people[2])
    before = _visible_everywhere(client, world, headers)
    tie_id = world.tie.pk
    response = client.post(reverse("networks:tie_delete", args=["core", tie_id]), follow=True)
    removal = Removal.objects.get()
    restore_url = reverse("networks:removal_restore", args=["core", removal.pk])
    assert f'action="{restore_url}"' in response.content.decode()  # the "Undo" button
    assert not Tie.objects.filter(pk=tie_id).exists()
    after = _visible_everywhere(client, world, headers)
    assert after == before | {
        "home_ties": before["home_ties"] - 1,
        "ties_page": before["ties_page"] - 1,
        "map_ties": before["map_ties"] - 1,
        "api_ties": before["api_ties"] - 1,
    }
    assert client.get(f"/api/v1/ties/{tie_id}", headers=headers).status_code == 404

    removed = client.get(reverse("networks:removed", args=["core"]))
    assert removed.context["rows"][0][0] == removal
    response = client.post(restore_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:ties", args=["core"])
    tie = Tie.objects.get(pk=tie_id)
    assert (tie.source, tie.target, tie.strength) == (world.people[0], world.people[1], "weak")
    assert _visible_everywhere(client, world, headers) == before
    removal.refresh_from_db()
    assert removal.restored_at is not None and removal.payload == {}
    assert client.get(reverse("networks:removed", args=["core"])).context["rows"] == []


def test_tie_restored_keeps_its_fields_to_the_microsecond(world):
    tie = world.tie
    tie.knowing, tie.trust, tie.since = 3, 4, timezone.localdate() - timedelta(days=40)
    tie.save()
    tie_id, created = tie.pk, Tie.objects.get(pk=tie.pk).created_at
    removal = domain.tie_delete(tie=tie)
    removal_restore(removal=removal)
    back = Tie.objects.get(pk=tie_id)
    assert (back.knowing, back.trust, back.since, back.created_at) == (
        3,
        4,
        tie.since,
        created,
    )


def test_undo_redirects_back_to_a_local_page_only(client, world):
    _login(client, world.coordinator)
    tie_id = world.tie.pk
    removal = domain.tie_delete(tie=world.tie)
    url = reverse("networks:removal_restore", args=["core", removal.pk])
    response = client.post(url, {"next": "https://evil.example/steal"})
    assert response["Location"] == reverse("networks:ties", args=["core"])
    removal = domain.tie_delete(tie=Tie.objects.get(pk=tie_id))
    url = reverse("networks:removal_restore", args=["core", removal.pk])
    response = client.post(url, {"next": "/n/core/map/"})
    assert response["Location"] == "/n/core/map/"


def test_tie_cannot_come_back_between_people_who_left(client, world):
    tie_id = world.tie.pk
    removal = domain.tie_delete(tie=world.tie)
    domain.membership_end(membership=Membership.objects.get(person=world.people[1]))
    _login(client, world.coordinator)
    url = reverse("networks:removal_restore", args=["core", removal.pk])
    response = client.post(url, follow=True)
    assert f"{world.people[1].name} is no longer a member: restore them first." in [
        str(m) for m in response.context["messages"]
    ]
    assert not Tie.objects.filter(pk=tie_id).exists()
    assert Removal.objects.get(pk=removal.pk).restored_at is None


def test_tie_added_again_makes_the_old_one_unrestorable_with_a_message(world):
    removal = domain.tie_delete(tie=world.tie)
    domain.tie_create(
        network=world.network, source_id=world.people[0].pk, target_id=world.people[1].pk
    )
    with pytest.raises(ValidationError, match="has been added again"):
        removal_restore(removal=removal)
    assert Tie.objects.filter(network=world.network, source=world.people[0]).count() == 1
    assert Removal.objects.get(pk=removal.pk).restored_at is None


def test_restore_twice_is_refused(world):
    removal = domain.tie_delete(tie=world.tie)
    removal_restore(removal=removal)
    with pytest.raises(ValidationError, match="already been restored"):
        removal_restore(removal=removal)


# --- memberships --------------------------------------------------------------------------------


def test_ended_membership_disappears_everywhere_and_the_page_offers_restore(client, world):
    _login(client, world.coordinator)
    headers = _api(client, world.coordinator)
    before = _visible_everywhere(client, world, headers)
    person = world.people[0]  # has the one tie, to people[1]
    membership = Membership.objects.get(person=person, network=world.network)
    response = client.post(reverse("networks:member_end", args=["core", membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    after = _visible_everywhere(client, world, headers)
    assert after == {
        "home_members": before["home_members"] - 1,
        "home_ties": before["home_ties"] - 1,
        "members_page": before["members_page"] - 1,
        "ties_page": before["ties_page"] - 1,
        "map_people": before["map_people"] - 1,
        "map_ties": before["map_ties"] - 1,
        "export_people": before["export_people"] - 1,
        "api_people": before["api_people"] - 1,
        "api_ties": before["api_ties"] - 1,
    }
    # the coordinator still opens the page, with "restore"; a member does not
    page = client.get(reverse("networks:person", args=["core", person.pk]))
    assert page.status_code == 200
    restore_url = reverse("networks:member_restore", args=["core", membership.pk])
    assert f'action="{restore_url}"' in page.content.decode()
    member = _login(Client(), world.member)
    assert member.get(reverse("networks:person", args=["core", person.pk])).status_code == 404
    # the page's button restores, and the undo list no longer offers it
    response = client.post(restore_url)
    assert response["Location"] == reverse("networks:person", args=["core", person.pk])
    membership.refresh_from_db()
    assert membership.left_on is None
    assert _visible_everywhere(client, world, headers) == before
    assert client.get(reverse("networks:removed", args=["core"])).context["rows"] == []


def test_membership_undo_from_the_list_restores_role_and_access(client, world):
    membership = Membership.objects.get(person=world.member.person)
    domain.membership_update(membership=membership, role=Role.FACILITATOR)
    removal = domain.membership_end(membership=membership, user=world.coordinator)
    member = _login(Client(), world.member)
    assert member.get(reverse("networks:home", args=["core"])).status_code == 404
    _login(client, world.coordinator)
    rows = client.get(reverse("networks:removed", args=["core"])).context["rows"]
    assert [(r.pk, label, r.name) for r, label in rows] == [
        (removal.pk, "membership", world.member.person.name)
    ]
    client.post(reverse("networks:removal_restore", args=["core", removal.pk]))
    membership.refresh_from_db()
    assert (membership.left_on, membership.role) == (None, Role.FACILITATOR)
    member = _login(Client(), world.member)
    assert member.get(reverse("networks:home", args=["core"])).status_code == 200


def test_membership_cannot_be_restored_when_the_person_is_a_member_again(world):
    membership = Membership.objects.get(person=world.people[0])
    removal = domain.membership_end(membership=membership)
    domain.membership_create(network=world.network, person=world.people[0])
    with pytest.raises(ValidationError, match="is a member again already"):
        removal_restore(removal=removal)


def test_person_page_of_someone_never_in_the_network_is_not_found(client, world):
    _login(client, world.coordinator)
    url = reverse("networks:person", args=["core", world.other_person.pk])
    assert client.get(url).status_code == 404


# --- people -------------------------------------------------------------------------------------


def test_archived_person_disappears_everywhere_and_undo_restores(client, world):
    _login(client, world.coordinator)
    headers = _api(client, world.coordinator)
    before = _visible_everywhere(client, world, headers)
    person = world.people[1]  # has the one tie, from people[0]
    url = reverse("networks:person_archive", args=["core", person.pk])
    client.post(url, {"archived": "1"})
    person.refresh_from_db()
    assert person.archived_at is not None
    after = _visible_everywhere(client, world, headers)
    assert after == {key: value - 1 for key, value in before.items()}
    assert client.get(reverse("networks:person", args=["core", person.pk])).status_code == 200
    tie_form = client.get(reverse("networks:tie_create", args=["core"])).context["form"]
    assert person not in tie_form.fields["source"].queryset
    removal = Removal.objects.get(kind="networks.person")
    client.post(reverse("networks:removal_restore", args=["core", removal.pk]))
    person.refresh_from_db()
    assert person.archived_at is None
    assert _visible_everywhere(client, world, headers) == before


def test_the_only_coordinator_cannot_be_archived(client, world):
    _login(client, world.coordinator)
    person = world.coordinator.person
    url = reverse("networks:person_archive", args=["core", person.pk])
    response = client.post(url, {"archived": "1"}, follow=True)
    person.refresh_from_db()
    assert person.archived_at is None
    assert "is the only coordinator of Core" in str(next(iter(response.context["messages"])))
    assert not Removal.objects.exists()


# --- who may undo, and for how long ------------------------------------------------------------


def test_member_and_facilitator_cannot_restore_a_coordinators_removal(client, world):
    tie_id = world.tie.pk
    removal = domain.tie_delete(tie=world.tie, user=world.coordinator)
    facilitator = member_user(world.network, Role.FACILITATOR, world.organization)
    url = reverse("networks:removal_restore", args=["core", removal.pk])
    for user, status in ((world.member, 403), (facilitator, 403)):
        assert _login(Client(), user).post(url).status_code == status
    rows = _login(Client(), facilitator).get(reverse("networks:removed", args=["core"]))
    assert rows.context["rows"] == []
    assert not Tie.objects.filter(pk=tie_id).exists()


def test_removal_older_than_30_days_cannot_be_undone_and_is_purged(client, world):
    removal = domain.tie_delete(tie=world.tie)
    fresh = domain.membership_end(membership=Membership.objects.get(person=world.people[2]))
    Removal.objects.filter(pk=removal.pk).update(
        removed_at=timezone.now() - timedelta(days=30, minutes=1)
    )
    _login(client, world.coordinator)
    rows = client.get(reverse("networks:removed", args=["core"])).context["rows"]
    assert [r.pk for r, _ in rows] == [fresh.pk]
    url = reverse("networks:removal_restore", args=["core", removal.pk])
    assert client.post(url).status_code == 404
    out = io.StringIO()
    call_command("purge_removals", stdout=out)
    assert out.getvalue().strip() == "1 removal older than 30 days forgotten."
    assert list(Removal.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_undo_window_follows_the_setting(settings, world):
    settings.SUHDE_UNDO_DAYS = 2
    removal = domain.tie_delete(tie=world.tie)
    Removal.objects.filter(pk=removal.pk).update(removed_at=timezone.now() - timedelta(days=3))
    with pytest.raises(ValidationError, match="time to undo this has passed"):
        removal_restore(removal=removal)


# --- the API -------------------------------------------------------------------------------------


def test_api_delete_is_soft_and_restorable(client, world):
    headers = _api(client, world.coordinator)
    tie_id = world.tie.pk
    response = client.delete(f"/api/v1/ties/{tie_id}", headers=headers)
    assert response.status_code == 200
    body = response.json()
    removal = Removal.objects.get()
    assert body["restore"] == f"/api/v1/networks/core/removals/{removal.pk}/restore"
    assert (body["kind"], body["object_id"], body["removed_by"]) == (
        "networks.tie",
        str(tie_id),
        "coord",
    )
    listed = client.get("/api/v1/networks/core/removals", headers=headers).json()
    assert [item["id"] for item in listed["items"]] == [removal.pk]
    response = client.post(body["restore"], headers=headers)
    assert response.status_code == 200
    assert Tie.objects.filter(pk=tie_id).exists()
    again = client.post(body["restore"], headers=headers)
    assert again.status_code == 404
    assert client.get("/api/v1/networks/core/removals", headers=headers).json()["count"] == 0


def test_api_membership_left_and_back(client, world):
    headers = _api(client, world.coordinator)
    membership = Membership.objects.get(person=world.people[0])
    url = f"/api/v1/memberships/{membership.pk}"
    response = client.patch(url, {"left": True}, content_type="application/json", headers=headers)
    assert response.json()["left_on"] == timezone.localdate().isoformat()
    removal = Removal.objects.get(kind="networks.membership")
    assert removal.removed_by == world.coordinator
    response = client.patch(url, {"left": False}, content_type="application/json", headers=headers)
    assert response.json()["left_on"] is None
    removal.refresh_from_db()
    assert removal.restored_at is not None


def test_api_restore_of_another_networks_removal_is_not_found(client, world):
    tie_id = world.other_tie.pk
    removal = domain.tie_delete(tie=world.other_tie)
    headers = _api(client, world.coordinator)
    url = f"/api/v1/networks/core/removals/{removal.pk}/restore"
    assert client.post(url, headers=headers).status_code == 404
    assert not Tie.objects.filter(pk=tie_id).exists()


# --- cost ---------------------------------------------------------------------------------------


def _network_with_removals(size: int):
    network = NetworkFactory(slug=f"r{size}")
    coordinator = member_user(network, Role.COORDINATOR, username=f"coord{size}")
    people = [PersonFactory() for _ in range(size + 1)]
    for person in people:
        MembershipFactory(person=person, network=network)
    for i in range(size):
        tie = TieFactory(network=network, source=people[i], target=people[i + 1])
        domain.tie_delete(tie=tie, user=coordinator)
        domain.membership_end(membership=Membership.objects.get(person=people[i]), user=coordinator)
    return coordinator


@pytest.mark.parametrize("api", [False, True])
def test_removed_list_query_count_is_constant(db, api):
    counts = []
    for size in (1, 3):
        coordinator = _network_with_removals(size)
        client = Client()
        if api:
            headers = _api(client, coordinator)
            url = f"/api/v1/networks/r{size}/removals"
        else:
            headers = {}
            _login(client, coordinator)
            url = reverse("networks:removed", args=[f"r{size}"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
