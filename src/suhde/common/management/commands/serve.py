"""``suhde serve``: every running part of Suhde on one machine, under one command.

Each part is a child process: the web server (gunicorn running uvicorn workers: Django's ASGI
application, so the live sessions' Server-Sent Events wait in asyncio without holding a worker
while ordinary pages run as before) and the background worker. Another part
(a push endpoint, say) is one more entry in :func:`parts`. The command stays in the foreground,
passes Ctrl+C or SIGTERM on to every part, and when one part ends on its own it stops the others
and exits with that part's status, so a process manager sees one service that is up or down.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

GRACE_SECONDS = 25


@dataclass
class Part:
    name: str
    argv: list[str]


def parts(*, host: str, port: int, workers: int, worker: bool) -> list[Part]:
    web = Part(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "suhde.asgi:application",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            # Long work runs in the worker; nothing a request does should take this long. (An open
            # event stream does not count: uvicorn's workers report alive between requests.)
            "--timeout",
            "60",
            # Open event streams would hold a stopping worker for this long; their clients
            # reconnect to another worker on their own.
            "--graceful-timeout",
            "5",
            "--error-logfile",
            "-",
        ],
    )
    found = [web]
    if worker:
        found.append(Part("worker", [sys.executable, "-m", "suhde", "worker"]))
    return found


class Command(BaseCommand):
    help = (
        "Serve Suhde on this machine: the web server (gunicorn, no access log: links carry "
        "secrets) and the background worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SUHDE_WORKERS", "2"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="only the web server (run `suhde worker` elsewhere)",
        )

    def handle(
        self, *args: str, host: str, port: int, workers: int, no_worker: bool, **options: Any
    ) -> None:
        environment = {**os.environ}
        if not environment.get("SUHDE_SITE_URL"):
            # Links in mail must reach this server: without an address given, it is this one.
            shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
            environment["SUHDE_SITE_URL"] = f"http://{shown}:{port}"
        running = [
            (part, subprocess.Popen(part.argv, env=environment))  # noqa: S603  (our own argv)
            for part in parts(host=host, port=port, workers=workers, worker=not no_worker)
        ]
        names = ", ".join(part.name for part, _process in running)
        self.stdout.write(f"Suhde is at http://{host}:{port}/ ({names}; Ctrl+C stops it)")
        self.stdout.flush()
        stopping = {"signal": None}

        def stop(signum, _frame):
            stopping["signal"] = signum

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        status = self._watch(running, stopping)
        self._stop_all(running)
        raise SystemExit(status)

    def _watch(self, running, stopping) -> int:
        while stopping["signal"] is None:
            for part, process in running:
                code = process.poll()
                if code is not None:
                    self.stderr.write(f"suhde serve: the {part.name} stopped (status {code})")
                    return code or 1
            time.sleep(0.2)
        return 0

    def _stop_all(self, running) -> None:
        for _part, process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for _part, process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
