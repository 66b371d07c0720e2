"""GET /api/health (SPEC §5): database and cache checks with short deadlines.

Each check runs in its own thread and is given ``HEALTH_CHECK_TIMEOUT`` seconds, so a hung
dependency cannot hold the answer past the load balancer's patience: database down → 503,
cache down → 200 "degraded" (the product keeps serving from the database without it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK = "ok"


def check_database() -> None:
    """Open (or reuse) this thread's connection and run a trivial query."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a short-lived thread; never leave its connection behind.
        connection.close()


def check_cache() -> None:
    """Write and read back a probe key in the shared cache."""
    cache.set("health:probe", OK, timeout=10)
    if cache.get("health:probe") != OK:
        raise RuntimeError("cache did not return the probe value")


def run_checks(checks: dict[str, Callable[[], None]], timeout: float) -> dict[str, str]:
    """Run every check concurrently; a check that raises or overruns reports "error"/"timeout"."""
    results: dict[str, str] = {name: "timeout" for name in checks}

    def run(name: str, check: Callable[[], None]) -> None:
        try:
            check()
        except Exception as exc:  # a health check reports failures, it never raises them
            results[name] = f"error: {type(exc).__name__}"
        else:
            results[name] = OK

    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True)
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:  # one shared deadline: hung checks never add up their waits
        thread.join(max(0.0, deadline - time.monotonic()))
    return dict(results)


def health_report() -> tuple[int, dict]:
    """The health body and its HTTP status; shared by the view and ``manage.py check_health``."""
    checks = run_checks(
        {"database": check_database, "cache": check_cache},
        timeout=settings.HEALTH_CHECK_TIMEOUT,
    )
    if checks["database"] != OK:
        status, code = "error", 503
    elif checks["cache"] != OK:
        status, code = "degraded", 200
    else:
        status, code = OK, 200
    body = {
        "status": status,
        "checks": checks,
        "version": settings.APP_VERSION,
        "serverChat": settings.USE_SERVER_CHAT,
    }
    return code, body


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    code, body = health_report()
    return JsonResponse(body, status=code)
