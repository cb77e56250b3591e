"""``suhde worker``: the background worker (imports, wave closing, reports, the mail outbox).

It runs django-tasks' database worker in the main thread, and beside it a clock thread that
enqueues the periodic jobs when they are due (the outbox's retries, reminders and digests), so a
single machine needs no cron. Several workers may run at once, on one machine or several: each
task and each periodic run is claimed by one of them.
"""

import logging
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from suhde.common.schedule import schedule_tick

log = logging.getLogger("suhde.worker")


def _clock(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            close_old_connections()
            schedule_tick()
        except Exception:  # a locked or lost database: try again at the next tick
            log.exception("schedule tick failed")
    connections.close_all()


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, the mail outbox and periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--clock", type=float, default=15.0, help="seconds between checks for periodic jobs"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued now, then exit"
        )
        parser.add_argument("--no-clock", action="store_true", help="no periodic jobs")

    def handle(
        self,
        *args: str,
        interval: float,
        clock: float,
        batch: bool,
        no_clock: bool,
        **options: Any,
    ) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        stop = threading.Event()
        if batch and not no_clock:
            schedule_tick()
        elif not no_clock:
            threading.Thread(target=_clock, args=(stop, clock), daemon=True).start()
        log.info("worker started", extra={"kind": "worker"})
        try:
            if not batch:
                worker.configure_signals()
            worker.run()
        finally:
            stop.set()
