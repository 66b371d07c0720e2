"""The OpenAPI schema and docs, and schemathesis fuzzing every documented operation.

Schemathesis calls the real Django WSGI application with cases generated from the served schema
and checks: no 5xx, documented status codes, content types, headers and response bodies.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import MenuItemFactory, RestaurantFactory

MANAGEMENT_PATHS = {
    "/api/v1/menu",
    "/api/v1/items",
    "/api/v1/items/{id}",
    "/api/v1/items/{id}/availability",
}


@pytest.fixture
def wsgi_app(db):
    """The production WSGI app, kept inside the test's transaction.

    Django closes "obsolete" connections at each request's start and end, which would end the
    test transaction; the test client turns that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.from_wsgi("/api/schema/?format=json", wsgi_app)


schema = schemathesis.from_pytest_fixture("api_schema")


def test_schema_describes_the_management_and_public_endpoints(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= MANAGEMENT_PATHS
    assert {"/api/health", "/api/public/menu", "/api/chat"} <= set(document["paths"])
    assert set(document["paths"]["/api/public/menu"]) == {"get", "head"}
    assert {"400", "403", "404", "413", "415", "429", "503"} <= set(
        document["paths"]["/api/chat"]["post"]["responses"]
    )
    assert document["components"]["securitySchemes"]["tenantApiKey"]["scheme"] == "bearer"
    assert "Error" in document["components"]["schemas"]
    put_menu = document["paths"]["/api/v1/menu"]["put"]["responses"]
    assert {"200", "400", "401", "415", "429"} <= set(put_menu)


def test_docs_page_is_self_hosted(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.text
    assert "cdn." not in response.text and "unpkg" not in response.text


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_conforms_to_the_schema(case, bella, bella_key, settings):
    settings.API_KEY_RATE_LIMIT = "100000/m"  # fuzz the endpoints, not the limiter
    MenuItemFactory(restaurant=bella, name="Soup")
    # The schema's examples name the restaurant "demo": give them a real menu to answer from.
    demo = RestaurantFactory(public_id="demo", name="Demo")
    MenuItemFactory(restaurant=demo, name="Vegan curry", tags=["vegan"], allergens=["peanuts"])
    if case.path in MANAGEMENT_PATHS:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {bella_key}"}

    response = case.call_wsgi()

    case.validate_response(response)
