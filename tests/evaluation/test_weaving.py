"""Weaving suggestions in the app: the command's sentences, with names and the reader's language."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import override

from suhde.analysis import suggestions
from suhde.evaluation import queries, weaving
from suhde.surveys import closing, domain
from tests.evaluation.conftest import answer, members, random_answers
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _second_wave_with_newcomer(world):
    random_answers(world, world.wave, 1, share=1.0)
    closing.wave_close(wave=world.wave)
    newcomer = PersonFactory(organization=world.ngo, name="Niilo Uusi")
    MembershipFactory(person=newcomer, network=world.network)
    wave = domain.wave_create(
        network=world.network,
        user=world.coordinator,
        title="Wave 2",
        closes_at=timezone.now() + timedelta(days=30),
        k=3,
    )
    old = [p for p in members(world) if p != newcomer]
    answer(wave, newcomer, old[:1])
    for person in old:
        answer(wave, person, [p for p in old if p != person][:2])
    return closing.wave_close(wave=wave), newcomer


def test_a_newcomer_since_the_previous_wave_is_suggested_in_the_app(survey_world):
    wave, newcomer = _second_wave_with_newcomer(survey_world)
    found = [
        s
        for s in wave.snapshot["structure"]["suggestions"]
        if s["kind"] == "include" and s["numbers"].get("newcomer")
    ]
    assert [s["people"] for s in found] == [[str(newcomer.pk)]]
    assert found[0]["numbers"]["ties"] == 1
    with override("fi"):
        shown = queries.suggestions_of(wave)
    texts = [s["reason"] for s in shown]
    assert (
        "Niilo Uusi on tullut mukaan edellisen kyselyn jälkeen, ja hänellä on toistaiseksi "
        "1 yhteys." in texts
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_app_words_a_reason_as_the_command_does_with_names(lang):
    s = {
        "kind": "answer_one_sided",
        "people": ["1", "2"],
        "groups": [],
        "numbers": {"strong": True},
    }
    with override(lang):
        text = weaving.reason(s, {"1": "Aino Mäkelä", "2": "Bo Ek"})
    assert text == suggestions.REASONS[lang]["answer_one_sided"].format(a="Aino Mäkelä", b="Bo Ek")


def test_a_person_no_longer_known_reads_as_a_former_member():
    s = {"kind": "include", "people": ["9"], "groups": [], "numbers": {"ties": 0}}
    with override("fi"):
        assert weaving.reason(s, {}).startswith("entinen jäsen: ei vielä yhteyksiä")


def test_the_sentences_live_in_one_place():
    """No second copy of the reasons in the app (issue 17: they had drifted apart)."""
    source = Path(weaving.__file__).read_text()
    for texts in suggestions.REASONS.values():
        for text in texts.values():
            for form in text if isinstance(text, tuple) else (text,):
                fragment = form.split("{")[0].strip() or form.split("}")[1][:25]
                assert fragment not in source, fragment
    assert "close the triangle" not in source and "structural hole" not in source
