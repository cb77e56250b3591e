"""The accessibility statement: open to everyone, in three languages, with the operator's part."""

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", "Saavutettavuusseloste"),
        ("sv", "Tillgänglighetsutlåtande"),
        ("en", "Accessibility statement"),
    ],
)
def test_the_statement_is_open_to_everyone_in_their_language(client, db, language, words):
    with translation.override(language):
        url = reverse("accessibility")
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{words}</h1>" in page
    assert "Traficom" in page and "WCAG 2.1" in page


def test_the_operators_part_and_contact_are_shown_escaped(client, db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SUHDE_ACCESSIBILITY_CONTACT = "saavutettavuus@kunta.example.fi"
    (tmp_path / "accessibility").mkdir()
    (tmp_path / "accessibility" / "en.txt").write_text(
        "Run by the City of Example.\n\nAssessed 1.3.2026 <script>x</script>"
    )
    page = client.get(reverse("accessibility")).content.decode()
    assert "<p>Run by the City of Example.</p>" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert 'href="mailto:saavutettavuus@kunta.example.fi"' in page


def test_without_a_contact_the_statement_says_it_is_missing(client, db, settings):
    settings.SUHDE_ACCESSIBILITY_CONTACT = ""
    assert "SUHDE_ACCESSIBILITY_CONTACT" in client.get(reverse("accessibility")).content.decode()
