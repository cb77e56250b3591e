"""Rounds of the continuum and what is written about them (issue 22, points 1–4)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from suhde.charter.domain import goal_create, goal_progress_create
from suhde.charter.models import Goal
from suhde.common.privacy import POSITION_K
from suhde.decisions.models import Decision
from suhde.evaluation import domain, report, rounds
from suhde.evaluation.models import IndicatorValue, LearningOutcome, PositionReflection
from suhde.networks.domain import network_phase_change
from suhde.networks.models import Membership, Network, PhaseChange, Role
from suhde.workshops.models import Meeting
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory


def _cycle(network, user=None, days_ago=0):
    """Through phases 2, 3 and 4 and back to 1: one round closes, the next begins (``days_ago``:
    the return to phase 1 happened that many days ago, the network was made long before)."""
    for phase in (2, 3, 4, 1):
        change = network_phase_change(network=network, to_phase=phase, note="", user=user)
        if days_ago:
            PhaseChange.objects.filter(pk=change.pk).update(
                changed_at=timezone.now() - timedelta(days=days_ago)
            )
    if days_ago:
        Network.objects.filter(pk=network.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago + 400)
        )
        network.refresh_from_db()


def _goal(network, kind="customer"):
    return goal_create(
        network=network,
        kind=kind,
        title="One door for young people",
        indicators=[{"name": "Young people bounced", "baseline": "40", "target": "10"}],
    )


def _meeting(network, when=None):
    return Meeting.objects.create(
        network=network, title="Network meeting", starts_at=when or timezone.now()
    )


def test_round_one_runs_from_the_networks_start_to_its_return_to_phase_one(world):
    network = world.network
    assert [(r.number, r.closed) for r in rounds.rounds_of(network)] == [(1, False)]
    _cycle(network)
    network_phase_change(network=network, to_phase=2, note="", user=None)
    spans = rounds.rounds_of(network)
    assert [(r.number, r.closed) for r in spans] == [(1, True), (2, False)]
    assert spans[0].starts_at == network.created_at
    assert spans[0].ends_at == spans[1].starts_at
    assert rounds.round_current(network).number == 2


def test_a_round_not_begun_is_not_found(world):
    with pytest.raises(Http404):
        rounds.round_span(world.network, 2)
    with pytest.raises(Http404):
        rounds.round_span(world.network, 0)


def test_phase_changes_of_another_network_do_not_end_a_round(world):
    _cycle(world.other)
    assert len(rounds.rounds_of(world.network)) == 1
    assert len(rounds.rounds_of(world.other)) == 2


# --- goals' results -------------------------------------------------------------------------------


def test_goal_result_needs_a_verdict_a_reason_and_where_it_was_agreed(world):
    goal = _goal(world.network)
    with pytest.raises(ValidationError) as error:
        domain.goal_result_update(
            network=world.network, number=1, goal=goal, verdict="great", reason="  "
        )
    assert set(error.value.message_dict) == {"verdict", "reason", "meeting"}
    assert error.value.message_dict["meeting"] == [
        "Name the meeting or the decision where the network agreed on this verdict."
    ]
    assert not world.network.rounds.exists()  # a refused write made nothing


def test_goal_result_refuses_another_networks_meeting_and_decision(world):
    goal = _goal(world.network)
    elsewhere = _meeting(world.other)
    decision = Decision.objects.create(network=world.other, title="X", proposal="Y")
    with pytest.raises(ValidationError) as error:
        domain.goal_result_update(
            network=world.network,
            number=1,
            goal=goal,
            verdict="reached",
            reason="Fewer bounced",
            meeting_id=elsewhere.pk,
            decision_id=decision.pk,
        )
    assert error.value.message_dict == {
        "meeting": ["Choose a meeting of this network."],
        "decision": ["Choose a decision of this network's decision log."],
    }


def test_goal_result_refuses_another_networks_goal(world):
    goal = _goal(world.other)
    with pytest.raises(ValidationError) as error:
        domain.goal_result_update(
            network=world.network,
            number=1,
            goal=goal,
            verdict="reached",
            reason="r",
            meeting_id=_meeting(world.network).pk,
        )
    assert error.value.message_dict == {"goal": ["Choose a goal of this network."]}


def test_goal_result_is_one_per_goal_and_round_and_can_be_changed(world):
    goal = _goal(world.network)
    meeting = _meeting(world.network)
    for verdict in ("partly", "reached"):
        domain.goal_result_update(
            network=world.network,
            number=1,
            goal=goal,
            verdict=verdict,
            reason="Agreed",
            meeting_id=meeting.pk,
        )
    rows = report.goal_rows(
        world.network, rounds.round_span(world.network, 1), world.network.rounds.get()
    )
    assert [(r.title, r.verdict, r.meeting.title) for r in rows] == [
        ("One door for young people", "reached", "Network meeting")
    ]


def test_a_correction_keeps_the_earlier_value_as_history(world):
    indicator = _goal(world.network).indicators.get()
    today = timezone.localdate()
    first = domain.indicator_value_record(
        network=world.network,
        number=1,
        indicator=indicator,
        value="31,5",
        measured_on=today,
        source="Youth services' statistics",
    )
    second = domain.indicator_value_correct(
        earlier=first, value="25", measured_on=today, source="Statistics, corrected", reason="Typo"
    )
    with pytest.raises(ValidationError) as error:
        domain.indicator_value_correct(
            earlier=first, value="1", measured_on=today, source="s", reason="again"
        )
    assert error.value.message_dict == {
        "corrects": ["This value has already been corrected; correct the latest value."]
    }
    row = report.goal_rows(world.network, rounds.round_span(world.network, 1), first.round)[0]
    values = row.indicators[0].values
    assert [(v.value, v.source, v.current) for v in values] == [
        (Decimal("31.50"), "Youth services' statistics", False),
        (Decimal("25.00"), "Statistics, corrected", True),
    ]
    assert row.indicators[0].latest.id == second.pk
    assert IndicatorValue.objects.get(pk=first.pk).value == Decimal("31.50")


@pytest.mark.parametrize(
    ("value", "day", "source", "field"),
    [
        ("lots", 0, "s", "value"),
        ("1e400", 0, "s", "value"),
        ("NaN", 0, "s", "value"),
        ("3", 1, "s", "measured_on"),
        ("3", 0, "   ", "source"),
        ("3", 0, "x" * 201, "source"),
        ("3", 0, "a\x00b", "source"),
    ],
)
def test_bad_indicator_values_are_refused_at_their_field(world, value, day, source, field):
    indicator = _goal(world.network).indicators.get()
    with pytest.raises(ValidationError) as error:
        domain.indicator_value_record(
            network=world.network,
            number=1,
            indicator=indicator,
            value=value,
            measured_on=timezone.localdate() + timedelta(days=day),
            source=source,
        )
    assert list(error.value.message_dict) == [field]
    assert not IndicatorValue.objects.exists()


def test_progress_updates_inside_the_round_are_shown_beside_its_values(world):
    indicator = _goal(world.network).indicators.get()
    goal_progress_create(
        indicator=indicator,
        recorded_on=timezone.localdate() - timedelta(days=20),
        value=30,
        note="Q1",
    )
    _cycle(world.network, days_ago=10)
    Goal.objects.update(created_at=timezone.now() - timedelta(days=30))
    first, second = rounds.rounds_of(world.network)
    assert [
        p.source for p in report.goal_rows(world.network, first, None)[0].indicators[0].progress
    ] == ["Q1"]
    assert report.goal_rows(world.network, second, None)[0].indicators[0].progress == []


def test_kinds_summary_counts_each_kind_of_goal(world):
    meeting = _meeting(world.network)
    for kind, verdict in (("customer", "reached"), ("customer", None), ("aim", "not")):
        goal = _goal(world.network, kind)
        if verdict:
            domain.goal_result_update(
                network=world.network,
                number=1,
                goal=goal,
                verdict=verdict,
                reason="r",
                meeting_id=meeting.pk,
            )
    result = report.round_report(world.network, 1)
    summary = {k.kind: (k.goals, k.reached, k.partly, k.not_reached, k.open) for k in result.kinds}
    assert summary == {
        "customer": (2, 1, 0, 0, 1),
        "efficiency": (0, 0, 0, 0, 0),
        "phenomenon": (0, 0, 0, 0, 0),
        "aim": (1, 0, 0, 1, 0),
    }


# --- learning outcomes and new actors ----------------------------------------------------------


def test_learning_outcome_needs_a_known_kind_and_an_example(world):
    with pytest.raises(ValidationError) as error:
        domain.learning_outcome_create(network=world.network, number=1, kind="fun", example="")
    assert error.value.message_dict == {
        "kind": ["Choose one of the three learning outcomes."],
        "example": ["Describe the example."],
    }
    assert not LearningOutcome.objects.exists()


def test_new_actors_are_counted_by_sector_and_named_only_apart_from_the_report(world):
    Membership.objects.filter(network=world.network).update(
        joined_on=timezone.localdate() - timedelta(days=300)
    )
    _cycle(world.network, days_ago=10)
    ngo = OrganizationFactory(name="Youth NGO", sector="third", networks=[world.network])
    for name in ("Aino", "Bo"):
        MembershipFactory(person=PersonFactory(name=name, organization=ngo), network=world.network)
    returning = world.people[0]  # a member since round 1 who left and came back counts not
    Membership.objects.filter(person=returning, network=world.network).update(
        left_on=timezone.localdate() - timedelta(days=200)
    )
    MembershipFactory(person=returning, network=world.network)
    span = rounds.round_span(world.network, 2)
    actors = report.new_actors(world.network, span)
    assert actors.total == 2
    assert [(s.sector, s.count) for s in actors.sectors] == [("third", 2)]
    assert [j.name for j in report.new_actors_named(world.network, span)] == ["Aino", "Bo"]
    assert "Aino" not in repr(report.round_report(world.network, 2))


# --- leading positions: the picture from k people, never one person's answer -------------------


def _leaders(world, n):
    people = []
    for index in range(n):
        person = PersonFactory(name=f"Leader {index}")
        MembershipFactory(person=person, network=world.network, role=Role.FACILITATOR)
        people.append(person)
    return people


def _reflect(world, person, position="guiding", working="together", number=1):
    return domain.position_reflection_save(
        network=world.network, number=number, person=person, position=position, working=working
    )


def test_position_picture_waits_for_the_round_to_close_and_for_k_people(world):
    people = _leaders(world, POSITION_K)
    for person in people:
        _reflect(world, person)
    open_round = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert (open_round.shown, open_round.positions, open_round.people) == (False, [], POSITION_K)
    _cycle(world.network)
    closed = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert closed.shown
    assert {s.key: s.people for s in closed.positions} == {
        "on_behalf": 0,
        "guiding": POSITION_K,
        "platform": 0,
    }


def test_position_picture_of_fewer_than_k_people_is_never_shown(world):
    for person in _leaders(world, POSITION_K - 1):
        _reflect(world, person)
    _cycle(world.network)
    picture = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert (picture.shown, picture.positions, picture.working) == (False, [], [])


def test_a_coordinator_cannot_subtract_two_pictures_to_learn_one_answer(world):
    """The attack: read the picture, let one more person answer (or change an answer), read it
    again. A picture exists only for a closed round, and a closed round takes no answer, so there
    is never a second picture of the same people to subtract."""
    people = _leaders(world, POSITION_K + 1)
    for person in people[:-1]:
        _reflect(world, person, position="guiding")
    before = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert before.shown is False  # while answers can still come, nothing is shown
    _cycle(world.network)
    shown = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    for late in (people[-1], people[0]):  # one more answer, or a changed one
        with pytest.raises(ValidationError):
            _reflect(world, late, position="on_behalf")
    after = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert after == shown
    assert PositionReflection.objects.filter(position="on_behalf").count() == 0


def test_each_person_counts_once_however_many_meetings_they_reflected_on(world):
    people = _leaders(world, POSITION_K)
    meeting = _meeting(world.network)
    for person in people:
        _reflect(world, person, position="platform")
    domain.position_reflection_save(
        network=world.network,
        number=1,
        person=people[0],
        position="on_behalf",
        working="side_by_side",
        meeting_id=meeting.pk,
    )
    _cycle(world.network)
    picture = rounds.position_picture(world.network, rounds.round_span(world.network, 1))
    assert picture.people == POSITION_K
    assert {s.key: s.people for s in picture.positions}["platform"] == POSITION_K


def test_each_person_sees_only_their_own_reflections(world):
    mine, theirs = _leaders(world, 2)
    _reflect(world, mine, position="platform")
    _reflect(world, theirs, position="on_behalf")
    assert [r.position for r in rounds.reflections_mine(world.network, 1, mine)] == ["platform"]
    assert rounds.reflections_mine(world.network, 1, None) == []


def test_reflection_on_a_meeting_of_another_round_is_refused(world):
    person = _leaders(world, 1)[0]
    old = _meeting(world.network, timezone.now() - timedelta(days=1))
    _cycle(world.network)
    with pytest.raises(ValidationError) as error:
        domain.position_reflection_save(
            network=world.network,
            number=2,
            person=person,
            position="guiding",
            working="together",
            meeting_id=old.pk,
        )
    assert error.value.message_dict == {"meeting": ["Choose a meeting of this round."]}
