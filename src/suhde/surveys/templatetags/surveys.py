from collections.abc import Mapping
from typing import Any

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
def figure_table(
    cells: list[dict[str, Any]] | None,
    caption: str,
    kind: str = "",
    direction: str = "",
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
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
def as_list(value: object) -> list[object]:
    return [value] if value is not None else []


@register.filter
def index(value: float | str | None) -> str:
    """An index 0–100 with one decimal in the reader's locale; a dash when there is none."""
    if value is None or isinstance(value, str):  # "": a family with nothing shown, in a template
        return "–"
    return number_format(round(value, 1), 1)


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{number_format(round(value * 100), 0)} %"


@register.filter
def cell_label(key: str, kind: str = "") -> str:
    if kind in TIE_CLASSES:
        return str(TIE_CLASSES[kind].get(key, key))
    if kind == "sector" and key in Sector.values:
        return str(Sector(key).label).capitalize()
    if key == "-":
        return str(_("No home organization"))
    if key == "network":
        return str(_("Whole network"))
    return key


@register.filter
def get(mapping: Mapping[str, object], key: str) -> object:
    return mapping.get(key, "")
