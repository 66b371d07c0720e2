"""Helpers for tests that start a second Django process sharing this test's database and cache."""

from __future__ import annotations

import os

from django.db import connection


def this_test_database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{params['NAME']}"


def other_process_env(**extra: str) -> dict[str, str]:
    """The environment of a second process: the test settings, this test's database and the same
    cache key space (the xdist worker name picks the prefix), quiet logs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stjarna_site.settings_test",
        "DATABASE_URL": this_test_database_url(),
        "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "LOG_LEVEL": "ERROR",
        **extra,
    }
