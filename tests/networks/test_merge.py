"""Issue 12 point 3: merging two records of one person or organization, attacker cases first."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from suhde.common.models import AuditEvent, Removal
from suhde.common.removals import removal_restore
from suhde.networks import merge
from suhde.networks.models import Membership, Organization, OriginKind, Person, Role, Tie
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)


def _tables():
    """Every row of our apps' tables but the audit log and removals: what a merge may touch."""
    rows = {}
    for config in apps.get_app_configs():
        if config.name.startswith("suhde.") and config.label not in ("common", "accounts"):
            for model in config.get_models():
                rows[model._meta.label] = sorted(map(str, model.objects.values_list()))
    return rows


@pytest.fixture
def theme(world):
    return NetworkFactory(name="Theme", slug="theme", parent=world.network)


@pytest.fixture
def twin(world, theme):
    """A second record of people[0]: in the theme network, with ties of its own."""
    person = PersonFactory(name=world.people[0].name, email="", organization=world.organization)
    MembershipFactory(person=person, network=theme)
    MembershipFactory(person=person, network=world.network, role=Role.FACILITATOR)
    return person


def _merge(world, person, into, user=None):
    return merge.person_merge(
        user=user or world.coordinator, network=world.network, person=person, into=into
    )


def _refused(world, person, into, field, text, user=None):
    before = _tables()
    with pytest.raises(ValidationError) as error:
        _merge(world, person, into, user)
    assert field in error.value.message_dict, error.value.message_dict
    assert text in " ".join(error.value.message_dict[field])
    assert _tables() == before
    assert not Removal.objects.exists()


def test_merge_into_themselves_is_refused(world):
    _refused(world, world.people[0], world.people[0], "into", "cannot be merged into themselves")


def test_merge_into_someone_of_a_network_i_do_not_coordinate_is_refused(world):
    MembershipFactory(person=world.people[1], network=world.other)
    _refused(world, world.people[0], world.people[1], "into", "network you do not coordinate")


def test_merge_away_someone_of_a_network_i_do_not_coordinate_is_refused(world):
    MembershipFactory(person=world.people[1], network=world.other)
    _refused(world, world.people[1], world.people[0], "person", "network you do not coordinate")


def test_former_membership_elsewhere_counts_too(world):
    MembershipFactory(person=world.people[1], network=world.other, left_on="2025-01-01")
    _refused(world, world.people[1], world.people[0], "person", "network you do not coordinate")


def test_outsider_cannot_merge_my_people(world):
    _refused(
        world, world.people[0], world.people[1], "person", "network you do not coordinate",
        user=world.outsider,
    )  # fmt: skip


def test_member_cannot_merge(world):
    _refused(
        world, world.people[0], world.people[1], "person", "network you do not coordinate",
        user=world.member,
    )  # fmt: skip


def test_merging_away_an_account_is_refused(world):
    _refused(world, world.member.person, world.people[0], "person", "has a user account")
    _refused(world, world.member.person, world.observer.person, "person", "two accounts")


def test_merging_an_archived_record_is_refused(world):
    Person.objects.filter(pk=world.people[1].pk).update(archived_at="2026-01-01T00:00Z")
    world.people[1].refresh_from_db()
    _refused(world, world.people[1], world.people[0], "person", "archived")


def test_merge_moves_memberships_keeps_the_higher_role_and_ends_the_double(world, theme, twin):
    _merge(world, twin, world.people[0])
    kept = world.people[0]
    current = {
        m.network.slug: m.role for m in Membership.objects.filter(person=kept, left_on__isnull=True)
    }
    assert current == {"core": Role.FACILITATOR, "theme": Role.MEMBER}
    ended = Membership.objects.get(person=kept, network=world.network, left_on__isnull=False)
    assert ended.role == Role.FACILITATOR
    assert not Membership.objects.filter(person=twin).exists()
    twin.refresh_from_db()
    assert twin.archived_at is not None


def test_merge_folds_ties_one_per_pair_and_drops_the_self_tie(world, twin):
    kept, other = world.people[0], world.people[2]
    TieFactory(network=world.network, source=twin, target=kept)  # becomes a self-tie
    TieFactory(network=world.network, source=twin, target=other, strength="strong")
    TieFactory(network=world.network, source=kept, target=other, strength="weak")
    TieFactory(network=world.network, source=world.people[1], target=twin)
    _merge(world, twin, kept)
    pairs = sorted((t.source_id, t.target_id) for t in Tie.objects.filter(network=world.network))
    assert pairs == sorted(
        [(kept.pk, world.people[1].pk), (kept.pk, other.pk), (world.people[1].pk, kept.pk)]
    )
    folded = Tie.objects.get(network=world.network, source=kept, target=other)
    # Two entered sources: the more recent one (the kept record's, entered later) stays.
    assert [(o.kind, o.strength) for o in folded.origins.all()] == [(OriginKind.ENTERED, "weak")]
    assert folded.strength == "weak"


def test_merge_is_audited_and_listed_for_undo(world, twin):
    removal = _merge(world, twin, world.people[0])
    assert removal.kind == merge.PERSON_MERGE and removal.network_id == world.network.pk
    actions = set(AuditEvent.objects.values_list("action", "object_id"))
    assert ("person_merge", str(twin.pk)) in actions
    assert ("person_merge_into", str(world.people[0].pk)) in actions


def test_merge_undo_puts_everything_back(world, twin):
    kept, other = world.people[0], world.people[2]
    TieFactory(network=world.network, source=twin, target=kept)
    TieFactory(network=world.network, source=twin, target=other, strength="strong")
    TieFactory(network=world.network, source=kept, target=other, strength="weak")
    TieFactory(network=world.network, source=other, target=twin)
    before = _tables()
    removal = _merge(world, twin, kept)
    assert _tables() != before
    removal_restore(removal=removal, user=world.coordinator)
    assert _tables() == before


def test_merge_undo_is_refused_when_the_same_field_changed_since(world, twin):
    removal = _merge(world, twin, world.people[0])
    kept = Membership.objects.get(person=world.people[0], network=world.network, left_on=None)
    Membership.objects.filter(pk=kept.pk).update(role=Role.OBSERVER)
    before = _tables()
    with pytest.raises(ValidationError, match="changed since"):
        removal_restore(removal=removal, user=world.coordinator)
    assert _tables() == before
    removal.refresh_from_db()
    assert removal.restored_at is None


def test_merge_fills_blanks_of_a_record_without_account(world, twin):
    Person.objects.filter(pk=twin.pk).update(phone="+358 50 1", title="ohjaaja")
    Person.objects.filter(pk=world.people[0].pk).update(phone="", title="")
    twin.refresh_from_db()
    _merge(world, twin, world.people[0])
    world.people[0].refresh_from_db()
    assert (world.people[0].phone, world.people[0].title) == ("+358 50 1", "ohjaaja")


def test_merge_into_an_account_holder_keeps_their_own_details(world):
    duplicate = PersonFactory(name="coord", phone="+358 50 9", title="x")
    MembershipFactory(person=duplicate, network=world.network)
    Person.objects.filter(user=world.coordinator).update(phone="")
    _merge(world, duplicate, world.coordinator.person)
    assert Person.objects.get(user=world.coordinator).phone == ""
    assert Membership.objects.filter(person=world.coordinator.person, network=world.network)


# --- organizations ---------------------------------------------------------------------------


def test_organization_merge_moves_people_and_networks_and_undoes(world, theme):
    twin_org = OrganizationFactory(name="City youth services ry", networks=[world.network, theme])
    someone = PersonFactory(organization=twin_org)
    MembershipFactory(person=someone, network=theme)
    before = _tables()
    removal = merge.organization_merge(
        user=world.coordinator, network=world.network, organization=twin_org,
        into=world.organization,
    )  # fmt: skip
    someone.refresh_from_db()
    assert someone.organization == world.organization
    assert set(world.organization.networks.values_list("slug", flat=True)) == {"core", "theme"}
    assert Organization.objects.get(pk=twin_org.pk).archived_at is not None
    removal_restore(removal=removal, user=world.coordinator)
    assert _tables() == before


def test_organization_merge_refusals_change_nothing(world):
    before = _tables()
    cases = [
        (world.organization, world.organization, "into", "cannot be merged into itself"),
        (world.organization, world.other_organization, "into", "do not coordinate"),
        (world.other_organization, world.organization, "organization", "do not coordinate"),
    ]
    for organization, into, field, text in cases:
        with pytest.raises(ValidationError) as error:
            merge.organization_merge(
                user=world.coordinator, network=world.network, organization=organization,
                into=into,
            )  # fmt: skip
        assert text in " ".join(error.value.message_dict[field])
    assert _tables() == before


# --- through the API and the pages -----------------------------------------------------------


def _api(client, user):
    from suhde.accounts.domain import api_token_create

    _, raw = api_token_create(user=user, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_api_person_merge_and_undo(client, world, twin):
    api = _api(client, world.coordinator)
    before = _tables()
    response = api.post(
        f"/api/v1/people/{twin.pk}/merge",
        {"network": "core", "into": world.people[0].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "networks.person_merge" and body["object_id"] == str(twin.pk)
    assert api.post(body["restore"]).status_code == 200
    assert _tables() == before


@pytest.mark.parametrize(
    "into, field",
    [("self", "into"), ("other", "into"), ("unknown", "into")],
)
def test_api_person_merge_bad_into_names_the_field(client, world, into, field):
    target = {
        "self": world.people[1].pk,
        "other": world.other_person.pk,
        "unknown": 999999,
    }[into]
    before = _tables()
    response = _api(client, world.coordinator).post(
        f"/api/v1/people/{world.people[1].pk}/merge",
        {"network": "core", "into": target},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert "Secret" not in response.content.decode()
    assert _tables() == before


def test_api_person_merge_of_someone_in_another_network_is_not_found(client, world):
    response = _api(client, world.coordinator).post(
        f"/api/v1/people/{world.other_person.pk}/merge",
        {"network": "core", "into": world.people[0].pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_merge_from_a_network_neither_is_in_is_refused(client, world, theme):
    response = _api(client, world.coordinator).post(
        f"/api/v1/people/{world.people[1].pk}/merge",
        {"network": "theme", "into": world.people[0].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "network"]


def test_api_organization_merge(client, world):
    twin_org = OrganizationFactory(name="City Youth Services Oy", networks=[world.network])
    response = _api(client, world.coordinator).post(
        f"/api/v1/organizations/{twin_org.pk}/merge",
        {"network": "core", "into": world.organization.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Organization.objects.get(pk=twin_org.pk).archived_at is not None


def test_page_person_merge_asks_first_then_merges_with_undo(client, world, twin):
    client.force_login(world.coordinator)
    url = f"/n/core/people/{world.people[0].pk}/merge/"
    page = client.get(url, {"q": twin.name}).content.decode()
    assert f'href="?person={twin.pk}"' in page
    before = _tables()
    confirm = client.get(url, {"person": twin.pk})
    assert confirm.status_code == 200 and "Merge" in confirm.content.decode()
    assert _tables() == before
    response = client.post(url, {"person": twin.pk}, follow=True)
    assert "was merged into" in response.content.decode()
    removal = Removal.objects.get(kind=merge.PERSON_MERGE)
    client.post(f"/n/core/removed/{removal.pk}/restore/")
    assert _tables() == before


def test_page_person_merge_refusal_is_a_message(client, world):
    MembershipFactory(person=world.people[1], network=world.other)
    client.force_login(world.coordinator)
    before = _tables()
    response = client.post(
        f"/n/core/people/{world.people[0].pk}/merge/", {"person": world.people[1].pk}, follow=True
    )
    assert "network you do not coordinate" in response.content.decode()
    assert _tables() == before


@pytest.mark.parametrize("value", ["x", "0", "-3", str(2**70)])
def test_page_person_merge_bad_choice_is_a_message(client, world, value):
    client.force_login(world.coordinator)
    before = _tables()
    response = client.post(
        f"/n/core/people/{world.people[0].pk}/merge/", {"person": value}, follow=True
    )
    assert response.status_code == 200
    assert "Person: choose someone from the search." in response.content.decode()
    assert _tables() == before


def test_an_open_invitation_of_the_merged_record_never_reaches_the_kept_one(world, twin):
    from datetime import timedelta

    from django.utils import timezone

    from suhde.networks.models import Invitation

    invitation = Invitation.objects.create(
        network=world.network, person=twin, email="attacker@example.org", role=Role.COORDINATOR,
        token_digest="x" * 64, expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    removal = _merge(world, twin, world.people[0])
    invitation.refresh_from_db()
    assert invitation.person == twin and not invitation.is_open
    removal_restore(removal=removal)
    invitation.refresh_from_db()
    assert invitation.is_open


def test_personal_links_of_the_merged_record_never_act_for_the_kept_one(world, twin):
    """A confirm-your-details link or a proposed change mailed to the duplicate's address would
    otherwise let whoever holds that address change the kept record (an account takeover when
    the kept one has an account)."""
    from datetime import timedelta

    from django.utils import timezone

    from suhde.coordination.models import ConfirmRequest
    from suhde.networks.models import PersonChange

    later = timezone.now() + timedelta(days=3)
    confirm = ConfirmRequest.objects.create(
        person=twin, network=world.network, token_digest="c" * 64, expires_at=later
    )
    change = PersonChange.objects.create(
        person=twin, network=world.network, fields={"email": "attacker@example.org"},
        token_digest="p" * 64, expires_at=later,
    )  # fmt: skip
    _merge(world, twin, world.coordinator.person)
    assert ConfirmRequest.objects.get(pk=confirm.pk).person == twin
    assert PersonChange.objects.get(pk=change.pk).person == twin
