"""Push for live sessions: Server-Sent Events fed from one snapshot per session and process.

Why snapshots and not a message per change per client: a per-client fan-out (Django Channels'
Redis layer is the known example) drops messages once a room holds a few hundred phones. Here each
app process keeps, for every session that has listeners, one *feed*: the session's version and
its parts (the presenter's board, the phones' page, the facilitator's signal) computed once when
something changed and at most ``SNAPSHOTS_PER_SECOND`` times a second. Each connected client waits
on its feed and receives only the parts that differ from the ones it has, so 10,000 phones cost one
database read and one render per change, not 10,000.

How a feed learns of a change:

- a write in the same process calls :func:`changed`, which wakes the feed at once;
- with ``REDIS_URL`` set, :func:`changed` also publishes on ``suhde:live:<session id>``, and one
  listener per process wakes the feeds of the sessions it hears about;
- whatever happens to those, each feed reads the session's version itself (one indexed query)
  every ``POLL_SECONDS`` (``POLL_SECONDS_WITH_REDIS`` while Redis answers), so without Redis
  the database is the change feed, and losing Redis delays screens but loses nothing.

A client that comes back (a phone whose screen was locked) sends the version it has, in the
address or as ``Last-Event-ID``, and gets at once the parts that changed since.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import LiveSession

logger = logging.getLogger(__name__)

SNAPSHOTS_PER_SECOND = 4  # the most a client receives: a projector needs no more
PHONE_RESULTS_SECONDS = 1.0  # revealed results on 10,000 phones: once a second is plenty
POLL_SECONDS = 0.5  # without Redis, how often a feed asks the database
POLL_SECONDS_WITH_REDIS = 5.0
HEARTBEAT_SECONDS = 20  # below the idle timeouts of common proxies
STREAM_SECONDS = 15 * 60  # then the client reconnects, which spreads clients over processes
IDLE_SECONDS = 30  # a feed without clients stops after this
PRESENTER_ITEMS = 48  # what a projector can show; the rest is counted, and all is in the record
CHANNEL = "suhde:live:"

AUDIENCES = ("board", "phone", "control")


def streams_max() -> int:
    """Open streams one process holds at most; past it a client polls instead (memory bound)."""
    return int(getattr(settings, "SUHDE_LIVE_STREAMS_MAX", 20_000))


# --- the write side: say that a session changed ------------------------------------------------

_redis_client = None
_redis_lock = threading.Lock()


def _redis():
    global _redis_client
    if not settings.REDIS_URL:
        return None
    with _redis_lock:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        return _redis_client


def _announce(session_id: int) -> None:
    hub = Hub.current
    if hub is not None:
        hub.wake_threadsafe(session_id)
    client = _redis()
    if client is not None:
        try:
            client.publish(f"{CHANNEL}{session_id}", b"")
        except Exception:  # losing Redis only slows screens down (promise 29)
            logger.warning("live: Redis publish failed; feeds fall back to the database")


def changed(session_id: int) -> None:
    """Tell the screens of ``session_id`` that something changed, once the write has committed."""
    transaction.on_commit(lambda: _announce(session_id))


# --- what a snapshot holds -------------------------------------------------------------------


@dataclass
class Snapshot:
    version: str  # queries.board_version: changes exactly when what the board shows does
    stage: int
    ended: bool
    phone_key: str  # what a phone has: the stage, and the results' version when revealed
    phone_at: float
    parts: dict[tuple[str, str], str] = field(default_factory=dict)  # (audience, language) → html
    revealed: bool = False

    @property
    def lagging(self) -> bool:
        """The phones' results are older than the board (held back by PHONE_RESULTS_SECONDS)."""
        return self.revealed and self.phone_key != f"{self.stage}-{self.version}"


def board_context(session: LiveSession, join_url: str, join_base: str) -> dict[str, Any]:
    """What the presenter's board shows; the page and the push feed render it alike."""
    from . import queries

    prompt = session.open_prompt
    return {
        "network": session.network,
        "session": session,
        "join_url": join_url,
        "join_base": join_base,
        "result": queries.board_results(prompt, limit=PRESENTER_ITEMS) if prompt else None,
        "version": queries.board_version(session.pk),
        "participants": session.participants.count(),
        "nav": queries.prompt_neighbours(session),
    }


def _board_html(session: LiveSession, join_url: str, join_base: str) -> str:
    context = board_context(session, join_url, join_base)
    return render_to_string("workshops/presenter.html#board", context)


def stage_context(session: LiveSession) -> dict[str, Any]:
    """What every participant's page shows alike: the question, its form, revealed results."""
    from . import queries
    from .forms import PostForm
    from .methods import GRADIENTS

    prompt = session.open_prompt
    context: dict[str, Any] = {
        "session": session,
        "prompt": prompt,
        "stage": session.stage,
        "form": PostForm(initial={"key": ""}),
        "gradients": list(enumerate(GRADIENTS, start=1)),
        # Rendered once for every phone: each page marks its own questions and upvotes itself.
        "marks": {"own": set(), "upvoted": set()},
    }
    if prompt is not None and not prompt.is_text:
        context["scale"] = range(1, prompt.scale_max + 1)
        context["places"] = range(1, len(prompt.options) + 1)
    if prompt is not None and prompt.shown_to_participants:
        context["result"] = queries.prompt_results(prompt)
    return context


def _phone_html(session: LiveSession) -> str:
    return render_to_string("workshops/join/participant.html#stage", stage_context(session))


def snapshot_take(
    session_id: int,
    previous: Snapshot | None,
    wanted: set[tuple[str, str]],
    join: tuple[str, str],
) -> Snapshot | None:
    """Read the session once and render the parts that listeners want (runs in a thread)."""
    from . import queries

    close_old_connections()
    version = queries.board_version(session_id)
    if not version:
        return None
    if (
        previous is not None
        and previous.version == version
        and all(key in previous.parts for key in wanted)
        and (not previous.lagging or time.monotonic() - previous.phone_at < PHONE_RESULTS_SECONDS)
    ):
        return previous  # nothing new, and every listener's part is there
    session = queries.live_session(session_id)
    if session is None:
        return None
    prompt = session.open_prompt
    revealed = prompt is not None and prompt.shown_to_participants
    now = time.monotonic()
    phone_key, phone_at = str(session.stage), now
    if revealed:
        phone_key = f"{session.stage}-{version}"
        # The same stage with new results: phones get them at most once a second.
        if (
            previous is not None
            and now - previous.phone_at < PHONE_RESULTS_SECONDS
            and previous.stage == session.stage
            and previous.phone_key != str(session.stage)
        ):
            phone_key, phone_at = previous.phone_key, previous.phone_at
    snapshot = Snapshot(
        version, session.stage, not session.is_open, phone_key, phone_at, revealed=revealed
    )
    for audience, language in sorted(wanted):
        if (
            audience == "phone"
            and previous is not None
            and (audience, language) in previous.parts
            and previous.phone_key == phone_key
        ):
            snapshot.parts[(audience, language)] = previous.parts[(audience, language)]
            continue
        with translation.override(language):
            if audience == "board":
                snapshot.parts[(audience, language)] = _board_html(session, *join)
            elif audience == "phone":
                snapshot.parts[(audience, language)] = _phone_html(session)
            else:
                snapshot.parts[(audience, language)] = ""
    close_old_connections()
    return snapshot


def part_key(snapshot: Snapshot, audience: str) -> str:
    """The version a client of ``audience`` has once it got this snapshot's part."""
    return snapshot.phone_key if audience == "phone" else snapshot.version


def sse(event: str, key: str, data: dict) -> str:
    body = json.dumps(data, separators=(",", ":"))
    return f"event: {event}\nid: {key}\ndata: {body}\n\n"


# --- one feed per session and process --------------------------------------------------------


class Feed:
    def __init__(self, hub: Hub, session_id: int):
        self.hub = hub
        self.session_id = session_id
        self.snapshot: Snapshot | None = None
        self.updated = asyncio.Event()
        self.wake = asyncio.Event()
        self.listeners: Counter[tuple[str, str]] = Counter()
        self.join = ("", "")
        self.task: asyncio.Task | None = None
        self.idle_since = time.monotonic()

    def enter(self, audience: str, language: str, join: tuple[str, str]) -> None:
        self.listeners[(audience, language)] += 1
        if audience == "board" and join[0]:
            self.join = join
        snapshot = self.snapshot
        if snapshot is None or (audience, language) not in snapshot.parts:
            self.wake.set()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    def leave(self, audience: str, language: str) -> None:
        self.listeners[(audience, language)] -= 1
        if self.listeners[(audience, language)] <= 0:
            del self.listeners[(audience, language)]
        if not self.listeners:
            self.idle_since = time.monotonic()

    async def run(self) -> None:
        from asgiref.sync import sync_to_async

        take = sync_to_async(snapshot_take, thread_sensitive=False)
        try:
            while self.listeners or time.monotonic() - self.idle_since < IDLE_SECONDS:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.hub.poll_seconds())
                self.wake.clear()
                if not self.listeners:
                    continue
                try:
                    snapshot = await take(
                        self.session_id, self.snapshot, set(self.listeners), self.join
                    )
                except Exception:
                    logger.exception("live: snapshot of session %s failed", self.session_id)
                    await asyncio.sleep(1)
                    continue
                if snapshot is not None and snapshot is not self.snapshot:
                    self.snapshot = snapshot
                    updated, self.updated = self.updated, asyncio.Event()
                    updated.set()
                if snapshot is not None and snapshot.lagging:  # send the held-back results later
                    asyncio.get_running_loop().call_later(PHONE_RESULTS_SECONDS, self.wake.set)
                await asyncio.sleep(1 / SNAPSHOTS_PER_SECOND)
        finally:
            self.hub.feeds.pop(self.session_id, None)
            self.updated.set()


class Hub:
    """The feeds of one process (one event loop), and its Redis listener."""

    current: Hub | None = None

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.feeds: dict[int, Feed] = {}
        self.streams = 0
        self.owners: Counter[str] = Counter()  # open streams per participant or user
        self.redis_alive = False
        self.listener: asyncio.Task | None = None

    @classmethod
    def get(cls) -> Hub:
        loop = asyncio.get_running_loop()
        if cls.current is None or cls.current.loop is not loop:
            cls.current = Hub(loop)
        hub = cls.current
        if settings.REDIS_URL and (hub.listener is None or hub.listener.done()):
            hub.listener = loop.create_task(hub.listen())
        return hub

    def feed(self, session_id: int) -> Feed:
        found = self.feeds.get(session_id)
        if found is None:
            found = self.feeds[session_id] = Feed(self, session_id)
        return found

    def poll_seconds(self) -> float:
        return POLL_SECONDS_WITH_REDIS if self.redis_alive else POLL_SECONDS

    def wake(self, session_id: int) -> None:
        found = self.feeds.get(session_id)
        if found is not None:
            found.wake.set()

    def wake_threadsafe(self, session_id: int) -> None:
        if session_id in self.feeds:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
                self.loop.call_soon_threadsafe(self.wake, session_id)

    async def listen(self) -> None:
        """Wake the feeds of sessions that another process changed (Redis pub/sub)."""
        import redis.asyncio as aioredis

        while True:
            try:
                client = aioredis.Redis.from_url(settings.REDIS_URL)
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{CHANNEL}*")
                    self.redis_alive = True
                    async for message in pubsub.listen():
                        if message.get("type") != "pmessage":
                            continue
                        channel = message["channel"].decode()
                        with contextlib.suppress(ValueError):
                            self.wake(int(channel.removeprefix(CHANNEL)))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database poll carries on meanwhile
                logger.warning("live: Redis listener lost; polling the database until it is back")
            self.redis_alive = False
            await asyncio.sleep(2)


async def events(
    *,
    session_id: int,
    audience: str,
    language: str,
    have: str,
    owner: str,
    join: tuple[str, str] = ("", ""),
) -> AsyncIterator[str]:
    """The stream of one client: what changed since ``have``, then each change, until it leaves.

    The caller has checked access and :func:`stream_allowed`; this counts the stream as open.
    """
    hub = Hub.get()
    feed = hub.feed(session_id)
    hub.streams += 1
    hub.owners[owner] += 1
    feed.enter(audience, language, join)
    started = time.monotonic()
    try:
        yield f"retry: {3000}\n\n"
        while time.monotonic() - started < STREAM_SECONDS:
            snapshot, updated = feed.snapshot, feed.updated
            part = snapshot.parts.get((audience, language)) if snapshot else None
            if snapshot is not None and part is not None and part_key(snapshot, audience) != have:
                have = part_key(snapshot, audience)
                data = {"v": have, "stage": snapshot.stage, "ended": snapshot.ended}
                if audience != "control":
                    data["html"] = part
                yield sse(audience, have, data)
                if snapshot.ended and audience == "phone":
                    return
            if feed.task is None or feed.task.done():
                return  # the feed stopped (the session is gone): the client reconnects
            try:
                await asyncio.wait_for(updated.wait(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": still here\n\n"
    finally:
        hub.streams -= 1
        hub.owners[owner] -= 1
        if hub.owners[owner] <= 0:
            del hub.owners[owner]
        feed.leave(audience, language)


STREAMS_PER_OWNER = 4  # a phone and a reopened tab or two; not a participant's thousand streams


def stream_allowed(owner: str) -> bool:
    """Whether this process may open one more stream for ``owner`` (a participant or a user).

    Past either cap the client polls instead, so memory stays bounded whatever a client opens.
    """
    hub = Hub.current
    if hub is None:
        return True
    return hub.streams < streams_max() and hub.owners[owner] < STREAMS_PER_OWNER
