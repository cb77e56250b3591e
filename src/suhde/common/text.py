"""Comparing texts that people type in different ways."""

import unicodedata


def email_normal(value: str) -> str:
    """One spelling per address: Unicode composed the same way (NFKC), stripped, lower case.

    "Paula.Rantanen@Example.FI" and "paula.rantanen@example.fi" are one address; a look-alike
    letter from another script is not. The part before ``@`` may be case-sensitive by the letter
    of RFC 5321, but no mail service in use treats it so. ``lower`` rather than ``casefold``:
    casefold turns ``ß`` into ``ss``, a different address. Pages, the API and imports all
    compare addresses with this.
    """
    return unicodedata.normalize("NFKC", value or "").strip().lower()
