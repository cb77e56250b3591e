"""Issue 15, point 7: survey items start unanswered; "can't say" is a choice of its own, never
pre-selected, so skipping an item is not silently the same as choosing it."""

import re

from django.urls import reverse

from suhde.surveys import instrument
from suhde.surveys.models import Response
from tests.surveys.conftest import members, token_of


def _checked(html: str) -> list[str]:
    return re.findall(r'<input type="radio"[^>]*\bchecked\b[^>]*>', html)


def _start(client, world):
    people = members(world)
    me, partner = people[3], people[4]
    token = token_of(world.wave, me)
    client.get(reverse("survey_start", args=[token]))
    client.post(reverse("survey_roster", args=[token]), {"partners": [str(partner.pk)]})
    return me, token


def test_no_item_starts_answered_and_cant_say_is_offered_for_each(client, survey_world):
    _me, token = _start(client, survey_world)
    partner_page = client.get(reverse("survey_partner", args=[token, 1])).content.decode()
    self_page = client.get(reverse("survey_self", args=[token])).content.decode()
    assert _checked(partner_page) == []
    assert _checked(self_page) == []
    assert partner_page.count('value="cant_say"') == len(instrument.DYADIC)
    assert self_page.count('value="cant_say"') == len(instrument.SELF)
    assert 'value=""' not in partner_page.split("<form", 1)[1]


def test_cant_say_is_stored_as_no_value(client, survey_world):
    me, token = _start(client, survey_world)
    data = {"level": "3", **{item.id: "cant_say" for item in instrument.DYADIC}, "K1": "4"}
    response = client.post(reverse("survey_partner", args=[token, 1]), data)
    assert response.status_code == 302
    answer = Response.objects.get(respondent=me).partners.get()
    assert (answer.level, answer.k1, answer.k2, answer.t1) == (3, 4, None, None)


def test_a_made_up_choice_is_refused_at_its_item(client, survey_world):
    me, token = _start(client, survey_world)
    response = client.post(reverse("survey_partner", args=[token, 1]), {"level": "3", "K1": "0"})
    assert response.status_code == 400
    assert "K1" in response.context["form"].errors
    assert Response.objects.get(respondent=me).partners.get().k1 is None
