"""Bounded input (SPEC §11): a body size limit on every endpoint, a JSON nesting limit, and the
API's one error shape on every ``/api/`` error, whoever produced it.

- :class:`RequestBodyLimitMiddleware` answers 413 ``payload_too_large`` to a declared body over
  ``MAX_REQUEST_BODY_BYTES`` before a byte of it is read (nginx refuses it even earlier, with the
  same JSON; ``deploy/nginx/stjarna.conf.template``). Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  is set to the same figure for bodies that do not declare their length.
- ``stjarna_site.json_input`` refuses JSON nested too deep, in the chat view and in DRF's parser.
- :class:`ApiErrorShapeMiddleware` turns every non-JSON error on an ``/api/`` path (a CSRF 403, a
  405 from ``require_safe``, Django's 400 for a bad Host or too many query parameters) into
  ``{"error": {"code", "message"}}``, keeping its status and headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from stjarna_site.errors import api_error


def payload_too_large() -> HttpResponse:
    limit = settings.MAX_REQUEST_BODY_BYTES
    return api_error("payload_too_large", f"The request body may be at most {limit} bytes.", 413)


class RequestBodyLimitMiddleware:
    """413 for a declared ``Content-Length`` over ``MAX_REQUEST_BODY_BYTES``, on every path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.MAX_REQUEST_BODY_BYTES:
            return payload_too_large()
        return self.get_response(request)


_CODES = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the request body as application/json."),
    429: ("rate_limited", "Too many requests; try again shortly."),
    503: ("temporarily_unavailable", "The service is temporarily unavailable."),
}
_KEPT_HEADERS = ("Allow", "Retry-After", "Vary", "WWW-Authenticate")


class ApiErrorShapeMiddleware:
    """Give every error answered on an ``/api/`` path the API's JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = _CODES.get(
            response.status_code, ("server_error", "Something went wrong on our side.")
        )
        shaped = api_error(code, message, response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped
