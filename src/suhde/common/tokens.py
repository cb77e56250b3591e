"""Secret tokens for links and API access.

A token carries 256 random bits. Only its SHA-256 is stored, so a copy of the database cannot be
used to open anyone's link (promise 6).
"""

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """Return ``(raw, digest)``: give the raw token to its owner, store the digest."""
    raw = secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
