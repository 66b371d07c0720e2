"""The v2 menu data (mayContain, allergensDeclared) through the importer, the exporter and the
management API (SPEC §9), and contradictions refused there (SPEC §4)."""

from __future__ import annotations

import json

from menu.exporting import export_menu
from menu.importing import parse_menu
from menu.models import MenuItem
from tests.factories import MenuItemFactory


def rows_of(text: str, fmt: str) -> list[tuple]:
    report = parse_menu(text, fmt)
    assert report.ok, [str(e) for e in report.errors]
    return [(r.name, r.allergens, r.may_contain, r.allergens_declared) for r in report.rows]


def test_json_import_reads_may_contain_and_allergens_declared():
    document = {
        "items": [
            {"name": "Sorbet", "price": "45", "allergens": [], "allergensDeclared": True},
            {"name": "Panna cotta", "price": "65", "allergens": ["milk"], "mayContain": ["nuts"]},
            {"name": "Soup", "price": "70"},
        ]
    }

    assert rows_of(json.dumps(document), "json") == [
        ("Sorbet", (), (), True),
        ("Panna cotta", ("milk",), ("nuts",), True),  # declared iff allergens listed
        ("Soup", (), (), False),
    ]


def test_csv_import_reads_its_snake_case_columns():
    text = (
        "name,price,allergens,may_contain,allergens_declared\n"
        "Sorbet,45,,,yes\n"
        "Torte,65,nuts;soybeans,sesame;milk,\n"
        "Soup,70,,,\n"
    )

    assert rows_of(text, "csv") == [
        ("Sorbet", (), (), True),
        ("Torte", ("soybeans", "nuts"), ("milk", "sesame"), True),  # regulation order
        ("Soup", (), (), False),
    ]


def test_may_contain_an_allergen_the_dish_contains_is_dropped():
    item = {"name": "Pesto", "price": 1, "allergens": ["nuts"], "mayContain": ["nuts", "milk"]}
    text = json.dumps({"items": [item]})

    assert rows_of(text, "json") == [("Pesto", ("nuts",), ("milk",), True)]


def test_invalid_new_fields_are_reported_with_their_names():
    document = {
        "items": [
            {"name": "A", "price": 1, "mayContain": ["traces"], "allergensDeclared": "yes"},
            {"name": "B", "price": 1, "may_contain": ["nuts"]},
        ]
    }

    errors = [
        (e.item, e.field, e.message[:28]) for e in parse_menu(json.dumps(document), "json").errors
    ]

    assert errors == [
        (0, "mayContain", "Unknown allergen 'traces'. A"),
        (0, "allergensDeclared", "Must be true or false."),
        (1, "may_contain", "Unknown field. Did you mean "),
    ]


def test_export_writes_the_new_fields_in_both_formats(bella):
    MenuItemFactory(
        restaurant=bella,
        name="Panna cotta",
        price="65",
        category="Desserts",
        allergens=["milk"],
        may_contain=["nuts", "sesame"],
        allergens_declared=True,
    )

    item = json.loads(export_menu(bella, "json"))["items"][0]
    assert (item["mayContain"], item["allergensDeclared"]) == (["nuts", "sesame"], True)
    assert export_menu(bella, "csv").splitlines() == [
        "name,description,price,category,allergens,may_contain,allergens_declared,tags,available",
        "Panna cotta,A dish,65.00,Desserts,milk,nuts;sesame,true,,true",
    ]


def test_api_creates_and_returns_a_declared_allergen_free_dish(bella, bella_key, api):
    response = api(bella_key).post(
        "/api/v1/items",
        {"name": "Sorbet", "price": "45", "allergensDeclared": True, "mayContain": ["milk"]},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["allergens"], body["mayContain"], body["allergensDeclared"]) == (
        [],
        ["milk"],
        True,
    )
    sorbet = MenuItem.objects.get(name="Sorbet")
    assert (sorbet.may_contain, sorbet.allergens_declared) == (["milk"], True)


def test_api_patch_changes_only_the_declaration(bella, bella_key, api):
    item = MenuItemFactory(restaurant=bella, allergens=["gluten"], may_contain=["nuts"])

    response = api(bella_key).patch(f"/api/v1/items/{item.pk}", {"allergensDeclared": True})

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.allergens, item.may_contain, item.allergens_declared) == (
        ["gluten"],
        ["nuts"],
        True,
    )


def test_api_menu_read_can_be_put_back_unchanged(bella, bella_key, api):
    MenuItemFactory(
        restaurant=bella,
        name="Torte",
        allergens=["nuts"],
        may_contain=["milk"],
        allergens_declared=True,
        position=0,
    )
    MenuItemFactory(restaurant=bella, name="Soup", position=1)
    client = api(bella_key)
    menu = client.get("/api/v1/menu").json()

    response = client.put("/api/v1/menu", {"items": menu["items"]})

    assert response.status_code == 200
    assert response.json()["changes"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 2}


def test_api_patch_of_allergens_that_contradict_the_stored_tags_is_refused(bella, bella_key, api):
    item = MenuItemFactory(restaurant=bella, tags=["vegan"], allergens=["gluten"])

    response = api(bella_key).patch(f"/api/v1/items/{item.pk}", {"allergens": ["milk"]})

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_field",
        "message": "tags: Contradiction: vegan, but contains milk. Remove the diet tag or "
        "correct the allergens.",
        "field": "tags",
    }
    item.refresh_from_db()
    assert item.allergens == ["gluten"]


def test_api_create_refuses_a_contradiction(bella, bella_key, api):
    response = api(bella_key).post(
        "/api/v1/items", {"name": "Latte", "price": "5", "allergens": ["milk"], "tags": ["vegan"]}
    )

    assert response.status_code == 400
    assert "vegan, but contains milk" in response.json()["error"]["message"]
