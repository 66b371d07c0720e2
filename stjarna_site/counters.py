"""Rate-limit counting for every limiter: the shared cache, else this worker's own counters.

django-ratelimit counts in the shared cache, so every worker sees the same counts. When the cache
cannot be reached (Redis down, hung, or skipped by the breaker in ``stjarna_site.breaker``), the
request is counted in :data:`local_counters` instead, with the same key, rate and fixed window:
each worker then limits on its own (with N workers up to N times the limit passes), which is far
from "no limit at all". The first fallback of each outage is logged as an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from django.http import HttpRequest
from django_ratelimit.core import _split_rate, get_usage

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
