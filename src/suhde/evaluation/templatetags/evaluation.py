from django import template
from django.template import Context
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from suhde.evaluation import reading
from suhde.evaluation.models import Decision
from suhde.surveys.templatetags.surveys import cell_label

register = template.Library()


@register.filter
def weak_share(strong: float | None) -> float | None:
    return None if strong is None else 1 - strong


@register.filter
def pct(value: float | None) -> str:
    return reading.pct(value)


@register.filter
def decision_label(status: str) -> str:
    if status in Decision.values:
        return str(Decision(status).label)
    return _("open")


@register.filter
def signed(value: float | str | None, digits: int | str = 1) -> str:
    """A change with its sign, in the reader's locale; a dash when there is none."""
    if value is None or isinstance(value, str):  # "": nothing to show, read in a template
        return "–"
    text = number_format(round(abs(value), int(digits)), int(digits))
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


@register.filter
def figure(value: float | None, key: str = "") -> str:
    """A network figure for the comparison table: shares as percent, others as numbers."""
    if value is None:
        return "–"
    if key in reading.SHARES:
        return f"{number_format(round(value * 100, 1), 1)} %"
    if isinstance(value, float):
        return number_format(round(value, 2), 2)
    return str(value)


@register.filter
def figure_change(value: float | None, key: str = "") -> str:
    if value is None:
        return "–"
    if key in reading.SHARES:
        return signed(value * 100, 1) + " " + _("percentage points")
    return signed(value, 2 if isinstance(value, float) else 0)


@register.filter
def figure_name(key: str) -> str:
    return reading.figure_name(key)


@register.filter
def group_label(key: str, kind: str = "") -> str:
    """A group's name in a table: sector pairs of the heat map as "raters → rated"."""
    if kind == "sector_matrix":
        rater, _sep, partner = str(key).partition(">")
        return f"{cell_label(rater, 'sector')} → {cell_label(partner, 'sector')}"
    return cell_label(key, kind)


@register.simple_tag(takes_context=True)
def errors_at(context: Context, form: str, pk: object = None) -> dict:
    """The refused form's messages by field, for the form ``form`` (``goal`` and its id …)."""
    key = form if pk is None else f"{form}-{pk}"
    return (context.get("errors") or {}).get(key) or {}


@register.simple_tag(takes_context=True)
def posted_at(context: Context, form: str, pk: object = None) -> object:
    """What the refused form held, so that nothing typed is lost."""
    key = form if pk is None else f"{form}-{pk}"
    return (context.get("posted") or {}).get(key) or {}
