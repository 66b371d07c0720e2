"""The management API /api/v1/: every endpoint, its tenant scoping and its error paths."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from menu.apikeys import api_key_issue, api_key_revoke
from menu.models import MenuItem
from menu.selectors import public_menu_items
from tests.factories import MenuItemFactory
from tests.helpers import version_of


@pytest.fixture
def bella_menu(bella):
    soup = MenuItemFactory(restaurant=bella, name="Soup", price=Decimal("55.00"), position=0)
    cake = MenuItemFactory(
        restaurant=bella, name="Cake", price=Decimal("40.00"), position=1, available=False
    )
    return soup, cake


@pytest.fixture
def roma_item(roma):
    return MenuItemFactory(restaurant=roma, name="Carbonara")


def error_code(response) -> str:
    return response.json()["error"]["code"]


# --- reading ------------------------------------------------------------------------------------
def test_get_menu_lists_every_item_with_availability_and_position(
    bella, bella_menu, api, bella_key
):
    response = api(bella_key).get("/api/v1/menu")

    assert response.status_code == 200
    body = response.json()
    assert body["restaurant"] == {"id": "bella", "name": "Bella Napoli", "currency": "SEK"}
    assert body["version"] == version_of(bella)
    assert [(i["name"], i["price"], i["available"], i["position"]) for i in body["items"]] == [
        ("Soup", "55.00", True, 0),
        ("Cake", "40.00", False, 1),
    ]


def test_get_item(bella_menu, api, bella_key):
    soup, _ = bella_menu
    body = api(bella_key).get(f"/api/v1/items/{soup.pk}").json()
    assert body["id"] == soup.pk and body["name"] == "Soup" and body["allergens"] == []


# --- replacing the menu -------------------------------------------------------------------------
def test_put_menu_replaces_it_atomically_and_bumps_the_version_once(
    bella, bella_menu, api, bella_key
):
    before = version_of(bella)
    items = [
        {"name": "Pizza", "price": "120.00", "allergens": ["gluten", "vegan"]},
        {"name": "soup", "price": 60, "description": "Hot", "available": True},
    ]

    response = api(bella_key).put("/api/v1/menu", {"items": items})

    assert response.status_code == 200
    body = response.json()
    assert body["changes"] == {"created": 1, "updated": 1, "deleted": 1, "unchanged": 0}
    assert body["warnings"][0]["item"] == 0 and body["warnings"][0]["field"] == "allergens"
    assert [(i["name"], i["tags"], i["position"]) for i in body["items"]] == [
        ("Pizza", ["vegan"], 0),
        ("soup", [], 1),
    ]
    assert body["items"][1]["id"] == bella_menu[0].pk  # matched by name: the same item
    assert body["version"] == before + 1 == version_of(bella)


def test_put_menu_accepts_what_get_menu_returns(bella, bella_menu, api, bella_key):
    client = api(bella_key)
    menu = client.get("/api/v1/menu").json()
    before = version_of(bella)

    response = client.put("/api/v1/menu", {"items": menu["items"]})

    assert response.status_code == 200
    assert response.json()["changes"]["unchanged"] == 2
    assert version_of(bella) == before  # nothing changed, nothing bumped


def test_invalid_menu_reports_every_row_and_writes_nothing(bella, bella_menu, api, bella_key):
    before = version_of(bella)
    items = [
        {"name": "Pizza", "price": "-1"},
        {"name": "Salad", "price": "5", "allergens": ["pepper"]},
        {"name": "pizza", "price": "5"},
    ]

    response = api(bella_key).put("/api/v1/menu", {"items": items})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_menu"
    assert "nothing was changed" in error["message"]
    assert [(row["item"], row["field"]) for row in error["rows"]] == [
        (0, "price"),
        (1, "allergens"),
    ]
    assert MenuItem.objects.filter(restaurant=bella).count() == 2
    assert version_of(bella) == before


@pytest.mark.parametrize("body", [[], {"items": "x"}, {"menu": []}, {}])
def test_put_menu_with_the_wrong_shape_is_invalid_menu(bella, api, bella_key, body):
    response = api(bella_key).put("/api/v1/menu", body)
    assert response.status_code == 400 and error_code(response) == "invalid_menu"


# --- single items -------------------------------------------------------------------------------
def test_post_item_adds_it_at_the_end_of_the_menu(bella, bella_menu, api, bella_key):
    before = version_of(bella)
    response = api(bella_key).post(
        "/api/v1/items", {"name": "Tiramisu", "price": "65.5", "allergens": ["eggs", "milk"]}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["price"] == "65.50" and body["position"] == 2 and body["available"] is True
    assert MenuItem.objects.get(pk=body["id"]).restaurant == bella
    assert version_of(bella) == before + 1


def test_post_item_with_a_taken_name_is_a_conflict(bella_menu, api, bella_key):
    response = api(bella_key).post("/api/v1/items", {"name": "SOUP", "price": 1})
    assert response.status_code == 409 and error_code(response) == "duplicate_name"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": 5}, "name"),
        ({"name": "X", "price": "1.001"}, "price"),
        ({"name": "X", "price": 5, "allergens": ["vegan-ish"]}, "allergens"),
        ({"name": "X", "price": 5, "position": -1}, "position"),
        ({"name": "X", "price": 5, "colour": "red"}, "colour"),
        ({"name": "Pizza\u0000", "price": 5}, "name"),  # PostgreSQL cannot store NUL
        ({"name": "X", "price": 5, "description": "\ud800"}, "description"),
        (["not", "an", "object"], ""),
    ],
)
def test_post_item_invalid_field(bella, api, bella_key, body, field):
    response = api(bella_key).post("/api/v1/items", body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_field" and error["field"] == field
    assert not MenuItem.objects.filter(restaurant=bella).exists()


def test_patch_item_changes_only_the_given_fields(bella, bella_menu, api, bella_key):
    soup, _ = bella_menu
    response = api(bella_key).patch(f"/api/v1/items/{soup.pk}", {"price": "59.00"})
    assert response.status_code == 200
    soup.refresh_from_db()
    assert soup.price == Decimal("59.00") and soup.name == "Soup"


def test_patch_available_false_hides_a_sold_out_dish_from_the_public_menu(
    bella, bella_menu, api, bella_key
):
    soup, _ = bella_menu
    before = version_of(bella)
    response = api(bella_key).patch(f"/api/v1/items/{soup.pk}", {"available": False})
    assert response.json()["available"] is False
    assert soup not in public_menu_items(bella)
    assert version_of(bella) == before + 1


def test_availability_endpoint_toggles_a_dish(bella, bella_menu, api, bella_key):
    _, cake = bella_menu
    before = version_of(bella)
    response = api(bella_key).post(f"/api/v1/items/{cake.pk}/availability", {"available": True})
    assert response.status_code == 200 and response.json()["available"] is True
    assert cake in public_menu_items(bella)
    assert version_of(bella) == before + 1


@pytest.mark.parametrize("body", [{}, {"available": "no"}, {"available": True, "x": 1}, [1]])
def test_availability_needs_a_boolean(bella_menu, api, bella_key, body):
    response = api(bella_key).post(f"/api/v1/items/{bella_menu[0].pk}/availability", body)
    assert response.status_code == 400 and error_code(response) == "invalid_field"


def test_put_item_replaces_it_and_resets_omitted_fields(bella_menu, api, bella_key):
    soup = bella_menu[0]
    MenuItem.objects.filter(pk=soup.pk).update(tags=["spicy"], category="Starters")
    response = api(bella_key).put(f"/api/v1/items/{soup.pk}", {"name": "Soup", "price": 50})
    assert response.status_code == 200
    soup.refresh_from_db()
    assert (soup.tags, soup.category, soup.price, soup.position) == ([], "", Decimal(50), 0)


def test_renaming_onto_another_item_is_a_conflict(bella_menu, api, bella_key):
    response = api(bella_key).patch(f"/api/v1/items/{bella_menu[0].pk}", {"name": "cake"})
    assert response.status_code == 409


def test_delete_item(bella, bella_menu, api, bella_key):
    before = version_of(bella)
    response = api(bella_key).delete(f"/api/v1/items/{bella_menu[0].pk}")
    assert response.status_code == 204
    assert not MenuItem.objects.filter(pk=bella_menu[0].pk).exists()
    assert version_of(bella) == before + 1


# --- tenant isolation ---------------------------------------------------------------------------
ITEM_CALLS = [
    ("get", "/api/v1/items/{id}", None),
    ("put", "/api/v1/items/{id}", {"name": "Mine now", "price": 1}),
    ("patch", "/api/v1/items/{id}", {"available": False}),
    ("delete", "/api/v1/items/{id}", None),
    ("post", "/api/v1/items/{id}/availability", {"available": False}),
]


@pytest.mark.parametrize(("method", "path", "body"), ITEM_CALLS)
def test_another_tenants_key_cannot_reach_an_item(
    roma, roma_item, api, bella_key, method, path, body
):
    client = api(bella_key)
    url = path.format(id=roma_item.pk)
    response = getattr(client, method)(url, body) if body else getattr(client, method)(url)

    assert response.status_code == 404 and error_code(response) == "not_found"
    roma_item.refresh_from_db()
    assert roma_item.name == "Carbonara" and roma_item.available is True


def test_another_tenants_key_sees_and_replaces_only_its_own_menu(
    bella, bella_menu, roma, roma_item, api, bella_key
):
    client = api(bella_key)
    assert [i["name"] for i in client.get("/api/v1/menu").json()["items"]] == ["Soup", "Cake"]
    client.put("/api/v1/menu", {"items": []})
    assert list(MenuItem.objects.filter(restaurant=roma)) == [roma_item]
    assert not MenuItem.objects.filter(restaurant=bella).exists()


@pytest.mark.parametrize("item_id", ["0", "9223372036854775808", "99999999999999999999999"])
def test_out_of_range_item_ids_are_not_found(bella, api, bella_key, item_id):
    response = api(bella_key).get(f"/api/v1/items/{item_id}")
    assert response.status_code == 404 and error_code(response) == "not_found"


# --- authentication and errors ------------------------------------------------------------------
ALL_CALLS = [
    ("get", "/api/v1/menu", None),
    ("put", "/api/v1/menu", {"items": []}),
    ("post", "/api/v1/items", {"name": "X", "price": 1}),
    *ITEM_CALLS,
]


@pytest.mark.parametrize(("method", "path", "body"), ALL_CALLS)
@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "not_authenticated"),
        ("Bearer", "invalid_api_key"),
        ("Token stj_0123456789_" + "a" * 43, "invalid_api_key"),
        ("Bearer stj_0123456789_" + "a" * 43, "invalid_api_key"),
        ("Bearer not-a-key", "invalid_api_key"),
        ("Bearer " + "x" * 5000, "invalid_api_key"),
    ],
)
def test_requests_without_a_valid_key_are_401(
    bella, bella_menu, api, method, path, body, header, code
):
    client = api(None)
    url = path.format(id=bella_menu[0].pk)
    headers = {"Authorization": header} if header else {}
    response = (
        getattr(client, method)(url, body, headers=headers)
        if body
        else getattr(client, method)(url, headers=headers)
    )

    assert response.status_code == 401
    assert error_code(response) == code
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert MenuItem.objects.filter(restaurant=bella).count() == 2


def test_a_revoked_key_is_refused(bella, api):
    issued = api_key_issue(restaurant=bella, name="Old till")
    api_key_revoke(key=issued.key)
    response = api(issued.token).get("/api/v1/menu")
    assert response.status_code == 401 and error_code(response) == "invalid_api_key"


def test_a_tampered_secret_is_refused(bella, api, bella_key):
    tampered = bella_key[:-1] + ("A" if bella_key[-1] != "A" else "B")
    assert api(tampered).get("/api/v1/menu").status_code == 401


def test_non_json_bodies_are_415(bella, api, bella_key):
    response = api(bella_key).client.post(
        "/api/v1/items",
        data="name=x",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {bella_key}"},
    )
    assert response.status_code == 415 and error_code(response) == "unsupported_media_type"


def test_malformed_json_is_400_invalid_json(bella, api, bella_key):
    response = api(bella_key).client.put(
        "/api/v1/menu",
        data='{"items": [',
        content_type="application/json",
        headers={"Authorization": f"Bearer {bella_key}"},
    )
    assert response.status_code == 400 and error_code(response) == "invalid_json"


def test_per_key_rate_limit_answers_429_with_retry_after(bella, roma, api, settings):
    settings.API_KEY_RATE_LIMIT = "3/m"
    bella_client = api(api_key_issue(restaurant=bella, name="Till").token)
    statuses = [bella_client.get("/api/v1/menu").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = bella_client.get("/api/v1/menu")
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60 and error["retryAfter"] >= 1
    other_key = api(api_key_issue(restaurant=bella, name="Website").token)
    assert other_key.get("/api/v1/menu").status_code == 200  # counted per key


def test_rate_limiter_fails_open_when_the_cache_is_down(bella, api, bella_key, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("menu.api.authentication.get_usage", broken)
    assert api(bella_key).get("/api/v1/menu").status_code == 200


def test_the_request_log_names_the_keys_restaurant(bella, api, bella_key, capsys):
    api(bella_key).get("/api/v1/menu")
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    request_line = next(line for line in lines if line.get("event") == "request")
    assert request_line["restaurant_id"] == "bella" and request_line["status"] == 200
