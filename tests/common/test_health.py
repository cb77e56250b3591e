"""`/healthz` for load balancers: the database, Redis and the worker's heartbeat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from suhde.common.models import ScheduledRun
from suhde.common.schedule import HEARTBEAT, schedule_tick


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_health_says_degraded_until_a_worker_has_ticked(client, db, no_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded", "database": "ok", "redis": "not used", "worker": "never seen",
    }  # fmt: skip
    schedule_tick()
    assert client.get("/healthz").json() == {
        "status": "ok", "database": "ok", "redis": "not used", "worker": "ok",
    }  # fmt: skip


def test_health_calls_a_silent_worker_late(client, db, no_redis, settings):
    settings.SUHDE_HEALTH_WORKER_SECONDS = 120
    ScheduledRun.objects.create(name=HEARTBEAT, last_run_at=timezone.now() - timedelta(seconds=121))
    body = client.get("/healthz").json()
    assert (body["status"], body["worker"]) == ("degraded", "late")


def test_health_answers_503_when_redis_does_not(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down" and response.json()["redis"] == "failed"
    assert "127.0.0.1" not in response.content.decode()  # why it failed goes to the log only
