"""Per-restaurant CORS: only the requested restaurant's allowlist is echoed (SPEC §6)."""

import pytest

from tenants.cors import origin_allowed
from tests.factories import AllowedOriginFactory, MenuItemFactory

MENU_PREFLIGHT = "/api/public/menu?restaurantId={}"


def preflight(client, public_id, origin):
    return client.options(
        MENU_PREFLIGHT.format(public_id),
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )


@pytest.fixture
def bella_site(bella):
    return AllowedOriginFactory(restaurant=bella, origin="https://bella.example").origin


@pytest.fixture
def roma_site(roma):
    return AllowedOriginFactory(restaurant=roma, origin="https://roma.example").origin


def test_preflight_from_an_allowed_origin_is_approved(client, bella_site):
    response = preflight(client, "bella", bella_site)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == bella_site
    assert "origin" in response["Vary"].lower()


def test_preflight_from_an_unknown_origin_is_not_approved(client, bella_site):
    response = preflight(client, "bella", "https://evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_another_tenants_origin_is_not_approved(client, bella_site, roma_site):
    response = preflight(client, "bella", roma_site)
    assert "Access-Control-Allow-Origin" not in response


def test_empty_allowlist_allows_no_cross_origin_access(client, bella):
    assert "Access-Control-Allow-Origin" not in preflight(client, "bella", "https://bella.example")


def test_inactive_restaurant_allows_no_origin(client, bella, bella_site):
    bella.active = False
    bella.save()
    assert "Access-Control-Allow-Origin" not in preflight(client, "bella", bella_site)


def test_allowlist_changes_apply_on_the_next_request(
    bella, bella_site, django_capture_on_commit_callbacks
):
    assert origin_allowed("bella", bella_site)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        bella.allowed_origins.all().delete()
    assert not origin_allowed("bella", bella_site)
    with django_capture_on_commit_callbacks(execute=True):
        AllowedOriginFactory(restaurant=bella, origin="https://new.example")
    assert origin_allowed("bella", "https://new.example")


def test_localhost_is_allowed_only_in_debug(settings, bella):
    settings.DEBUG = False
    assert not origin_allowed("bella", "http://localhost:5173")
    settings.DEBUG = True
    assert origin_allowed("bella", "http://localhost:5173")
    assert origin_allowed("bella", "http://127.0.0.1:8000")
    assert not origin_allowed("bella", "http://localhost.evil.example")


def test_admin_and_other_paths_never_get_cors_headers(client, bella_site):
    response = client.get("/api/health", HTTP_ORIGIN=bella_site)
    assert "Access-Control-Allow-Origin" not in response


def test_same_origin_pages_may_use_the_api_without_being_listed(rf, bella):
    from tenants.cors import request_origin_allowed

    same = rf.post("/api/chat", HTTP_ORIGIN="http://testserver", HTTP_HOST="testserver")
    assert request_origin_allowed(same, "bella")
    other = rf.post("/api/chat", HTTP_ORIGIN="https://evil.example", HTTP_HOST="testserver")
    assert not request_origin_allowed(other, "bella")
    no_origin = rf.post("/api/chat", HTTP_HOST="testserver")
    assert request_origin_allowed(no_origin, "bella")


def test_malformed_restaurant_ids_cost_no_query_and_no_cache_entry(
    bella_site, django_assert_num_queries
):
    from django.core.cache import cache

    from tenants.cors import allowlist_key

    weird = "x" * 65
    with django_assert_num_queries(0):
        assert not origin_allowed(weird, bella_site)
        assert not origin_allowed("bella bella", bella_site)
    assert cache.get(allowlist_key(weird)) is None


def test_a_cross_origin_chat_reads_the_allowlist_once(client, bella, monkeypatch):
    from tenants import cors

    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    MenuItemFactory(restaurant=bella, name="Marinara", tags=["vegan"], allergens=["gluten"])
    calls = []
    real = cors.allowed_origins
    monkeypatch.setattr(cors, "allowed_origins", lambda pid: calls.append(pid) or real(pid))
    response = client.post(
        "/api/chat",
        {"restaurantId": "bella", "sessionToken": "t1", "message": "vegan?"},
        content_type="application/json",
        HTTP_ORIGIN="https://bella.example",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://bella.example"
    assert calls == ["bella"]
