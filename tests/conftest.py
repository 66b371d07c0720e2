"""Fixtures shared by every test: two tenants, their staff, an operator, a clean cache."""

from __future__ import annotations

import contextlib
import os

import pytest
from django.core.cache import cache

from operators.blocking import BLOCKLIST_KEY, forget_local_blocklist
from stjarna_site.breaker import close_every_breaker
from stjarna_site.counters import forget_local_counting
from tests.factories import MembershipFactory, RestaurantFactory, UserFactory

# Live-server browser tests drive sync Playwright from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def clear_cache() -> None:
    """Empty only this test worker's keys (a shared Redis may serve other workers)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    # A fresh test database has no IP blocks: publish that, as a deployment does, so requests
    # don't read the (empty) block list from the database (see operators.blocking).
    with contextlib.suppress(Exception):  # a test may have broken the cache on purpose
        cache.set(BLOCKLIST_KEY, ("no-blocks", []), None)
    forget_local_blocklist()
    forget_local_counting()  # each worker's fallback rate-limit counters, and its outage
    close_every_breaker()  # a test that broke Redis or PostgreSQL leaves no breaker open


@pytest.fixture(autouse=True)
def _isolated_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def bella(db):
    """Restaurant A."""
    return RestaurantFactory(public_id="bella", name="Bella Napoli")


@pytest.fixture
def roma(db):
    """Restaurant B, another tenant."""
    return RestaurantFactory(public_id="roma", name="Roma Antica")


@pytest.fixture
def staff_of_bella(bella):
    return MembershipFactory(user=UserFactory(username="staff-bella"), restaurant=bella).user


@pytest.fixture
def staff_of_roma(roma):
    return MembershipFactory(user=UserFactory(username="staff-roma"), restaurant=roma).user


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_superuser=True)


@pytest.fixture
def login_as(client):
    """``login_as(user)`` returns the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login
