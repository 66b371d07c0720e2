"""Operator middlewares: the blocked-IP gate and the per-restaurant count of 429 answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import structlog
from auditlog.middleware import AuditlogMiddleware
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from operators.blocking import blocked_network_for
from stjarna_site.client_ip import client_ip
from stjarna_site.errors import api_error

logger = structlog.get_logger("stjarna.security")

# 429 counters live this long, so `diagnose_restaurant` can show the last 7 days.
RATE_LIMITED_COUNTER_SECONDS = 8 * 24 * 3600


class BlockedIPMiddleware:
    """Answer 403 ``ip_blocked`` to blocked addresses, before sessions, CORS or any view.

    It covers every path — the public API, /widget.js, the demo page and the admin: an address
    abusing one usually probes the others. An operator who blocked their own network unblocks it
    from a shell with ``manage.py unblock_ip``, which never goes through HTTP.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        network = blocked_network_for(client_ip(request))
        if network is not None:
            logger.warning("ip_blocked", blocked_network=str(network), path=request.path)
            return api_error(
                "ip_blocked",
                "Requests from your network are blocked. If you think this is a mistake, "
                "contact the website's owner.",
                403,
            )
        return self.get_response(request)


def rate_limited_counter_key(public_id: str, day: date) -> str:
    """Cache key of the number of 429 answers for one restaurant on one (UTC) day."""
    return f"ratelimit:429:{public_id}:{day.isoformat()}"


class RateLimitedCounterMiddleware:
    """Count 429 answers per restaurant and day, for ``diagnose_restaurant``.

    Views name the restaurant with ``stjarna_site.logging.set_log_restaurant``; only responses
    that are 429 and name a restaurant cost anything (one INCR).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        public_id = getattr(request, "log_restaurant_id", None)
        if response.status_code == 429 and public_id:
            count_rate_limited(public_id)
        return response


def count_rate_limited(public_id: str) -> None:
    """Add one to today's 429 counter of a restaurant (never fails the response)."""
    key = rate_limited_counter_key(public_id, timezone.now().date())
    try:
        if cache.add(key, 1, RATE_LIMITED_COUNTER_SECONDS):
            return
        cache.incr(key)
    except Exception:
        logger.warning("rate-limited counter failed", exc_info=True)


def rate_limited_counts(public_id: str, days: int = 7) -> dict[str, int]:
    """The 429 counts of the last ``days`` days (today first), keyed by ISO date."""
    today = timezone.now().date()
    keys = {rate_limited_counter_key(public_id, today - timedelta(days=n)): n for n in range(days)}
    try:
        found = cache.get_many(list(keys))
    except Exception:
        logger.warning("rate-limited counter read failed", exc_info=True)
        found = {}
    return {key.rsplit(":", 1)[1]: int(found.get(key, 0)) for key in keys}


class AdminAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's actor tracking, for the admin only.

    Naming the actor reads ``request.user``, which touches the session and makes Django add
    ``Vary: Cookie``: on the public API that would split every CDN cache entry per cookie.
    Only admin requests change data as a logged-in user, so only they need it.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        return super().__call__(request)
