"""Folding text for search and matching: case, diacritics and spacing never decide a match.

"makela" finds "Mäkelä", "ÅSTRÖM" finds "Åström", and "Järvelän  Nuoret ry" is the same
organization as "Jarvelan nuoret". Every search over names folds both sides with ``fold``, on
SQLite and PostgreSQL alike, so the database needs no collation or extension: the registry stores
a folded copy of each name beside it (``Person.search``, ``Organization.search`` and ``key``).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not split into a base letter and a mark (ä → a + ¨ is split already).
LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ŋ": "n", "ł": "l", "þ": "th"}
)
# Legal forms that come and go in how an organization is written: "Järvelän Nuoret ry" and
# "Järvelän nuoret" are one association. Dots are gone before this is used (r.y. → ry).
LEGAL_FORMS = frozenset(
    {"ry", "rf", "oy", "oyj", "ab", "abp", "ky", "kb", "tmi", "osk", "andelslag", "sr", "rs"}
)
SEARCH_MAX = 100
TERMS_MAX = 6
_NOT_WORD = re.compile(r"[^\w@.+-]+")
_NOT_KEY = re.compile(r"[\W_]+")


def fold(text: str | None) -> str:
    """Lowercase, without diacritics, one space between words: the form search compares."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.translate(LETTERS).split())


def search_terms(text: str | None) -> list[str]:
    """What someone typed into a search box, folded and split into at most a few words."""
    words = _NOT_WORD.sub(" ", fold(str(text or "")[:SEARCH_MAX])).split()
    return list(dict.fromkeys(words))[:TERMS_MAX]


def organization_key(name: str | None) -> str:
    """The name as two spellings of one organization share it: folded, no punctuation, no
    spaces, without a legal form (ry, Oy, Ab, rf…) at either end."""
    words = _NOT_KEY.sub(" ", fold(name).replace(".", "")).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    while len(words) > 1 and words[0] in LEGAL_FORMS:
        words.pop(0)
    return "".join(words)
