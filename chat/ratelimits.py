"""Chat rate limits (SPEC §6) on django-ratelimit, counted in the shared cache.

Three limits, each its own django-ratelimit group and counter:

============  ======================================  ==========================  =================
group         key                                     rate (setting)              override field
============  ======================================  ==========================  =================
chat:burst    client IP + restaurant + session token  ``CHAT_BURST_LIMIT`` 3/s    chat_burst_limit
chat:diner    client IP + restaurant + session token  ``CHAT_RATE_LIMIT`` 10/30s  chat_rate_limit
chat:ip       client IP + restaurant                  ``CHAT_IP_RATE_LIMIT``      chat_ip_rate_limit
============  ======================================  ==========================  =================

They are checked in that order and the first one that refuses stops the check, so a refused
request never eats into the later counters: a diner hammering the burst limit does not use up
their sustained quota, and one diner over their own limit does not use up the IP ceiling that
their neighbours on the same Wi-Fi share. The client IP honours ``TRUSTED_PROXY_COUNT``, and
an IPv6 client counts as its /64 (``stjarna_site.client_ip.client_network``).

If the cache cannot be reached, each worker counts with its own in-memory counters and logs an
error (``stjarna_site.counters``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from stjarna_site.client_ip import client_network
from stjarna_site.counters import first_refusal
from tenants.models import Restaurant


@dataclass(frozen=True)
class ChatLimit:
    """One counter: its django-ratelimit group, the setting and the per-restaurant override."""

    group: str
    setting: str
    override_field: str
    per_diner: bool

    def rate(self, group: str, request: HttpRequest) -> str:
        """django-ratelimit rate callable: the restaurant's override, else the setting."""
        restaurant: Restaurant = request.chat_restaurant  # type: ignore[attr-defined]
        return getattr(restaurant, self.override_field) or getattr(settings, self.setting)

    def key(self, group: str, request: HttpRequest) -> str:
        """django-ratelimit key callable (see ``limit_key``)."""
        return limit_key(
            ip=client_network(request),
            restaurant_pk=request.chat_restaurant.pk,  # type: ignore[attr-defined]
            session_token=request.chat_session_token if self.per_diner else None,  # type: ignore[attr-defined]
        )


CHAT_LIMITS: tuple[ChatLimit, ...] = (
    ChatLimit("chat:burst", "CHAT_BURST_LIMIT", "chat_burst_limit", per_diner=True),
    ChatLimit("chat:diner", "CHAT_RATE_LIMIT", "chat_rate_limit", per_diner=True),
    ChatLimit("chat:ip", "CHAT_IP_RATE_LIMIT", "chat_ip_rate_limit", per_diner=False),
)


def limit_key(*, ip: str, restaurant_pk: int, session_token: str | None) -> str:
    """The counter key: per IP (IPv6: per /64) and restaurant, plus the session token for
    per-diner limits.

    The restaurant's primary key (not its public id) keeps counters stable across a rename.
    django-ratelimit hashes the whole key, so the raw IP never reaches the cache as text.
    """
    key = f"{ip}|{restaurant_pk}"
    return f"{key}|{session_token}" if session_token is not None else key


@dataclass(frozen=True)
class RateLimited:
    """Why a request was refused: which limit, and how many seconds until its window ends."""

    group: str
    rate: str
    retry_after: int


def chat_rate_limited(
    request: HttpRequest, *, restaurant: Restaurant, session_token: str
) -> RateLimited | None:
    """Count this chat request against every limit; the first refusal, or None to serve it.

    Preflights never get here (django-cors-headers answers them before any view).
    """
    request.chat_restaurant = restaurant  # type: ignore[attr-defined]
    request.chat_session_token = session_token  # type: ignore[attr-defined]
    refused = first_refusal(request, CHAT_LIMITS)  # one Redis round trip for all three
    if refused is None:
        return None
    limit, usage = refused
    # Windows are fixed and offset per key: a window ending at second W counts every request
    # while int(time()) <= W, so the wait is time_left (W - now) plus the rest of the current
    # second, rounded up: waiting that long always lands in a new window.
    return RateLimited(
        group=limit.group,
        rate=limit.rate(limit.group, request),
        retry_after=max(1, usage.time_left + 1),
    )
