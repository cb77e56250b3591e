import asyncio
import os
import re

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")

# Live sessions' event streams wait in asyncio and hold no thread: they pass the gate below.
STREAMS = re.compile(r"^/(j/[^/]+/events|n/[^/]+/live/[0-9]+/events/)$")
# Participants' posts and votes: short, and written in groups (workshops/appends.py), so more of
# them may wait for the writer at once; the more wait, the more each transaction carries.
APPENDS = re.compile(r"^/(api/v1/live/(posts|votes)|j/[^/]+/(post|vote))$")


class OneAtATime:
    """At most ``limit`` ordinary requests of this process run Django's (synchronous) code at
    once; the others wait their turn in order.

    Under ASGI every synchronous request gets a thread of its own, so a room of 1,000 phones
    posting at once ran hundreds of threads against SQLite's single writer, and some waited past
    its 20 s timeout (a 500) while later ones went ahead (docs/benchmarks.md). Queueing here keeps
    the order fair and the threads few, as gunicorn's sync workers did.
    """

    def __init__(self, app, limit: int, appends: int):
        self.app, self.limit, self.appends = app, limit, appends
        self.gate: asyncio.Semaphore | None = None
        self.append_gate: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or STREAMS.match(path):
            return await self.app(scope, receive, send)
        if self.gate is None or self.append_gate is None:
            self.gate = asyncio.Semaphore(self.limit)
            self.append_gate = asyncio.Semaphore(self.appends)
        gate = (
            self.append_gate if scope.get("method") == "POST" and APPENDS.match(path) else self.gate
        )
        async with gate:
            return await self.app(scope, receive, send)


application = OneAtATime(
    get_asgi_application(),
    limit=int(os.environ.get("SUHDE_ASGI_CONCURRENCY", "4")),
    appends=int(os.environ.get("SUHDE_ASGI_APPENDS", "16")),
)
