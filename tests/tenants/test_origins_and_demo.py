"""Allowed origins are normalised and validated; the demo seed is idempotent."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from menu.models import MenuItem
from tenants.demo import (
    DEMO_MENU,
    DEMO_PUBLIC_ID,
    DEMO_RESTAURANT,
    demo_menu_rows,
    seed_demo_restaurant,
)
from tenants.models import AllowedOrigin, Restaurant
from tenants.validators import normalise_origin, validate_rate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Bella.Example/", "https://bella.example"),
        ("https://bella.example:443", "https://bella.example"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://café.example", "https://xn--caf-dma.example"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_origins_are_normalised(raw, expected):
    assert normalise_origin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "bella.example",
        "ftp://bella.example",
        "https://bella.example/menu",
        "https://*.example",
        "https://user:pw@bella.example",
        "https://",
        "https://bella.example:99999",
        "javascript:alert(1)",
    ],
)
def test_invalid_origins_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_origin(raw)


def test_origin_is_unique_per_restaurant_after_normalisation(bella):
    AllowedOrigin.objects.create(restaurant=bella, origin="https://bella.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowedOrigin.objects.create(restaurant=bella, origin="HTTPS://BELLA.EXAMPLE/")


@pytest.mark.parametrize("rate", ["10/30s", "3/s", "100/h", "5/m", "60/30"])
def test_valid_rates(rate):
    validate_rate(rate)


@pytest.mark.parametrize("rate", ["ten/30s", "10", "0/s", "10/30x", "/s"])
def test_invalid_rates(rate):
    with pytest.raises(ValidationError):
        validate_rate(rate)


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    restaurant = Restaurant.objects.get(public_id="demo")
    first = list(MenuItem.objects.filter(restaurant=restaurant).values_list("id", "name", "price"))
    version = restaurant.menu_version
    call_command("seed_demo")
    restaurant.refresh_from_db()
    assert (
        list(MenuItem.objects.filter(restaurant=restaurant).values_list("id", "name", "price"))
        == first
    )
    assert restaurant.menu_version == version
    assert len(first) >= 40
    assert restaurant.allowed_origins.exists()


def test_seed_demo_menu_is_realistic(db):
    call_command("seed_demo")
    items = MenuItem.objects.filter(restaurant__public_id="demo")
    categories = set(items.values_list("category", flat=True))
    assert {"Starters", "Pizza", "Pasta", "Mains", "Desserts", "Drinks"} <= categories
    tags = [set(t) for t in items.values_list("tags", flat=True)]
    assert sum("vegan" in t for t in tags) >= 5
    assert sum("gluten-free" in t for t in tags) >= 5
    assert sum("spicy" in t for t in tags) >= 3


def test_seed_demo_has_osm_hours_declared_allergens_and_traces(db):
    call_command("seed_demo", stdout=io.StringIO())

    demo = Restaurant.objects.get(public_id="demo")
    demo.full_clean()  # the hours are valid OpenStreetMap syntax
    assert "Dec 24 off" in demo.opening_hours
    items = MenuItem.objects.filter(restaurant=demo)
    assert all(items.values_list("allergens_declared", flat=True))
    assert items.filter(name="Sorbet trio").get().allergens == []  # free of all 14
    assert sum(bool(traces) for traces in items.values_list("may_contain", flat=True)) >= 2
    assert not any(item.problems for item in items)


def test_seed_demo_prints_the_staff_login_only_in_development(db, capsys, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert "stjarna-demo" not in capsys.readouterr().out
    settings.DEBUG = True
    call_command("seed_demo")
    assert "demo-staff / stjarna-demo" in capsys.readouterr().out


def test_seed_demo_menu_rows_are_the_whole_demo_menu_and_valid():
    rows = demo_menu_rows()
    assert [row.name for row in rows] == [entry[1] for entry in DEMO_MENU]
    assert sum(not row.available for row in rows) == 1  # the seasonal truffle pasta


def test_one_seed_demo_run_bumps_the_menu_version_at_most_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    assert restaurant.menu_version <= 2  # created at 1; the whole menu written with one bump
    # Staff edited many demo items, removed two and changed the restaurant's greeting.
    items = MenuItem.objects.filter(restaurant=restaurant)
    items.filter(category="Pizza").update(price=Decimal("1.00"), tags=[])
    items.filter(name__in=["Tiramisu", "Espresso"]).delete()
    Restaurant.objects.filter(pk=restaurant.pk).update(greeting="Hej!", active=False)
    restaurant.refresh_from_db()
    version = restaurant.menu_version

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    restaurant.refresh_from_db()
    assert restaurant.menu_version == version + 1
    assert "2 items created, 9 updated" in out.getvalue()
    assert restaurant.active and restaurant.greeting != "Hej!"
    assert items.filter(category="Pizza", price=Decimal("1.00")).count() == 0
    assert items.count() == len(DEMO_MENU)

    call_command("seed_demo", stdout=io.StringIO())  # and then nothing is left to do
    restaurant.refresh_from_db()
    assert restaurant.menu_version == version + 1


def test_seed_demo_restores_only_the_restaurant_details_with_one_bump(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    Restaurant.objects.filter(pk=restaurant.pk).update(greeting="Hej!")
    restaurant.refresh_from_db()
    version = restaurant.menu_version
    call_command("seed_demo", stdout=io.StringIO())
    restaurant.refresh_from_db()
    assert restaurant.greeting == DEMO_RESTAURANT["greeting"]
    assert restaurant.menu_version == version + 1  # the public menu shows the greeting


def test_seed_demo_updates_an_item_whose_name_differs_only_in_case(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    margherita = MenuItem.objects.get(restaurant=restaurant, name="Margherita")
    MenuItem.objects.filter(pk=margherita.pk).update(name="MARGHERITA", price=Decimal("1.00"))

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 items created, 1 updated" in out.getvalue()
    same = MenuItem.objects.filter(restaurant=restaurant, name__iexact="margherita")
    assert [(item.pk, item.name, item.price) for item in same] == [
        (margherita.pk, "Margherita", Decimal("115.00"))
    ]
    assert MenuItem.objects.filter(restaurant=restaurant).count() == len(DEMO_MENU)


def test_seed_demo_matches_a_preexisting_item_case_insensitively(db):
    restaurant = Restaurant.objects.create(public_id=DEMO_PUBLIC_ID, **DEMO_RESTAURANT)
    MenuItem.objects.create(restaurant=restaurant, name="spaghetti CARBONARA", price=Decimal("9"))
    seed_demo_restaurant(development=False)
    names = list(
        MenuItem.objects.filter(
            restaurant=restaurant, name__iexact="spaghetti carbonara"
        ).values_list("name", flat=True)
    )
    assert names == ["Spaghetti carbonara"]


def test_seed_demo_keeps_items_it_does_not_know_after_the_demo_items(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    special = MenuItem.objects.create(
        restaurant=restaurant, name="Daily special", price=Decimal("99"), position=0
    )
    call_command("seed_demo", stdout=io.StringIO())
    special.refresh_from_db()
    assert special.position == len(DEMO_MENU)
    menu = MenuItem.objects.filter(restaurant=restaurant).order_by("position")
    assert list(menu.values_list("name", flat=True))[-1] == "Daily special"
