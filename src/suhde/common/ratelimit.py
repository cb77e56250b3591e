"""Fixed-window counters in the shared cache (Redis when configured), for login and invitations.

Losing the cache only forgets counts; it never loses data (promise 29).
"""

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, subject: str, window: int) -> str:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(subject.lower().encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}"


def rate_hit(*, scope: str, subject: str, limit: int, window: int) -> bool:
    """Count one attempt; return False when the subject is over its limit in this window."""
    key = _key(scope, subject, window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def rate_exceeded(*, scope: str, subject: str, limit: int, window: int) -> bool:
    return (cache.get(_key(scope, subject, window)) or 0) >= limit


def rate_reset(*, scope: str, subject: str, window: int) -> None:
    cache.delete(_key(scope, subject, window))
