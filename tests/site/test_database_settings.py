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
