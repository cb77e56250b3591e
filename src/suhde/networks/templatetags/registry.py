from django import template

from suhde.networks.models import Role, Sector

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    return Role(value).label if value in Role.values else ""


@register.filter
def sector_label(value: str) -> str:
    return Sector(value).label if value in Sector.values else ""
