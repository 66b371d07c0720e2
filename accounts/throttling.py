"""Login throttling with django-axes: per account and per client address (SPEC §9).

Settings (``stjarna_site.settings``, "Login throttling") point django-axes at the callables here:

- ``login_name``: the account a login attempt is counted against; case and surrounding spaces do
  not make a new account, so "Owner@Bella.example" and "owner@bella.example " share one counter;
- ``login_client_ip``: the same client address as the chat's rate limits (``TRUSTED_PROXY_COUNT``);
- ``lockout_response``: a page that says what happened and when to try again (HTTP 429);
- ``FailOpenCacheHandler``: the counters live in the cache (Redis in production); when the cache
  fails, logins go on unthrottled with a warning rather than failing with an error page.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stjarna_site.client_ip import client_ip

logger = logging.getLogger(__name__)


def normalise_login(name: str | None) -> str:
    """How a login name is counted and unlocked: stripped and lowercased."""
    return (name or "").strip().lower()


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a failed login counts against (django-axes ``AXES_USERNAME_CALLABLE``)."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    return normalise_login(name) or None


def login_client_ip(request: HttpRequest) -> str:
    """The client address a failed login counts against (``AXES_CLIENT_IP_CALLABLE``)."""
    return client_ip(request)


def cool_off_minutes() -> int:
    cool_off = get_cool_off()
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked-out login gets instead of the login form (429 Too Many Requests)."""
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": cool_off_minutes(),
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


class FailOpenCacheHandler(AxesCacheHandler):
    """django-axes' cache handler that lets logins through (with a warning) when the cache fails.

    A Redis outage must not lock every member of staff out of the admin, nor answer a login with an
    error page; the failure is logged so operators see that throttling was off meanwhile.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        try:
            return super().get_failures(request, credentials)
        except Exception:
            logger.warning("login throttling: cache read failed, not throttling", exc_info=True)
            return 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        except Exception as exc:
            if exc.__class__.__module__.startswith("axes"):
                raise  # the lockout itself (AxesSignalPermissionDenied), not a cache failure
            logger.warning("login throttling: cache write failed, not counted", exc_info=True)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        try:
            super().user_logged_in(sender, request, user, **kwargs)
        except Exception:
            logger.warning("login throttling: cache reset failed", exc_info=True)


def unlock(*, login: str | None = None, ip_address: str | None = None) -> int:
    """Clear the failed-login counters of an account and/or a client address.

    Returns how many counters were cleared (0 when there was nothing to clear).
    """
    from axes.utils import reset

    cleared = 0
    if login:
        cleared += reset(username=normalise_login(login))
    if ip_address:
        cleared += reset(ip=ip_address)
    return cleared
