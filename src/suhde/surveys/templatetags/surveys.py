from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from suhde.networks.models import Sector

register = template.Library()

TIE_CLASSES = {
    "organization_ties": {
        "within": _("the same organization"),
        "across": _("different organizations"),
    },
    "sector_ties": {"within": _("the same sector"), "across": _("different sectors")},
}


FAMILY_LABELS = {
    "knowing": _("Knowing"),
    "trust": _("Trust"),
    "commitment": _("Keeps promises"),
    "self": _("Own commitment"),
}


@register.inclusion_tag("surveys/_figures.html")
def figure_table(cells, caption, kind="", direction="", names=None):
    """A table of group figures in one direction; each family shown or "too few" on its own."""
    cells = [c for c in cells or [] if not direction or c.get("direction") == direction]
    families = ["knowing", "trust", "commitment"]
    if any(c.get("direction") in ("all", "given") for c in cells):
        families.append("self")
    rows = [
        {
            "label": (names or {}).get(c["key"]) or cell_label(c["key"], kind),
            "suppressed": c.get("suppressed", True),
            "values": [(f in (c.get("counts") or {}), c.get(f)) for f in families],
            "respondents": c.get("respondents"),
        }
        for c in cells
    ]
    return {
        "rows": rows,
        "caption": caption,
        "families": [FAMILY_LABELS[f] for f in families],
        "span": len(families) + 1,
    }


@register.filter
def as_list(value):
    return [value] if value is not None else []


@register.filter
def index(value):
    """An index 0–100 with one decimal in the reader's locale; a dash when there is none."""
    if value is None or value == "":  # "" : a family with nothing shown, read in a template
        return "–"
    return number_format(round(value, 1), 1)


@register.filter
def percent(value):
    return "–" if value is None else f"{number_format(round(value * 100), 0)} %"


@register.filter
def cell_label(key, kind=""):
    if kind in TIE_CLASSES:
        return TIE_CLASSES[kind].get(key, key)
    if kind == "sector" and key in Sector.values:
        return Sector(key).label.capitalize()
    if key == "-":
        return _("No home organization")
    if key == "network":
        return _("Whole network")
    return key


@register.filter
def get(mapping, key):
    return mapping.get(key, "")
