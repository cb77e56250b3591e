"""The relationship survey instrument (docs/instrument.md): items, scales and texts."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemKind(StrEnum):
    DYADIC = "dyadic"  # about one named partner, on a scale of 1–4
    SELF = "self"  # about the respondent's own commitment, on a scale of 1–5


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str  # knowing, trust or commitment
    kind: ItemKind
    text: Promise  # dyadic texts speak of the partner as "they", never by name

    @property
    def scale(self) -> list[int]:
        return [1, 2, 3, 4] if self.kind == ItemKind.DYADIC else [1, 2, 3, 4, 5]


# The dyadic items never name the partner: the page names them once ("Partner: Leena
# Heinonen") and the items speak of "them". A name inside a Finnish sentence would need a case
# ending ("Leena Heinosen kanssa") that no template can add correctly.
ITEMS = (
    Item(
        "K1",
        "knowing",
        ItemKind.DYADIC,
        _(
            "I know them by name and face, know their home organization, and know them as a "
            "person beyond their title."
        ),
    ),
    Item("K2", "knowing", ItemKind.DYADIC, _("I know what they know and are able to do.")),
    Item(
        "K3", "knowing", ItemKind.DYADIC, _("I know what they need and expect from this network.")
    ),
    Item("K4", "knowing", ItemKind.DYADIC, _("We share a history of working together.")),
    Item(
        "T1", "trust", ItemKind.DYADIC, _("I trust that they mean well toward me and the network.")
    ),
    Item(
        "T2",
        "trust",
        ItemKind.DYADIC,
        _("I trust their competence and ability to do what is needed."),
    ),
    Item(
        "T3",
        "trust",
        ItemKind.DYADIC,
        _("I can bring up uncertainties, mistakes and unfinished ideas with them."),
    ),
    Item(
        "T4",
        "trust",
        ItemKind.DYADIC,
        _("They act consistently: what they say and do match over time."),
    ),
    Item(
        "C4", "commitment", ItemKind.DYADIC, _("They keep the promises they make in this network.")
    ),
    Item(
        "C1",
        "commitment",
        ItemKind.SELF,
        _(
            "Taking part in this network is my own choice, feels meaningful and connects me to "
            "others, so I am willing to make promises here."
        ),
    ),
    Item(
        "C2",
        "commitment",
        ItemKind.SELF,
        _("I have the competence and capacity to deliver what I promise in this network."),
    ),
    Item(
        "C3",
        "commitment",
        ItemKind.SELF,
        _(
            "The structures of my home organization (time, mandate, resources) enable my "
            "commitment to this network."
        ),
    ),
)
DYADIC = tuple(item for item in ITEMS if item.kind == ItemKind.DYADIC)
SELF = tuple(item for item in ITEMS if item.kind == ItemKind.SELF)

# Levels of Collaboration (after Frey et al. 2006): 1–2 a weak tie, 3–5 a strong one.
LEVELS = (
    (1, _("Networking: we share information")),
    (2, _("Cooperation: we help each other")),
    (3, _("Coordination: we plan and divide work")),
    (4, _("Coalition: we share resources and decisions")),
    (5, _("Collaboration: we work as one team toward a shared goal")),
)
EXTENT = (
    (1, _("not at all")),
    (2, _("a little")),
    (3, _("a fair amount")),
    (4, _("a great deal")),
)
AGREEMENT = (
    (1, _("strongly disagree")),
    (2, _("somewhat disagree")),
    (3, pgettext_lazy("agreement scale", "neither")),
    (4, _("somewhat agree")),
    (5, _("strongly agree")),
)
CANT_SAY = _("can't say")
OPEN_QUESTIONS = (
    ("works", _("What works well in this network, and why?")),
    ("improve", _("What does not work yet, and what could be done?")),
)
BARRIERS_QUESTION = _("What hinders and what enables your commitment?")
