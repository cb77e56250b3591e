"""Periodic work that the background worker starts by itself (no cron needed).

Apps register a job in their ``AppConfig.ready()`` with ``every(name, seconds, function)``. The
worker's clock calls :func:`schedule_tick` every few seconds; a job that is due is claimed with
one conditional update, so with several workers it still starts once, and is then enqueued as a
task: the work itself runs in the worker's main loop like any other task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import ScheduledRun

log = logging.getLogger("suhde.schedule")


@dataclass(frozen=True)
class Periodic:
    name: str
    seconds: int
    function: str  # dotted path, imported when it runs


PERIODIC: dict[str, Periodic] = {}


def every(name: str, seconds: int, function: str) -> None:
    """Run ``function`` (a dotted path, called without arguments) every ``seconds``."""
    PERIODIC[name] = Periodic(name, seconds, function)


def _claim(periodic: Periodic, now) -> bool:
    due_before = now - timedelta(seconds=periodic.seconds)
    if ScheduledRun.objects.filter(name=periodic.name, last_run_at__lte=due_before).update(
        last_run_at=now
    ):
        return True
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(name=periodic.name, last_run_at=now)
    except IntegrityError:  # it exists and is not due, or another worker just created it
        return False
    return True


HEARTBEAT = "worker-heartbeat"


def heartbeat_age(*, now: datetime | None = None) -> float | None:
    """Seconds since a worker's clock last ticked (the health check's worker heartbeat); None
    when no worker has ever run."""
    last = ScheduledRun.objects.filter(name=HEARTBEAT).values_list("last_run_at", flat=True).first()
    return None if last is None else ((now or timezone.now()) - last).total_seconds()


def schedule_tick(*, now: datetime | None = None) -> list[str]:
    """Enqueue each periodic job that is due; returns their names. Each tick is also the worker's
    heartbeat, which ``/healthz`` reads."""
    now = now or timezone.now()
    if not ScheduledRun.objects.filter(name=HEARTBEAT).update(last_run_at=now):
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=HEARTBEAT, last_run_at=now)
        except IntegrityError:  # another worker's clock made it a moment ago
            pass
    started = []
    for periodic in list(PERIODIC.values()):
        if _claim(periodic, now):
            periodic_task.enqueue(periodic.name)
            started.append(periodic.name)
    return started


@task()
def periodic_task(name: str) -> None:
    periodic = PERIODIC.get(name)
    if periodic is None:
        log.warning("unknown periodic job", extra={"kind": name})
        return
    import_string(periodic.function)()
