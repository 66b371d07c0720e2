"""Every request has an end (SPEC §11): a database call that gets no answer is cut at its deadline.

A PostgreSQL that stops answering (SIGSTOP, a stuck disk, a frozen VM whose kernel still ACKs)
leaves a query waiting forever: the statement timeout is the *server's* to enforce, and neither
TCP keepalives nor ``tcp_user_timeout`` fire while the peer's kernel acknowledges every packet.
So during a request every database call — a query, a commit or rollback, the connection health
check — may wait ``DATABASE_REQUEST_DEADLINE`` seconds (``DATABASE_ADMIN_REQUEST_DEADLINE`` under
/admin/, where imports run long queries); the PostgreSQL backend (``stjarna_site.postgresql``)
arms :data:`watchdog` around each call, and the watchdog, one thread per worker process, shuts down
the socket of a connection whose call overran. The blocked call then fails at once with an
``OperationalError`` ("server closed the connection"), which the site answers as 503
``temporarily_unavailable`` with ``Retry-After`` (``stjarna_site.errors``), and Django drops the
broken connection at the end of the request. The cut also opens the worker's database breaker:
for ``DATABASE_BREAKER_SECONDS`` its other requests that need the database answer 503 at once
instead of each waiting out a deadline or a connect timeout.

The deadline is per call, not per request: a request that is merely slow (a busy CPU, a Redis
timeout before it) is never mistaken for a hung database. Outside requests (management commands,
migrations) nothing is armed. A request that never touches the database (a warm menu) arms
nothing. Only PostgreSQL: SQLite has no socket and never hangs on a server.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator

import structlog
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

from stjarna_site.breaker import Breaker

logger = structlog.get_logger("stjarna.database")

TICK_SECONDS = 0.1  # how late past its deadline a connection may be cut


def cut_connection(wrapper: BaseDatabaseWrapper) -> bool:
    """Shut down the socket of ``wrapper``'s open connection (from any thread); False if none."""
    raw = wrapper.connection
    if raw is None:
        return False
    try:
        fd = raw.fileno()
    except Exception:  # already closed
        return False
    # shutdown() wakes a poll() blocked on this socket in the request thread; the duplicate file
    # descriptor is ours to close, the connection's own is left to Django.
    with socket.socket(fileno=os.dup(fd)) as sock:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            return False
    return True


class Watchdog:
    """One thread that cuts the connection of every request past its deadline."""

    def __init__(self, cut: Callable[[BaseDatabaseWrapper], bool] = cut_connection) -> None:
        self._cut = cut
        self._armed: dict[int, tuple[float, BaseDatabaseWrapper, str]] = {}
        self._tokens = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def arm(self, wrapper: BaseDatabaseWrapper, seconds: float, path: str) -> int:
        token = next(self._tokens)
        with self._lock:
            self._armed[token] = (time.monotonic() + seconds, wrapper, path)
            if self._thread is None or not self._thread.is_alive():  # e.g. after a fork
                self._thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
                self._thread.start()
        return token

    def disarm(self, token: int) -> None:
        with self._lock:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                due = [token for token, (deadline, *_) in self._armed.items() if deadline <= now]
                expired = [self._armed.pop(token) for token in due]
            for _, wrapper, path in expired:
                if self._cut(wrapper):
                    logger.error("database call overran its deadline; connection cut", path=path)


def _cut_and_open_the_breaker(wrapper: BaseDatabaseWrapper) -> bool:
    cut = cut_connection(wrapper)
    if cut:
        database_breaker.failed(TimeoutError("database deadline passed"))
    return cut


# How long this worker skips PostgreSQL after it stopped answering (stjarna_site.postgresql).
database_breaker = Breaker(settings.DATABASE_BREAKER_SECONDS, name="postgresql")
watchdog = Watchdog(cut=_cut_and_open_the_breaker)


_allowance = threading.local()  # this thread's request: (deadline seconds, path)


@contextlib.contextmanager
def database_call_deadline(wrapper: BaseDatabaseWrapper) -> Iterator[None]:
    """Around one database call: cut ``wrapper``'s connection if the call overruns the request's
    allowance (nothing outside a request)."""
    allowance = getattr(_allowance, "value", None)
    if allowance is None:
        yield
        return
    token = watchdog.arm(wrapper, *allowance)
    try:
        yield
    finally:
        watchdog.disarm(token)


class DatabaseDeadlineMiddleware:
    """Give each database call of this request its deadline (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if connections["default"].vendor != "postgresql":
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/admin/"):
            seconds = settings.DATABASE_ADMIN_REQUEST_DEADLINE
        else:
            seconds = settings.DATABASE_REQUEST_DEADLINE
        _allowance.value = (seconds, request.path)
        try:
            return self.get_response(request)
        finally:
            _allowance.value = None
