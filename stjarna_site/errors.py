"""The one error shape of the public API (SPEC §5): ``{"error": {"code", "message"}}``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_error(code: str, message: str, status: int, **extra: Any) -> JsonResponse:
    """A JSON error response in the API's single error shape; ``extra`` keys join the error."""
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


_DRF_CODES = {
    exceptions.ParseError: ("invalid_json", "The request body is not valid JSON."),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Send the request body as application/json.",
    ),
    exceptions.MethodNotAllowed: ("method_not_allowed", "This method is not allowed here."),
    exceptions.NotAuthenticated: ("not_authenticated", "Authentication credentials are missing."),
    exceptions.AuthenticationFailed: ("authentication_failed", "The credentials are not valid."),
    exceptions.PermissionDenied: ("permission_denied", "You may not do this."),
    exceptions.NotFound: ("not_found", "Not found."),
    exceptions.Throttled: ("rate_limited", "Too many requests; try again shortly."),
}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF exception handler that answers in our error shape instead of DRF's ``detail``."""
    if isinstance(exc, DjangoValidationError):
        # Model validation (full_clean in a service) is the client's input being refused: a 400.
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code, message = "error", "The request could not be processed."
    for exc_class, (known_code, known_message) in _DRF_CODES.items():
        if isinstance(exc, exc_class):
            code, message = known_code, known_message
            break
    body: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        code, message = "invalid_field", _first_validation_message(exc.detail)
        if isinstance(exc.detail, dict) and exc.detail:
            body["field"] = str(next(iter(exc.detail)))
    body = {"code": code, "message": message, **body}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retryAfter"] = int(exc.wait + 0.999)
    response.data = {"error": body}
    return response


def _first_validation_message(detail: Any, field: str = "") -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            return _first_validation_message(value, str(key))
    if isinstance(detail, list) and detail:
        return _first_validation_message(detail[0], field)
    text = str(detail)
    return f"{field}: {text}" if field and field != "non_field_errors" else text


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """400 handler (Django's SuspiciousOperation: a bad Host, too many query parameters): JSON,
    and 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    if isinstance(exception, RequestDataTooBig):
        return api_error("payload_too_large", "The request body is too large.", 413)
    return api_error("bad_request", "The request could not be understood.", 400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 handler: JSON for everything (the admin and demo page keep their own templates)."""
    return api_error("not_found", "There is nothing at this address.", 404)


# Seconds a client is asked to wait when the database is unreachable (a restart takes a few).
UNAVAILABLE_RETRY_AFTER = 5


def server_error(request: HttpRequest) -> JsonResponse:
    """500 handler: never leak a traceback, always the error shape.

    An unreachable database (PostgreSQL restarting, failing over, refusing connections) is not a
    bug but a passing outage: answer 503 ``temporarily_unavailable`` with ``Retry-After``, so
    clients, load balancers and the widget (which falls back to its local engine on 5xx) treat
    it as such. Django calls this handler inside its ``except`` block, for exceptions from views
    and middleware alike, so ``sys.exc_info()`` names the failure.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return temporarily_unavailable(
            "The service is temporarily unavailable; please try again shortly."
        )
    return api_error("server_error", "Something went wrong on our side; please try again.", 500)


def temporarily_unavailable(message: str) -> JsonResponse:
    """503 ``temporarily_unavailable`` with ``Retry-After``: a dependency is down, not a bug."""
    response = api_error("temporarily_unavailable", message, 503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response
