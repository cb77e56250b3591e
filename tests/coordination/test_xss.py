"""Promise 16: event and category text is never marked safe, in the wheel's attributes too."""

import pytest
from django.urls import reverse

from suhde.coordination import domain
from tests.coordination.helpers import category, event

pytestmark = pytest.mark.django_db
PAYLOADS = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "javascript:alert(1)"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_event_text_is_escaped_everywhere(client, world, payload):
    item = event(world.network, payload, place=payload, description=payload)
    domain.category_update(category=category(world.network), name=payload)
    client.force_login(world.coordinator)
    pages = [
        reverse("coordination:clock", args=["core"]) + "?year=2026&month=2026-03",
        reverse("coordination:event", args=["core", item.pk]),
        reverse("coordination:settings", args=["core"]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<svg onload" not in html
        assert 'href="javascript:' not in html


def test_online_link_must_be_http(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        event(world.network, online_url="javascript:alert(1)")
    assert list(caught.value.message_dict) == ["online_url"]
