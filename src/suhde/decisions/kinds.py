"""The scales of the five kinds of poll: which answers each takes and what they are called.

Gradients of agreement serve the facilitated way of deciding, consent ("any objections?") and the
quick sense-check serve a proposal someone will carry out, a score or dots help a group choose.
One answer is one ``point`` on the kind's scale; dot voting answers with ``dots``, one count per
option.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from suhde.workshops.methods import GRADIENTS

from .models import POINTS, SCORE_MAX, PollKind

CONSENT = [_("No objection"), _("Stand aside"), _("Objection")]
SENSE = [_("Looks good"), _("Not sure"), _("Concerned")]


def points(kind: str) -> list[int]:
    """The answers a kind takes, in the order the results list them."""
    if kind == PollKind.GRADIENTS:
        return list(range(1, POINTS + 1))
    if kind in (PollKind.CONSENT, PollKind.SENSE):
        return [1, 2, 3]
    if kind == PollKind.SCORE:
        return list(range(0, SCORE_MAX + 1))
    return []


def label(kind: str, point: int | None) -> str:
    """The answer's full label ("Agreement with reservations — “I can live with it.”")."""
    if point is None:
        return ""
    if kind == PollKind.GRADIENTS and 1 <= point <= POINTS:
        return str(GRADIENTS[point - 1])
    if kind == PollKind.CONSENT and 1 <= point <= 3:
        return str(CONSENT[point - 1])
    if kind == PollKind.SENSE and 1 <= point <= 3:
        return str(SENSE[point - 1])
    return str(point)


def short_label(kind: str, point: int | None) -> str:
    """The label without its quoted words: "Agreement with reservations" (fi "Hyväksyn
    varauksin"); the part before the dash in every language, as the translators wrote it."""
    return label(kind, point).split(" — ")[0]


def choices(kind: str) -> list[tuple[int, str]]:
    if kind == PollKind.GRADIENTS:
        return [(n, f"{n}. {label(kind, n)}") for n in points(kind)]
    return [(n, label(kind, n)) for n in points(kind)]


def objects(kind: str, point: int | None) -> bool:
    """An answer that stands against the proposal: its voter may sign it with their name."""
    if kind == PollKind.GRADIENTS:
        return point in (6, 7)
    return kind == PollKind.CONSENT and point == 3
