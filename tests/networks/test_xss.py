"""Promise 16: user text is never marked safe; every field comes back escaped."""

import pytest
from django.urls import reverse
from django.utils import timezone

from suhde.networks import domain
from suhde.networks.models import Membership

CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}<b>bold</b>",
]


@pytest.mark.parametrize("payload", CORPUS)
def test_text_fields_are_escaped_on_every_page(client, world, payload):
    domain.network_update(network=world.network, name=f"N {payload}", purpose=payload)
    domain.organization_update(organization=world.organization, name=f"O {payload}", notes=payload)
    person = world.people[0]
    domain.person_update(
        network=world.network,
        person=person,
        user=world.coordinator,
        name=f"P {payload}",
        title=payload,
        human=payload,
        needs=payload,
        competences=[payload],
    )
    domain.ties_survey_record(  # a wave's title is shown as the name of a tie's source
        network=world.network,
        label=f"W {payload}",
        at=timezone.now(),
        respondents=[person.pk],
        ties=[(person.pk, world.people[1].pk, "strong")],
    )
    client.force_login(world.coordinator)
    membership = Membership.objects.get(person=person, network=world.network)
    urls = [
        reverse("networks:my_networks"),
        reverse("networks:ecosystem"),
        reverse("networks:home", args=["core"]),
        reverse("networks:members", args=["core"]),
        reverse("networks:organizations", args=["core"]),
        reverse("networks:ties", args=["core"]),
        reverse("networks:person", args=["core", person.pk]),
        reverse("networks:tie", args=["core", world.tie.pk]),
        reverse("networks:organization", args=["core", world.organization.pk]),
        reverse("networks:person_edit", args=["core", person.pk]),
        reverse("networks:member_edit", args=["core", membership.pk]),
        reverse("networks:organization_edit", args=["core", world.organization.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        for dangerous in ("<script>alert", "<img src=x", "<svg/onload", "<b>bold</b>"):
            assert dangerous not in html, (url, dangerous)


def test_the_message_after_removing_a_source_is_escaped(client, world):
    payload = CORPUS[0]
    domain.ties_survey_record(
        network=world.network,
        label=payload,
        at=timezone.now(),
        respondents=[world.tie.source_id],
        ties=[(world.tie.source_id, world.tie.target_id, "strong")],
    )
    client.force_login(world.coordinator)
    entered = world.tie.origins.get(kind="entered")
    url = reverse("networks:tie_origin_remove", args=["core", world.tie.pk, entered.pk])
    html = client.post(url, follow=True).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
