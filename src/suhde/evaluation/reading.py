"""Plain-language readings of a wave's structure: what the figures mean for a network this size,
and which of the deck's four network forms (docs/background.md, section 2) the structure resembles.

Everything here reads the structural part of the snapshot only (ties, never ratings), so it can
say nothing about any one respondent's answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.networks.models import Form
from suhde.surveys.snapshot import Structure

SMALL, MEDIUM = 15, 60  # up to 15 people everyone can know everyone; above 60 nobody can


@dataclass(frozen=True)
class Reading:
    title: str
    figure: str
    text: str


# Structural figures that are shares of a whole, shown as percent.
SHARES = frozenset(
    {"density", "reciprocity", "strong_tie_share", "largest_component_share", "transitivity"}
)


def figure_name(key: str) -> str:
    """A structural figure's name for a reader: the page, the comparison and the Excel report."""
    names = {
        "nodes": _("People"),
        "ties": _("Ties"),
        "density": _("Density"),
        "reciprocity": _("Mutual ties"),
        "strong_tie_share": _("Share of strong ties"),
        "isolates": _("People without ties"),
        "components": _("Separate parts"),
        "largest_component_share": _("Largest connected part"),
        "mean_distance": _("Steps between people on average"),
        "transitivity": _("Closed triangles"),
        "diameter": _("Longest distance in steps"),
        "degree_centralization_in": _("Centralization of ties received"),
        "degree_centralization_out": _("Centralization of ties named"),
    }
    return names.get(key, key)


def pct(value: float | None) -> str:
    """A share as a whole percent. Django's number_format cuts decimals off, so round first."""
    return "–" if value is None else f"{number_format(round(value * 100), 0)} %"


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else number_format(round(value, digits), digits)


def _density(net: dict) -> Reading:
    n, ties = net["nodes"], net["ties"]
    possible = n * (n - 1)
    average = ties / n if n else 0
    text = ngettext(
        "Of the %(possible)s possible ties between %(n)s people, %(ties)s was named: on average "
        "each person named %(average)s partners.",
        "Of the %(possible)s possible ties between %(n)s people, %(ties)s were named: on average "
        "each person named %(average)s partners.",
        ties,
    ) % {"possible": possible, "n": n, "ties": ties, "average": num(average)}
    if n <= SMALL:
        text += " " + _(
            "In a group this small most people can know each other; a density well below half "
            "means some members do not yet work together."
        )
    elif n <= MEDIUM:
        text += " " + _(
            "In a network of this size nobody works with everyone; a density between 5 and 20 "
            "percent is common. What matters more is that everyone can be reached in a few steps."
        )
    else:
        text += " " + _(
            "In a network this large a low density is normal and healthy: no one can keep up "
            "ties with everyone. Look at how many steps it takes to reach others instead."
        )
    return Reading(_("Density"), pct(net["density"]), text)


def _distance(net: dict) -> Reading:
    text = _(
        "Through the named ties, a person reaches another in %(steps)s steps on average; the "
        "longest shortest path is %(diameter)s steps."
    ) % {"steps": num(net["mean_distance"]), "diameter": net["diameter"] or "–"}
    return Reading(_("Steps between people"), num(net["mean_distance"]), text)


def _strength(net: dict) -> Reading:
    share = net["strong_tie_share"]
    weak = None if share is None else 1 - share
    text = _(
        "%(strong)s of the ties are strong partnerships (people plan, share resources or work as "
        "one team) and %(weak)s weak ones (they share information or help each other). A "
        "renewing network needs both: strong ties get things done, weak ties bring in the new."
    ) % {"strong": pct(share), "weak": pct(weak)}
    return Reading(_("Strong and weak ties"), pct(share), text)


def _reciprocity(net: dict) -> Reading:
    text = _(
        "%(share)s of the ties were named by both people. A tie named by only one of them may "
        "mean the two see their work together differently."
    ) % {"share": pct(net["reciprocity"])}
    return Reading(_("Mutual ties"), pct(net["reciprocity"]), text)


def _parts(net: dict) -> Reading:
    isolates = net["isolates"]
    text = ngettext(
        "%(count)d person has no ties yet.",
        "%(count)d people have no ties yet.",
        isolates,
    ) % {"count": isolates}
    text += " " + _("The largest connected part holds %(share)s of the people.") % {
        "share": pct(net["largest_component_share"])
    }
    return Reading(_("People without ties"), str(isolates), text)


def _silos(groups: dict) -> Reading | None:
    ei = groups.get("ei_index", {}).get("organization")
    if ei is None:
        return None
    if ei > 0.2:
        verdict = _("Most ties cross organizations: the network works across its silos.")
    elif ei < -0.2:
        verdict = _("Most ties stay inside organizations: the silos are still strong.")
    else:
        verdict = _("Ties inside and across organizations are about balanced.")
    text = (
        _(
            "The E-I index runs from −1 (all ties inside organizations) to +1 (all ties across "
            "them); here it is %(ei)s."
        )
        % {"ei": num(ei, 2)}
        + " "
        + verdict
    )
    return Reading(_("Crossing silos"), num(ei, 2), text)


def readings(structure: Structure) -> list[Reading]:
    net = structure["network"]
    found = [_density(net), _distance(net), _strength(net), _reciprocity(net), _parts(net)]
    silos = _silos(structure.get("groups", {}))
    return found + ([silos] if silos else [])


# --- the four network forms ---------------------------------------------------------------------


def _centralization(net: dict) -> float:
    values = [net.get("degree_centralization_in"), net.get("degree_centralization_out")]
    return max((v for v in values if v is not None), default=0.0)


def form_hint(structure: Structure) -> dict:
    """Which form the structure resembles most, with the reasons that point to it.

    Each form has a few structural signs; the form with most signs wins (in the deck's order on
    a tie). It is a hint for discussion, not a verdict: the form is also about norms and rules,
    which no tie list shows.
    """
    net, groups = structure["network"], structure.get("groups", {})
    central = _centralization(net)
    strong = net.get("strong_tie_share") or 0.0
    reciprocity = net.get("reciprocity") or 0.0
    largest = net.get("largest_component_share") or 0.0
    n = max(net.get("nodes") or 0, 1)
    isolated = (net.get("isolates") or 0) / n
    modularity = (groups.get("communities") or {}).get("modularity") or 0.0
    signs = {
        Form.HIERARCHICAL: [
            (
                central >= 0.3,
                _("a few people hold a large share of the ties (centralization %(v)s)")
                % {"v": pct(central)},
            ),
            (strong >= 0.5, _("most ties are strong (%(v)s)") % {"v": pct(strong)}),
            (reciprocity < 0.2, _("few ties are mutual (%(v)s)") % {"v": pct(reciprocity)}),
        ],
        Form.JOINT: [
            (
                largest >= 0.9,
                _("almost everyone is connected (%(v)s in one part)") % {"v": pct(largest)},
            ),
            (
                central < 0.3,
                _("ties are spread evenly (centralization %(v)s)") % {"v": pct(central)},
            ),
            (reciprocity >= 0.2, _("many ties are mutual (%(v)s)") % {"v": pct(reciprocity)}),
            (strong >= 0.4, _("a good share of ties are strong (%(v)s)") % {"v": pct(strong)}),
        ],
        Form.EVOLVING: [
            (strong < 0.5, _("weak ties dominate (%(v)s strong)") % {"v": pct(strong)}),
            (
                modularity >= 0.3,
                _("people cluster in communities (modularity %(v)s)") % {"v": num(modularity, 2)},
            ),
            (
                central < 0.2,
                _("nobody stands at the centre (centralization %(v)s)") % {"v": pct(central)},
            ),
        ],
        Form.CHAOTIC: [
            (
                largest < 0.8,
                _("the network falls apart into separate parts (largest %(v)s)")
                % {"v": pct(largest)},
            ),
            (isolated > 0.15, _("many people have no ties (%(v)s)") % {"v": pct(isolated)}),
            (reciprocity < 0.1, _("hardly any tie is mutual (%(v)s)") % {"v": pct(reciprocity)}),
        ],
    }
    scored = [
        (sum(held for held, _r in found) / len(found), -order, form, found)
        for order, (form, found) in enumerate(signs.items())
    ]
    _score, _order, form, found = max(scored)
    return {
        "form": str(form),
        "label": str(Form(form).label),
        "reasons": [reason for held, reason in found if held],
        "against": [reason for held, reason in found if not held],
    }
