"""Weaving suggestions of a closed wave, in the reader's language, with people's names.

``suhde.analysis`` words its reasons with person ids (it never sees names); here each suggestion
is worded again through gettext from its kind and numbers, so it reads naturally and follows the
language switch. Each suggestion gets a stable key from what it is about, so a decision on it
survives re-reading the snapshot.
"""

from __future__ import annotations

import hashlib

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.models import Sector


def suggestion_key(suggestion: dict) -> str:
    text = "|".join(
        [suggestion["kind"], ",".join(suggestion["people"]), ",".join(suggestion["groups"])]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _group(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else value


def reason(suggestion: dict, names: dict[str, str]) -> str:
    """The suggestion's reason, worded for the reader, with names in place of ids."""
    kind, numbers = suggestion["kind"], suggestion.get("numbers", {})
    people = [names.get(pid, _("a former member")) for pid in suggestion["people"]]
    groups = [_group(g) for g in suggestion["groups"]]
    if kind == "broker_dependence":
        return ngettext(
            "%(a)s is the only person in %(group)s with ties outside it (%(external)d tie). "
            "Without them, %(group)s (%(size)d people) would be cut off; help others build "
            "ties too.",
            "%(a)s is the only person in %(group)s with ties outside it (%(external)d ties). "
            "Without them, %(group)s (%(size)d people) would be cut off; help others build "
            "ties too.",
            numbers.get("external_ties", 0),
        ) % {
            "a": people[0],
            "group": groups[0],
            "external": numbers.get("external_ties", 0),
            "size": numbers.get("group_size", 0),
        }
    if kind == "include" and numbers.get("newcomer"):
        return ngettext(
            "%(a)s is new since the previous survey and has %(ties)d tie so far.",
            "%(a)s is new since the previous survey and has %(ties)d ties so far.",
            numbers.get("ties", 0),
        ) % {
            "a": people[0],
            "ties": numbers.get("ties", 0),
        }
    if kind == "include":
        return _(
            "%(a)s has no ties in the network yet. Invite them to a meeting or introduce them "
            "to someone."
        ) % {"a": people[0]}
    if kind == "bridge" and numbers.get("column") == "sector":
        return ngettext(
            "There is %(ties)d tie between the %(a)s and the %(b)s; about %(expected)s would "
            "be expected if sector did not matter.",
            "There are %(ties)d ties between the %(a)s and the %(b)s; about %(expected)s would "
            "be expected if sector did not matter.",
            numbers.get("ties", 0),
        ) % {
            "a": groups[0],
            "b": groups[1],
            "ties": numbers.get("ties", 0),
            "expected": number_format(round(numbers.get("expected", 0)), 0),
        }
    if kind == "bridge" and len(groups) == 1:
        return _("%(a)s has no ties with people in other organizations.") % {"a": groups[0]}
    if kind == "bridge":
        return ngettext(
            "%(a)s and %(b)s have no ties with each other, although both work with %(shared)d "
            "same organization. A meeting could bridge this gap.",
            "%(a)s and %(b)s have no ties with each other, although both work with %(shared)d "
            "of the same organizations. A meeting could bridge this gap.",
            numbers.get("shared_partners", 0),
        ) % {"a": groups[0], "b": groups[1], "shared": numbers.get("shared_partners", 0)}
    if kind == "introduce":
        return ngettext(
            "%(a)s and %(b)s both work with %(common)d same partner but have no tie with each "
            "other. Introducing them would close the triangle.",
            "%(a)s and %(b)s both work with %(common)d of the same partners but have no tie with "
            "each other. Introducing them would close the triangle.",
            numbers.get("shared_partners", 0),
        ) % {"a": people[0], "b": people[1], "common": numbers.get("shared_partners", 0)}
    if kind == "answer_one_sided":
        return _(
            "%(a)s named %(b)s as a partner, but %(b)s did not name %(a)s. A conversation could "
            "make the tie mutual."
        ) % {"a": people[0], "b": people[1]}
    return suggestion.get("reason", {}).get("en", "")


def kind_label(kind: str) -> str:
    labels = {
        "broker_dependence": _("Share the bridge"),
        "include": _("Include"),
        "bridge": _("Bridge a gap"),
        "introduce": _("Introduce"),
        "answer_one_sided": _("Make a tie mutual"),
    }
    return labels.get(kind, kind)
