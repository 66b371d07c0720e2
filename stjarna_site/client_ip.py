"""The diner's IP address, for rate limits and IP blocks (never stored raw; see chat models).

``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` says how many proxy hops in front of us append to
``X-Forwarded-For``: with N trusted hops the client is the N-th address from the right. Anything a
client could forge to the left of that is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN_IP = "0.0.0.0"  # a rate-limit key for clients without an address, e.g. a Unix socket)


def _valid(candidate: str) -> str | None:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP as a normalised string, memoised on the request."""
    cached = getattr(request, "_client_ip", None)
    if cached is not None:
        return cached
    ip = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_IP
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= hops:
            ip = _valid(forwarded[-hops]) or ip
    request._client_ip = ip  # type: ignore[attr-defined]
    return ip
