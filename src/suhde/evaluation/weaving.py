"""Weaving suggestions of a closed wave, in the reader's language, with people's names.

``suhde.analysis`` words the reasons in Finnish, Swedish and English (it never sees names); here
each suggestion gets its people's names and the reader's language, so it follows the language
switch. Each suggestion gets a stable key from what it is about, so a decision on it
survives re-reading the snapshot.
"""

from __future__ import annotations

import hashlib

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from suhde.analysis import suggestions
from suhde.networks.models import Sector


def suggestion_key(suggestion: dict) -> str:
    text = "|".join(
        [suggestion["kind"], ",".join(suggestion["people"]), ",".join(suggestion["groups"])]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _group(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else value


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def reason(suggestion: dict, names: dict[str, str]) -> str:
    """The suggestion's reason in the reader's language, with names in place of ids.

    The sentences themselves live in ``suhde.analysis.suggestions`` (one copy for the command
    and the app); here they get names, translated sector labels and localized numbers.
    """
    return suggestions.reason(
        suggestion,
        _language(),
        people=[names.get(pid, _("a former member")) for pid in suggestion["people"]],
        groups=[_group(g) for g in suggestion["groups"]],
        number=lambda value: number_format(value, 0),
    )


def kind_label(kind: str) -> str:
    labels = {
        "broker_dependence": _("Share the bridge"),
        "include": _("Include"),
        "bridge": _("Bridge a gap"),
        "introduce": _("Introduce"),
        "answer_one_sided": _("Make a tie mutual"),
        "handoff": _("Strengthen a handoff"),
    }
    return labels.get(kind, kind)
