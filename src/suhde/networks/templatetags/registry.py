from django import template
from django.template import Context

from suhde.networks.models import Network, Role, Sector

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else ""


@register.filter
def sector_label(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else ""


@register.inclusion_tag("networks/_phase_nav.html", takes_context=True)
def phase_nav(context: Context, network: Network) -> dict[str, object]:
    from suhde.networks.navigation import network_nav

    request = context["request"]
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    phases = network_nav(network, view_name)
    home = view_name == "networks:home"
    return {
        "network": network,
        "phases": phases,
        "home": home,
        "open": next((p for p in phases if p.current), None),
    }


@register.filter
def import_column(value: str) -> str:
    """An import file's column in the reader's language; a column of the file's own as it is."""
    from suhde.networks.imports import column_label

    return column_label(value) if value else ""
