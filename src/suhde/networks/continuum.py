"""The strategic continuum: four phases that repeat, each with its questions.

The phases are those of the source material (docs/background.md, section 4).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Network, Phase


@dataclass(frozen=True)
class PhaseInfo:
    number: int
    label: Promise
    summary: Promise
    questions: tuple[Promise, ...]

    @property
    def cx(self) -> float:
        return _point(self.number)[0]

    @property
    def cy(self) -> float:
        return _point(self.number)[1]


def _point(number: int) -> tuple[float, float]:
    """Where the phase sits on the drawn cycle: clockwise from the top."""
    angle = math.radians(-90 + (number - 1) * 90)
    return round(160 + 105 * math.cos(angle), 1), round(160 + 105 * math.sin(angle), 1)


PHASES = (
    PhaseInfo(
        Phase.SEE,
        Phase.SEE.label,
        _("Make the network visible and gather it, from a shared situational picture."),
        (
            _("Who is in the network, across the public, private and third sector?"),
            _("How do the actors relate to each other: who knows, trusts and commits to whom?"),
            _("What is our shared picture of the situation around us?"),
        ),
    ),
    PhaseInfo(
        Phase.AGREE,
        Phase.AGREE.label,
        _("Choose and update the ways of working and the goals of the collaboration."),
        (
            _("Why do we work together?"),
            _("Who takes part, and in which roles?"),
            _("How do we work, meet and decide?"),
            _("What do we do together?"),
            _("With what resources?"),
        ),
    ),
    PhaseInfo(
        Phase.ACT,
        Phase.ACT.label,
        _("Coordinate and facilitate concrete progress and action."),
        (
            _("Do the right actors and resources meet at the right time and place?"),
            _("Are our encounters of good quality: enough but not too much time, real dialogue?"),
            _("Do decisions get made together, and do concrete things move forward?"),
        ),
    ),
    PhaseInfo(
        Phase.REFLECT,
        Phase.REFLECT.label,
        _("Evaluate the results and impacts of the collaboration, and reflect together."),
        (
            _("What results and impacts has the collaboration had?"),
            _("How have knowing, trust and commitment changed?"),
            _("What have we learned, and what do we change in the next round?"),
        ),
    ),
)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a phase's checklist on the network's home: what is done, what is missing."""

    label: str
    done: bool
    detail: str = ""
    url: str = ""


# phase number → functions (network) -> list[ChecklistItem]. The apps above ``networks`` fill
# this in their AppConfig.ready(), so the home page shows their state without importing them.
# ANY_PHASE holds what stays open whatever the phase (to-dos): it follows every phase's own items.
ANY_PHASE = 0
ChecklistProvider = Callable[["Network"], list[ChecklistItem]]
CHECKLISTS: dict[int, list[ChecklistProvider]] = {ANY_PHASE: [], 1: [], 2: [], 3: [], 4: []}


def checklist_register(phase: int, provider: ChecklistProvider) -> None:
    """Add a provider of checklist items for a phase. Each provider costs a fixed few queries."""
    if provider not in CHECKLISTS[phase]:
        CHECKLISTS[phase].append(provider)


# What a round leaves behind, shown before the network returns from phase 4 to phase 1 (a new
# round): the apps above fill it as they fill the checklists.
ROUND_END: list[ChecklistProvider] = []


def round_end_register(provider: ChecklistProvider) -> None:
    if provider not in ROUND_END:
        ROUND_END.append(provider)


def round_end_for(network: Network) -> list[ChecklistItem]:
    return [item for provider in ROUND_END for item in provider(network)]


def round_ends(network: Network, to_phase: int) -> bool:
    """Whether this change closes the round: from evaluation back to seeing the network."""
    return network.phase == Phase.REFLECT and to_phase == Phase.SEE


def checklist_for(network: Network, phase: int) -> list[ChecklistItem]:
    providers = CHECKLISTS[phase] + CHECKLISTS[ANY_PHASE]
    return [item for provider in providers for item in provider(network)]


def _registry_checklist(network: Network) -> list[ChecklistItem]:
    from django.urls import reverse

    from .access import memberships_current
    from .queries import ties_current

    members = memberships_current(network)
    member_count = members.count()
    sectors = set(members.values_list("person__organization__sector", flat=True)) - {None}
    ties = ties_current(network).count()
    return [
        ChecklistItem(
            gettext("Members gathered"),
            member_count > 0,
            ngettext("%(count)d member", "%(count)d members", member_count)
            % {"count": member_count},
            reverse("networks:members", args=[network.slug]),
        ),
        ChecklistItem(
            gettext("All three sectors present"),
            len(sectors) == 3,
            gettext("%(count)d of 3 sectors") % {"count": len(sectors)},
            reverse("networks:organizations", args=[network.slug]),
        ),
        ChecklistItem(
            gettext("Ties between members recorded"),
            ties > 0,
            ngettext("%(count)d tie", "%(count)d ties", ties) % {"count": ties},
            reverse("networks:ties", args=[network.slug]),
        ),
    ]


checklist_register(1, _registry_checklist)
