"""Bearer-key authentication, the per-key rate limit and the API's error codes."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django_ratelimit.core import get_usage
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from menu.apikeys import api_key_authenticate, api_key_record_use
from menu.models import ApiKey
from stjarna_site.errors import api_exception_handler
from stjarna_site.logging import set_log_restaurant

logger = logging.getLogger(__name__)
RATE_LIMIT_GROUP = "api-v1-key"
_MAX_HEADER = 512  # a real key is 58 characters; anything much longer is not one


class InvalidApiKey(exceptions.AuthenticationFailed):
    """401 ``invalid_api_key``: malformed, unknown or revoked key."""

    error_code = "invalid_api_key"
    default_detail = "The API key is malformed, unknown or revoked."


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer stj_…``; the request's ``auth`` is the ApiKey (no user)."""

    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[None, ApiKey] | None:
        header = get_authorization_header(request)
        if not header:
            return None  # → 401 not_authenticated
        parts = header.decode("latin-1").split()
        if len(header) > _MAX_HEADER or len(parts) != 2 or parts[0].lower() != self.keyword:
            raise InvalidApiKey("Send the key as: Authorization: Bearer <key>.")
        key = api_key_authenticate(parts[1])
        if key is None:
            raise InvalidApiKey()
        set_log_restaurant(request._request, key.restaurant.public_id)
        api_key_record_use(key=key)
        return None, key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="stjarna"'


class HasApiKey(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, ApiKey)


class ApiKeyRateThrottle(BaseThrottle):
    """``API_KEY_RATE_LIMIT`` per key, counted by django-ratelimit in the shared cache.

    Like the chat limiter it fails open: an unreachable cache is logged, not a refusal.
    """

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        try:
            usage = get_usage(
                request._request,
                group=RATE_LIMIT_GROUP,
                key=lambda group, req: str(key.pk),
                rate=settings.API_KEY_RATE_LIMIT,
                increment=True,
            )
        except Exception:
            logger.exception("api key rate limiter unavailable; allowing the request")
            return True
        if usage is None or not usage["should_limit"]:
            return True
        if usage["limit"] == 0:  # the cache failed without raising
            logger.error("api key rate limiter unavailable; allowing the request")
            return True
        self.retry_after = max(1, usage["time_left"])
        return False

    def wait(self) -> float | None:
        return self.retry_after


def management_exception_handler(exc: Exception, context: dict) -> Response | None:
    """The site's error shape, with this API's own codes (``invalid_api_key``)."""
    response = api_exception_handler(exc, context)
    code = getattr(exc, "error_code", None)
    if response is not None and code:
        response.data["error"]["code"] = code
        response.data["error"]["message"] = str(getattr(exc, "detail", "")) or code
    return response


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describe ApiKeyAuthentication in the OpenAPI schema as HTTP bearer auth."""

    target_class = ApiKeyAuthentication
    name = "tenantApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A restaurant's API key (admin → API keys), sent as Bearer stj_….",
        }
