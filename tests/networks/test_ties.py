"""One tie per pair: its sources, the strength of the latest, history, removal, merges."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from suhde.common import removals
from suhde.networks import domain
from suhde.networks.imports import Upload, import_apply, import_check
from suhde.networks.models import Membership, Tie, TieOrigin
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, TieFactory

EARLIER = timezone.now() - timedelta(days=30)


def _survey(world, source, target, strength, *, at=None, label="Spring"):
    return domain.ties_survey_record(
        network=world.network,
        label=label,
        at=at or timezone.now(),
        respondents=[source.pk],
        ties=[(source.pk, target.pk, strength)],
    )


def _origins(tie):
    return list(
        tie.origins.order_by("recorded_at", "id").values_list("kind", "strength", "current")
    )


def _age(tie, when=EARLIER):
    """Make the tie's present origins older than anything recorded after this."""
    TieOrigin.objects.filter(tie=tie).update(recorded_at=when)


def test_hand_entry_on_a_pair_a_survey_reported_adds_a_source_to_the_same_tie(world):
    p0, _, p2 = world.people
    [origin] = _survey(world, p0, p2, "strong", at=EARLIER)
    tie = domain.tie_create(network=world.network, source_id=p0.pk, target_id=p2.pk)
    assert tie.pk == origin.tie_id
    assert Tie.objects.filter(network=world.network, source=p0, target=p2).count() == 1
    assert _origins(tie) == [("survey", "strong", True), ("entered", "weak", True)]
    assert tie.strength == "weak"  # the hand entry is the most recent source


def test_a_second_hand_entry_is_refused_at_the_field_and_changes_nothing(world):
    before = list(TieOrigin.objects.values_list("id", "strength", "recorded_at"))
    with pytest.raises(ValidationError) as error:
        domain.tie_create(
            network=world.network,
            source_id=world.tie.source_id,
            target_id=world.tie.target_id,
            strength="strong",
        )
    assert error.value.message_dict == {"target": ["This tie already exists."]}
    assert list(TieOrigin.objects.values_list("id", "strength", "recorded_at")) == before


def test_a_later_survey_decides_the_strength_and_a_later_hand_edit_decides_again(world):
    tie = world.tie
    Tie.objects.filter(pk=tie.pk).update(knowing=2)
    TieOrigin.objects.filter(tie=tie).update(knowing=2)
    _age(tie)
    _survey(world, tie.source, tie.target, "strong")
    tie.refresh_from_db()
    assert (tie.strength, tie.knowing) == ("strong", 2)  # the survey has no ratings to give
    tie = domain.tie_update(tie=tie, strength="weak")
    assert (tie.strength, tie.knowing) == ("weak", 2)
    entered = tie.origins.get(kind="entered")
    assert (entered.strength, entered.knowing) == ("weak", 2)
    assert entered.recorded_at > EARLIER
    assert tie.origins.count() == 2


def test_changing_only_the_date_adds_no_source(world):
    tie = _survey(world, world.people[1], world.people[2], "strong")[0].tie
    tie = domain.tie_update(tie=tie, since=date(2024, 5, 1))
    assert tie.since == date(2024, 5, 1)
    assert _origins(tie) == [("survey", "strong", True)]


def test_a_later_wave_makes_the_earlier_answer_history(world):
    p0, p1, p2 = world.people
    domain.ties_survey_record(
        network=world.network,
        label="First",
        at=EARLIER,
        respondents=[p1.pk],
        ties=[(p1.pk, p0.pk, "strong"), (p1.pk, p2.pk, "strong")],
    )
    entered = domain.tie_create(network=world.network, source_id=p1.pk, target_id=p2.pk)
    TieOrigin.objects.filter(tie=entered, kind="entered").update(
        recorded_at=EARLIER - timedelta(days=1)
    )
    domain.ties_survey_record(
        network=world.network,
        label="Second",
        at=timezone.now(),
        respondents=[p1.pk],
        ties=[(p1.pk, p0.pk, "weak")],
    )
    named_again = Tie.objects.get(source=p1, target=p0)
    assert named_again.strength == "weak"
    assert list(
        named_again.origins.order_by("recorded_at").values_list("label", "strength", "current")
    ) == [("First", "strong", False), ("Second", "weak", True)]
    # p1 no longer names p2: the survey's word is history; the hand entry still stands.
    kept = Tie.objects.get(source=p1, target=p2)
    assert kept.pk == entered.pk
    assert (kept.strength, _origins(kept)) == (
        "weak",
        [("entered", "weak", True), ("survey", "strong", False)],
    )


def test_a_pair_only_an_earlier_wave_knew_goes_when_the_person_answers_again(world):
    p0, _, p2 = world.people
    _survey(world, p2, p0, "strong", at=EARLIER)
    domain.ties_survey_record(
        network=world.network, label="Second", at=timezone.now(), respondents=[p2.pk], ties=[]
    )
    assert not Tie.objects.filter(source=p2, target=p0).exists()


def test_removing_one_source_keeps_the_tie_while_another_stands(world):
    tie = world.tie
    _age(tie)
    _survey(world, tie.source, tie.target, "strong")
    entered = tie.origins.get(kind="entered")
    _removal, kept = domain.tie_origin_remove(origin=entered)
    assert kept.strength == "strong"
    survey = tie.origins.get()
    _removal, kept = domain.tie_origin_remove(origin=survey)
    assert kept is None
    assert not Tie.objects.filter(pk=tie.pk).exists()


def test_a_removed_source_comes_back_with_undo_and_decides_again(world):
    tie = world.tie
    _age(tie)
    _survey(world, tie.source, tie.target, "strong")
    survey = tie.origins.get(kind="survey")
    removal, kept = domain.tie_origin_remove(origin=survey)
    assert kept.strength == "weak"
    assert removal.detail == "survey wave “Spring”"
    removals.removal_restore(removal=removal)
    tie.refresh_from_db()
    assert tie.strength == "strong"
    assert sorted(tie.origins.values_list("kind", flat=True)) == ["entered", "survey"]


def test_a_source_cannot_come_back_to_a_tie_that_is_gone(world):
    tie = world.tie
    _survey(world, tie.source, tie.target, "strong")
    removal, _kept = domain.tie_origin_remove(origin=tie.origins.get(kind="survey"))
    domain.tie_delete(tie=Tie.objects.get(pk=tie.pk))
    with pytest.raises(ValidationError) as error:
        removals.removal_restore(removal=removal)
    assert error.value.messages == [
        "The tie of this source is gone: restore the tie first, if it is listed."
    ]


def test_import_adds_an_imported_source_and_the_same_file_again_changes_nothing(world):
    p0, p1, p2 = world.people
    people = "name,email,organization,sector\n" + "".join(
        f"{p.name},{p.email},{world.organization.name},public\n" for p in (p0, p1, p2)
    )
    ties = (
        "source,target,strength,trust\n"
        f"{p0.email},{p1.email},strong,3\n"
        f"{p1.email},{p2.email},weak,2\n"  # a new pair
    )
    files = {"people": Upload("p.csv", people.encode()), "ties": Upload("t.csv", ties.encode())}
    assert import_check(network=world.network, **files).counts()["ties"] == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "not_applied": 0,
        "joined": 0,
    }
    import_apply(network=world.network, **files)
    tie = Tie.objects.get(pk=world.tie.pk)
    assert (tie.strength, tie.trust) == ("strong", 3)
    assert sorted(tie.origins.values_list("kind", "strength", "trust")) == [
        ("entered", "weak", None),
        ("imported", "strong", 3),
    ]
    new = Tie.objects.get(source=p1, target=p2)
    assert (new.strength, new.trust) == ("weak", 2)
    assert list(new.origins.values_list("kind", "strength", "trust", "current")) == [
        ("imported", "weak", 2, True)
    ]
    assert TieOrigin.objects.filter(tie__network=world.network).count() == 3
    again = import_check(network=world.network, **files).counts()["ties"]
    assert again == {"created": 0, "updated": 0, "unchanged": 2, "not_applied": 0, "joined": 0}


def test_a_merge_folds_the_ties_of_two_people_into_one_per_pair(world):
    p0, p1, p2 = world.people  # p0 → p1 exists (entered, weak)
    twin = PersonFactory()
    MembershipFactory(person=twin, network=world.network)
    TieFactory(network=world.network, source=twin, target=p1, strength="strong")
    TieFactory(network=world.network, source=twin, target=p0)  # becomes p0 → p0: gone
    TieFactory(network=world.network, source=p2, target=twin)
    [survey] = _survey(world, twin, p2, "strong")
    domain.tie_pairs_fold(person=twin, into=p0)
    pairs = sorted(Tie.objects.filter(network=world.network).values_list("source_id", "target_id"))
    assert pairs == sorted([(p0.pk, p1.pk), (p0.pk, p2.pk), (p2.pk, p0.pk)])
    folded = Tie.objects.get(source=p0, target=p1)
    assert folded.pk == world.tie.pk
    assert [kind for kind, _, _ in _origins(folded)] == ["entered"]  # the newer entry stayed
    assert folded.strength == "strong"
    assert TieOrigin.objects.get(pk=survey.pk).tie.source_id == p0.pk
    assert not Tie.objects.filter(source=twin).exists()
    assert not Tie.objects.filter(target=twin).exists()


# --- pages ------------------------------------------------------------------------------------


def test_tie_page_lists_each_source_and_names_the_wave_without_a_date(client, world):
    tie = world.tie
    _age(tie)
    _survey(world, tie.source, tie.target, "strong", label="Autumn wave")
    client.force_login(world.member)
    response = client.get(reverse("networks:tie", args=["core", tie.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [o.kind for o in response.context["origins"]] == ["survey", "entered"]
    assert "Survey wave “Autumn wave”" in html
    assert html.count("Recorded on") == 1  # the hand entry is dated, the wave is not
    assert "Remove this source" not in html  # a member reads, only a coordinator changes
    assert 'name="strength"' not in html


def test_removing_the_hand_entry_of_a_surveyed_pair_says_the_tie_stays(client, world):
    tie = world.tie
    _age(tie)
    _survey(world, tie.source, tie.target, "strong", label="Autumn wave")
    client.force_login(world.coordinator)
    entered = tie.origins.get(kind="entered")
    page = client.get(reverse("networks:tie", args=["core", tie.pk])).content.decode()
    assert "The tie stays: another source still reports it." in page
    url = reverse("networks:tie_origin_remove", args=["core", tie.pk, entered.pk])
    confirm = client.get(url).content.decode()  # asks first, says what will happen
    assert "Remove a source of the tie" in confirm
    assert "The tie stays: another source still reports it." in confirm
    assert tie.origins.count() == 2
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("networks:tie", args=["core", tie.pk])
    assert (
        "The source was removed. The tie stays, because other sources remain: "
        "survey wave “Autumn wave”. Its strength is now: strong."
    ) in response.content.decode()
    assert list(Tie.objects.get(pk=tie.pk).origins.values_list("kind", flat=True)) == ["survey"]


def test_removing_the_last_source_removes_the_tie_and_says_so(client, world):
    client.force_login(world.coordinator)
    origin = world.tie.origins.get()
    url = reverse("networks:tie_origin_remove", args=["core", world.tie.pk, origin.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("networks:ties", args=["core"])
    assert "no other source reports it" in response.content.decode()
    assert not Tie.objects.filter(pk=world.tie.pk).exists()


def test_removing_a_surveyed_tie_says_a_later_wave_may_report_it_again(client, world):
    _survey(world, world.tie.source, world.tie.target, "strong")
    client.force_login(world.coordinator)
    page = client.get(reverse("networks:tie", args=["core", world.tie.pk])).content.decode()
    assert "the survey wave’s too. A later wave may report it again." in page
    confirm = client.get(reverse("networks:tie_delete", args=["core", world.tie.pk]))
    assert "A survey wave reports this tie too" in confirm.content.decode()
    assert TieOrigin.objects.filter(tie_id=world.tie.pk).count() == 2
    response = client.post(reverse("networks:tie_delete", args=["core", world.tie.pk]), follow=True)
    assert "A later survey wave may report it again." in response.content.decode()
    assert not TieOrigin.objects.filter(tie_id=world.tie.pk).exists()


def test_a_source_of_another_tie_is_not_found_and_nothing_changes(client, world):
    client.force_login(world.coordinator)
    foreign = world.other_tie.origins.get()
    url = reverse("networks:tie_origin_remove", args=["core", world.tie.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert TieOrigin.objects.filter(pk=foreign.pk).exists()


def test_editing_a_tie_with_a_bad_strength_names_the_field_and_changes_nothing(client, world):
    client.force_login(world.coordinator)
    url = reverse("networks:tie_edit", args=["core", world.tie.pk])
    response = client.post(url, {"strength": "very", "since": "2024-13-40"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"strength", "since"}
    assert _origins(Tie.objects.get(pk=world.tie.pk)) == [("entered", "weak", True)]


def test_ties_list_offers_remove_only_where_no_survey_reports_the_tie(client, world):
    _, p1, p2 = world.people
    _survey(world, p1, p2, "strong")
    client.force_login(world.coordinator)
    html = client.get(reverse("networks:ties", args=["core"])).content.decode()
    assert reverse("networks:tie_delete", args=["core", world.tie.pk]) in html
    surveyed = Tie.objects.get(source=p1, target=p2)
    assert reverse("networks:tie_delete", args=["core", surveyed.pk]) not in html
    assert reverse("networks:tie", args=["core", surveyed.pk]) in html


def test_person_page_lists_their_ties_in_this_network_only(client, world):
    p0, p1, p2 = world.people
    TieFactory(network=world.network, source=p2, target=p0, strength="strong")
    MembershipFactory(person=p0, network=world.other)
    TieFactory(network=world.other, source=p0, target=world.other_person)
    client.force_login(world.member)
    response = client.get(reverse("networks:person", args=["core", p0.pk]))
    ties = response.context["ties"]
    assert [(t.direction, t.partner.pk, t.tie.strength) for t in ties] == [
        ("out", p1.pk, "weak"),
        ("in", p2.pk, "strong"),
    ]
    html = response.content.decode()
    assert "Ties from this person: 1" in html
    assert "Ties to this person: 1" in html
    assert world.other_person.name not in html
    assert world.other.name not in html  # a network the viewer is not in is not listed


def test_organization_page_shows_people_networks_and_ties_across_sectors(client, world):
    ngo = world.other_organization.__class__.objects.create(name="Youth NGO", sector="third")
    ngo.networks.add(world.network)
    partner = PersonFactory(organization=ngo, name="Nina NGO")
    MembershipFactory(person=partner, network=world.network)
    TieFactory(network=world.network, source=world.people[0], target=partner, strength="strong")
    TieFactory(network=world.network, source=partner, target=world.people[1])
    hidden = NetworkFactory(name="Hidden network")
    world.organization.networks.add(hidden)
    client.force_login(world.observer)
    response = client.get(reverse("networks:organization", args=["core", world.organization.pk]))
    context = response.context
    assert {m.person.pk for m in context["memberships"]} == {
        world.coordinator.person.pk,
        world.member.person.pk,
        world.observer.person.pk,
        *(p.pk for p in world.people),
    }
    assert [n.name for n in context["networks"]] == ["Core"]
    assert [
        (g.sector, [(a.label, a.count, a.strength) for a in g.alters]) for g in context["sectors"]
    ] == [("third", [("Youth NGO", 2, "strong")])]
    assert context["inside"] == 1
    html = response.content.decode()
    assert "Hidden network" not in html
    assert world.people[0].email not in html  # an observer sees no contact details
    client.force_login(world.member)
    html = client.get(
        reverse("networks:organization", args=["core", world.organization.pk])
    ).content.decode()
    assert world.people[0].email in html


def test_ties_of_people_who_left_stay_stored_but_are_not_shown(client, world):
    Membership.objects.filter(person=world.people[1], network=world.network).update(
        left_on=timezone.localdate()
    )
    client.force_login(world.coordinator)
    assert client.get(reverse("networks:ties", args=["core"])).context["page"].paginator.count == 0
    assert Tie.objects.filter(pk=world.tie.pk).exists()


def test_api_hand_entry_on_a_surveyed_pair_answers_the_same_tie_with_its_sources(client, world):
    p0, _, p2 = world.people
    [origin] = _survey(world, p2, p0, "strong", at=EARLIER)
    client.force_login(world.coordinator)
    response = client.post(
        "/api/v1/ties",
        {"network": "core", "source_id": p2.pk, "target_id": p0.pk, "strength": "weak"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == origin.tie_id
    assert body["strength"] == "weak"
    assert [(o["kind"], o["label"], o["strength"]) for o in body["origins"]] == [
        ("entered", "", "weak"),
        ("survey", "Spring", "strong"),
    ]
    survey = body["origins"][1]
    assert survey["recorded_at"] is None  # a wave, never a date
    assert body["origins"][0]["recorded_at"] is not None
    again = client.post(
        "/api/v1/ties",
        {"network": "core", "source_id": p2.pk, "target_id": p0.pk},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["detail"][0]["loc"][-1] == "target"
