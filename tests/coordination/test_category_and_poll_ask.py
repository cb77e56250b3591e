"""Issue 15: deleting a category of the clock and closing a poll ask first; the question changes
nothing, and the pages link to it instead of acting on one click."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from suhde.coordination.models import Category
from suhde.decisions import domain as decisions
from tests.coordination.helpers import category


def test_deleting_a_category_asks_first(client, world):
    item = category(world.network)
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    url = reverse("coordination:category_delete", args=["core", item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Poistetaanko luokka" in page.content.decode()
    assert Category.objects.filter(pk=item.pk).exists()
    edit = client.get(reverse("coordination:category_edit", args=["core", item.pk]))
    html = edit.content.decode()
    assert f'href="{url}"' in html and f'action="{url}"' not in html


def test_closing_a_poll_asks_first(client, world):
    decision = decisions.decision_create(
        network=world.network,
        title="Yhteinen käytäntö",
        proposal="Teemme näin.",
        mode="facilitated",
    )
    poll = decisions.poll_open(decision=decision, deadline=timezone.now() + timedelta(days=3))
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    url = reverse("decisions:poll_close", args=["core", decision.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Suljetaanko kysely asiasta Yhteinen käytäntö?" in page.content.decode()
    poll.refresh_from_db()
    assert poll.closed_at is None
    html = client.get(reverse("decisions:decision", args=["core", decision.pk])).content.decode()
    assert f'href="{url}"' in html and f'action="{url}"' not in html
    # Closing asks for the outcome too (issue 20): without it nothing closes.
    assert client.post(url).status_code == 400
    poll.refresh_from_db()
    assert poll.closed_at is None
    client.post(url, {"outcome": "Sovittiin.", "status": "decided"})
    poll.refresh_from_db()
    assert poll.closed_at is not None
