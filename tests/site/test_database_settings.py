import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgres_queries_have_a_statement_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting; CI's PostgreSQL pass runs this")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"


@pytest.mark.django_db
def test_postgres_connections_notice_a_lost_server_within_seconds():
    if connection.vendor != "postgresql":
        pytest.skip("libpq keepalives are PostgreSQL connection parameters; CI's PostgreSQL pass")
    connection.ensure_connection()
    params = connection.connection.info.get_parameters()
    assert params["keepalives"] == "1"
    silent = int(params["keepalives_idle"])
    silent += int(params["keepalives_interval"]) * int(params["keepalives_count"])
    assert silent <= 10  # seconds of silence before the kernel gives the connection up
    assert int(params["tcp_user_timeout"]) <= 5000
    assert int(params["connect_timeout"]) <= 2


@pytest.mark.django_db
def test_a_connection_that_just_answered_is_not_health_checked_again(monkeypatch):
    """Django's health check is a SELECT 1 before each request's first query; a connection that
    answered within the last second skips it, one idle longer is checked (a PostgreSQL restart
    while it sat idle)."""
    if connection.vendor != "postgresql":
        pytest.skip("the health check is the PostgreSQL backend's; CI's PostgreSQL pass runs this")
    from django.db import connections

    from stjarna_site.postgresql import base

    db = connections["default"]
    checks = []
    monkeypatch.setattr(db, "is_usable", lambda: checks.append(1) or True)
    monkeypatch.setattr(db, "health_check_enabled", True)
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")  # answered just now
    db.health_check_done = False  # a new request
    db.close_if_health_check_failed()
    assert checks == []
    monkeypatch.setattr(db, "_answered_at", db._answered_at - 2 * base.HEALTH_CHECK_AFTER_IDLE_S)
    db.health_check_done = False
    db.close_if_health_check_failed()
    assert checks == [1]
