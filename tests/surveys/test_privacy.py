"""The privacy promises of instrument.md, each as a test (promises 8–12)."""

import json
import random

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from suhde.common.privacy import Cell, cells_suppress, figures_public, partition_suppress
from suhde.surveys import closing, domain, scores
from suhde.surveys.models import OpenAnswer, PartnerAnswer
from tests.surveys.conftest import answer, members

# --- the suppression rules, on plain data ------------------------------------------------------


def _cell(key, respondents):
    return Cell(key=key, values={"trust": 50.0}, respondents=set(respondents))


def test_small_cell_is_hidden_and_its_value_absent():
    cells = [_cell("a", range(10)), _cell("b", range(10, 12))]
    partition_suppress(cells, 5)
    assert [c.public() for c in cells][1] == {"key": "b", "suppressed": True}


def test_secondary_suppression_hides_the_smallest_shown_cell():
    # b alone (2 people) could be recovered as parent − a − c; hiding c too protects it.
    cells = [_cell("a", range(10)), _cell("b", range(10, 12)), _cell("c", range(12, 18))]
    partition_suppress(cells, 5)
    assert [c.hidden for c in cells] == [False, True, True]


def test_hidden_cells_with_enough_people_together_need_no_more_hiding():
    cells = [_cell("a", range(10)), _cell("b", range(10, 13)), _cell("c", range(13, 16))]
    partition_suppress(cells, 5)
    assert [c.hidden for c in cells] == [False, True, True]


def test_threshold_never_below_three():
    cells = [_cell("a", range(2)), _cell("b", range(2, 10))]
    partition_suppress(cells, 1)
    assert cells[0].hidden


def test_figures_public_drops_a_cell_that_claims_too_few():
    stored = {"network": {"key": "network", "suppressed": False, "respondents": 2, "trust": 1.0}}
    assert figures_public(stored, 5) == {"network": {"key": "network", "suppressed": True}}


rows = st.lists(
    st.tuples(
        st.integers(0, 14),
        st.integers(0, 14),
        st.sampled_from(["o1", "o2", "o3", "o4", "-"]),
        st.sampled_from(["o1", "o2", "o3", "o4", "-"]),
        st.integers(1, 4),
    ),
    max_size=80,
)
SECTOR = {"o1": "public", "o2": "public", "o3": "third", "o4": "private", "-": "-"}


def _rows(raw):
    dyads = [
        scores.DyadRow(
            rater=r,
            rater_org=ro,
            rater_sector=SECTOR[ro],
            partner=p,
            partner_org=po,
            partner_sector=SECTOR[po],
            level=3,
            knowing=v,
            trust=v,
            commitment=v,
        )
        for r, p, ro, po, v in raw
        if r != p
    ]
    selves = [
        scores.SelfRow(rater=r, org=ro, sector=SECTOR[ro], score=2.0) for r, _, ro, _, _ in raw[::3]
    ]
    return dyads, selves


def _respondents(dyads, selves, section, key):
    """Recount a cell's respondents from the raw rows, independently of scores.py: the people
    who rated the group's people (every figure but the self part comes from them alone)."""
    if section == "network":
        return {d.rater for d in dyads}
    if section in ("organizations", "sectors"):
        attr = "org" if section == "organizations" else "sector"
        return {d.rater for d in dyads if getattr(d, f"partner_{attr}") == key}
    attr = "org" if section == "organization_ties" else "sector"
    same = [d for d in dyads if getattr(d, f"rater_{attr}") == getattr(d, f"partner_{attr}") != "-"]
    chosen = same if key == "within" else [d for d in dyads if d not in same]
    return {d.rater for d in chosen}


@settings(max_examples=300, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_no_shown_figure_comes_from_fewer_than_k_respondents(raw, k):
    dyads, selves = _rows(raw)
    figures = scores.wave_figures(dyads, selves, k)
    sections = {
        "network": [figures["network"]],
        **{
            name: figures[name]
            for name in ("sectors", "organizations", "organization_ties", "sector_ties")
        },
    }
    for section, cells in sections.items():
        hidden = set()
        for cell in cells:
            people = _respondents(dyads, selves, section, cell["key"])
            if cell["suppressed"]:
                assert set(cell) == {"key", "suppressed"}
                hidden |= people
            else:
                assert len(people) >= k
                assert cell["respondents"] == len(people)
        if section != "network" and not figures["network"]["suppressed"]:
            # What the shown cells leave over cannot single out fewer than k people.
            assert len(hidden) == 0 or len(hidden) >= k


@settings(max_examples=200, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_organizations_hidden_within_a_shown_sector_are_not_recoverable(raw, k):
    dyads, selves = _rows(raw)
    figures = scores.wave_figures(dyads, selves, k)
    shown_sectors = {c["key"] for c in figures["sectors"] if not c["suppressed"]}
    for sector in shown_sectors:
        hidden = set()
        for cell in figures["organizations"]:
            if SECTOR.get(cell["key"]) == sector and cell["suppressed"]:
                hidden |= _respondents(dyads, selves, "organizations", cell["key"])
        assert len(hidden) == 0 or len(hidden) >= k


def test_cells_suppress_hides_everything_under_a_small_parent():
    parent = _cell("network", range(2))
    children = [_cell("a", range(2))]
    cells_suppress(parent, [children], 5)
    assert parent.hidden and children[0].hidden


# --- the promises, end to end ------------------------------------------------------------------


def _closed_wave_with_a_lonely_rating(world):
    """Everyone answers with 3s; one respondent alone rates the one NGO person with 1s."""
    people = members(world)
    lonely_target = next(p for p in people if p.organization == world.ngo)
    others = [p for p in people if p.organization != world.ngo]
    for person in others:
        partners = [q for q in others if q != person][:4]
        answer(world.wave, person, partners, value=3)
    answer(
        world.wave, others[0], [*[q for q in others if q != others[0]][:4], lonely_target], value=3
    )
    PartnerAnswer.objects.filter(partner=lonely_target).update(
        k1=1, k2=1, k3=1, k4=1, t1=1, t2=1, t3=1, t4=1, c4=1
    )
    return closing.wave_close(wave=world.wave), lonely_target


def test_lonely_rating_is_absent_from_page_api_and_snapshot(client, survey_world):
    wave, _target = _closed_wave_with_a_lonely_rating(survey_world)
    organizations = {c["key"]: c for c in wave.snapshot["figures"]["organizations"]}
    assert organizations["Housing NGO"] == {"key": "Housing NGO", "suppressed": True}
    client.force_login(survey_world.coordinator)
    page = client.get(reverse("surveys:results", args=["core", wave.pk])).content.decode()
    assert "too few answers to show" in page
    api = client.get(f"/api/v1/waves/{wave.pk}/results").json()
    ngo = next(c for c in api["figures"]["organizations"] if c["key"] == "Housing NGO")
    assert ngo == {"key": "Housing NGO", "suppressed": True}
    # The index of the lonely 1s would be 0.0; nothing about the NGO carries a number.
    assert '"Housing NGO", "suppressed": true}' in json.dumps(wave.snapshot["figures"])


def test_in_ratings_are_shown_only_to_that_person_and_with_three_raters(client, survey_world):
    people = [p for p in members(survey_world) if p.user_id is None]
    member = survey_world.member.person
    for rater in people[:2]:
        answer(survey_world.wave, rater, [member])
    closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    page = client.get(reverse("surveys:results", args=["core", survey_world.wave.pk]))
    assert page.context["results"].mine is None or page.context["results"].mine["received"] is None


def test_in_ratings_with_three_raters_reach_only_their_subject(client, survey_world):
    people = [p for p in members(survey_world) if p.user_id is None]
    member = survey_world.member.person
    for rater in people[:3]:
        answer(survey_world.wave, rater, [member], value=4)
    closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    mine = (
        client.get(reverse("surveys:results", args=["core", survey_world.wave.pk]))
        .context["results"]
        .mine
    )
    assert mine["received"] == {"raters": 3, "knowing": 100.0, "trust": 100.0, "commitment": 100.0}
    client.force_login(survey_world.coordinator)
    theirs = (
        client.get(reverse("surveys:results", args=["core", survey_world.wave.pk]))
        .context["results"]
        .mine
    )
    assert theirs is None
    api = client.get(f"/api/v1/waves/{survey_world.wave.pk}/results").json()
    assert api["mine"] is None


def test_open_answers_carry_no_name_and_can_be_hidden(client, survey_world):
    people = members(survey_world)
    answer(
        survey_world.wave,
        people[3],
        [people[4]],
        texts={"works": "Meetings are good, says Matti from the parish."},
    )
    closing.wave_close(wave=survey_world.wave)
    url = reverse("surveys:results", args=["core", survey_world.wave.pk])
    client.force_login(survey_world.member)
    page = client.get(url).content.decode()
    assert "Meetings are good" in page
    assert people[3].name not in page.split("open-answers")[1]
    opened = OpenAnswer.objects.get()
    client.force_login(survey_world.coordinator)
    client.post(
        reverse("surveys:open_answer_hide", args=["core", survey_world.wave.pk, opened.pk]),
        {"hidden": "1"},
    )
    client.force_login(survey_world.member)
    assert "Meetings are good" not in client.get(url).content.decode()


def test_threshold_cannot_be_lowered_after_the_first_answer(survey_world):
    people = members(survey_world)
    domain.wave_update(wave=survey_world.wave, k=6)
    answer(survey_world.wave, people[3], [people[4]], submit=False)
    with pytest.raises(domain.ValidationError):
        domain.wave_update(wave=survey_world.wave, k=5)
    survey_world.wave.refresh_from_db()
    assert survey_world.wave.k == 6


def test_closed_wave_cannot_be_reopened_or_changed(survey_world):
    closing.wave_close(wave=survey_world.wave)
    with pytest.raises(domain.ValidationError):
        closing.wave_close(wave=survey_world.wave)
    with pytest.raises(domain.ValidationError):
        domain.wave_update(wave=survey_world.wave, title="Again")


def test_answers_are_not_in_the_admin():
    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & {
        "surveys.Response",
        "surveys.PartnerAnswer",
        "surveys.OpenAnswer",
        "surveys.SurveyInvitation",
    }


def test_wave_admin_never_shows_the_snapshot(admin_client, survey_world):
    closing.wave_close(wave=survey_world.wave)
    page = admin_client.get(f"/admin/surveys/wave/{survey_world.wave.pk}/change/")
    assert page.status_code == 200
    assert "in_ratings" not in page.content.decode()


@pytest.mark.parametrize("seed", range(4))
def test_random_waves_show_no_small_group_in_page_or_api(client, survey_world, seed):
    rng = random.Random(seed)
    people = members(survey_world)
    for person in people:
        if rng.random() < 0.6:
            partners = rng.sample([p for p in people if p != person], rng.randint(1, 4))
            answer(survey_world.wave, person, partners, value=rng.randint(1, 4))
    wave = closing.wave_close(wave=survey_world.wave)
    client.force_login(survey_world.member)
    api = client.get(f"/api/v1/waves/{wave.pk}/results").json()
    for section in ("sectors", "organizations", "organization_ties", "sector_ties"):
        for cell in api["figures"][section]:
            assert cell["suppressed"] or cell["respondents"] >= wave.k
    page = client.get(reverse("surveys:results", args=["core", wave.pk]))
    for cell in page.context["results"].figures["organizations"]:
        assert cell["suppressed"] or cell["respondents"] >= wave.k


def test_in_ratings_need_three_raters():
    from suhde.common.privacy import in_ratings_allowed

    assert [in_ratings_allowed(n) for n in (2, 3)] == [False, True]


def test_a_change_needs_both_waves_to_show_the_group():
    from suhde.common.privacy import change_allowed

    shown, hidden = {"suppressed": False}, {"suppressed": True}
    assert [
        change_allowed(shown, shown),
        change_allowed(shown, hidden),
        change_allowed(None, shown),
    ] == [True, False, False]
