"""Find English interface text in a page or a mail meant for a Finnish or Swedish reader.

The interface's English is its msgids. A msgid whose Finnish (or Swedish) translation differs
from it must never be seen by that reader: where it is, a string was not marked for
translation, was translated in the wrong language, or was rendered outside the reader's
language. Two checks:

- a piece of text (an element's own text, a label, a title, a button's value) that *is* such a
  msgid — "Save", "Members", "Not Found";
- a longer msgid (three words or more) found anywhere in the text, placeholders filled with
  anything.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django

from tests.common.test_i18n import LOCALE, parse_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]")
DJANGO = Path(django.__file__).parent
DJANGO_CATALOGUES = ("conf/locale", "contrib/auth/locale")
# English that is also the reader's word, or data rather than interface.
SAME_IN_EVERY_LANGUAGE = {"Suhde", "OK", "id", "PNG", "SVG", "PDF", "CSV", "Excel", "min"}


def _english(language: str) -> dict[str, str]:
    """msgid → its translation, for every msgid that the translation changes."""
    found = {}
    paths = [LOCALE / language / "LC_MESSAGES" / "django.po"]
    paths += [DJANGO / c / language / "LC_MESSAGES" / "django.po" for c in DJANGO_CATALOGUES]
    catalogues = [parse_po(path) for path in paths]
    # An English word that is also this language's word for something else is no sign of
    # English: Swedish "Filter" translates "Filters", while English "Filter" is "Filtrera".
    own_words = {
        entry["msgstr"][0]
        for catalogue in catalogues
        for entry in catalogue.values()
        if entry["msgstr"]
    }
    for catalogue in catalogues:
        for (_context, msgid), entry in catalogue.items():
            translated = entry["msgstr"][0] if entry["msgstr"] else ""
            # Two letters are a word in any language ("to" is Thursday in Finnish).
            short = len(msgid) < 3
            if (
                translated
                and translated != msgid
                and not short
                and msgid not in SAME_IN_EVERY_LANGUAGE
                and msgid not in own_words
            ):
                found.setdefault(_unescape(msgid), _unescape(translated))
    return found


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _pattern(msgid: str) -> str:
    parts = PLACEHOLDER.split(msgid)
    return r"\S.*?".join(re.escape(part) for part in parts)


@cache
def matchers(language: str) -> tuple[dict[str, str], re.Pattern | None, re.Pattern | None]:
    english = _english(language)
    exact = {m: t for m, t in english.items() if not PLACEHOLDER.search(m) and "<" not in m}
    shaped = [m for m in english if PLACEHOLDER.search(m) and len(PLACEHOLDER.sub("", m)) > 3]
    whole = re.compile("|".join(f"(?:{_pattern(m)})" for m in shaped)) if shaped else None
    long = [m for m in english if len(PLACEHOLDER.sub("", m).split()) >= 3 and "\n" not in m]
    inside = (
        re.compile("|".join(f"(?:{_pattern(m)})" for m in sorted(long, key=len, reverse=True)))
        if long
        else None
    )
    return exact, whole, inside


class _Text(HTMLParser):
    """An HTML page's visible pieces of text: each element's text and the attributes people
    read or hear (labels, titles, placeholders, alternative text, button values).

    Text inside an element marked with another language (``lang="en"`` on "English" in the
    language menu) is that language on purpose and is left out."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    SKIP = {"script", "style", "code", "pre"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.pieces: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other = bool(attrs.get("lang")) and not attrs["lang"].startswith(self.language)
        if not (self._skipping() or other):
            for name in self.ATTRIBUTES:
                if attrs.get(name):
                    self.pieces.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in self.VOID:
            self._open.append((tag, tag in self.SKIP or other))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.pieces.append(data)


def pieces_of_html(html: str, language: str) -> list[str]:
    parser = _Text(language)
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


# Words that make a sentence English, and that Finnish and Swedish sentences do not use: a piece
# of text with two of them is English even when no msgid says so (a string never marked).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "your",
        "you",
        "with",
        "is",
        "are",
        "this",
        "that",
        "was",
        "were",
        "not",
        "for",
        "from",
        "have",
        "has",
        "be",
        "will",
        "can",
        "there",
        "here",
        "what",
        "which",
        "when",
    ]
)
WORD = re.compile(r"[A-Za-z']+")


def _english_sentence(text: str) -> bool:
    words = [w.lower() for w in WORD.findall(text)]
    return len(words) >= 3 and len([w for w in words if w in ENGLISH_WORDS]) >= 2


def english_in(pieces: list[str], language: str) -> list[str]:
    """The English interface text among the pieces, each once."""
    exact, whole, inside = matchers(language)
    found = [piece for piece in pieces if _english_sentence(piece)]
    for piece in pieces:
        text = piece.strip(" :*·()")
        if (text in exact and exact[text].strip().casefold() != text.casefold()) or (
            whole is not None and whole.fullmatch(text)
        ):
            found.append(text)
    if inside is not None:
        joined = "\n".join(pieces)
        found += [match.group(0) for match in inside.finditer(joined)]
    return sorted(set(found))
