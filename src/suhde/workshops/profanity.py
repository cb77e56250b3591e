"""A short list of words that hold a live post back for the facilitator (fi, sv, en).

A post with a listed word is kept but hidden and flagged; the facilitator can show it anyway.
The list is deliberately short: it catches the obvious, the facilitator handles the rest.
"""

import re
import unicodedata

WORDS = {
    # English
    "fuck", "fucking", "shit", "bullshit", "cunt", "asshole", "bitch", "bastard",
    "wanker", "motherfucker", "slut", "whore", "retard",
    # Finnish
    "vittu", "vitun", "perkele", "saatana", "saatanan", "helvetti", "helvetin", "paska",
    "paskat", "kusipää", "mulkku", "huora", "runkkari", "jumalauta",
    # Swedish
    "jävla", "jävel", "helvete", "fitta", "kuk", "hora", "knulla",
    "rövhål",
}  # fmt: skip

_WORD = re.compile(r"\w+", re.UNICODE)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def is_profane(text: str) -> bool:
    return any(word in WORDS for word in _WORD.findall(_normal(text)))
