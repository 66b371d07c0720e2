"""Test settings: the production settings with test-only conveniences.

The database and cache come from the environment exactly as in production, so the same suite runs
on the SQLite/local-memory default and on PostgreSQL + Redis (``.ci/run`` does both).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-checks-0123")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_FORMAT", "json")

from stjarna_site.settings import *  # noqa: F403
from stjarna_site.settings import CACHES

SECURE_SSL_REDIRECT = False  # the test client and live server speak plain HTTP
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Parallel test workers share one Redis: give each its own key space.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = f"stjarna-test-{_worker}"
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["LOCATION"] = f"stjarna-test-{_worker}"
