"""Promise 26 for coordinators: the network's audit page lists the entries that concern their
network, and never an entry about another network (issue 23, point 4)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suhde.common.audit import audit_record
from suhde.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def _page(client, world, **query):
    client.force_login(world.coordinator)
    return client.get(reverse("networks:audit", args=["core"]), query)


def test_an_entry_takes_the_network_of_its_object(world):
    on_network = audit_record(action="contacts_view", obj=world.network)
    on_tie = audit_record(action="tie_update", obj=world.tie)
    on_person = audit_record(action="contacts_view", obj=world.people[0], network=world.network)
    nowhere = audit_record(action="login", label="x")

    assert [e.network_id for e in (on_network, on_tie, on_person)] == [world.network.pk] * 3
    assert nowhere.network_id is None


def test_the_page_shows_this_networks_entries_and_never_anothers(client, world):
    client.force_login(world.coordinator)
    client.get(reverse("networks:person", args=["core", world.people[0].pk]))  # contacts_view
    audit_record(user=world.outsider, action="contacts_view", obj=world.other)
    audit_record(
        user=world.outsider, action="person_export", obj=world.other_person, network=world.other
    )
    audit_record(action="login", user=world.member)

    table = _page(client, world).content.decode().split("<tbody>")[1]

    assert "viewed contact details" in table
    assert world.coordinator.username in table
    assert world.outsider.username not in table
    assert "downloaded a person" not in table
    assert "logout" not in table and "login" not in table and world.member.username not in table
    assert AuditEvent.objects.filter(network_id=world.other.pk).count() == 2


def test_the_page_does_not_show_the_address_the_entry_came_from(client, world):
    client.force_login(world.coordinator)
    client.get(
        reverse("networks:person", args=["core", world.people[0].pk]), REMOTE_ADDR="203.0.113.77"
    )

    body = _page(client, world).content.decode()

    assert AuditEvent.objects.filter(address="203.0.113.77").count() == 1
    assert "203.0.113.77" not in body


def test_the_filter_shows_one_action_and_ignores_an_unknown_one(client, world):
    audit_record(user=world.coordinator, action="contacts_view", obj=world.network)
    audit_record(user=world.coordinator, action="survey_wave_close", obj=world.network)

    only = _page(client, world, action="survey_wave_close").content.decode()
    unknown = _page(client, world, action="<script>", page="x")

    assert (
        "closed a survey wave" in only and "viewed contact details" not in only.split("<tbody>")[1]
    )
    assert unknown.status_code == 200
    assert "<script>" not in unknown.content.decode().split("<tbody>")[1]
    assert "viewed contact details" in unknown.content.decode().split("<tbody>")[1]


def test_a_member_cannot_read_it_and_an_outsider_does_not_find_it(client, world):
    client.force_login(world.member)
    assert client.get(reverse("networks:audit", args=["core"])).status_code == 403
    client.force_login(world.outsider)
    assert client.get(reverse("networks:audit", args=["core"])).status_code == 404


@pytest.mark.parametrize("entries", [1, 3])
def test_the_page_costs_the_same_queries_for_1_and_3_entries(client, world, entries):
    for _ in range(entries):
        audit_record(user=world.coordinator, action="contacts_view", obj=world.network)
    client.force_login(world.coordinator)
    url = reverse("networks:audit", args=["core"])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == 8


def test_the_network_is_in_the_hash_and_the_export(world):
    event = audit_record(action="contacts_view", obj=world.network)
    out = io.StringIO()
    call_command("audit", "export", stdout=out)
    assert f'"network": {world.network.pk}' in out.getvalue()

    AuditEvent.objects.filter(pk=event.pk).update(network_id=world.other.pk)  # past the model

    with pytest.raises(Exception, match=f"breaks at entry {event.pk}"):
        call_command("audit", "verify", stdout=io.StringIO())
