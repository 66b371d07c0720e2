"""Django's PostgreSQL backend, with a per-worker breaker for a database that stopped answering.

When a request's connection had to be cut at its deadline (``stjarna_site.deadlines``) or a new
connection timed out, every thread of this worker would otherwise pay the same seconds again:
the breaker (``stjarna_site.breaker.Breaker``, the one Redis uses too) opens, and for
``DATABASE_BREAKER_SECONDS`` new connections fail at once and kept ones count as unusable, so
requests that need the database answer 503 in milliseconds and the rest (warm menus) keep their
threads. Then one connection attempt is let through as a probe; its success closes the breaker.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from stjarna_site.deadlines import database_breaker


class DatabaseWrapper(base.DatabaseWrapper):
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

    def is_usable(self) -> bool:
        if database_breaker.is_open:  # never wait on a health check of a hung server
            return False
        return super().is_usable()
