"""Each worker's own copy of recent public menus and CORS allowlists, never stale.

Without it, every warm menu request asks Redis which menu generation is current (``menu.cache``):
one round trip that SPEC §5's "visible on the next request from any worker" seems to demand, and
that costs more CPU than the rest of the request's own work on a small machine. Here the worker
answers from memory and the *writer* pays instead: a change is not done until no worker can still
answer from a copy made before it.

- **Announcements.** :func:`announce` (called by ``menu.cache.purge_menu`` after a change commits)
  renews the restaurants' cache generations and increments an announcement sequence in one atomic
  Redis script, then publishes the ids on a channel.
- **Listeners and check-ins.** Every worker process runs one listener thread. It is subscribed to
  the channel, drops the named copies at once and acknowledges under its own id. Every
  :data:`CHECK_IN_SECONDS` it also *checks in*: it records itself as live and reads the sequence.
  If the sequence shows an announcement it has not processed (a lost publication, a gap), it drops
  every copy before going on.
- **Leases.** A worker answers from its copies only while its lease runs: a check-in sent at time
  *t* that found nothing unprocessed grants the lease until *t* + :data:`LEASE_SECONDS`.
- **The writer's wait.** :func:`announce` waits until every listener that was live (checked in
  within a lease) has acknowledged, or until a lease has surely run out since the sequence moved
  (when one is missing, when fewer received the message than were live, or when publishing
  failed). Either way, when it returns no worker holds a copy older than the change: it has
  dropped it, or its lease has ended and its next check-in sees the new sequence.
- **Tickets.** A copy is stored only if nothing was dropped and no lease lapsed since before the
  shared-cache read that produced it, so a read that raced a change is served once (it began before
  the change was done) but never kept.
- A listener error or re-subscription drops the copies and ends the lease; until it has checked in
  again the worker reads the shared cache on every request. Copies also expire after
  ``MENU_CACHE_TIMEOUT``, and a worker keeps at most :data:`MAX_COPIES`.

Copies are keyed by ``(public_id, …)``: the menu for each ``USE_SERVER_CHAT`` value
(``menu.cache``) and the CORS allowlist (``tenants.cors``); an announcement drops every copy about
its restaurants. Only with Redis (django-redis): the embedded default is one process with a
local-memory cache, where the shared cache already is memory. Measured: docs/performance.md.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis.exceptions import ResponseError

logger = logging.getLogger(__name__)

LEASE_SECONDS = 0.3
CHECK_IN_SECONDS = 0.1
POLL_SECONDS = 0.02
RECONNECT_SECONDS = 0.5
ACK_KEY_SECONDS = 10
MAX_COPIES = 256  # per worker (the oldest kept goes first); a menu copy is ~10–60 KB
MISSING = object()

# Live listeners are a sorted set scored by Redis's clock (one clock for all machines); "live" is
# taken as two leases wide, so a forward jump of that clock up to a lease is tolerated. The set has
# no expiry (it is trimmed instead), so volatile-* eviction never removes it.
_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "
_CHECK_IN = (
    _NOW_MS
    + "redis.call('ZADD', KEYS[1], now, ARGV[1]) "
    + "return tonumber(redis.call('GET', KEYS[2]) or '0')"
)
# ARGV: lease ms, then key/value/ttl-ms triples to SET with the sequence bump (the generations).
_ANNOUNCE = (
    _NOW_MS
    + "for i = 2, #ARGV, 3 do redis.call('SET', ARGV[i], ARGV[i + 1], 'PX', ARGV[i + 2]) end "
    + "local seq = redis.call('INCR', KEYS[2]) "
    + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 100 * ARGV[1]) "
    + "return {seq, redis.call('ZRANGEBYSCORE', KEYS[1], now - 2 * ARGV[1], '+inf')}"
)


def enabled() -> bool:
    return hasattr(cache, "client") and hasattr(cache.client, "get_client")


def _keys() -> tuple[str, str, str]:
    """Channel, live-listener set and sequence of this deployment's cache (prefix and database)."""
    db = cache.client.get_client(write=True).connection_pool.connection_kwargs.get("db", 0)
    return (
        cache.make_key(f"nearcache:db{db}:announcements"),
        cache.make_key("nearcache:listeners"),
        cache.make_key("nearcache:sequence"),
    )


class NearCache:
    """The copies of one worker process, its lease and its listener thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple[Any, float]] = {}
        self._lease_until = 0.0
        self._epoch = 0  # +1 whenever copies are dropped or a lease is ended
        self._generation = 0  # +1 when settings change: the running listener then stops
        self._listener: threading.Thread | None = None
        self._checked_in = False  # the running listener has checked in at least once
        self.pubsub = None  # the listener's subscription (tests cut it)

    def after_fork(self) -> None:
        """In a forked child (a gunicorn worker): nothing of the parent's is valid here."""
        self._lock = threading.Lock()
        self._entries = {}
        self._lease_until = 0.0
        self._epoch += 1
        self._listener = None
        self._checked_in = False
        self.pubsub = None

    # --- the request path ---------------------------------------------------------------------
    def get(self, key: tuple) -> Any:
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

    def store(self, ticket: int | None, key: tuple, value: Any) -> None:
        if ticket is None:
            return
        with self._lock:
            if ticket == self._epoch and time.monotonic() < self._lease_until:
                if len(self._entries) >= MAX_COPIES and key not in self._entries:
                    del self._entries[next(iter(self._entries))]
                expires = time.monotonic() + settings.MENU_CACHE_TIMEOUT
                self._entries[key] = (value, expires)

    # --- dropping copies ------------------------------------------------------------------------
    def forget(self, public_ids: list[str]) -> None:
        if isinstance(public_ids, str):
            raise TypeError("forget() takes a list of restaurant ids")
        wanted = set(public_ids)
        with self._lock:
            self._epoch += 1
            for key in [key for key in self._entries if key[0] in wanted]:
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

    def _extend_lease(self, until: float, epoch: int, generation: int) -> None:
        with self._lock:
            if generation == self._generation and epoch == self._epoch:
                self._lease_until = max(self._lease_until, until)

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

    def _listen(self, generation: int) -> None:
        failures = 0
        # One id per listener, kept across reconnections: its earlier check-ins stay its own.
        me = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        while generation == self._generation:
            pubsub = None
            self._checked_in = False
            try:
                client = cache.client.get_client(write=True)
                pubsub = self.pubsub = client.pubsub()
                self._serve(pubsub, client, generation, me)
            except Exception as exc:
                failures = 1 if self._checked_in else failures + 1
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

    def _serve(self, pubsub, client, generation: int, me: str) -> None:
        channel, listeners, sequence = _keys()
        check_in = client.register_script(_CHECK_IN)
        pubsub.subscribe(channel)
        deadline = time.monotonic() + LEASE_SECONDS
        confirmed = None
        while confirmed is None or confirmed["type"] != "subscribe":
            if time.monotonic() > deadline:
                raise TimeoutError("Redis did not confirm the subscription")
            confirmed = pubsub.get_message(timeout=POLL_SECONDS)
        self.clear(end_lease=True)  # anything held before this subscription may have missed one
        processed: int | None = None  # every announcement up to this one has been applied
        ahead: set[int] = set()  # applied, but an earlier one has not arrived yet
        next_check_in = 0.0
        behind = False  # the last check-in found an announcement not yet applied
        heard = 0  # announcements received since then
        while generation == self._generation:
            now = time.monotonic()
            if now >= next_check_in:
                epoch = self._epoch
                current = int(check_in(keys=[listeners, sequence], args=[me]))
                if processed != current:  # missed (or not yet received): start again from here
                    if processed is not None and behind and not heard:
                        # Announcements go on but none arrives: a subscription that went deaf
                        # without closing (a dropped idle connection). Subscribe again.
                        raise ConnectionError("the subscription stopped delivering")
                    self.clear()
                    epoch, processed = self._epoch, current
                    ahead.clear()
                    behind, heard = processed is not None, 0
                else:
                    behind = False
                self._extend_lease(now + LEASE_SECONDS, epoch, generation)
                next_check_in = now + CHECK_IN_SECONDS
                self._checked_in = True
            # Asleep until the next check-in unless an announcement arrives.
            message = pubsub.get_message(timeout=max(0.001, next_check_in - time.monotonic()))
            if message is None:
                continue
            if message["type"] != "message":
                raise ConnectionError(f"unexpected {message['type']!r} on the subscription")
            try:
                ids, number, ack_key = message["data"].decode().split(" ")
                number = int(number)
            except ValueError:  # not ours (someone else published here): trust nothing held
                self.clear()
                continue
            heard += 1
            self.forget(ids.split(","))
            if processed is not None and number > processed:
                ahead.add(number)
                while processed + 1 in ahead:
                    processed += 1
                    ahead.discard(processed)
            pipe = client.pipeline(transaction=False)
            pipe.rpush(ack_key, me)
            pipe.expire(ack_key, ACK_KEY_SECONDS)
            pipe.execute()


near_cache = NearCache()
os.register_at_fork(after_in_child=near_cache.after_fork)


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    if setting in ("CACHES", "MENU_CACHE_TIMEOUT"):
        near_cache.reset()


def lookup(key: tuple) -> Any:
    return near_cache.get(key)


def announce(public_ids: list[str], renew: Iterable[tuple[str, Any, int]] = ()) -> None:
    """Renew the cache entries ``renew`` — ``(key, value, timeout seconds)``, the restaurants'
    generations — and make every worker drop its copies about ``public_ids``; return once none can
    answer from such a copy any more. Raises on cache errors (after waiting out the lease if the
    announcement may have been made)."""
    renew = list(renew)
    near_cache.forget(public_ids)  # this process, whatever happens next
    if not enabled():
        for key, value, timeout in renew:
            cache.set(key, value, timeout)
        return
    client = cache.client.get_client(write=True)
    channel, listeners, sequence = _keys()
    triples: list[Any] = []
    for key, value, timeout in renew:
        triples += [cache.make_key(key), cache.client.encode(value), int(timeout * 1000)]
    ack_key = cache.make_key(f"nearcache:ack:{secrets.token_hex(8)}")
    # Each BLPOP waits less than the socket timeout, which would otherwise cut it off.
    socket_timeout = client.connection_pool.connection_kwargs.get("socket_timeout") or 0.5
    longest_pop = min(0.25, socket_timeout / 2)
    deadline: float | None = None
    live: set[str] = set()
    acknowledged: set[str] = set()
    try:
        try:
            number, members = client.register_script(_ANNOUNCE)(
                keys=[listeners, sequence], args=[int(LEASE_SECONDS * 1000), *triples]
            )
        except ResponseError:
            # A Redis that refuses scripts (an ACL, a managed service): no listener can check in
            # there either, so no worker holds a lease; renewing the generations is enough.
            logger.warning("menu near cache: Redis refused the announcement script", exc_info=True)
            for key, value, timeout in renew:
                cache.set(key, value, timeout)
            return
        # The script has run: any lease a listener took before it ends by `deadline`.
        deadline = time.monotonic() + LEASE_SECONDS + 0.05
        live = {member.decode() for member in members}
        received = client.publish(channel, f"{','.join(public_ids)} {number} {ack_key}")
        must_wait_out = received < len(live)  # a live listener is not subscribed right now
        while must_wait_out or not live <= acknowledged:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            popped = client.blpop([ack_key], timeout=max(0.01, min(left, longest_pop)))
            if popped is not None:
                acknowledged.add(popped[1].decode())
    except Exception:
        # The script may have run (only its reply lost): wait a whole lease from now, or out
        # the rest of it. (A command Redis runs later still, after a timeout, is not covered.)
        if deadline is None:
            time.sleep(LEASE_SECONDS + 0.05)
        else:
            time.sleep(max(0.0, deadline - time.monotonic()))
        raise
    finally:
        with contextlib.suppress(Exception):
            client.delete(ack_key)
    if not live <= acknowledged:
        logger.warning(
            "menu near cache: not every worker acknowledged; waited out the lease",
            extra={"restaurant_ids": public_ids[:10], "live": len(live), "acks": len(acknowledged)},
        )
