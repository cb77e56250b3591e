"""Service paths (issue 21): bad input changes nothing, the gap rating says why, the survey's
figures appear only as published."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from suhde.accounts.domain import api_token_create
from suhde.networks.domain import tie_create
from suhde.paths import domain, queries
from suhde.paths.models import ServicePath, Stage, Transition
from suhde.surveys import closing
from suhde.surveys import domain as surveys_domain
from tests.factories import OrganizationFactory
from tests.paths.helpers import member_of, path, second_organization
from tests.surveys.conftest import answer

pytestmark = pytest.mark.django_db


def _stages(world, count=2, **extra):
    housing = second_organization(world.network)
    orgs = [world.organization.pk, housing.pk]
    return [
        {"key": f"s{i}", "name": f"Stage {i}", "organization_ids": [orgs[i % 2]], **extra}
        for i in range(count)
    ]


def _nothing_written():
    return (ServicePath.objects.count(), Stage.objects.count(), Transition.objects.count())


def test_path_create_makes_a_transition_for_each_pair_of_consecutive_stages(world):
    created = path(world.network)
    pairs = [(t.source.key, t.target.key) for t in created.transitions.order_by("source__position")]
    assert pairs == [("a", "b"), ("b", "c")]


def test_branches_and_rejoin_make_four_transitions(world):
    stages = _stages(world, 4)
    stages[1]["after"] = ["s0"]
    stages[2]["after"] = ["s0"]
    stages[3]["after"] = ["s1", "s2"]
    created = domain.path_create(network=world.network, name="Branches", stages=stages)
    pairs = sorted((t.source.key, t.target.key) for t in created.transitions.all())
    assert pairs == [("s0", "s1"), ("s0", "s2"), ("s1", "s3"), ("s2", "s3")]
    columns = queries.columns_of(queries.stages_of(created))
    assert sorted(columns.values()) == [0, 1, 1, 2]


def test_stage_with_another_networks_organization_is_refused_and_nothing_written(world):
    stages = _stages(world)
    stages[1]["organization_ids"] = [world.other_organization.pk]
    with pytest.raises(ValidationError) as caught:
        domain.path_create(network=world.network, name="P", stages=stages)
    assert caught.value.message_dict["stages"] == [
        f"Stage 2 (“Stage 1”): organization {world.other_organization.pk} is not in this network."
    ]
    assert _nothing_written() == (0, 0, 0)


def test_a_cycle_is_refused_with_the_stages_it_runs_through(world):
    stages = _stages(world, 3)
    stages[0]["after"] = ["s2"]
    with pytest.raises(ValidationError) as caught:
        domain.path_create(network=world.network, name="P", stages=stages)
    assert caught.value.message_dict["stages"] == [
        "The stages go round in a circle: “Stage 0” → “Stage 2” → “Stage 1” → “Stage 0”. "
        "A path runs one way."
    ]
    assert _nothing_written() == (0, 0, 0)


def test_a_transition_between_stages_that_are_not_consecutive_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        domain.path_create(
            network=world.network,
            name="P",
            stages=_stages(world, 3),
            transitions=[{"source": "s0", "target": "s2", "status": "agreed"}],
        )
    assert caught.value.message_dict["transitions"] == [
        "Transition 1: “Stage 2” does not come right after “Stage 0”; a transition joins two "
        "consecutive stages."
    ]
    assert _nothing_written() == (0, 0, 0)


def test_five_hundred_stages_are_refused_with_the_limit(world):
    with pytest.raises(ValidationError) as caught:
        domain.path_create(network=world.network, name="P", stages=_stages(world, 500))
    assert caught.value.message_dict["stages"] == [
        "A path has at most 40 stages; this one has 500."
    ]
    assert _nothing_written() == (0, 0, 0)


def test_update_with_bad_input_leaves_the_path_as_it_was(world):
    created = path(world.network)
    before = [(s.key, s.name) for s in created.stages.all()]
    stages = _stages(world, 3)
    stages[2]["after"] = ["nowhere"]
    with pytest.raises(ValidationError):
        domain.path_update(path=created, name="Renamed", stages=stages)
    created.refresh_from_db()
    assert created.name == "Aftercare path"
    assert [(s.key, s.name) for s in created.stages.all()] == before


def test_a_stage_left_out_is_removed_with_undo(world):
    from suhde.common.models import Removal
    from suhde.common.removals import removal_restore

    created = path(world.network)
    stages = [
        {"key": s.key, "name": s.name, "organization_ids": [o.pk for o in s.organizations.all()]}
        for s in queries.stages_of(created)
    ][:2]
    domain.path_update(path=created, name=created.name, stages=stages)
    assert created.stages.count() == 2
    removal = Removal.objects.get(kind=domain.STAGE_REMOVAL)
    removal_restore(removal=removal)
    assert sorted(created.stages.values_list("key", flat=True)) == ["a", "b", "c"]
    assert created.transitions.count() == 2


def _one(network, created, index=0):
    return queries.path_figures(created)[index]


def test_no_tie_and_no_agreement_is_a_gap_with_both_reasons(world):
    member_of(world.network, second_organization(world.network), 2)
    figures = _one(world.network, path(world.network))
    assert figures.rating == "gap"
    assert [r.code for r in figures.reasons] == ["no_tie", "no_agreement"]
    assert figures.reasons[0].text == "Nobody at “Plan at 17” has a tie with anybody at “Own home”."


def test_one_weak_tie_through_one_person_on_each_side_is_weak_with_reasons(world):
    housing = member_of(world.network, second_organization(world.network), 2)
    created = path(world.network)
    transition = created.transitions.get(source__key="a")
    domain.transition_update(transition=transition, status="agreed", way="meeting")
    tie_create(network=world.network, source_id=world.people[0].pk, target_id=housing[0].pk)
    figures = _one(world.network, created)
    assert (figures.ties, figures.strong, figures.reciprocated) == (1, 0, 0)
    assert figures.rating == "weak"
    assert [r.code for r in figures.reasons] == ["only_weak", "one_person", "one_person"]
    assert figures.reasons[1].text.startswith(f"{world.people[0].name} carries the whole handoff")


def test_strong_mutual_ties_by_two_people_and_an_agreement_hold(world):
    housing = member_of(world.network, second_organization(world.network), 2)
    created = path(world.network)
    transition = created.transitions.get(source__key="a")
    domain.transition_update(transition=transition, status="agreed")
    for mine, theirs in zip(world.people[:2], housing, strict=True):
        tie_create(network=world.network, source_id=mine.pk, target_id=theirs.pk, strength="strong")
        tie_create(network=world.network, source_id=theirs.pk, target_id=mine.pk, strength="strong")
    figures = _one(world.network, created)
    assert (figures.ties, figures.strong_share, figures.reciprocated_share) == (2, 100.0, 100.0)
    assert (figures.rating, figures.reasons) == ("strong", [])
    assert queries.weakest([figures]) is None


# --- the survey's figures, only as published ------------------------------------------------


def _surveyed(world, k, per_side, value=1):
    """A closed wave in which everyone of the world's organization rates everyone of the
    housing NGO and back, with ``value`` on every item."""
    housing_org = second_organization(world.network)
    mine = member_of(world.network, world.organization, per_side)
    theirs = member_of(world.network, housing_org, per_side)
    wave = surveys_domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave",
        closes_at=timezone.now() + timedelta(days=3),
        k=k,
        invitees=[p.pk for p in mine + theirs],
    )
    for person in mine:
        answer(wave, person, theirs, value=value)
    for person in theirs:
        answer(wave, person, mine, value=value)
    closing.wave_close(wave=wave)
    return wave


def test_a_pair_with_fewer_than_k_respondents_is_suppressed_never_a_number(world):
    _surveyed(world, k=5, per_side=2)
    figures = _one(world.network, path(world.network))
    assert [(p.suppressed, p.trust) for p in figures.pairs] == [(True, None)]
    assert "low_trust" not in [r.code for r in figures.reasons]


def test_a_published_low_trust_pair_is_a_reason(world):
    _surveyed(world, k=3, per_side=4, value=1)
    figures = _one(world.network, path(world.network))
    (pair,) = figures.pairs
    assert (pair.suppressed, pair.trust) == (False, 0.0)
    assert figures.reasons[-1].text == (
        "Trust between “City youth services” and “Housing NGO” is low in the survey: 0 of 100."
    )


def test_two_one_person_organizations_never_show_a_pair_figure(world):
    """Subtraction: a pair of one-person organizations is one respondent on each side, so the
    pair figure would be their answers; it is suppressed whatever else is shown."""
    solo_a = OrganizationFactory(name="Solo A", networks=[world.network])
    solo_b = OrganizationFactory(name="Solo B", networks=[world.network])
    (a,) = member_of(world.network, solo_a)
    (b,) = member_of(world.network, solo_b)
    others = member_of(world.network, world.organization, 5)
    wave = surveys_domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave",
        closes_at=timezone.now() + timedelta(days=3),
        k=3,
        invitees=[p.pk for p in [a, b, *others]],
    )
    answer(wave, a, [b, *others], value=1)
    answer(wave, b, [a, *others], value=4)
    for person in others:
        answer(wave, person, [a, b], value=3)
    closing.wave_close(wave=wave)
    stages = [
        {"key": "a", "name": "A", "organization_ids": [solo_a.pk]},
        {"key": "b", "name": "B", "organization_ids": [solo_b.pk]},
    ]
    created = domain.path_create(network=world.network, name="Solo", stages=stages)
    figures = _one(world.network, created)
    assert [(p.suppressed, p.knowing, p.trust, p.commitment) for p in figures.pairs] == [
        (True, None, None, None)
    ]


# --- pages and API --------------------------------------------------------------------------


def test_path_page_names_the_weakest_handoff_and_why(client, world):
    member_of(world.network, second_organization(world.network), 2)
    created = path(world.network)
    client.force_login(world.member)
    response = client.get(reverse("paths:path", args=["core", created.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "The weakest handoff" in text
    assert "Nobody at “Plan at 17” has a tie with anybody at “Own home”." in text


def test_path_form_with_a_cycle_answers_400_with_the_message_and_writes_nothing(client, world):
    client.force_login(world.coordinator)
    data = {
        "name": "P",
        "stage-TOTAL_FORMS": "2",
        "stage-INITIAL_FORMS": "0",
        "stage-0-name": "One",
        "stage-0-after": "2",
        "stage-1-name": "Two",
    }
    response = client.post(reverse("paths:path_create", args=["core"]), data)
    assert response.status_code == 400
    assert "The stages go round in a circle: “One” → “Two” → “One”." in response.content.decode()
    assert _nothing_written() == (0, 0, 0)


def test_api_path_get_gives_ties_pairs_and_rating(client, world):
    member_of(world.network, second_organization(world.network), 2)
    created = path(world.network)
    _, raw = api_token_create(user=world.member, name="t")
    response = client.get(f"/api/v1/paths/{created.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    first = response.json()["transitions"][0]
    assert first["ties"] == {"count": 0, "strong_share": None, "reciprocated_share": None}
    assert first["pairs"] == [
        {
            "source": "City youth services",
            "target": "Housing NGO",
            "suppressed": True,
            "knowing": None,
            "trust": None,
            "commitment": None,
        }
    ]
    assert (first["rating"], [r["code"] for r in first["reasons"]]) == (
        "gap",
        ["no_tie", "no_agreement"],
    )


def test_api_path_create_with_500_stages_answers_400_and_writes_nothing(client, world):
    _, raw = api_token_create(user=world.coordinator, name="t")
    body = {"name": "P", "stages": [{"key": f"k{i}", "name": f"S{i}"} for i in range(500)]}
    response = client.post(
        "/api/v1/networks/core/paths",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    assert "A path has at most 40 stages; this one has 500." in response.content.decode()
    assert _nothing_written() == (0, 0, 0)


def test_planning_a_meeting_from_a_transition_links_it(client, world):
    created = path(world.network)
    transition = created.transitions.first()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("paths:transition_meeting", args=["core", transition.pk]),
        {"title": "Handoff meeting", "starts_at": "2027-03-01T09:00", "purpose": "Fix it."},
    )
    transition.refresh_from_db()
    assert response.status_code == 302
    assert transition.meeting.title == "Handoff meeting"


def test_recording_the_handoff_in_the_charter_makes_it_agreed(client, world):
    created = path(world.network)
    transition = created.transitions.first()
    client.force_login(world.coordinator)
    client.post(
        reverse("paths:transition_annex", args=["core", transition.pk]), {"text": "We meet."}
    )
    transition.refresh_from_db()
    assert (transition.status, transition.annex.text) == ("agreed", "We meet.")
    page = client.get(reverse("charter:charter", args=["core"])).content.decode()
    assert reverse("paths:transition", args=["core", transition.pk]) in page


def test_json_export_is_the_api_answer(client, world):
    created = path(world.network)
    client.force_login(world.member)
    response = client.get(reverse("paths:path_json", args=["core", created.pk]))
    _, raw = api_token_create(user=world.member, name="t")
    api = client.get(f"/api/v1/paths/{created.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == api.json()


def test_the_diagram_escapes_names_and_carries_no_style(client, world):
    stages = _stages(world)
    stages[0]["name"] = "<script>alert(1)</script>"
    created = domain.path_create(network=world.network, name="P", stages=stages)
    client.force_login(world.member)
    svg = client.get(reverse("paths:path_svg", args=["core", created.pk])).content.decode()
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg


def test_a_persons_download_and_erasure_cover_their_handoffs(world):
    from suhde.paths.domain import person_roles_erase
    from suhde.paths.queries import person_roles

    created = path(world.network)
    person = world.people[0]
    transition = created.transitions.get(source__key="a")
    domain.transition_update(transition=transition, handed_by_id=person.pk)
    rows = person_roles(person, network_ids=None, own=True)
    assert rows["service_path_handoffs"] == [
        {"path": "Aftercare path", "from": "Plan at 17", "to": "Own home",
         "hands_over": True, "receives": False}
    ]  # fmt: skip
    assert person_roles_erase(person) == {"service_path_stages": 0, "service_path_handoffs": 1}
    transition.refresh_from_db()
    assert transition.handed_by is None


def test_a_transition_of_another_networks_person_is_refused(world):
    created = path(world.network)
    transition = created.transitions.first()
    with pytest.raises(ValidationError) as caught:
        domain.transition_update(transition=transition, received_by_id=world.other_person.pk)
    assert caught.value.message_dict == {"received_by_id": ["Choose a member of this network."]}
    transition.refresh_from_db()
    assert transition.received_by is None


def test_change_between_two_waves_counts_each_waves_ties(world):
    housing = member_of(world.network, second_organization(world.network), 3)
    mine = member_of(world.network, world.organization, 3)
    created = path(world.network)
    waves = []
    for partners in (housing[:1], housing):
        wave = surveys_domain.wave_create(
            network=world.network,
            user=world.coordinator,
            title=f"Wave {len(waves)}",
            closes_at=timezone.now() + timedelta(days=3),
            k=3,
            invitees=[p.pk for p in mine],
        )
        for person in mine:
            answer(wave, person, partners, value=3)
        closing.wave_close(wave=wave, at=timezone.now() - timedelta(days=10 - len(waves)))
        wave.refresh_from_db()
        waves.append(wave)
    (first, _second) = queries.transitions_change(created, waves[0], waves[1])
    assert (first.before.ties, first.after.ties) == (3, 9)
    assert [row["shown"] for row in first.pairs] == [False, False, False]


def test_a_blank_key_becomes_the_stages_number(world):
    stages = [{"key": " ", "name": "One"}, {"key": "", "name": "Two"}]
    created = domain.path_create(network=world.network, name="P", stages=stages)
    assert list(created.stages.values_list("key", flat=True)) == ["s1", "s2"]
