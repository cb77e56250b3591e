import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suhde.networks import domain
from suhde.networks.models import Invitation, Membership
from tests.factories import PersonFactory, UserFactory


def _link_from_mail() -> str:
    return re.search(r"http\S+/invite/(\S+)/", mail.outbox[-1].body).group(0)


@pytest.fixture
def invitation_link(world, django_capture_on_commit_callbacks, client):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:person_invite", args=["core", world.people[0].pk]),
            {"role": "facilitator"},
        )
    assert response.status_code == 302
    client.logout()
    return _link_from_mail().split("127.0.0.1:8000")[-1]


def test_invitation_email_carries_a_long_random_token(invitation_link):
    token = invitation_link.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # 32 random bytes, base64
    assert not Invitation.objects.filter(token_digest=token).exists()


def test_invitation_creates_account_and_membership(client, world, invitation_link):
    response = client.post(
        invitation_link,
        {
            "username": "newbie",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    person = world.people[0]
    person.refresh_from_db()
    assert person.user.username == "newbie"
    membership = Membership.objects.get(person=person, network=world.network, left_on__isnull=True)
    assert membership.role == "facilitator"
    assert client.get(reverse("networks:home", args=["core"])).status_code == 200


def test_invitation_is_single_use(client, world, invitation_link):
    client.post(
        invitation_link,
        {
            "username": "newbie",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    client.logout()
    response = client.post(
        invitation_link,
        {
            "username": "second",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 404
    assert not UserFactory._meta.model.objects.filter(username="second").exists()


def test_expired_invitation_is_refused(client, world, invitation_link):
    Invitation.objects.update(expires_at=timezone.now())
    assert client.get(invitation_link).status_code == 404


def test_invitation_with_weak_password_changes_nothing(client, world, invitation_link):
    response = client.post(
        invitation_link, {"username": "newbie", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert Invitation.objects.get().used_at is None
    assert not UserFactory._meta.model.objects.filter(username="newbie").exists()


def test_invitation_accepted_by_logged_in_user_links_account(client, world, invitation_link):
    user = UserFactory(username="existing")
    client.force_login(user)
    response = client.post(invitation_link)
    assert response.status_code == 302
    world.people[0].refresh_from_db()
    assert world.people[0].user == user


def test_invitation_for_account_that_has_a_person_is_refused(client, world, invitation_link):
    """The invited record is never merged into the account's own (tests in
    test_invitation_takeover.py play the ways round it)."""
    client.force_login(world.outsider)
    assert client.post(invitation_link).status_code == 403
    assert not Membership.objects.filter(
        person=world.outsider.person, network=world.network
    ).exists()
    world.people[0].refresh_from_db()
    assert world.people[0].user is None and world.people[0].archived_at is None


def test_invitation_token_never_reaches_the_logs(client, world, invitation_link, caplog):
    bogus = invitation_link.replace(invitation_link.rstrip("/").rsplit("/", 1)[-1], "x" * 43)
    handler_output = []

    class Collect(logging.Handler):
        def emit(self, record):
            handler_output.append(self.format(record))

    from suhde.common.logging import RedactTokensFilter

    collector = Collect()
    collector.addFilter(RedactTokensFilter())
    logging.getLogger("django").addHandler(collector)
    try:
        client.get(bogus)
        client.get(invitation_link)
    finally:
        logging.getLogger("django").removeHandler(collector)
    token = invitation_link.rstrip("/").rsplit("/", 1)[-1]
    assert handler_output, "the refused link should have been logged (redacted)"
    assert all("x" * 43 not in line and token not in line for line in handler_output)


def test_person_without_email_cannot_be_invited(world):
    person = PersonFactory(email="")
    Membership.objects.create(person=person, network=world.network)
    with pytest.raises(domain.ValidationError):
        domain.invitation_create(
            network=world.network, person=person, role="member", invited_by=world.coordinator
        )
    assert not Invitation.objects.exists()
