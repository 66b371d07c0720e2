"""A per-worker circuit breaker for Redis (SPEC §11): after one timeout, skip Redis for a while.

A Redis that stops answering (a stopped process, a saturated host) does not refuse connections:
each cache call waits out its own socket timeout (``CACHE_SOCKET_TIMEOUT``), and a request making
several calls pays it several times. :class:`CircuitBreakerClient`, django-redis' client with a
breaker in front, makes the first timeout or connection error *open* the breaker: for
``BREAKER_SECONDS`` every call from this worker process fails at once, without touching the
network, as if Redis had refused it. Callers already treat a cache error as "the cache is down"
(the menu reads the database, rate limits count in memory, health says "degraded").

When the time is up, the next call is let through as a probe, and the window is renewed for the
others meanwhile, so one call per window pays the timeout, not every thread. A probe that
succeeds closes the breaker; one that fails opens it again.

Small and in-process on purpose: each worker learns on its own, nothing is shared or announced.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import structlog
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = structlog.get_logger("stjarna.breaker")

DEFAULT_BREAKER_SECONDS = 2.0
# Failures that say "Redis is not answering"; a ResponseError (a bad command) is not one of them.
_OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, socket.timeout, OSError)


class CacheSkipped(RedisConnectionError):
    """Raised instead of calling Redis while the breaker is open."""


_every_breaker: list[Breaker] = []


def close_every_breaker() -> None:
    """Close every breaker of this process (tests start each from a healthy state)."""
    for breaker in _every_breaker:
        breaker._open_until = 0.0


class Breaker:
    """Open for ``seconds`` after a failure; then one probe at a time until a call succeeds.

    Shared by the Redis client below and the PostgreSQL backend (``stjarna_site.postgresql``).
    """

    def __init__(self, seconds: float, name: str = "redis") -> None:
        self.seconds = seconds
        self.name = name
        self._open_until = 0.0  # 0: closed
        self._lock = threading.Lock()
        _every_breaker.append(self)

    @property
    def is_open(self) -> bool:
        return self._open_until != 0.0

    def allow(self) -> bool:
        """True if this call may go to Redis (closed, or this call is the probe)."""
        if self._open_until == 0.0:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            self._open_until = now + self.seconds  # others keep skipping while this one probes
            return True

    def succeeded(self) -> None:
        if self._open_until != 0.0:
            with self._lock:
                self._open_until = 0.0
            logger.info(f"{self.name} answers again; breaker closed")

    def failed(self, error: BaseException) -> None:
        with self._lock:
            was_closed = self._open_until == 0.0
            self._open_until = time.monotonic() + self.seconds
        if was_closed:
            logger.error(
                f"{self.name} unavailable; skipping it in this worker",
                skip_seconds=self.seconds,
                error=type(error).__name__,
            )


_breakers: dict[tuple[str, ...], Breaker] = {}
_breakers_lock = threading.Lock()


def redis_skipped() -> bool:
    """True while this worker skips Redis: what it serves now was not shared through Redis."""
    return any(breaker.is_open for breaker in _breakers.values())


def breaker_for(servers: tuple[str, ...], seconds: float) -> Breaker:
    """The process's one breaker for these servers (Django builds a cache client per thread)."""
    with _breakers_lock:
        found = _breakers.get(servers)
        if found is None:
            found = _breakers[servers] = Breaker(seconds)
        return found


_inside = threading.local()  # a guarded call made by another one (add → set) is not a new call


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: CircuitBreakerClient, *args: Any, **kwargs: Any) -> Any:
        if getattr(_inside, "active", False):
            return method(self, *args, **kwargs)
        breaker = self.breaker
        if not breaker.allow():
            # django-redis' backend re-raises the cause, so callers see a redis ConnectionError.
            raise ConnectionInterrupted(connection=None) from CacheSkipped(
                f"Redis skipped for up to {breaker.seconds} s after a failure"
            )
        _inside.active = True
        try:
            result = method(self, *args, **kwargs)
        except ConnectionInterrupted as exc:
            if isinstance(exc.__cause__, _OUTAGE_ERRORS):
                breaker.failed(exc.__cause__)
            raise
        except _OUTAGE_ERRORS as exc:  # raised outside django-redis' wrapping
            breaker.failed(exc)
            raise
        finally:
            _inside.active = False
        breaker.succeeded()
        return result

    return call


class CircuitBreakerClient(DefaultClient):
    """django-redis' DefaultClient whose cache operations go through the worker's breaker.

    ``OPTIONS["BREAKER_SECONDS"]`` sets how long Redis is skipped after a failure.
    """

    def __init__(self, server: Any, params: dict[str, Any], backend: Any) -> None:
        super().__init__(server, params, backend)
        seconds = float(self._options.get("BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))
        self.breaker = breaker_for(tuple(self._server), seconds)
        self._scripts: dict[str, Script] = {}

    @_guarded
    def run_script(self, script: str, keys: list[str], args: list[Any]) -> Any:
        """Run a Lua script on the primary (EVALSHA; redis-py loads it the first time)."""
        client = self.get_client(write=True)
        registered = self._scripts.get(script)
        if registered is None:
            registered = self._scripts[script] = client.register_script(script)
        return registered(keys=keys, args=args, client=client)


for _name in (
    "add",
    "set",
    "get",
    "get_many",
    "set_many",
    "delete",
    "delete_many",
    "delete_pattern",
    "incr",
    "decr",
    "has_key",
    "touch",
    "expire",
    "ttl",
    "clear",
):
    setattr(CircuitBreakerClient, _name, _guarded(getattr(DefaultClient, _name)))
