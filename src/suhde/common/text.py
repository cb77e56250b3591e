"""Comparing texts that people type in different ways."""


def email_normal(value: str) -> str:
    """An email address as it is compared: without surrounding spaces, in lower case.

    The part before ``@`` may be case-sensitive by the letter of RFC 5321, but no mail service
    in use treats it so, and people write ``Paula.Rantanen@`` and ``paula.rantanen@`` for the
    same address. ``lower`` rather than ``casefold``: casefold turns ``ß`` into ``ss``, a
    different address.
    """
    return value.strip().lower()
