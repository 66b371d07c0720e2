"""Structured logs (SPEC §10): one JSON object per line in production, readable in development.

Every request produces one ``request`` event with ``request_id`` (also sent as ``X-Request-ID``),
method, path, status, ``duration_ms``, ``restaurant_id`` where a view knew it, and ``rate_limited``.
So ``grep 429`` and ``grep RESTAURANT_ID`` work on the log stream as the runbook promises.
"""

from __future__ import annotations

import logging
import logging.config
import re
import sys
import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

access_log = structlog.get_logger("stjarna.request")


class StdoutHandler(logging.StreamHandler):
    """A stream handler that always writes to the *current* ``sys.stdout``.

    Resolving the stream at emit time keeps logs visible when stdout is swapped after start-up
    (test capture, gunicorn's worker re-plumbing).
    """

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(*, log_format: str, level: str) -> None:
    """Route stdlib and structlog records through one renderer on stdout."""
    shared: list = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.ExtraAdder(),  # stdlib ``extra={"restaurant_id": ...}`` become fields
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structured": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [
                        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        renderer,
                    ],
                    "foreign_pre_chain": shared,
                }
            },
            "handlers": {
                "stdout": {
                    "()": StdoutHandler,
                    "formatter": "structured",
                }
            },
            "root": {"handlers": ["stdout"], "level": level},
            "loggers": {
                # Our own request line replaces Django's duplicate 4xx/5xx warnings.
                "django.request": {"level": "ERROR"},
                "django.server": {"level": "WARNING"},
            },
        }
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_id_for(request: HttpRequest) -> str:
    """The X-Request-ID our own proxy set, otherwise a new one.

    The header is believed only behind a trusted proxy (``TRUSTED_PROXY_COUNT`` > 0, the setting
    that also makes ``X-Forwarded-For`` believed): nginx (``deploy/``) always overwrites it with
    its own ``$request_id``, so its log line and ours share the id. Without a proxy any client
    could choose the id its requests are logged under.
    """
    if settings.TRUSTED_PROXY_COUNT > 0:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        if _SAFE_REQUEST_ID.fullmatch(incoming):
            return incoming
    return uuid.uuid4().hex


def set_log_restaurant(request: HttpRequest, restaurant_id: str) -> None:
    """Let a view name the tenant a request was about, for the request log line."""
    request.log_restaurant_id = restaurant_id  # type: ignore[attr-defined]


class RequestLogMiddleware:
    """Outermost middleware: assigns the request id and writes the access log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        status = response.status_code
        access_log.info(
            "request",
            method=request.method,
            path=request.path,
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            restaurant_id=getattr(request, "log_restaurant_id", None),
            rate_limited=status == 429,
        )
        structlog.contextvars.clear_contextvars()
        return response
