"""Point 8 of issue 15: 403, 404 and 500 are our own pages, in the reader's language, with a way
back — never Django's bare English "Not Found"."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "back"),
    [
        ("fi", "Sivua ei löydy", "Takaisin omiin verkostoihin"),
        ("sv", "Sidan hittades inte", "Tillbaka till mina nätverk"),
        ("en", "Page not found", "Back to my networks"),
    ],
)
def test_not_found_is_a_page_in_the_readers_language(client, world, language, heading, back):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = language
    response = client.get("/n/no-such-network/")
    body = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in body
    assert f'<a href="{reverse("networks:my_networks")}">{back}</a>' in body
    assert "The requested resource was not found" not in body


def test_not_found_offers_the_login_to_a_visitor(client):
    client.cookies["django_language"] = "fi"
    body = client.get("/nothing-here/").content.decode()
    assert f'<a href="{reverse("login")}">Kirjaudu sisään</a>' in body


def test_forbidden_is_a_page_in_the_readers_language(client, world):
    client.force_login(world.member)
    client.cookies["django_language"] = "fi"
    response = client.get(reverse("networks:edit", args=["core"]))
    assert response.status_code == 403
    assert "<h1>Ei sallittu</h1>" in response.content.decode()


def test_an_expired_form_is_explained(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "sv"
    response = client.post(reverse("networks:create"), {"name": "X"})
    assert response.status_code == 403
    assert "<h1>Formuläret har gått ut</h1>" in response.content.decode()


def test_server_error_page_renders_without_a_request(settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("fi"):
        html = render_to_string("500.html")
    assert "<h1>Jokin meni vikaan</h1>" in html
    assert 'lang="fi"' in html


def test_our_password_pages_are_used_not_the_admins(client, world):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    body = client.get(reverse("accounts:password_change")).content.decode()
    assert "Djangon ylläpito" not in body
    assert "Suhde" in body


def test_a_short_password_is_refused_in_finnish(client, world):
    world.coordinator.set_password("an old password 1")
    world.coordinator.save()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "fi"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "an old password 1", "new_password1": "x7Tq", "new_password2": "x7Tq"},
    )
    body = response.content.decode()
    assert "Salasana on liian lyhyt. Siinä on oltava vähintään 10 merkkiä." in body
    assert "This password is too short" not in body
