"""The privacy promises of docs/instrument.md and issue 13, each as a test (promises 8–12).

The auditor is tested on plain data first (each rule, and the three attacks of the issue), then
with Hypothesis against the independent attacker of ``privacy_helpers``, then end to end.
"""

import json
import random
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from suhde.common.models import Job
from suhde.common.privacy import (
    AUDIT_VERSION,
    AuditCell,
    change_allowed,
    figures_public,
    publication_audit,
)
from suhde.surveys import closing, queries, scores
from suhde.surveys.models import OpenAnswer, PartnerAnswer, Wave
from tests.surveys.conftest import answer, members
from tests.surveys.privacy_helpers import _rows, attack, rows, solvable_people

# --- the auditor's rules, on plain data --------------------------------------------------------


def _cell(key, respondents, family="trust", group=None, subject=None):
    """A cell of answers from ``respondents`` about ``subject`` (or each about another person)."""
    answers = frozenset((r, subject if subject is not None else 1000 + r) for r in respondents)
    return AuditCell(key=key, family=family, contributions=answers, group=group)


def test_small_cell_is_hidden_and_one_more_so_the_whole_cannot_give_it_away():
    # The whole minus a minus c would be b's two people: c goes too (the smaller of a and c).
    cells = [_cell("a", range(10)), _cell("b", range(10, 12)), _cell("c", range(12, 20))]
    publication_audit(cells, k=5)
    assert [c.hidden for c in cells] == [False, True, True]


def test_a_cell_that_is_the_whole_but_a_small_one_is_hidden_too():
    # The whole is a ∪ b: the whole minus a would be b's two people.
    cells = [_cell("a", range(10)), _cell("b", range(10, 12))]
    publication_audit(cells, k=5)
    assert [c.hidden for c in cells] == [True, True]


def test_threshold_never_below_three():
    cells = [_cell("a", range(2)), _cell("b", range(2, 10)), _cell("c", range(10, 20))]
    publication_audit(cells, k=1)
    assert cells[0].hidden


def test_a_figure_about_fewer_than_k_rated_people_is_hidden():
    """Ten raters all rating one person: that is the person's in-ratings, never a group figure."""
    cells = [
        _cell("about one", range(10), subject=99),
        _cell("others", range(10, 20)),
        _cell("more", range(20, 30)),
    ]
    publication_audit(cells, k=5)
    assert [c.hidden for c in cells] == [True, False, True]  # and whole − others = the one


def test_subtraction_attack_two_cells_differing_by_one_respondent():
    """The issue's attack: "Third One" (6 respondents) minus "within" (5) was one person."""
    third_one = _cell("organizations/received/Third One", range(6))
    within = _cell("organization_ties/between/within", range(5))
    rest = _cell("organizations/received/others", range(6, 20))
    publication_audit([third_one, within, rest], k=5)
    assert third_one.hidden or within.hidden
    learned = solvable_people(
        [c.contributions for c in (third_one, within, rest) if not c.hidden]
        + [third_one.contributions | within.contributions | rest.contributions]
    )
    assert learned == []


def test_a_cell_one_person_short_of_the_whole_is_hidden():
    everyone = _cell("network", range(12))
    almost = _cell("sectors/received/public", range(11))
    publication_audit([everyone, almost], k=5)
    assert (everyone.hidden, almost.hidden) == (False, True)


def test_hidden_cells_of_a_partition_together_hold_nobody_or_k():
    # b (2 people) = parent − a − c unless c is hidden too.
    cells = [
        _cell("a", range(10), group="g"),
        _cell("b", range(10, 12), group="g"),
        _cell("c", range(12, 18), group="g"),
    ]
    publication_audit(cells, k=5)
    assert [c.hidden for c in cells] == [False, True, True]


def test_a_combination_of_three_cells_that_isolates_one_respondent_is_caught():
    """U1 − U2 + U3 = {x}, though every pair and every cell-minus-whole differs by ≥ k."""
    s, t, r, x = range(0, 5), range(5, 10), range(10, 15), [15]
    u1 = _cell("u1", [*s, *x])
    u2 = _cell("u2", [*s, *t])
    u3 = _cell("u3", [*t, *x])
    rest = _cell("r", r)
    cells = [u1, u2, u3, rest]
    everything = frozenset().union(*(c.contributions for c in cells))
    assert ("respondent", 15) in solvable_people([everything, *(c.contributions for c in cells)])
    publication_audit(cells, k=5)
    shown = [c.contributions for c in cells if not c.hidden]
    assert solvable_people([everything, *shown]) == []
    assert not all(c.hidden for c in cells)


def test_families_are_counted_and_hidden_one_by_one():
    knowing = _cell("network", range(6), family="knowing")
    trust = _cell("network", range(2), family="trust")
    publication_audit([knowing, trust], k=5)
    assert (knowing.hidden, trust.hidden) == (False, True)


def test_a_change_between_waves_needs_both_shown_and_k_people_of_difference():
    before = _cell("x", range(10))
    same = _cell("x", range(10))
    one_more = _cell("x", range(11))
    five_more = _cell("x", range(15))
    assert change_allowed(before, same, 5)
    assert not change_allowed(before, one_more, 5)
    assert change_allowed(before, five_more, 5)
    hidden = _cell("x", range(10))
    hidden.hidden = True
    assert not change_allowed(before, hidden, 5)
    assert not change_allowed(None, same, 5)


def test_figures_public_drops_a_family_that_claims_too_few():
    stored = {
        "audit": AUDIT_VERSION,
        "network": {
            "key": "network",
            "direction": "all",
            "counts": {"knowing": 7, "trust": 2},
            "knowing": 40.0,
            "trust": 1.0,
        },
    }
    public = figures_public(stored, 5)["network"]
    assert (public["knowing"], public["trust"], public["counts"]) == (40.0, None, {"knowing": 7})


def test_figures_stored_before_the_auditor_are_not_shown():
    old = {"network": {"key": "network", "suppressed": False, "respondents": 9, "trust": 50.0}}
    assert figures_public(old, 5) == {
        "audit": AUDIT_VERSION,
        "network": {"key": "network", "suppressed": True},
    }


# --- "can't say" padding ---------------------------------------------------------------------


def _dyad(rater, partner, value, org="o1", partner_org="o2"):
    return scores.DyadRow(
        rater=rater,
        rater_org=org,
        rater_sector="public",
        partner=partner,
        partner_org=partner_org,
        partner_sector="third",
        level=3,
        knowing=value,
        trust=value,
        commitment=value,
    )


def test_cant_say_padding_shows_nothing():
    """One real answer and four "can't say": not a figure of five, a figure of one."""
    dyads = [_dyad(1, 10, 1.0), *(_dyad(r, 10 + r, None) for r in range(2, 6))]
    figures, _cells = scores.wave_figures(dyads, [], 5)
    assert figures["network"]["suppressed"] is True
    assert scores.in_ratings([_dyad(r, 99, 1.0 if r == 1 else None) for r in range(1, 6)]) == {}


def test_in_ratings_count_raters_who_answered_each_family():
    dyads = [
        scores.DyadRow(r, "o1", "public", 99, "o2", "third", 3, 3.0, None if r > 2 else 2.0, 4.0)
        for r in range(1, 5)
    ]
    ratings = scores.in_ratings(dyads)[99]
    assert ratings["raters"] == {"knowing": 4, "commitment": 4}
    assert ratings["trust"] is None and ratings["knowing"] == 66.7


# --- the attacker, with hypothesis -----------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(raw=rows, k=st.integers(3, 6))
def test_an_attacker_with_every_shown_figure_solves_for_nobody(raw, k):
    dyads, selves = _rows(raw)
    figures, _cells = scores.wave_figures(dyads, selves, k)
    assert attack(figures, dyads, selves, k) == []
    assert attack(figures_public(figures | {"audit": AUDIT_VERSION}, k), dyads, selves, k) == []


def test_the_attacker_finds_the_issues_subtraction_without_the_auditor():
    """The attacker works: the same figures without the auditor leak one person."""
    dyads = [_dyad(r, 100 + (r % 5), 3.0, org="Third", partner_org="Third") for r in range(5)]
    dyads += [_dyad(9, 100, 1.0, org="Other", partner_org="Third")]
    dyads += [_dyad(20 + r, 200 + r, 2.0, org="Far", partner_org="Far2") for r in range(8)]
    raw = scores.cells_build(dyads, [])
    figures = {"audit": AUDIT_VERSION, "organizations": [], "organization_ties": []}
    for (cell, family), answers in raw.answers.items():
        if cell[0] in ("organizations", "organization_ties") and family == "trust":
            respondents = {r for r, _p in answers}
            figures[cell[0]].append(
                {"key": cell[2], "direction": cell[1], "counts": {"trust": len(respondents)}}
            )
    learned = attack(figures, dyads, [], 5)
    assert any("organizations/received/Third/trust vs" in item for item in learned)
    audited, _cells = scores.wave_figures(dyads, [], 5)
    assert attack(audited, dyads, [], 5) == []


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
    ngo_cells = [c for c in wave.snapshot["figures"]["organizations"] if c["key"] == "Housing NGO"]
    # Nobody of the NGO answered, so it has no "given" cell; "received" shows no number.
    assert ngo_cells == [{"key": "Housing NGO", "direction": "received", "suppressed": True}]
    client.force_login(survey_world.coordinator)
    page = client.get(reverse("surveys:results", args=["core", wave.pk])).content.decode()
    assert "too few answers to show" in page
    api = client.get(f"/api/v1/waves/{wave.pk}/results").json()
    ngo = [c for c in api["figures"]["organizations"] if c["key"] == "Housing NGO"]
    assert ngo == ngo_cells
    # The index of the lonely 1s would be 0.0; nothing about the NGO carries a number.
    assert "0.0" not in json.dumps(ngo)


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
    assert mine["received"] == {
        "raters": 3,
        "counts": {"knowing": 3, "trust": 3, "commitment": 3},
        "knowing": 100.0,
        "trust": 100.0,
        "commitment": 100.0,
    }
    client.force_login(survey_world.coordinator)
    theirs = (
        client.get(reverse("surveys:results", args=["core", survey_world.wave.pk]))
        .context["results"]
        .mine
    )
    assert theirs is None
    api = client.get(f"/api/v1/waves/{survey_world.wave.pk}/results").json()
    assert api["mine"] is None


def _open_wave(world, authors: int):
    people = members(world)
    for n, person in enumerate(people[3 : 3 + authors]):
        answer(world.wave, person, [people[0]], texts={"works": f"Open thought number {n}."})
    return closing.wave_close(wave=world.wave)


def test_open_answers_need_k_people_who_gave_one(client, survey_world):
    wave = _open_wave(survey_world, authors=2)  # k = 3 in this world
    client.force_login(survey_world.coordinator)
    page = client.get(reverse("surveys:results", args=["core", wave.pk])).content.decode()
    assert "Open thought" not in page
    assert "shown only when at least 3 people gave one" in page
    dashboard = client.get(reverse("evaluation:dashboard", args=["core", wave.pk]))
    assert "Open thought" not in dashboard.content.decode()


def test_open_answers_carry_no_name_no_id_and_a_fixed_random_order(client, survey_world):
    wave = _open_wave(survey_world, authors=5)
    url = reverse("surveys:results", args=["core", wave.pk])
    client.force_login(survey_world.coordinator)
    page = client.get(url).content.decode()
    texts = re.findall(r"Open thought number (\d)", page)
    assert sorted(texts) == ["0", "1", "2", "3", "4"]
    assert texts == re.findall(r"Open thought number (\d)", client.get(url).content.decode())
    refs = [queries.open_answer_ref(wave.pk, a.pk) for a in OpenAnswer.objects.order_by("pk")]
    by_ref = [str(n) for _ref, n in sorted(zip(refs, range(5), strict=True))]
    assert texts == by_ref  # the order of the references, not of writing
    for answer_id in OpenAnswer.objects.values_list("pk", flat=True):
        assert f"/open/{answer_id}/hide/" not in page
    for person in members(survey_world)[3:8]:
        assert person.name not in page.split("open-answers")[1]


def test_a_coordinator_hides_an_open_answer_by_its_reference(client, survey_world):
    wave = _open_wave(survey_world, authors=3)
    first = OpenAnswer.objects.order_by("pk").first()
    url = reverse("surveys:results", args=["core", wave.pk])
    hide = "surveys:open_answer_hide"
    client.force_login(survey_world.coordinator)
    by_id = client.post(reverse(hide, args=["core", wave.pk, str(first.pk)]), {"hidden": "1"})
    assert by_id.status_code == 404
    ref = queries.open_answer_ref(wave.pk, first.pk)
    client.post(reverse(hide, args=["core", wave.pk, ref]), {"hidden": "1"})
    assert OpenAnswer.objects.get(pk=first.pk).hidden
    client.force_login(survey_world.member)
    assert first.text not in client.get(url).content.decode()


def _admin_post(admin_client, wave, **changes):
    """The operator's only way to edit a wave: the admin's change form, sent back as it came
    with ``changes`` on top (a field the admin does not show is sent all the same)."""
    url = f"/admin/surveys/wave/{wave.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "widgets"):  # a moment as its date and its time
            value = field.widget.decompress(value)
            data.update({f"{name}_{i}": str(part) for i, part in enumerate(value)})
        else:
            data[name] = json.dumps(value) if isinstance(value, list) else value
    return admin_client.post(url, {**data, **changes})


def test_threshold_cannot_be_lowered_after_the_first_answer(client, admin_client, survey_world):
    """No page, API call or admin form changes a wave's threshold: it is set when the wave opens
    (``wave_create``), and the first answer finds it fixed."""
    people = members(survey_world)
    wave = survey_world.wave
    Wave.objects.filter(pk=wave.pk).update(k=6)  # opened with 6
    answer(wave, people[3], [people[4]], submit=False)
    client.force_login(survey_world.coordinator)
    for method in (client.put, client.patch):
        sent = method(f"/api/v1/waves/{wave.pk}", data={"k": 3}, content_type="application/json")
        assert sent.status_code == 404
    saved = _admin_post(admin_client, wave, k="3", title="Renamed")
    assert saved.status_code == 302  # the form was valid and saved …
    wave.refresh_from_db()
    assert (wave.title, wave.k) == ("Renamed", 6)  # … all but the threshold


def test_closed_wave_cannot_be_reopened_or_changed(client, admin_client, survey_world):
    opened = survey_world.wave.opens_at
    wave = closing.wave_close(wave=survey_world.wave, at=opened + timedelta(days=1))
    snapshot, closed_at = wave.snapshot, wave.closed_at
    client.force_login(survey_world.coordinator)
    again = client.post(f"/api/v1/waves/{wave.pk}/close")
    assert again.status_code == 400
    assert again.json()["detail"] == [{"loc": ["body"], "msg": "This wave is already closed."}]
    page = client.post(reverse("surveys:wave_close", args=["core", wave.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:wave", args=["core", wave.pk])
    assert not Job.objects.exists()  # nothing went to the worker to close it again
    reopen = _admin_post(admin_client, wave, status="open", k="5")
    assert reopen.status_code == 302
    wave.refresh_from_db()
    assert (wave.status, wave.k, wave.closed_at) == ("closed", 3, closed_at)
    assert wave.snapshot == snapshot


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
