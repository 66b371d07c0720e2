"""Per-restaurant CORS on the menu endpoint, end to end through the middleware (SPEC §6)."""

from __future__ import annotations

import pytest

from tests.factories import AllowedOriginFactory
from tests.helpers import menu_url

BELLA_SITE = "https://bella.example"
ROMA_SITE = "https://roma.example"


def varies_on_origin(response) -> bool:
    return "origin" in [part.strip().lower() for part in response.get("Vary", "").split(",")]


@pytest.fixture
def sites(bella, roma):
    AllowedOriginFactory(restaurant=bella, origin=BELLA_SITE)
    AllowedOriginFactory(restaurant=roma, origin=ROMA_SITE)


def test_allowed_origin_is_echoed(client, sites):
    response = client.get(menu_url(), HTTP_ORIGIN=BELLA_SITE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == BELLA_SITE
    assert varies_on_origin(response)


def test_unknown_origin_is_served_but_not_approved(client, sites):
    response = client.get(menu_url(), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 200  # the browser, not the server, withholds the body
    assert "Access-Control-Allow-Origin" not in response
    assert varies_on_origin(response)


def test_another_tenants_origin_is_not_approved(client, sites):
    response = client.get(menu_url("bella"), HTTP_ORIGIN=ROMA_SITE)
    assert "Access-Control-Allow-Origin" not in response
    assert client.get(menu_url("roma"), HTTP_ORIGIN=ROMA_SITE)["Access-Control-Allow-Origin"] == (
        ROMA_SITE
    )


def test_request_without_origin_is_served_without_cors_headers(client, sites):
    response = client.get(menu_url())
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert varies_on_origin(response)


def test_preflight_is_answered_without_running_the_view(client, sites, monkeypatch):
    def view_must_not_run(*args, **kwargs):
        raise AssertionError("the preflight reached the menu view")

    monkeypatch.setattr("menu.views.menu_entry", view_must_not_run)
    response = client.options(
        menu_url(), HTTP_ORIGIN=BELLA_SITE, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == BELLA_SITE
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert varies_on_origin(response)


def test_preflight_from_a_foreign_origin_is_not_approved(client, sites):
    response = client.options(
        menu_url(), HTTP_ORIGIN=ROMA_SITE, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_304_and_errors_vary_on_origin_too(client, sites):
    etag = client.get(menu_url())["ETag"]
    not_modified = client.get(menu_url(), HTTP_IF_NONE_MATCH=etag, HTTP_ORIGIN=BELLA_SITE)
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == BELLA_SITE
    assert varies_on_origin(not_modified)
    for url, status in ((menu_url("nowhere"), 404), (menu_url(""), 400), (menu_url("a b"), 400)):
        response = client.get(url, HTTP_ORIGIN=BELLA_SITE)
        assert response.status_code == status
        assert varies_on_origin(response)
        assert "Access-Control-Allow-Origin" not in response


def test_405_varies_on_origin(client, sites):
    response = client.post(menu_url(), HTTP_ORIGIN=BELLA_SITE)
    assert response.status_code == 405
    assert varies_on_origin(response)


def test_localhost_origins_are_allowed_only_in_debug(client, sites, settings):
    settings.DEBUG = False
    response = client.get(menu_url(), HTTP_ORIGIN="http://localhost:5173")
    assert "Access-Control-Allow-Origin" not in response
    settings.DEBUG = True
    for origin in ("http://localhost:5173", "http://127.0.0.1:8000"):
        response = client.get(menu_url(), HTTP_ORIGIN=origin)
        assert response["Access-Control-Allow-Origin"] == origin
    response = client.get(menu_url(), HTTP_ORIGIN="http://localhost.evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_new_origin_is_approved_on_the_next_request(
    client, sites, bella, django_capture_on_commit_callbacks
):
    new_site = "https://new-bella.example"
    assert "Access-Control-Allow-Origin" not in client.get(menu_url(), HTTP_ORIGIN=new_site)
    with django_capture_on_commit_callbacks(execute=True):
        AllowedOriginFactory(restaurant=bella, origin=new_site)
    assert client.get(menu_url(), HTTP_ORIGIN=new_site)["Access-Control-Allow-Origin"] == new_site
