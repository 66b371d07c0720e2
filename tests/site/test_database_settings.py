import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgres_queries_have_a_statement_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting; CI's PostgreSQL pass runs this")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
