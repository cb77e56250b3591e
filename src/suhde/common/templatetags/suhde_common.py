from django import template
from django.contrib.messages.storage.base import Message

from suhde.common.confirm import UNDO_TAG

register = template.Library()


@register.filter
def undo_url(message: Message) -> str:
    """The local path an "Undo" button posts to, if the message carries one."""
    tags = getattr(message, "extra_tags", "") or ""
    url = tags[len(UNDO_TAG) :] if tags.startswith(UNDO_TAG) else ""
    return url if url.startswith("/") and not url.startswith("//") else ""


@register.filter
def alert_class(message: Message) -> str:
    level = getattr(message, "level_tag", "") or "info"
    return "alert-danger" if level == "error" else f"alert-{level}"


@register.simple_tag
def link_url(part: str, *args: object) -> str:
    """``{% link_url "wave_dashboard" network.slug wave.pk as url %}``: see common/links.py."""
    from suhde.common.links import link_url as url_for

    return url_for(part, *args)
