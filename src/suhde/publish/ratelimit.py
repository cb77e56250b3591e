"""The public summary is open to anyone: each address may read it a fixed number of times a
minute (page and JSON together), as the live sessions' anonymous routes are limited."""

from __future__ import annotations

from django.http import HttpRequest

from suhde.common.net import client_ip
from suhde.common.ratelimit import rate_hit

PUBLIC_PER_ADDRESS = (60, 60)  # reads within so many seconds


def public_read_allowed(request: HttpRequest) -> bool:
    limit, window = PUBLIC_PER_ADDRESS
    return rate_hit(scope="public-summary", subject=client_ip(request), limit=limit, window=window)
