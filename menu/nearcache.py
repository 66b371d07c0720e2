"""Each worker's own copy of recent public menus and CORS allowlists, never stale.

Without it, every warm menu request asks Redis which menu generation is current (``menu.cache``):
one round trip that SPEC §5's "visible on the next request from any worker" seems to demand, and
that costs more CPU than the rest of the request's own work on a small machine. Here the worker
answers from memory and the *writer* pays instead, by making sure every worker has let go of its
copy before the change counts as done:

- **Acknowledged invalidation.** Every worker process runs one listener thread subscribed to the
  invalidation channel. After a change commits, :func:`announce` (called by
  ``menu.cache.forget_menu`` after it renewed the generation in Redis) publishes the restaurant id
  and waits until every subscriber has acknowledged dropping its copy.
- **Leases.** A worker serves from its copy only while it holds a lease: the listener pings Redis
  every :data:`PING_SECONDS` on the subscribed connection and each pong extends the lease to *the
  time that ping was sent* + :data:`LEASE_SECONDS`. Messages on one connection arrive in order, so
  a worker still holding a lease :data:`LEASE_SECONDS` after a publication has read that
  publication. A writer therefore never waits longer than that for a stuck or cut-off worker.
- **Tickets.** A copy is stored only if neither an invalidation nor a reconnection happened since
  before the shared-cache read that produced it, so a read that raced a change is served once (it
  started before the change was done) but never kept.
- Any listener error, a reconnection or changed settings clears the copies and ends the lease; the
  worker then uses the shared cache as before, one round trip per request, until it is subscribed
  again. Copies also expire after ``MENU_CACHE_TIMEOUT``, like the shared entries.

The one case left: if Redis itself drops a subscription (``CLIENT KILL``, its output-buffer limit,
a restart) while the worker still holds a lease, a writer does not know to wait for that worker,
which keeps serving its copy until its listener sees the closed connection (its next poll,
:data:`POLL_SECONDS`) and at most until the lease ends.

Copies are keyed by ``(public_id, …)``: the menu for each ``USE_SERVER_CHAT`` value
(``menu.cache``) and the CORS allowlist (``tenants.cors``); an announcement drops every copy about
that restaurant. Only with Redis (django-redis): the embedded default is one process with a
local-memory cache, where the shared cache already is memory. Measured: docs/performance.md.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

LEASE_SECONDS = 0.3
PING_SECONDS = 0.1
POLL_SECONDS = 0.05
RECONNECT_SECONDS = 0.5
MAX_COPIES = 256  # menus kept per worker (the oldest kept goes first); ~10–60 KB each
ALL = "*"  # an announcement that concerns every restaurant (purge_menu_cache --all)
MISSING = object()


def enabled() -> bool:
    return hasattr(cache, "client") and hasattr(cache.client, "get_client")


def _channel() -> str:
    return cache.make_key("menu:invalidate")


class NearCache:
    """The copies of one worker process, its lease and its listener thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, bool], tuple[Any, float]] = {}
        self._lease_until = 0.0
        self._epoch = 0  # +1 on every invalidation, reconnection and reset
        self._generation = 0  # +1 when settings change: the running listener then stops
        self._listener: threading.Thread | None = None
        self.pubsub = None  # the listener's subscription (tests cut it)

    def after_fork(self) -> None:
        """In a forked child (a gunicorn worker): nothing of the parent's is valid here."""
        self._lock = threading.Lock()
        self._entries = {}
        self._lease_until = 0.0
        self._epoch += 1
        self._listener = None

    # --- the request path ---------------------------------------------------------------------
    def get(self, key: tuple[str, bool]) -> Any:
        """The copy for ``key``, or ``MISSING`` (no copy, no lease, or an expired copy)."""
        now = time.monotonic()
        if now >= self._lease_until:
            return MISSING
        found = self._entries.get(key)
        if found is None or found[1] <= now:
            return MISSING
        return found[0]

    def ticket(self) -> int | None:
        """Taken before a shared-cache read whose result may be kept (None: it may not)."""
        self._ensure_listener()
        return self._epoch if time.monotonic() < self._lease_until else None

    def store(self, ticket: int | None, key: tuple[str, bool], value: Any) -> None:
        if ticket is None:
            return
        with self._lock:
            if ticket == self._epoch and time.monotonic() < self._lease_until:
                if len(self._entries) >= MAX_COPIES and key not in self._entries:
                    del self._entries[next(iter(self._entries))]
                expires = time.monotonic() + settings.MENU_CACHE_TIMEOUT
                self._entries[key] = (value, expires)

    # --- invalidation ---------------------------------------------------------------------------
    def forget(self, public_id: str) -> None:
        with self._lock:
            self._epoch += 1
            if public_id == ALL:
                self._entries.clear()
            else:
                for key in [key for key in self._entries if key[0] == public_id]:
                    del self._entries[key]

    def clear(self, *, end_lease: bool = False) -> None:
        with self._lock:
            self._epoch += 1
            self._entries.clear()
            if end_lease:
                self._lease_until = 0.0

    def reset(self) -> None:
        """Settings changed (tests): drop everything and let a new listener start on demand."""
        with self._lock:
            self._generation += 1
            self._epoch += 1
            self._entries.clear()
            self._lease_until = 0.0
            self._listener = None

    # --- the listener thread ------------------------------------------------------------------
    def _ensure_listener(self) -> None:
        listener = self._listener
        if listener is not None and listener.is_alive():
            return
        with self._lock:
            if self._listener is not None and self._listener.is_alive():
                return
            if not enabled():
                return
            self._lease_until = 0.0
            self._entries.clear()
            self._listener = threading.Thread(
                target=self._listen,
                args=(self._generation,),
                name="menu-near-cache",
                daemon=True,
            )
            self._listener.start()

    def _renew(self, ping_sent: float, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._lease_until = max(self._lease_until, ping_sent + LEASE_SECONDS)

    def _listen(self, generation: int) -> None:
        failures = 0
        while generation == self._generation:
            pubsub = None
            try:
                client = cache.client.get_client(write=True)
                pubsub = self.pubsub = client.pubsub()
                pubsub.subscribe(_channel())
                failures = 0
                self._serve(pubsub, client, generation)
            except Exception as exc:
                failures += 1
                # One warning per outage, not one per retry (every RECONNECT_SECONDS).
                logger.log(
                    logging.WARNING if failures == 1 else logging.DEBUG,
                    "menu near cache: listener disconnected; warm menus use the shared cache",
                    extra={"error": repr(exc)},
                )
            finally:
                if generation == self._generation:
                    self.clear(end_lease=True)
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()
            if generation == self._generation:
                time.sleep(RECONNECT_SECONDS)

    def _serve(self, pubsub, client, generation: int) -> None:
        subscribed = False
        ping_sent: float | None = None
        next_ping = 0.0
        while generation == self._generation:
            now = time.monotonic()
            if ping_sent is None and subscribed and now >= next_ping:
                pubsub.ping()
                ping_sent, next_ping = now, now + PING_SECONDS
            elif ping_sent is not None and now - ping_sent > LEASE_SECONDS:
                raise TimeoutError("no pong from Redis within the lease")
            message = pubsub.get_message(timeout=POLL_SECONDS)
            if message is None:
                continue
            kind = message["type"]
            if kind == "subscribe":
                # The first confirmation, or redis-py re-subscribing after a reconnection: in the
                # gap announcements may have been missed, so nothing held before counts.
                self.clear(end_lease=True)
                subscribed, ping_sent, next_ping = True, None, 0.0
            elif kind == "pong" and ping_sent is not None:
                self._renew(ping_sent, generation)
                ping_sent = None
            elif kind == "message":
                public_id, _, ack_key = message["data"].decode().partition(" ")
                self.forget(public_id)
                if ack_key:
                    pipe = client.pipeline(transaction=False)
                    pipe.rpush(ack_key, 1)
                    pipe.expire(ack_key, 10)
                    pipe.execute()


near_cache = NearCache()
os.register_at_fork(after_in_child=near_cache.after_fork)


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    if setting in ("CACHES", "MENU_CACHE_TIMEOUT"):
        near_cache.reset()


def lookup(key: tuple[str, bool]) -> Any:
    return near_cache.get(key)


def announce(public_id: str) -> None:
    """Tell every worker to drop its copy of ``public_id``'s menu (``ALL``: every menu) and wait
    until each subscribed worker has, or until a lease has surely ended. Raises on cache errors."""
    if not enabled():
        near_cache.forget(public_id)
        return
    client = cache.client.get_client(write=True)
    ack_key = cache.make_key(f"menu:ack:{secrets.token_hex(8)}")
    receivers = client.publish(_channel(), f"{public_id} {ack_key}")
    deadline = time.monotonic() + LEASE_SECONDS + 0.05
    acknowledged = 0
    while acknowledged < receivers:
        left = deadline - time.monotonic()
        if left <= 0:
            logger.warning(
                "menu near cache: not every worker acknowledged; waited out the lease",
                extra={"restaurant_id": public_id, "receivers": receivers, "acks": acknowledged},
            )
            break
        popped = client.blpop([ack_key], timeout=max(0.01, min(left, 0.25)))
        if popped is not None:
            acknowledged += 1
    client.delete(ack_key)
    near_cache.forget(public_id)  # this process, whether or not its listener runs
