"""A database outage is a clean 503 with Retry-After, never a 500 (found by bench/faults.py)."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from stjarna_site.errors import server_error


def _raise(exc: Exception):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.fixture
def unraising_client() -> Client:
    """A client that returns the error response instead of re-raising, as production does."""
    return Client(raise_request_exception=False)


def test_cold_menu_while_postgres_is_down_answers_503_with_retry_after(
    bella, unraising_client, monkeypatch
):
    monkeypatch.setattr("menu.cache.public_menu", _raise(OperationalError("connection refused")))
    response = unraising_client.get("/api/public/menu", {"restaurantId": "bella"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "temporarily_unavailable"
    assert int(response["Retry-After"]) > 0


def test_lost_connection_is_unavailable_too():
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 503


def test_a_real_bug_is_still_a_json_500(bella, unraising_client, monkeypatch):
    monkeypatch.setattr("menu.cache.public_menu", _raise(ValueError("a bug")))
    response = unraising_client.get("/api/public/menu", {"restaurantId": "bella"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "Retry-After" not in response
