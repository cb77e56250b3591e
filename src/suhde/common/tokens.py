"""Secret tokens for every kind of link and for API access: one scheme for all of them.

A token carries 256 random bits from ``secrets``. Only its SHA-256 is stored, so a copy of the
database opens nobody's link (promise 6), and nothing is derived from ``SECRET_KEY``, so
rotating the key breaks no link that was ever mailed (``docs/deploy.md``, "Rotating the secret
key"). A link that must be sent again (a survey reminder) gets a new token of its own; the old
one keeps working until it is revoked.

A token is found by its digest (an index lookup on a hash of 256 random bits reveals nothing
about the token), and the stored digest is compared once more in constant time, so no code
path compares secrets with ``==``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TypeVar

from django.db.models import Model, QuerySet

# Longer than any token we hand out ("suhde_" and 43 characters); longer input is not looked up.
TOKEN_MAX = 100
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")

M = TypeVar("M", bound=Model)


def token_new() -> tuple[str, str]:
    """Return ``(raw, digest)``: give the raw token to its owner, store the digest."""
    raw = secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_find(queryset: QuerySet[M], raw: str | None, *, field: str = "token_digest") -> M | None:
    """The row of ``queryset`` whose stored digest is this token's; None for an unknown, empty,
    overlong or malformed token (an attacker's probe costs one index lookup, no more)."""
    if not raw or len(raw) > TOKEN_MAX or not TOKEN_CHARS.fullmatch(raw):
        return None
    digest = token_digest(raw)
    row = queryset.filter(**{field: digest}).first()
    if row is None or not hmac.compare_digest(getattr(row, field), digest):
        return None
    return row
