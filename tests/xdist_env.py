"""Give each pytest-xdist worker its own Redis database (loaded with ``-p tests.xdist_env``).

The tests clear the cache before and after each test (tests/conftest.py); Django's Redis cache
clears the whole database, so two workers sharing one would wipe each other's rate-limit counters
and live-session wake-ups mid-test. This runs before Django reads its settings: worker ``gwN``
takes database (the configured number − N), e.g. CI's 15 and 14.
"""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_url = os.environ.get("REDIS_URL", "")
if _worker.startswith("gw") and _url:
    _base, _, _db = _url.rpartition("/")
    if _db.isdigit() and int(_db) >= int(_worker[2:]):
        os.environ["REDIS_URL"] = f"{_base}/{int(_db) - int(_worker[2:])}"
