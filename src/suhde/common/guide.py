"""The in-app guide: the material's concepts as short pages in each interface language.

The pages are plain text files, ``data/guide-<language>.txt``, one per language with the same keys
in the same order (docs/guide.md says how they are written). Every app links to a page with
``{% guide "decision_modes" %}`` (``templatetags/guide.py``); the guide sits on the bottom floor so
that every floor can.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"
HEADERS = ("title", "question", "summary")
LINK = re.compile(r"\[\[(\w+)(?:\|([^\]]+))?\]\]")
# A search longer than this is refused with a message, not cut silently.
SEARCH_MAX = 100
WORDS_MAX = 8


class GuideFileError(ValueError):
    """A guide file that does not follow the format: the message says which file and line."""


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "list" or "example"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class GuidePage:
    key: str
    title: str
    question: str
    summary: str
    blocks: tuple[Block, ...]

    def text(self) -> str:
        """The page as plain text, its links as their words: what the search reads."""
        body = " ".join(line for block in self.blocks for line in block.lines)
        return LINK.sub(lambda m: m.group(2) or m.group(1), body)


def _block(lines: list[str]) -> Block:
    if all(line.startswith("- ") for line in lines):
        return Block("list", tuple(line[2:].strip() for line in lines))
    if lines[0].startswith("> "):
        return Block("example", (" ".join(lines)[2:].strip(),))
    return Block("p", (" ".join(lines),))


def _page(key: str, lines: list[tuple[int, str]], where: str) -> GuidePage:
    headers: dict[str, str] = {}
    body: list[list[str]] = [[]]
    for number, line in lines:
        name, _colon, value = line.partition(": ")
        if not body[-1] and len(body) == 1 and name in HEADERS and name not in headers:
            headers[name] = value.strip()
        elif not line.strip():
            body.append([])
        elif len(headers) < len(HEADERS):
            missing = ", ".join(name for name in HEADERS if name not in headers)
            raise GuideFileError(f"{where}:{number}: {key} lacks {missing} before its text")
        else:
            body[-1].append(line.strip())
    empty = [name for name in HEADERS if not headers.get(name)]
    if empty:
        raise GuideFileError(f"{where}: {key} lacks {', '.join(empty)}")
    blocks = tuple(_block(lines) for lines in body if lines)
    return GuidePage(key, headers["title"], headers["question"], headers["summary"], blocks)


def parse_guide(text: str, where: str = "guide") -> dict[str, GuidePage]:
    """Pages by key, in the file's order. A line starting with "#" before the first page is a
    comment."""
    pages: dict[str, GuidePage] = {}
    key = ""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("=== "):
            if key:
                pages[key] = _page(key, lines, where)
            key, lines = line[4:].strip(), []
            if not re.fullmatch(r"[a-z_]+", key) or key in pages:
                raise GuideFileError(f"{where}:{number}: bad or repeated key {key!r}")
        elif key:
            lines.append((number, line.rstrip()))
        elif line.strip() and not line.startswith("#"):
            raise GuideFileError(f"{where}:{number}: text before the first page")
    if key:
        pages[key] = _page(key, lines, where)
    return pages


def guide_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def guide_pages(language: str) -> dict[str, GuidePage]:
    path = DATA / f"guide-{language}.txt"
    return parse_guide(path.read_text(encoding="utf-8"), path.name)


def guide_language(language: str | None = None) -> str:
    """The active language's guide, or the site's own language for one the guide lacks."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in guide_languages() else settings.LANGUAGE_CODE


def guide_keys() -> tuple[str, ...]:
    return tuple(guide_pages(settings.LANGUAGE_CODE))


def guide_page(key: str, language: str | None = None) -> GuidePage | None:
    return guide_pages(guide_language(language)).get(key)


def guide_html(text: str, language: str | None = None) -> SafeString:
    """One block's text, escaped, with its [[key]] links made links to their pages."""
    pages = guide_pages(guide_language(language))
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        target = pages.get(match.group(1))
        words = match.group(2) or (target.title if target else match.group(1))
        if target is None:
            out.append(escape(words))
        else:
            url = reverse("guide_page", args=[target.key])
            out.append(format_html('<a href="{}">{}</a>', url, words))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


# --- search ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, so that "paatos" finds "päätös" and "Beslut" "beslut"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_words(text: str) -> list[str]:
    return [word for word in re.split(r"\W+", fold(text)) if word][:WORDS_MAX]


def _stem(word: str) -> str:
    """Finnish and Swedish bend their words: "luottamuksen" is "luottamus", "beslutet" "beslut".
    A long word matches on its first letters, so a search finds the other forms too."""
    return word[: max(5, len(word) - 4)] if len(word) > 6 else word


@dataclass(frozen=True)
class GuideHit:
    page: GuidePage
    snippet: str


def _snippet(page: GuidePage, stems: list[str]) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", page.text())
    for sentence in sentences:
        if any(stem in fold(sentence) for stem in stems):
            return sentence if len(sentence) <= 240 else sentence[:239].rstrip() + "…"
    return page.summary


def guide_search(text: str, language: str | None = None) -> list[GuideHit]:
    """Pages where every word of the search occurs (in any of its forms), best first: a word in
    the title counts most, then in the question and the summary, then in the text."""
    stems = [_stem(word) for word in search_words(text)]
    if not stems:
        return []
    scored = []
    for order, page in enumerate(guide_pages(guide_language(language)).values()):
        title, body = fold(page.title), fold(page.text())
        head = fold(f"{page.question} {page.summary}")
        if all(stem in title or stem in head or stem in body for stem in stems):
            score = sum(3 * (s in title) + 2 * (s in head) + (s in body) for s in stems)
            scored.append((-score, order, GuideHit(page, _snippet(page, stems))))
    return [hit for _score, _order, hit in sorted(scored, key=lambda row: row[:2])]
