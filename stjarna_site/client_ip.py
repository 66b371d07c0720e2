"""The diner's IP address, for rate limits and IP blocks (never stored raw; see chat models).

``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` says how many proxy hops in front of us append to
``X-Forwarded-For``: with N trusted hops the client is the N-th address from the right. Anything a
client could forge to the left of that is ignored.

Per-IP *limits* count :func:`client_network` instead: one IPv6 subscriber usually holds a whole
/64 and can pick a new address from it for every request.
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


IPV6_LIMIT_PREFIX = 64


def network_of(ip: str) -> str:
    """The unit per-IP limits count: an IPv4 address itself, an IPv6 address's /64 (an
    IPv4-mapped IPv6 address counts as the IPv4 address it carries)."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_LIMIT_PREFIX), strict=False))
    return str(address)


def client_network(request: HttpRequest) -> str:
    """:func:`network_of` the client's IP: the key of every per-IP rate limit."""
    return network_of(client_ip(request))
