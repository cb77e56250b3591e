"""Suhde's own checks for ``suhde check --deploy``."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if not settings.SUHDE_SITE_URL_GIVEN:
        found.append(
            Warning(
                "SUHDE_SITE_URL is not set: links in mail and calendar subscription addresses "
                f"would point at {settings.SUHDE_SITE_URL}.",
                hint="Set SUHDE_SITE_URL to the address people use, e.g. https://suhde.example.org",
                id="suhde.W001",
            )
        )
    elif settings.HTTPS and not settings.SUHDE_SITE_URL.startswith("https://"):
        found.append(
            Warning(
                "SUHDE_HTTPS is on but SUHDE_SITE_URL starts with http://: links in mail would "
                "leave the secure site.",
                id="suhde.W002",
            )
        )
    return found
