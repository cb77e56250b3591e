"""Meetings: agenda times, the time warning, the method library, attendees, the annual clock."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suhde.coordination.models import Event
from suhde.workshops import domain, queries
from suhde.workshops.methods import METHODS
from suhde.workshops.models import AgendaBlock, Attendee, Meeting
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.workshops.helpers import meeting

START = datetime(2030, 3, 1, 7, 0, tzinfo=UTC)


def test_agenda_start_times_follow_the_blocks(world):
    m = meeting(world.network, starts_at=START, minutes=90)
    domain.block_add(meeting=m, title="Check-in", minutes=15, method="check_in")
    domain.block_add(meeting=m, title="Café", minutes=60, method="learning_cafe")
    domain.block_add(meeting=m, title="Closing", minutes=15)
    agenda = queries.agenda(m)
    assert [row.start for row in agenda.rows] == [
        START,
        START + timedelta(minutes=15),
        START + timedelta(minutes=75),
    ]
    assert agenda.planned == 90
    assert agenda.warning == ""


def test_agenda_warns_when_it_takes_more_than_the_time_reserved(world):
    m = meeting(world.network, starts_at=START, minutes=60)
    domain.block_add(meeting=m, title="Café", minutes=75)
    agenda = queries.agenda(m)
    assert agenda.level == "over"
    assert "15 minutes more than the 60 minutes reserved" in agenda.warning


def test_agenda_warns_when_it_leaves_much_time_unplanned(world):
    m = meeting(world.network, starts_at=START, minutes=120)
    domain.block_add(meeting=m, title="Talk", minutes=60)
    agenda = queries.agenda(m)
    assert agenda.level == "under"
    assert "60 of the 120 minutes" in agenda.warning


def test_agenda_without_blocks_has_no_warning(world):
    assert queries.agenda(meeting(world.network)).warning == ""


def test_block_move_changes_the_order(world):
    m = meeting(world.network, starts_at=START)
    first = domain.block_add(meeting=m, title="A", minutes=10)
    second = domain.block_add(meeting=m, title="B", minutes=20)
    domain.block_move(block=second, up=True)
    assert [r.block.pk for r in queries.agenda(m).rows] == [second.pk, first.pk]
    assert queries.agenda(m).rows[1].start == START + timedelta(minutes=20)


def test_block_refuses_an_unknown_method(world):
    m = meeting(world.network)
    with pytest.raises(ValidationError):
        domain.block_add(meeting=m, title="A", minutes=10, method="telepathy")
    assert not AgendaBlock.objects.exists()


def test_block_refuses_another_networks_method(world):
    foreign = domain.method_create(network=world.other, name="Secret method")
    m = meeting(world.network)
    with pytest.raises(ValidationError):
        domain.block_add(meeting=m, title="A", minutes=10, method=f"custom:{foreign.pk}")
    with pytest.raises(ValidationError):
        domain.block_add(meeting=m, title="A", minutes=10, method="custom:abc")


def test_block_takes_the_networks_own_method(world):
    own = domain.method_create(network=world.network, name="Walk and talk", minutes=40)
    m = meeting(world.network)
    domain.block_add(meeting=m, title="Walk", minutes=40, method=f"custom:{own.pk}")
    assert queries.agenda(m).rows[0].method_name == "Walk and talk"


@pytest.mark.parametrize("minutes", [0, 601, -5])
def test_block_duration_is_bounded(world, minutes):
    with pytest.raises(ValidationError):
        domain.block_add(meeting=meeting(world.network), title="A", minutes=minutes)


def test_method_names_are_unique_in_a_network(world):
    domain.method_create(network=world.network, name="Fishbowl")
    with pytest.raises(ValidationError):
        domain.method_create(network=world.network, name="fishbowl ")
    domain.method_create(network=world.other, name="Fishbowl")  # another network: fine


def test_builtin_methods_have_texts_and_modes():
    keys = {m.key for m in METHODS}
    assert {"learning_cafe", "open_space", "expert_talk", "dot_voting"} <= keys
    assert all(m.learning_mode in {"teaching", "facilitation", "hosting"} for m in METHODS)
    assert all(len(str(m.description)) > 80 for m in METHODS)


def test_standalone_meeting_is_on_the_annual_clock(world):
    m = meeting(world.network, starts_at=START, minutes=90, title="Spring meeting")
    event = Event.objects.get(network=world.network, source_kind="meeting", source_id=str(m.pk))
    assert event.title == "Spring meeting"
    assert event.start == START and event.end == START + timedelta(minutes=90)
    assert event.category.key == "meetings"
    domain.meeting_update(meeting=m, title="Spring network meeting")
    event.refresh_from_db()
    assert event.title == "Spring network meeting"
    domain.meeting_delete(meeting=m)
    assert not Event.objects.filter(source_kind="meeting").exists()


def test_meeting_linked_to_an_event_adds_no_second_event(world):
    first = meeting(world.network, starts_at=START)
    event = Event.objects.get(source_kind="meeting", source_id=str(first.pk))
    linked = meeting(world.network, starts_at=START, event_id=event.pk)
    assert linked.event == event
    assert not Event.objects.filter(source_kind="meeting", source_id=str(linked.pk)).exists()


def test_meeting_refuses_another_networks_event(world):
    foreign = meeting(world.other)
    event = Event.objects.get(network=world.other, source_id=str(foreign.pk))
    with pytest.raises(ValidationError):
        meeting(world.network, event_id=event.pk)
    assert not Meeting.objects.filter(network=world.network).exists()


def test_attendees_only_from_the_network(world):
    m = meeting(world.network)
    domain.attendees_set(meeting=m, person_ids=[p.pk for p in world.people[:2]])
    assert m.attendees.count() == 2
    with pytest.raises(ValidationError):
        domain.attendees_set(meeting=m, person_ids=[world.people[0].pk, world.other_person.pk])
    assert m.attendees.count() == 2  # nothing changed
    domain.attendees_set(meeting=m, person_ids=[world.people[2].pk])
    assert list(m.attendees.values_list("person_id", flat=True)) == [world.people[2].pk]


def test_participation_by_sector_and_organization(world):
    ngo = OrganizationFactory(name="Youth NGO", sector="third", networks=[world.network])
    volunteer = PersonFactory(organization=ngo)
    MembershipFactory(person=volunteer, network=world.network)
    spring = meeting(world.network, starts_at=datetime(2030, 2, 1, 8, tzinfo=UTC))
    autumn = meeting(world.network, starts_at=datetime(2030, 9, 1, 8, tzinfo=UTC))
    domain.attendees_set(meeting=spring, person_ids=[world.people[0].pk, volunteer.pk])
    domain.attendees_set(meeting=autumn, person_ids=[world.people[0].pk, world.people[1].pk])
    result = queries.participation(world.network)
    assert result.periods == ["2030 Q1", "2030 Q3"]
    assert dict(result.by_sector) == {"public sector": [1, 2], "third sector": [1, 0]}
    assert result.by_organization[0] == ("City youth services", "public sector", 2, 3)
    assert result.meetings == 2


def test_meeting_pages_as_a_new_user_would(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("workshops:meeting_create", args=["core"]),
        {"title": "Demo meeting", "starts_at": "2030-03-01T09:00", "minutes": "90"},
    )
    m = Meeting.objects.get(title="Demo meeting")
    assert response.status_code == 302
    url = reverse("workshops:block_add", args=["core", m.pk])
    response = client.post(
        url,
        {"title": "Learning café", "minutes": "60", "method": "learning_cafe",
         "learning_mode": "facilitation"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("workshops:meeting", args=["core", m.pk])).content.decode()
    assert "Learning café" in page and "09:00–10:00" in page
    assert "leaves 30 of the 90 minutes" in page


def test_meeting_form_bad_input_is_a_400_not_a_500(client, world):
    client.force_login(world.coordinator)
    url = reverse("workshops:meeting_create", args=["core"])
    for data in (
        {"title": "", "starts_at": "2030-03-01T09:00", "minutes": "90"},
        {"title": "x" * 300, "starts_at": "2030-03-01T09:00", "minutes": "90"},
        {"title": "A", "starts_at": "not a date", "minutes": "90"},
        {"title": "A", "starts_at": "2030-03-01T09:00", "minutes": "99999"},
        {"title": "A", "starts_at": "2030-03-01T09:00", "minutes": "60", "event": "abc"},
        {"title": "A", "starts_at": "2030-03-01T09:00", "minutes": "60", "event": "999999"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert not Meeting.objects.exists()


def test_meeting_text_is_shown_as_text(client, world):
    m = meeting(world.network, title="<script>alert(1)</script>", purpose="<b>bold</b>")
    domain.block_add(meeting=m, title="<img src=x onerror=alert(1)>", minutes=10)
    client.force_login(world.member)
    page = client.get(reverse("workshops:meeting", args=["core", m.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "<b>bold" not in page


def test_attendee_page_refuses_people_from_elsewhere(client, world):
    m = meeting(world.network)
    client.force_login(world.coordinator)
    url = reverse("workshops:meeting_attendees", args=["core", m.pk])
    response = client.post(url, {"attendees": [world.other_person.pk]})
    assert response.status_code == 400
    assert not Attendee.objects.exists()


def test_network_home_checklist_shows_the_next_meeting(client, world):
    from suhde.networks.continuum import checklist_for

    items = checklist_for(world.network, 3)
    labels = {item.label: item.done for item in items}
    assert labels["The next meeting is planned"] is False
    m = meeting(world.network)
    domain.block_add(meeting=m, title="Café", minutes=60, method="learning_cafe")
    labels = {item.label: item.done for item in checklist_for(world.network, 3)}
    assert labels["The next meeting is planned"] is True
    world.network.phase = 3  # the home shows the current phase's checklist
    world.network.save(update_fields=["phase"])
    client.force_login(world.member)
    page = client.get(reverse("networks:home", args=["core"])).content.decode()
    assert reverse("workshops:meeting", args=["core", m.pk]) in page


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("workshops:meetings", "Meetings"),
        ("workshops:methods", "Method library"),
        ("workshops:participation", "Participation"),
    ],
)
def test_workshop_pages_are_in_the_phase_navigation(client, world, name, label):
    client.force_login(world.coordinator)
    page = client.get(reverse(name, args=["core"])).content.decode()
    assert f'aria-current="page" href="{reverse(name, args=["core"])}">{label}</a>' in page
