"""The strategic continuum (seed-en.md §4): four phases that repeat, each with its questions."""

import math
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Phase


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
