"""Promise 16: user text is never marked safe; every field comes back escaped."""

import pytest
from django.urls import reverse

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
        name=f"P {payload}",
        title=payload,
        human=payload,
        needs=payload,
        competences=[payload],
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
        reverse("networks:person_edit", args=["core", person.pk]),
        reverse("networks:member_edit", args=["core", membership.pk]),
        reverse("networks:organization_edit", args=["core", world.organization.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        for dangerous in ("<script>alert", "<img src=x", "<svg/onload", "<b>bold</b>"):
            assert dangerous not in html, (url, dangerous)
