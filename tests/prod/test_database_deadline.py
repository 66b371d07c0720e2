"""A PostgreSQL that stops answering costs a request its deadline, then a 503 (SPEC §11).

The database is made to "hang" for one request by holding an exclusive lock on the table the
request reads: its query waits on the server, as it would on a stopped PostgreSQL, until the
statement timeout (10 s) — unless the request's deadline cuts the connection first.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

import menu.cache
from stjarna_site.deadlines import database_breaker
from tests.factories import RestaurantFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the deadline cuts a PostgreSQL socket; CI's PostgreSQL pass runs this",
)


def request_in_a_thread(send):
    """``send(client)`` from a new thread: a new database connection, as on another worker
    thread."""
    result: list = []
    worker = threading.Thread(
        target=lambda: result.append(send(Client(raise_request_exception=False)))
    )
    worker.start()
    worker.join()
    return result[0]


def request_while_restaurants_are_locked(send) -> tuple:
    """Run ``send(client)`` in another thread (its own connection) while the table is locked."""
    result: list = []
    client = Client(raise_request_exception=False)  # answer as production does
    worker = threading.Thread(target=lambda: result.append(send(client)))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE tenants_restaurant IN ACCESS EXCLUSIVE MODE")
        worker.start()
        worker.join(timeout=8)  # below the statement timeout: only the deadline can end it
    worker.join()
    return result[0]


def cold_menu(client):
    return client.get("/api/public/menu", {"restaurantId": "bella"})


def chat(client):
    body = {"restaurantId": "bella", "sessionToken": "diner-1", "message": "vegan?"}
    return client.post("/api/chat", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("send", [cold_menu, chat], ids=["cold menu", "chat"])
def test_a_request_whose_database_stops_answering_gets_503_with_retry_after(
    transactional_db, settings, capsys, send
):
    RestaurantFactory(public_id="bella")
    settings.DATABASE_REQUEST_DEADLINE = 1.0

    response = request_while_restaurants_are_locked(send)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "temporarily_unavailable"
    assert int(response["Retry-After"]) > 0
    logged = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert any(
        line["event"] == "database call overran its deadline; connection cut" for line in logged
    )


def test_a_request_within_its_deadline_is_not_cut(transactional_db, settings, capsys):
    RestaurantFactory(public_id="bella")
    settings.DATABASE_REQUEST_DEADLINE = 1.0
    assert cold_menu(Client()).status_code == 200
    assert cold_menu(Client()).status_code == 200  # the persistent connection is intact
    assert "connection cut" not in capsys.readouterr().out


def test_after_a_cut_the_worker_skips_the_database_for_a_moment_then_tries_again(
    transactional_db, settings
):
    RestaurantFactory(public_id="bella")
    settings.DATABASE_REQUEST_DEADLINE = 1.0
    assert request_while_restaurants_are_locked(cold_menu).status_code == 503

    # The table is free again, yet the worker does not ask: the breaker is open.
    skipped = request_in_a_thread(cold_menu)
    assert skipped.status_code == 503
    assert skipped.json()["error"]["code"] == "temporarily_unavailable"

    time.sleep(database_breaker.seconds)
    assert request_in_a_thread(cold_menu).status_code == 200  # the probe found it answering
    assert request_in_a_thread(cold_menu).status_code == 200


def test_a_slow_request_whose_database_answers_is_never_cut(
    transactional_db, settings, monkeypatch
):
    RestaurantFactory(public_id="bella")
    settings.DATABASE_REQUEST_DEADLINE = 0.5
    serialise = menu.cache.serialise_menu

    def slowly(payload):  # a busy CPU between two quick queries, not a hung database
        time.sleep(1.0)
        return serialise(payload)

    monkeypatch.setattr(menu.cache, "serialise_menu", slowly)
    assert cold_menu(Client()).status_code == 200
    assert not database_breaker.is_open
