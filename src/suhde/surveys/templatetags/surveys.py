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


@register.inclusion_tag("surveys/_figures.html")
def figure_table(cells, caption, kind=""):
    return {"cells": cells, "caption": caption, "kind": kind}


@register.filter
def as_list(value):
    return [value] if value is not None else []


@register.filter
def index(value):
    """An index 0–100 with one decimal in the reader's locale; a dash when there is none."""
    return "–" if value is None else number_format(round(value, 1), 1)


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
