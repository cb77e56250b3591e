"""Who may change a person (issue 12, point 1): the rule in networks/access.py ``person_edit``,
enforced in ``domain.person_update`` for the pages, the API and every other path."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from suhde.common.models import AuditEvent
from suhde.networks import access, domain
from suhde.networks.models import Invitation, Person, PersonChange, Role
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, member_user


@pytest.fixture
def tree(world):
    """Core (world.network) with a theme network led by its own coordinator, and a person
    without an account in both."""
    theme = NetworkFactory(name="Youth theme", slug="youth", parent=world.network)
    lead = member_user(theme, Role.COORDINATOR, username="themecoord")
    shared = PersonFactory(name="Sanna Shared", email="sanna@city.example")
    MembershipFactory(person=shared, network=world.network)
    MembershipFactory(person=shared, network=theme)
    only_theme = PersonFactory(name="Tiina Theme", email="tiina@ngo.example")
    MembershipFactory(person=only_theme, network=theme)
    return SimpleNamespace(theme=theme, lead=lead, shared=shared, only_theme=only_theme)


def _patch(client, user, person, **body):
    from suhde.accounts.domain import api_token_create

    _, raw = api_token_create(user=user, name="t")
    return client.patch(
        f"/api/v1/people/{person.pk}",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _unchanged(person, **expected):
    fresh = Person.objects.get(pk=person.pk)
    assert {key: getattr(fresh, key) for key in expected} == expected


def test_theme_coordinator_edits_someone_who_is_only_in_the_theme_network(client, tree):
    response = _patch(client, tree.lead, tree.only_theme, network="youth", phone="+358 9 1")
    assert response.status_code == 200
    _unchanged(tree.only_theme, phone="+358 9 1")


def test_theme_coordinator_cannot_edit_someone_also_in_the_core_network(client, world, tree):
    response = _patch(client, tree.lead, tree.shared, network="youth", email="x@evil.example")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "Sanna Shared is also a member of 1 network you are not in" in detail
    assert "Only someone who coordinates all of their networks can make it." in detail
    assert "Core" not in detail  # a network the caller is not in stays unnamed
    _unchanged(tree.shared, email="sanna@city.example")
    assert not AuditEvent.objects.filter(action="person_email_change").exists()


def test_the_refusal_names_who_can_when_the_caller_may_see_that_network(client, world, tree):
    MembershipFactory(person=tree.lead.person, network=world.network, role=Role.MEMBER)
    client.force_login(tree.lead)
    url = reverse("networks:person_edit", args=["youth", tree.shared.pk])
    page = client.get(url).content.decode()
    assert "also a member of “Core”" in page
    assert "A coordinator of “Core” can make it." in page
    # The same form only proposes: Sanna accepts by the link mailed to her, or nothing changes.
    data = {"name": "Renamed", "email": "sanna@city.example", "phone": tree.shared.phone}
    response = client.post(url, data)
    assert response.status_code == 302
    _unchanged(tree.shared, name="Sanna Shared")
    assert PersonChange.objects.get(person=tree.shared).fields == {"name": "Renamed"}


def test_core_coordinator_coordinates_the_theme_network_too(client, world, tree):
    response = _patch(client, world.coordinator, tree.shared, network="youth", name="Sanna S.")
    assert response.status_code == 200
    _unchanged(tree.shared, name="Sanna S.")


def test_nobody_but_the_person_changes_someone_with_an_account(client, world, tree):
    """Not even the coordinator of every network the person is in."""
    member = world.member.person
    response = _patch(client, world.coordinator, member, network="core", email="x@evil.example")
    assert response.status_code == 403
    assert "has an account, so only they can change" in response.json()["detail"]
    _unchanged(member, email=member.email)


def test_a_member_is_refused_by_the_domain_too(world):
    with pytest.raises(access.Refused):
        domain.person_update(
            network=world.network, person=world.people[0], user=world.member, name="X"
        )
    with pytest.raises(access.Refused):
        domain.person_update(network=world.network, person=world.people[0], user=None, name="X")
    _unchanged(world.people[0], name=world.people[0].name)


def test_someone_outside_the_network_does_not_find_the_person(client, world, tree):
    response = _patch(client, world.outsider, tree.only_theme, network="youth", name="X")
    assert response.status_code == 404
    _unchanged(tree.only_theme, name="Tiina Theme")


def test_a_person_changes_their_own_record_and_their_login_email_follows(world):
    user = world.member
    domain.person_self_update(person=user.person, user=user, email="Me@New.example")
    user.refresh_from_db()
    assert user.email == user.person.email == "me@new.example"
    event = AuditEvent.objects.get(action="person_email_change")
    assert event.actor == user and event.detail.endswith("-> me@new.example")


def test_nobody_changes_another_persons_record_as_their_own(world):
    with pytest.raises(access.Refused):
        domain.person_self_update(person=world.people[0], user=world.member, name="Mine now")
    _unchanged(world.people[0], name=world.people[0].name)


def test_every_email_change_is_in_the_audit_log_with_the_old_address(client, world, tree):
    old = tree.only_theme.email
    response = _patch(client, tree.lead, tree.only_theme, network="youth", email="t@new.example")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="person_email_change")
    assert event.detail == f"{old} -> t@new.example"
    assert event.actor == tree.lead
    assert (event.object_type, event.object_id) == ("networks.person", str(tree.only_theme.pk))


def test_an_email_change_ends_the_open_invitations_sent_to_the_old_address(world, tree):
    invitation = domain.invitation_create(
        network=tree.theme, person=tree.only_theme, role=Role.MEMBER, invited_by=tree.lead
    )
    assert invitation.is_open
    domain.person_update(
        network=tree.theme, person=tree.only_theme, user=tree.lead, email="t@new.example"
    )
    assert not Invitation.objects.get(pk=invitation.pk).is_open


def test_a_change_through_the_confirm_link_is_the_persons_own(world):
    from suhde.coordination import domain as coordination

    person = world.member.person
    coordination.confirm_requests_send(network=world.network, people=[person])
    request = person.confirm_requests.get()
    coordination.confirm_submit(request=request, email="member@new.example")
    world.member.refresh_from_db()
    assert world.member.email == "member@new.example"
    assert AuditEvent.objects.get(action="person_email_change").actor_label == "self"


def test_the_edit_page_offers_a_proposal_for_someone_with_an_account(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("networks:person_edit", args=["core", world.member.person.pk]))
    assert response.status_code == 200
    assert "has an account" in response.content.decode()
    assert response.context["proposing"] is True


def test_the_edit_page_refuses_without_a_form_when_nobody_could_accept(client, world, tree):
    Person.objects.filter(pk=tree.shared.pk).update(email="")
    client.force_login(tree.lead)
    response = client.get(reverse("networks:person_edit", args=["youth", tree.shared.pk]))
    assert response.status_code == 403
    assert response.context.get("form") is None
    assert "Only someone who coordinates all of their networks" in response.content.decode()


def test_the_old_address_is_told_of_the_change_but_not_the_new_one(
    client, world, tree, django_capture_on_commit_callbacks
):
    old = tree.only_theme.email
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.person_update(
            network=tree.theme, person=tree.only_theme, user=tree.lead, email="t@new.example"
        )
    (notice,) = [m for m in mail.outbox if m.to == [old]]
    assert "A coordinator changed the email address of Tiina Theme" in notice.body
    assert "t@new.example" not in notice.body
    mine = world.member.person.email  # the login address may differ; the record's is told
    with django_capture_on_commit_callbacks(execute=True):
        domain.person_self_update(
            person=world.member.person, user=world.member, email="m@x.example"
        )
    assert any("was changed" in m.body for m in mail.outbox if m.to == [mine])


def test_an_address_changed_in_the_admin_is_audited_too(client, world):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root", "root@x.example", "pw-12345!")
    client.force_login(admin_user)
    person = world.people[0]
    old = person.email
    response = client.post(
        reverse("admin:networks_person_change", args=[person.pk]),
        {
            "name": person.name,
            "email": "admin-typed@x.example",
            "phone": "",
            "title": "",
            "human": "",
            "competences": "[]",
            "needs": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="person_email_change")
    assert event.detail == f"{old} -> admin-typed@x.example" and event.actor == admin_user


def test_the_person_page_offers_edit_or_propose_as_the_rule_says(client, world, tree):
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:person", args=["core", world.people[0].pk]))
    assert "Edit the details" in page.content.decode()
    page = client.get(reverse("networks:person", args=["core", world.member.person.pk]))
    assert "Propose a change" in page.content.decode()
    assert "Edit the details" not in page.content.decode()
    Person.objects.filter(pk=tree.shared.pk).update(email="")
    client.force_login(tree.lead)
    page = client.get(reverse("networks:person", args=["youth", tree.shared.pk])).content.decode()
    assert "Edit the details" not in page and "Propose a change" not in page
    assert "Only someone who coordinates all of their networks can make it." in page
