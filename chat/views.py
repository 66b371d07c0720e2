"""POST /api/chat (SPEC §5): a diner's message in, the engine's answer out.

Checks run in this order, cheapest and least revealing first; the first failure answers:

1. method (405) → content type (415) → size (413)        — no parsing yet
2. JSON (400 invalid_json) → fields (400 invalid_field)   — no database yet
3. ``USE_SERVER_CHAT`` (503 server_chat_disabled)         — no database yet
4. restaurant (404 restaurant_not_found)                  — 1 query, which also reads the
                                                             diner's session and its context
5. ``Origin`` against that restaurant's allowlist (403)   — cached allowlist
6. rate limits (429 rate_limited, ``Retry-After``)        — cache only
7. the engine, then the exchange and the new context stored in one transaction (200; 503
   temporarily_unavailable if the store fails, with nothing half-written)

CORS preflights are answered by django-cors-headers before this view and are never counted.
The blocked-IP list (a middleware) answers before all of this.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException, UnreadablePostError
from django.views.decorators.csrf import csrf_exempt

from chat.ratelimits import chat_rate_limited
from chat.selectors import diner_at_restaurant
from chat.services import chat_reply
from stjarna_site.client_ip import client_ip
from stjarna_site.errors import api_error, temporarily_unavailable
from stjarna_site.json_input import loads_json
from stjarna_site.logging import set_log_restaurant
from tenants.cors import request_origin_allowed
from tenants.validators import is_public_id

logger = structlog.get_logger(__name__)

MAX_BODY_BYTES = 8 * 1024
MAX_MESSAGE_CHARS = 500
_SESSION_TOKEN = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_UTF8 = {"utf-8", "utf8"}
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")


class BadRequest(Exception):
    """A request the view refuses; carries the error response's code, message and status."""

    def __init__(self, code: str, message: str, status: int, **extra: Any) -> None:
        super().__init__(message)
        self.response = api_error(code, message, status, **extra)


@csrf_exempt  # a public JSON API without cookies; CORS and the allowlist guard browsers
def chat(request: HttpRequest) -> JsonResponse:
    """Answer one diner message (see the module docstring for the order of checks)."""
    try:
        public_id, session_token, message, locale = _parse(request)
    except BadRequest as refused:
        return refused.response
    set_log_restaurant(request, public_id)

    if not settings.USE_SERVER_CHAT:
        return api_error(
            "server_chat_disabled",
            "The server chat is switched off; the widget answers from the menu on its own.",
            503,
        )
    try:
        return _answer(request, public_id, session_token, message, locale)
    except Exception:
        # The database or cache failed under us. Whatever was being stored has been rolled back
        # (chat_exchange_record is atomic); the widget falls back to its local engine on a 503.
        logger.exception("chat request failed", restaurant_id=public_id)
        return temporarily_unavailable(
            "The chat is temporarily unavailable; please try again shortly."
        )


def _answer(
    request: HttpRequest, public_id: str, session_token: str, message: str, locale: str | None
) -> JsonResponse:
    diner = diner_at_restaurant(public_id=public_id, token=session_token)
    if diner is None:
        return api_error("restaurant_not_found", f"No restaurant with id “{public_id}”.", 404)
    restaurant, session = diner.restaurant, diner.session

    allowed = request_origin_allowed(request, public_id)
    request._cors_approved = allowed  # the CORS hook reuses this decision, made on the body's id
    if not allowed:
        return api_error(
            "origin_not_allowed",
            "This website is not on the restaurant's list of allowed origins.",
            403,
        )

    limited = chat_rate_limited(request, restaurant=restaurant, session_token=session_token)
    if limited is not None:
        logger.warning(
            "chat rate limited",
            restaurant_id=public_id,
            limit=limited.group,
            rate=limited.rate,
            retry_after=limited.retry_after,
        )
        response = api_error(
            "rate_limited",
            f"Too many messages; try again in {limited.retry_after} s.",
            429,
            retryAfter=limited.retry_after,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response

    reply = chat_reply(
        restaurant=restaurant,
        session=session,
        session_token=session_token,
        message=message,
        locale=locale,
        ip=client_ip(request),
    )
    return JsonResponse(
        {
            "reply": reply.answer.reply,
            "items": reply.items,
            "flagged": reply.flagged,
            "intent": reply.answer.intent,
            "suggestions": list(reply.answer.suggestions),
            "language": reply.answer.language,
            "context": reply.answer.context,
            "sessionToken": session_token,
        }
    )


# --- Request parsing --------------------------------------------------------------------------


def _parse(request: HttpRequest) -> tuple[str, str, str, str | None]:
    """Method, media type, size, JSON and fields; returns (restaurantId, sessionToken, message,
    locale)."""
    if request.method != "POST":
        refused = BadRequest("method_not_allowed", "Use POST to send a chat message.", 405)
        refused.response["Allow"] = "POST"
        raise refused
    _check_media_type(request)
    data = _json_object(_body(request))
    return (
        _restaurant_id(data.get("restaurantId")),
        _session_token(data.get("sessionToken")),
        _message(data.get("message")),
        _locale(data.get("locale")),
    )


def _check_media_type(request: HttpRequest) -> None:
    charset = request.content_params.get("charset", "utf-8").strip().lower()
    if request.content_type.lower() != "application/json" or charset not in _UTF8:
        raise BadRequest(
            "unsupported_media_type",
            "Send the message as application/json (UTF-8).",
            415,
        )


def _too_large() -> BadRequest:
    return BadRequest(
        "payload_too_large", f"The request body may be at most {MAX_BODY_BYTES} bytes.", 413
    )


def _body(request: HttpRequest) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise _too_large()  # refused before reading a byte of it
    try:
        body = request.body
    except (UnreadablePostError, RawPostDataException, OSError) as exc:
        raise BadRequest("invalid_json", "The request body could not be read.", 400) from exc
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    return body


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = loads_json(body)  # nesting bounded too
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest("invalid_json", "The request body is not valid UTF-8 JSON.", 400) from exc
    if not isinstance(data, dict):
        raise BadRequest(
            "invalid_json",
            "The request body must be a JSON object with restaurantId, sessionToken and message.",
            400,
        )
    return data


def _invalid(field: str, message: str) -> BadRequest:
    return BadRequest("invalid_field", f"{field}: {message}", 400, field=field)


def _restaurant_id(value: Any) -> str:
    if not is_public_id(value):
        raise _invalid(
            "restaurantId", "must be the restaurant's id (letters, digits, - and _; 1–64)."
        )
    return value


def _session_token(value: Any) -> str:
    if not isinstance(value, str) or not _SESSION_TOKEN.fullmatch(value):
        raise _invalid("sessionToken", "must be 1–128 characters of A–Z, a–z, 0–9, _, . and -.")
    return value


def _locale(value: Any) -> str | None:
    """The widget's UI language, a hint for the reply language: "en", "sv", "sv-SE" …"""
    if value is None:
        return None
    if not isinstance(value, str) or not _LOCALE.fullmatch(value):
        raise _invalid("locale", "must be a language tag such as en, sv or sv-SE.")
    return value


def _message(value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid("message", "must be a string.")
    text = value.strip()
    if not 1 <= len(text) <= MAX_MESSAGE_CHARS:
        raise _invalid("message", f"must be 1–{MAX_MESSAGE_CHARS} characters after trimming.")
    if "\x00" in text:
        raise _invalid("message", "must not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate escaped in the JSON ("\\ud800")
        raise _invalid("message", "must be valid Unicode text.") from exc
    return text
