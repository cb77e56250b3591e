"""Rate limits hold across app processes without Redis: the count lives in the database."""

import subprocess
import sys
import textwrap

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from suhde.common.models import RateCount
from suhde.common.ratelimit import rate_exceeded, rate_hit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def _worker_cache(name: str):
    """The cache one app process would have without Redis: its own memory."""
    return override_settings(CACHES={"default": {"BACKEND": LOCMEM, "LOCATION": name}})


def test_login_limit_holds_across_two_workers_with_their_own_caches(settings):
    UserFactory(username="aino")
    settings.SUHDE_LOGIN_LIMIT_PER_ACCOUNT = 8
    answers = []
    for attempt in range(10):  # the proxy sends each request to the other worker
        with _worker_cache("worker-a" if attempt % 2 else "worker-b"):
            client = Client(REMOTE_ADDR=f"10.0.0.{attempt}")
            response = client.post(reverse("login"), {"username": "aino", "password": "no"})
            answers.append("Too many attempts" in response.content.decode())
    assert answers == [False] * 8 + [True] * 2


@_worker_cache("one-worker")
def test_counts_expire_with_their_window():
    assert [rate_hit(scope="t", subject="a", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert rate_exceeded(scope="t", subject="a", limit=2, window=60)
    RateCount.objects.update(expires_at="2000-01-01T00:00:00Z")
    rate_hit(scope="t", subject="b", limit=2, window=60)  # a hit sweeps expired windows away
    assert RateCount.objects.count() == 1


def test_two_processes_at_once_share_one_count(tmp_path):
    """Two real processes hit the same limit at the same time; exactly the limit passes."""
    script = textwrap.dedent(
        f"""
        import multiprocessing, os, sys
        os.environ.update(SUHDE_DATA_DIR={str(tmp_path)!r}, REDIS_URL="",
                          DATABASE_URL="sqlite:///{tmp_path}/rate.sqlite3",
                          DJANGO_SETTINGS_MODULE="suhde.settings")
        import django
        django.setup()
        from django.core.management import call_command
        from django.db import connections
        call_command("migrate", "common", verbosity=0)
        connections.close_all()

        def worker(queue):
            from suhde.common.ratelimit import rate_hit
            queue.put(sum(rate_hit(scope="login:acct", subject="aino", limit=8, window=900)
                          for _ in range(10)))

        queue = multiprocessing.get_context("fork").Queue()
        workers = [multiprocessing.get_context("fork").Process(target=worker, args=(queue,))
                   for _ in range(2)]
        for process in workers:
            process.start()
        passed = [queue.get(timeout=60) for _ in workers]
        for process in workers:
            process.join()
        print(sum(passed))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "8"
