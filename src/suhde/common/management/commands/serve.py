import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Suhde on this machine with gunicorn (no access log: links carry secrets)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SUHDE_WORKERS", "2"))
        )

    def handle(self, *args, host, port, workers, **options):
        self.stdout.write(f"Suhde is at http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "suhde.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--error-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)  # noqa: S606  (our own fixed argument list)
