"""GET|HEAD /api/public/menu: body, headers, conditional requests and errors (SPEC §5)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.factories import MenuItemFactory, RestaurantFactory
from tests.helpers import error_of, menu_url

CACHE_CONTROL = "public, s-maxage=60, stale-while-revalidate=300"


@pytest.fixture
def bella_menu(bella):
    """Bella's menu, created out of order: position decides, then id."""
    return [
        MenuItemFactory(
            restaurant=bella,
            name="Tiramisu",
            description="Mascarpone, espresso",
            price=Decimal("89"),
            category="Desserts",
            allergens=["eggs", "milk"],
            tags=["vegetarian", "italian"],
            position=3,
        ),
        MenuItemFactory(
            restaurant=bella,
            name="Margherita",
            description="Tomato, mozzarella, basil",
            price=Decimal("12.5"),
            category="Pizza",
            allergens=["gluten", "milk"],
            tags=["vegetarian"],
            position=1,
        ),
        MenuItemFactory(restaurant=bella, name="Sold out", position=2, available=False),
        MenuItemFactory(restaurant=bella, name="Marinara", price=Decimal("11"), position=1),
    ]


def test_menu_body_has_exactly_the_spec_shape(client, bella, bella_menu, settings):
    settings.USE_SERVER_CHAT = True
    body = client.get(menu_url()).json()
    assert set(body) == {"restaurant", "features", "version", "items"}
    assert body["restaurant"] == {
        "id": "bella",
        "name": "Bella Napoli",
        "currency": bella.currency,
        "locale": "en",
        "greeting": bella.greeting,
        "brandColor": bella.brand_color,
        "openingHours": bella.opening_hours,
        "hoursNote": bella.hours_note,
        "timezone": "Europe/Stockholm",
        "address": bella.address,
        "phone": bella.phone,
    }
    assert body["features"] == {"serverChat": True}
    bella.refresh_from_db()
    assert body["version"] == str(bella.menu_version)
    assert body["items"][0] == {
        "id": bella_menu[1].pk,
        "name": "Margherita",
        "description": "Tomato, mozzarella, basil",
        "price": "12.50",
        "category": "Pizza",
        "allergens": ["gluten", "milk"],
        "mayContain": [],
        "allergensDeclared": False,
        "tags": ["vegetarian"],
    }


def test_menu_lists_only_available_items_in_menu_order(client, bella_menu):
    names = [item["name"] for item in client.get(menu_url()).json()["items"]]
    assert names == ["Margherita", "Marinara", "Tiramisu"]


def test_prices_are_strings_with_two_decimals(client, bella_menu):
    prices = [item["price"] for item in client.get(menu_url()).json()["items"]]
    assert prices == ["12.50", "11.00", "89.00"]


def test_server_chat_flag_follows_the_setting(client, bella, settings):
    settings.USE_SERVER_CHAT = False
    assert client.get(menu_url()).json()["features"] == {"serverChat": False}


def test_another_restaurants_items_never_appear(client, bella, roma, bella_menu):
    MenuItemFactory(restaurant=roma, name="Carbonara")
    names = [item["name"] for item in client.get(menu_url()).json()["items"]]
    assert "Carbonara" not in names
    assert [i["name"] for i in client.get(menu_url("roma")).json()["items"]] == ["Carbonara"]


def test_non_ascii_text_survives_as_utf8_json(client, db):
    RestaurantFactory(public_id="stjarna", name="Trattoria Stjärna")
    response = client.get(menu_url("stjarna"))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content.decode("utf-8"))["restaurant"]["name"] == "Trattoria Stjärna"


def test_menu_response_carries_cache_headers_and_a_strong_etag(client, bella_menu):
    response = client.get(menu_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == CACHE_CONTROL
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert "origin" in response["Vary"].lower()


def test_cache_control_numbers_come_from_settings(client, bella, settings):
    settings.MENU_CACHE_S_MAXAGE = 10
    settings.MENU_CACHE_STALE_WHILE_REVALIDATE = 30
    response = client.get(menu_url())
    assert response["Cache-Control"] == "public, s-maxage=10, stale-while-revalidate=30"


def test_etag_is_stable_while_the_menu_is_unchanged(client, bella_menu):
    assert client.get(menu_url())["ETag"] == client.get(menu_url())["ETag"]


def test_tenants_have_different_etags(client, bella, roma):
    assert client.get(menu_url("bella"))["ETag"] != client.get(menu_url("roma"))["ETag"]


@pytest.mark.parametrize(
    "if_none_match",
    [
        "{etag}",
        "W/{etag}",
        '"something-else", {etag}',
        '"a", W/{etag}, "b"',
        "*",
    ],
    ids=["strong", "weak", "list", "weak-in-list", "star"],
)
def test_matching_if_none_match_answers_304_with_the_cache_headers(
    client, bella_menu, if_none_match
):
    etag = client.get(menu_url())["ETag"]
    response = client.get(menu_url(), HTTP_IF_NONE_MATCH=if_none_match.format(etag=etag))
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == CACHE_CONTROL
    assert "origin" in response["Vary"].lower()


@pytest.mark.parametrize("if_none_match", ['"stale"', 'W/"stale"', '"a", "b"', "garbage"])
def test_non_matching_if_none_match_gets_the_full_menu(client, bella_menu, if_none_match):
    response = client.get(menu_url(), HTTP_IF_NONE_MATCH=if_none_match)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 3


def test_head_answers_the_get_headers_without_a_body(client, bella_menu):
    get = client.get(menu_url())
    head = client.head(menu_url())
    assert head.status_code == 200
    assert head.content == b""
    for header in ("ETag", "Cache-Control", "Content-Type", "Vary"):
        assert head[header] == get[header]
    assert head["Content-Length"] == str(len(get.content))


def test_head_with_a_matching_etag_answers_304(client, bella_menu):
    etag = client.get(menu_url())["ETag"]
    assert client.head(menu_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_missing_restaurant_id_is_a_400(client, db):
    for url in ("/api/public/menu", "/api/public/menu?restaurantId="):
        response = client.get(url)
        assert response.status_code == 400
        assert error_of(response)["code"] == "restaurant_id_required"
        assert error_of(response)["message"]


@pytest.mark.parametrize(
    "bad_id", ["bella%20napoli", "bella/roma", "<script>", "b%C3%A4lla", "x" * 65, "%20"]
)
def test_malformed_restaurant_id_is_a_400(client, db, bad_id):
    response = client.get(menu_url(bad_id))
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_restaurant_id"


def test_unknown_restaurant_is_a_404(client, db):
    response = client.get(menu_url("nowhere"))
    assert response.status_code == 404
    assert error_of(response) == {
        "code": "restaurant_not_found",
        "message": "There is no such restaurant.",
    }


def test_inactive_restaurant_is_a_404(client, db):
    RestaurantFactory(public_id="closed", active=False)
    response = client.get(menu_url("closed"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "restaurant_not_found"


def test_errors_do_not_claim_to_be_cacheable(client, db):
    response = client.get(menu_url("nowhere"))
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_a_405_in_the_error_shape(client, bella, method):
    response = getattr(client, method)(menu_url())
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_plain_options_lists_the_allowed_methods(client, bella):
    response = client.options(menu_url())
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_request_log_names_the_restaurant(client, bella, capsys):
    client.get(menu_url())
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert request_lines[-1]["restaurant_id"] == "bella"
    assert request_lines[-1]["status"] == 200


def test_public_menu_does_not_vary_on_cookies(client, db):
    """A shared cache (CDN) must keep one copy per restaurant, not one per visitor's cookies."""
    from tests.factories import RestaurantFactory

    RestaurantFactory(public_id="cookieless")
    response = client.get("/api/public/menu?restaurantId=cookieless")
    assert response.status_code == 200
    assert "cookie" not in response["Vary"].lower()
    assert "origin" in response["Vary"].lower()


# The view answers the common requests on fast paths (menu/views.py); these pin them to the
# general rules they shortcut: Django's conditional-request handling and QueryDict parsing.
@pytest.mark.parametrize("if_none_match", [None, "{etag}", '"stale"', "W/{etag}"])
@pytest.mark.parametrize("if_match", [None, "{etag}", '"other"'])
@pytest.mark.parametrize("if_modified_since", [None, "Sat, 01 Jan 2000 00:00:00 GMT"])
@pytest.mark.parametrize("if_unmodified_since", [None, "Sat, 01 Jan 2000 00:00:00 GMT"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_conditional_answers_follow_djangos_rules(
    client, bella_menu, method, if_none_match, if_match, if_modified_since, if_unmodified_since
):
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.cache import get_conditional_response

    full = client.get(menu_url())
    etag = full["ETag"]
    headers = {
        name: value.format(etag=etag)
        for name, value in {
            "HTTP_IF_NONE_MATCH": if_none_match,
            "HTTP_IF_MATCH": if_match,
            "HTTP_IF_MODIFIED_SINCE": if_modified_since,
            "HTTP_IF_UNMODIFIED_SINCE": if_unmodified_since,
        }.items()
        if value is not None
    }
    response = client.generic(method, menu_url(), **headers)

    request = RequestFactory().generic(method, menu_url(), **headers)
    reference = HttpResponse(full.content)
    reference["ETag"] = etag
    reference["Cache-Control"] = CACHE_CONTROL
    expected = get_conditional_response(request, etag=etag, response=reference)

    assert response.status_code == expected.status_code
    if response.status_code == 304:
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Cache-Control"] == CACHE_CONTROL
        assert "Content-Type" not in response
    elif response.status_code == 200:
        assert response.content == (b"" if method == "HEAD" else full.content)
        assert response["ETag"] == etag


@pytest.mark.parametrize(
    "query, expected",
    [
        ("restaurantId=bella", "bella"),
        ("restaurantId=bella&lang=sv", "bella"),
        ("lang=sv&restaurantId=roma", "roma"),
        ("restaurantId=bel%6Ca", "bella"),  # percent-encoded
        ("restaurantId=bella&restaurantId=roma", "roma"),  # QueryDict: the last one wins
        ("restaurantId=bella;x", None),
    ],
)
def test_restaurant_id_is_read_as_the_query_string_says(client, bella, roma, query, expected):
    response = client.get(f"/api/public/menu?{query}")
    if expected is None:
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert response.json()["restaurant"]["id"] == expected
