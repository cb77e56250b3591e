"""Invitations never move an account (issue 12, point 2).

Each test plays someone who wants another person's account or role: a hostile theme-network
coordinator, a curious member, an anonymous visitor holding a forwarded link. The invitation
links the invited person to the accepting account only while the person has none and the
person's address is still the one the link went to; it never unlinks, merges or demotes.
"""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from suhde.common.models import AuditEvent
from suhde.networks import domain
from suhde.networks.models import Invitation, Membership, Person, Role
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, member_user

User = get_user_model()
ATTACKER = "mallory@evil.example"
PASSWORD = "a long pass phrase 42"


def _new_account(username="mallory"):
    return {"username": username, "password1": PASSWORD, "password2": PASSWORD}


@pytest.fixture
def theme(world):
    """A theme network under the core, led by its own coordinator; the core's coordinator (who
    has an account) is a plain member of it."""
    network = NetworkFactory(name="Youth theme", slug="youth", parent=world.network)
    boss = world.coordinator
    boss.person.email = "boss@city.example"
    boss.person.save()
    MembershipFactory(person=boss.person, network=network, role=Role.MEMBER)
    attacker = member_user(network, Role.COORDINATOR, username="themecoord")
    return SimpleNamespace(network=network, boss=boss, attacker=attacker)


def _invite(client, capture, user, slug, person, role="member") -> str:
    """Invite through the page, as ``user``; return the link's path from the mail."""
    client.force_login(user)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            reverse("networks:person_invite", args=[slug, person.pk]), {"role": role}
        )
    assert response.status_code == 302
    client.logout()
    (message,) = mail.outbox
    return message.to[0], re.search(r"https?://[^/\s]+(/invite/\S+/)", message.body).group(1)


def _api(client, user):
    from suhde.accounts.domain import api_token_create

    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def _state(world, theme):
    """Everything an accepted takeover would change."""
    return (
        sorted(Person.objects.values_list("pk", "user_id", "email", "archived_at")),
        sorted(Membership.objects.values_list("pk", "person_id", "network_id", "role", "left_on")),
        User.objects.count(),
    )


def test_the_takeover_in_the_issue_fails_through_the_api_and_anonymously(
    client, world, theme, django_capture_on_commit_callbacks
):
    boss_person = theme.boss.person
    response = client.patch(
        f"/api/v1/people/{boss_person.pk}",
        data={"network": "youth", "email": ATTACKER},
        content_type="application/json",
        headers=_api(client, theme.attacker),
    )
    assert response.status_code == 403
    assert "has an account" in response.json()["detail"]
    boss_person.refresh_from_db()
    assert boss_person.email == "boss@city.example"

    to, link = _invite(
        client, django_capture_on_commit_callbacks, theme.attacker, "youth", boss_person
    )
    assert to == "boss@city.example"  # the link goes to her, not to the attacker
    before = _state(world, theme)
    # Even holding the link (forwarded, or read over her shoulder) no new account takes her over.
    response = client.post(link, _new_account())
    assert response.status_code == 403
    assert "already has an account" in response.content.decode()
    assert _state(world, theme) == before
    assert Invitation.objects.get().used_at is None
    boss_person.refresh_from_db()
    assert boss_person.user == theme.boss
    assert Membership.objects.filter(
        network=world.network, person=boss_person, role=Role.COORDINATOR, left_on__isnull=True
    ).exists()


def test_the_takeover_in_the_issue_fails_through_the_pages_signed_in_as_the_attacker(
    client, world, theme, django_capture_on_commit_callbacks
):
    boss_person = theme.boss.person
    client.force_login(theme.attacker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:person_edit", args=["youth", boss_person.pk]),
            {"name": boss_person.name, "email": ATTACKER, "phone": "", "title": ""},
        )
    # The page only proposes the change, and asks her at the address she has now.
    assert response.status_code == 302
    boss_person.refresh_from_db()
    assert boss_person.email == "boss@city.example"
    assert [message.to for message in mail.outbox] == [["boss@city.example"]]
    assert ATTACKER in mail.outbox[0].body  # she sees exactly what she would accept
    _, link = _invite(
        client, django_capture_on_commit_callbacks, theme.attacker, "youth", boss_person
    )
    before = _state(world, theme)
    client.force_login(theme.attacker)
    assert client.get(link).status_code == 403
    response = client.post(link)
    assert response.status_code == 403
    assert "logged in with another account" in response.content.decode()
    assert _state(world, theme) == before
    # The core network still has its coordinator, who is still herself.
    client.force_login(theme.boss)
    assert client.get(reverse("networks:members", args=["core"])).status_code == 200


def test_an_invitation_for_someone_with_an_account_is_accepted_only_by_that_account(
    client, world, theme, django_capture_on_commit_callbacks
):
    _, link = _invite(
        client,
        django_capture_on_commit_callbacks,
        theme.attacker,
        "youth",
        theme.boss.person,
        role="facilitator",
    )
    client.force_login(theme.boss)
    response = client.post(link)
    assert response.status_code == 302
    membership = Membership.objects.get(person=theme.boss.person, network=theme.network)
    assert membership.role == Role.FACILITATOR  # raised from member
    theme.boss.person.refresh_from_db()
    assert theme.boss.person.user == theme.boss


def test_accepting_never_demotes(client, world, django_capture_on_commit_callbacks):
    """The core coordinator invited again as a member stays coordinator."""
    other = member_user(world.network, Role.COORDINATOR, username="second")
    _, link = _invite(
        client, django_capture_on_commit_callbacks, other, "core", world.coordinator.person
    )
    client.force_login(world.coordinator)
    assert client.post(link).status_code == 302
    membership = Membership.objects.get(person=world.coordinator.person, network=world.network)
    assert membership.role == Role.COORDINATOR


def test_an_account_with_a_person_cannot_absorb_another_invited_person(
    client, world, django_capture_on_commit_callbacks
):
    """Accepted while signed in, the invited record used to be merged into the account's and
    archived: a way to empty someone's memberships. Now it is refused and nothing moves."""
    invited = world.people[0]
    _, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    before = _state(world, None)
    client.force_login(world.outsider)
    response = client.post(link)
    assert response.status_code == 403
    assert "merge the two records" in response.content.decode()
    assert _state(world, None) == before
    invited.refresh_from_db()
    assert invited.user is None and invited.archived_at is None


def test_an_invitation_whose_address_changed_afterwards_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    invited = world.people[0]
    _, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    domain.person_update(
        network=world.network, person=invited, user=world.coordinator, email="new@city.example"
    )
    assert client.get(link).status_code == 404  # the change ended it
    assert client.post(link, _new_account()).status_code == 404
    invited.refresh_from_db()
    assert invited.user is None
    assert not User.objects.filter(username="mallory").exists()


def test_an_address_changed_behind_the_domains_back_still_stops_the_invitation(
    client, world, django_capture_on_commit_callbacks
):
    """A bulk write (an import, the shell) sends no signal and ends no invitation: accepting
    compares the address the link went to with the person's address now."""
    invited = world.people[0]
    _, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    Person.objects.filter(pk=invited.pk).update(email=ATTACKER)
    response = client.post(link, _new_account())
    assert response.status_code == 403
    assert "no longer" in response.content.decode()
    invited.refresh_from_db()
    assert invited.user is None and Invitation.objects.get().used_at is None
    with pytest.raises(domain.ValidationError):  # and the domain refuses on its own
        domain.invitation_accept(
            invitation=Invitation.objects.get(), username="mallory", password=PASSWORD
        )
    assert not User.objects.filter(username="mallory").exists()


def test_a_used_invitation_cannot_be_used_again_by_anyone(
    client, world, django_capture_on_commit_callbacks
):
    invited = world.people[0]
    _, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    assert client.post(link, _new_account("rightful")).status_code == 302
    client.logout()
    before = _state(world, None)
    assert client.post(link, _new_account("mallory")).status_code == 404
    client.force_login(world.outsider)
    assert client.post(link).status_code == 404
    assert _state(world, None) == before
    invited.refresh_from_db()
    assert invited.user.username == "rightful"
    with pytest.raises(domain.ValidationError):
        domain.invitation_accept(invitation=Invitation.objects.get(), user=world.outsider)


def test_a_second_invitation_never_replaces_the_account_the_first_one_linked(
    client, world, django_capture_on_commit_callbacks
):
    invited = world.people[0]
    _, first = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    _, second = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    assert client.post(first, _new_account("rightful")).status_code == 302
    client.logout()
    assert client.post(second, _new_account("mallory")).status_code == 403
    invited.refresh_from_db()
    assert invited.user.username == "rightful"
    assert not User.objects.filter(username="mallory").exists()


def test_the_domain_never_overwrites_an_account_even_when_called_directly(world):
    """A caller that skips the page's check meets the same refusal inside the transaction."""
    person = world.coordinator.person
    invitation = domain.invitation_create(
        network=world.other, person=person, role=Role.COORDINATOR, invited_by=world.outsider
    )
    with pytest.raises(domain.ValidationError):
        domain.invitation_accept(invitation=invitation, username="mallory", password=PASSWORD)
    with pytest.raises(domain.ValidationError):
        domain.invitation_accept(invitation=invitation, user=world.outsider)
    person.refresh_from_db()
    assert person.user == world.coordinator
    assert not Membership.objects.filter(person=person, network=world.other).exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


@pytest.mark.parametrize(
    ("typed", "same"),
    [
        ("Paula.Rantanen@Example.FI", True),  # case: one address
        ("  paula.rantanen@example.fi ", True),
        ("paula.rantanen@exa\uff4dple.fi", True),  # a full-width m folds to m (NFKC)
        ("paula.rantanen@examp\u0406e.fi", False),  # a Cyrillic І is another address
        ("paula.rantanen@example.fi.evil.example", False),
    ],
)
def test_case_and_unicode_variants_of_the_address(
    client, world, django_capture_on_commit_callbacks, typed, same
):
    invited = PersonFactory(name="Paula Rantanen", email="paula.rantanen@example.fi")
    MembershipFactory(person=invited, network=world.network)
    _, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    AuditEvent.objects.filter(action="person_email_change").delete()
    try:
        domain.person_update(
            network=world.network, person=invited, user=world.coordinator, email=typed
        )
        updated = True
    except domain.ValidationError:  # an address Django refuses: written behind its back
        updated = False
        Person.objects.filter(pk=invited.pk).update(email=typed.strip().lower())
    changed = AuditEvent.objects.filter(action="person_email_change").exists()
    assert changed == (updated and not same)
    response = client.post(link, _new_account())
    invited.refresh_from_db()
    if same:
        assert response.status_code == 302 and invited.user.username == "mallory"
    else:
        # Another address revoked the link: it opens nothing, like a link that never was.
        assert response.status_code == 404 and invited.user is None


def test_the_email_of_a_new_account_is_the_address_the_link_went_to(
    client, world, django_capture_on_commit_callbacks
):
    invited = world.people[0]
    to, link = _invite(
        client, django_capture_on_commit_callbacks, world.coordinator, "core", invited
    )
    client.post(link, _new_account("rightful"))
    assert User.objects.get(username="rightful").email == to == invited.email
