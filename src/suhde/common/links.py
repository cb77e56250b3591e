"""Links from a lower floor to a page of a higher one, by the part the page plays.

A template may name only URLs of its own floor or below (docs/architecture.md, floors). When a
lower page must link up — the site's frame to "my networks", the charter to the decision that
agreed a version, a survey wave to its dashboard — the higher app registers the URL name for a
part in its AppConfig.ready(), and the lower template asks for the part. Without the higher app
the part has no URL and the template leaves the link out.
"""

from __future__ import annotations

from django.urls import reverse

LINKS: dict[str, str] = {}


def link_register(*, part: str, url_name: str) -> None:
    """Let lower floors link to ``url_name`` as ``part``; one app owns each part."""
    if LINKS.setdefault(part, url_name) != url_name:
        raise ValueError(f"{part!r} already links to {LINKS[part]!r}")


def link_url(part: str, *args: object) -> str:
    """The URL that plays ``part`` for these arguments, or "" when no installed app offers one."""
    url_name = LINKS.get(part)
    return reverse(url_name, args=args) if url_name else ""
