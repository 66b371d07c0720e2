"""Per-restaurant CORS (SPEC §6) on top of django-cors-headers.

The middleware answers preflights for the public API paths (``CORS_URLS_REGEX``) and asks the
``check_request_enabled`` signal whether to approve the ``Origin``; a truthy answer makes it echo
the origin, so the handler itself must compare that origin with the allowlist of the restaurant the
request is about (``restaurantId`` in the query string, or in a chat POST's JSON body).
Allowlists are cached like the menu, in the shared cache under the restaurant's cache generation
(``tenants.cache``), and dropped with it whenever they change (``tenants.signals``).
"""

from __future__ import annotations

import json
import logging
import re

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

from tenants.cache import STALE, read_current, write_current
from tenants.models import AllowedOrigin
from tenants.validators import is_public_id

logger = logging.getLogger(__name__)

MAX_BODY_TO_INSPECT = 8 * 1024  # the chat API's own body limit
_DEV_ORIGIN = re.compile(r"^http://(localhost|127\.0\.0\.1)(:\d{1,5})?$")


def allowlist_key(public_id: str) -> str:
    return f"cors:allowlist:{public_id}"


def allowed_origins(public_id: str) -> frozenset[str]:
    """The normalised origins allowed for an active restaurant (empty if unknown/inactive).

    From the shared cache, stored under the restaurant's cache generation like the menu (so a
    read that raced a change is never kept), else from the database (one query).
    """
    key = allowlist_key(public_id)
    try:
        origins, generation = read_current(public_id, key)
    except Exception:  # a cache outage must not take CORS (and the widget) down with it
        logger.warning("cors allowlist cache read failed", exc_info=True)
        origins, generation = STALE, None
    if origins is not STALE:
        return frozenset(origins)
    origins = list(
        AllowedOrigin.objects.filter(
            restaurant__public_id=public_id, restaurant__active=True
        ).values_list("origin", flat=True)
    )
    try:
        write_current(key, generation, origins)
    except Exception:
        logger.warning("cors allowlist cache write failed", exc_info=True)
    return frozenset(origins)


def origin_allowed(public_id: str, origin: str) -> bool:
    """Whether a browser on ``origin`` may call the API for restaurant ``public_id``."""
    if not origin or not is_public_id(public_id):
        return False  # a malformed id names no restaurant: no query, no cache entry
    if settings.DEBUG and _DEV_ORIGIN.match(origin):
        return True
    return origin.lower() in allowed_origins(public_id)


def request_origin_allowed(request: HttpRequest, public_id: str) -> bool:
    """Whether the browser page behind ``request`` may use restaurant ``public_id``'s API.

    No ``Origin`` (curl, servers) and same-origin requests (our own pages: browsers send ``Origin``
    on same-origin POSTs too) are served; anything else must be on the restaurant's allowlist.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin.lower() == f"{request.scheme}://{request.get_host()}".lower():
        return True
    return origin_allowed(public_id, origin)


def restaurant_id_of(request: HttpRequest) -> str:
    """The restaurant a public API request is about, from the query string or a JSON body."""
    known = getattr(request, "log_restaurant_id", None)  # the view already parsed it
    if known:
        return known
    public_id = request.GET.get("restaurantId", "")
    if public_id or request.method != "POST":
        return public_id
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_TO_INSPECT:
            return ""  # never read a body the view itself refused as too large

        body = json.loads(request.body or b"{}")
    except Exception:  # unreadable bodies simply name no restaurant
        return ""
    value = body.get("restaurantId") if isinstance(body, dict) else None
    return value if isinstance(value, str) else ""


@receiver(check_request_enabled)
def approve_restaurant_origin(sender, request: HttpRequest, **kwargs) -> bool:
    """django-cors-headers hook: approve only origins on the requested restaurant's allowlist."""
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    memo = getattr(request, "_cors_approved", None)
    if memo is None:  # the middleware may ask twice per request
        memo = origin_allowed(restaurant_id_of(request), request.headers.get("origin", ""))
        request._cors_approved = memo  # type: ignore[attr-defined]
    return memo
