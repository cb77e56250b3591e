"""Links up the floors go through common/links.py: the higher app names its URL for a part."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from suhde.common.links import LINKS, link_register, link_url

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"


def test_a_registered_part_gives_its_apps_url():
    dashboard = reverse("evaluation:dashboard", args=["core", 5])
    assert link_url("wave_dashboard", "core", 5) == dashboard
    assert link_url("decision", "core", 7) == reverse("decisions:decision", args=["core", 7])
    assert link_url("my_networks") == reverse("networks:my_networks")
    assert link_url("login") == reverse("login")


def test_a_part_no_installed_app_offers_has_no_url():
    assert link_url("service_path", "core") == ""


def test_a_part_belongs_to_one_url_name():
    link_register(part="decision", url_name="decisions:decision")  # the same again is harmless
    with pytest.raises(ValueError, match="'decision' already links to 'decisions:decision'"):
        link_register(part="decision", url_name="charter:charter")
    assert LINKS["decision"] == "decisions:decision"


def test_every_part_a_template_asks_for_is_registered():
    asked = {
        part
        for path in SRC.rglob("*.html")
        for part in re.findall(r"""\{%\s*link_url\s+['"](\w+)['"]""", path.read_text())
    }
    assert asked == {
        "my_networks",
        "ecosystem",
        "account",
        "login",
        "decision",
        "wave_dashboard",
        "service_path_transition",
        "public_summary_settings",
    }
    assert asked <= set(LINKS)
