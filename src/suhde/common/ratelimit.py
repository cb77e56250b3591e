"""Fixed-window counters for login, password reset, invitations and live sessions.

With Redis (``REDIS_URL``) the counts live in the shared cache; without it, in the database
(:class:`~suhde.common.models.RateCount`), because a per-process cache counts each worker
apart. Either way every app process sees the same count. Losing either only forgets counts; it
never loses data (promise 29).
"""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone


def _key(scope: str, subject: str, window: int) -> str:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(subject.lower().encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}"


def _shared_cache() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def _db_hit(key: str, window: int) -> int:
    """Count in one statement, atomic on SQLite and PostgreSQL alike, and return the count."""
    from .models import RateCount

    now = timezone.now()
    table, key_, count_, expires_ = map(
        connection.ops.quote_name, (RateCount._meta.db_table, "key", "count", "expires_at")
    )
    expires = connection.ops.adapt_datetimefield_value(now + timedelta(seconds=window))
    with connection.cursor() as cursor:  # names from the model; the values are parameters
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {count_}, {expires_}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
            f"RETURNING {count_}",
            [key, expires],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # a new window: the windows that ended go, once per key and window
        RateCount.objects.filter(expires_at__lt=now).delete()
    return count


def _db_count(key: str) -> int:
    from .models import RateCount

    found = RateCount.objects.filter(key=key, expires_at__gte=timezone.now())
    return found.values_list("count", flat=True).first() or 0


def rate_hit(*, scope: str, subject: str, limit: int, window: int) -> bool:
    """Count one attempt; return False when the subject is over its limit in this window."""
    key = _key(scope, subject, window)
    if not _shared_cache():
        return _db_hit(key, window) <= limit
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def rate_exceeded(*, scope: str, subject: str, limit: int, window: int) -> bool:
    key = _key(scope, subject, window)
    if not _shared_cache():
        return _db_count(key) >= limit
    return (cache.get(key) or 0) >= limit
