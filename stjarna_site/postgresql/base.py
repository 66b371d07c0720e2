"""Django's PostgreSQL backend with deadlines on every call and a per-worker breaker.

Each query, commit, rollback and connection health check made during a request is armed with the
request's deadline (``stjarna_site.deadlines``), so a PostgreSQL that stops answering costs that
call seconds, not minutes.

When a request's connection had to be cut at its deadline (``stjarna_site.deadlines``) or a new
connection timed out, every thread of this worker would otherwise pay the same seconds again:
the breaker (``stjarna_site.breaker.Breaker``, the one Redis uses too) opens, and for
``DATABASE_BREAKER_SECONDS`` new connections fail at once and kept ones count as unusable, so
requests that need the database answer 503 in milliseconds and the rest (warm menus) keep their
threads. Then one connection attempt is let through as a probe; its success closes the breaker.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base

from stjarna_site.deadlines import database_breaker, database_call_deadline

HEALTH_CHECK_AFTER_IDLE_S = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answered_at = -HEALTH_CHECK_AFTER_IDLE_S  # when this connection last answered
        self.execute_wrappers.append(self._query_deadline)  # every query through Django

    def _query_deadline(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        with database_call_deadline(self):
            result = execute(sql, params, many, context)
        self._answered_at = time.monotonic()
        return result

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if not database_breaker.allow():
            raise self.Database.OperationalError(
                "PostgreSQL is skipped for a moment: it stopped answering"
            )
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.OperationalError as exc:
            database_breaker.failed(exc)
            raise
        database_breaker.succeeded()
        return connection

    def close_if_health_check_failed(self) -> None:
        """Django's health check is a SELECT 1 before each request's first query. A connection
        that answered within the last second needs none: a PostgreSQL restart kills it, and the
        request that finds it dead fails, is marked, and the connection is replaced at the end
        (``close_if_unusable_or_obsolete``). Only connections idle longer are checked, which is
        what the check is for: those idle through a restart."""
        if time.monotonic() - self._answered_at < HEALTH_CHECK_AFTER_IDLE_S:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def is_usable(self) -> bool:
        if database_breaker.is_open:  # never wait on a health check of a hung server
            return False
        with database_call_deadline(self):
            return super().is_usable()

    def _commit(self) -> None:
        with database_call_deadline(self):
            return super()._commit()

    def _rollback(self) -> None:
        with database_call_deadline(self):
            return super()._rollback()
