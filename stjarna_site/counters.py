"""Rate-limit counting for every limiter: the shared cache, else this worker's own counters.

django-ratelimit counts in the shared cache, so every worker sees the same counts. Several limits
checked in turn (:func:`first_refusal`, the chat's three) cost one Redis round trip together: a
small Lua script counts them in django-ratelimit's own keys and windows, in order, and stops at the
first one over its limit, exactly like one ``get_usage`` call per limit (two round trips each for
an existing counter) would. When the cache
cannot be reached (Redis down, hung, or skipped by the breaker in ``stjarna_site.breaker``), the
request is counted in :data:`local_counters` instead, with the same key, rate and fixed window:
each worker then limits on its own (with N workers up to N times the limit passes), which is far
from "no limit at all". The first fallback of each outage is logged as an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)

from stjarna_site.breaker import CircuitBreakerClient

logger = structlog.get_logger("stjarna.ratelimit")

Rate = str | Callable[[str, HttpRequest], str]
Key = Callable[[str, HttpRequest], str]


@dataclass(frozen=True)
class Usage:
    """One counted request: whether it is over the limit and seconds until its window ends."""

    should_limit: bool
    time_left: int
    local: bool = False  # counted by this worker alone (the shared cache was unreachable)


class LocalCounters:
    """Fixed-window counters in this process, for when the shared cache is unreachable."""

    MAX_KEYS = 50_000  # beyond this, windows that have ended are dropped

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key → (window end, count)

    def hit(self, key: str, limit: int, period: int) -> Usage:
        now = time.time()
        window_end = now - now % period + period
        with self._lock:
            end, count = self._windows.get(key, (window_end, 0))
            count = count + 1 if end == window_end else 1
            self._windows[key] = (window_end, count)
            if len(self._windows) > self.MAX_KEYS:
                self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
        return Usage(should_limit=count > limit, time_left=int(window_end - now), local=True)

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


local_counters = LocalCounters()
_outage = threading.Event()  # set while this worker counts locally: log once per outage


def forget_local_counting() -> None:
    """Empty this worker's fallback counters and forget an outage in progress (tests)."""
    local_counters.clear()
    _outage.clear()


def count_request(request: HttpRequest, *, group: str, key: Key, rate: Rate) -> Usage | None:
    """Count ``request`` against one limit; None when the rate says "no limit"."""
    resolved = rate(group, request) if callable(rate) else rate
    if resolved is None:
        return None
    try:
        usage = get_usage(request, group=group, key=key, rate=resolved, increment=True)
    except Exception as exc:  # the shared cache is unreachable: count here instead
        return _count_locally(group, key(group, request), resolved, exc)
    if usage is None:
        return None
    if usage["should_limit"] and usage["count"] == 0:
        # django-ratelimit's own answer to a cache failure that did not raise (RATELIMIT_FAIL_OPEN)
        return _count_locally(group, key(group, request), resolved, None)
    _outage.clear()
    return Usage(should_limit=usage["should_limit"], time_left=int(usage["time_left"]))


def _count_locally(group: str, key_value: str, rate: str, error: Exception | None) -> Usage:
    if not _outage.is_set():
        _outage.set()
        logger.error(
            "rate limit cache unavailable; this worker limits with its own counters",
            group=group,
            error=type(error).__name__ if error else "no count",
        )
    limit, period = _split_rate(rate)
    return local_counters.hit(f"{group}|{rate}|{key_value}", limit, period)


class CountedLimit(Protocol):
    """One limit of :func:`first_refusal`: a django-ratelimit group, key and rate."""

    group: str

    def key(self, group: str, request: HttpRequest) -> str: ...

    def rate(self, group: str, request: HttpRequest) -> str | None: ...


# KEYS are the counters in the order they are checked; ARGV holds each one's limit and lifetime.
# A counter is created with its lifetime (as django-ratelimit's cache.add does); counting stops at
# the first counter over its limit, so a refused request never uses up the limits after it.
_COUNT_IN_TURN = """
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if count > tonumber(ARGV[2 * i - 1]) then return i end
end
return 0
"""


def first_refusal(
    request: HttpRequest, limits: Sequence[CountedLimit]
) -> tuple[CountedLimit, Usage] | None:
    """Count ``request`` against each limit in turn; the first that refuses it (and its usage),
    or None to serve it. Limits after a refusal are not counted; a rate of None is no limit."""
    counted = []  # (limit, rate, key value)
    for limit in limits:
        rate = limit.rate(limit.group, request)
        if rate is not None:
            counted.append((limit, rate, limit.key(limit.group, request)))
    cache = caches[settings.RATELIMIT_USE_CACHE]
    if not isinstance(getattr(cache, "client", None), CircuitBreakerClient):
        for limit, rate, value in counted:  # the embedded default's local cache, one at a time
            usage = count_request(request, group=limit.group, key=lambda *_: value, rate=rate)
            if usage is not None and usage.should_limit:
                return limit, usage
        return None

    keys, args, windows = [], [], []
    for limit, rate, value in counted:
        count, period = _split_rate(rate)
        window = _get_window(value, period)
        keys.append(cache.make_key(_make_cache_key(limit.group, window, rate, value, ALL)))
        args += [count, period + EXPIRATION_FUDGE]
        windows.append(window)
    try:
        refused = cache.client.run_script(_COUNT_IN_TURN, keys, args) if keys else 0
    except Exception as exc:  # the shared cache is unreachable: count here instead
        for limit, rate, value in counted:
            usage = _count_locally(limit.group, value, rate, exc)
            if usage.should_limit:
                return limit, usage
        return None
    _outage.clear()
    if not refused:
        return None
    limit = counted[refused - 1][0]
    return limit, Usage(should_limit=True, time_left=windows[refused - 1] - int(time.time()))
