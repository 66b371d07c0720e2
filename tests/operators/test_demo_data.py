"""The demo restaurant: seeded from an import file through the importer, idempotent."""

import io
import json
from decimal import Decimal

from django.core.management import call_command

from menu.models import MenuItem
from operators.demo import (
    DEMO_MENU_FILE,
    DEMO_PUBLIC_ID,
    DEMO_RESTAURANT,
    demo_menu_rows,
    seed_demo_restaurant,
)
from tenants.models import Restaurant

DEMO_ITEMS = json.loads(DEMO_MENU_FILE.read_text(encoding="utf-8"))["items"]


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
    call_command("seed_demo", "--reset")
    assert "stjarna-demo" not in capsys.readouterr().out
    settings.DEBUG = True
    call_command("seed_demo", "--reset")
    assert "demo-staff / stjarna-demo" in capsys.readouterr().out


def test_seed_demo_menu_rows_are_the_whole_demo_menu_and_valid():
    rows = demo_menu_rows()
    assert [row.name for row in rows] == [item["name"] for item in DEMO_ITEMS]
    assert sum(not row.available for row in rows) == 1  # the seasonal truffle pasta


def test_seed_demo_puts_back_what_staff_changed_and_then_has_nothing_to_do(db):
    call_command("seed_demo", "--reset", stdout=io.StringIO())
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
    call_command("seed_demo", "--reset", stdout=out)
    restaurant.refresh_from_db()
    assert restaurant.menu_version > version
    version = restaurant.menu_version
    assert "2 items created, 9 updated" in out.getvalue()
    assert restaurant.active and restaurant.greeting != "Hej!"
    assert items.filter(category="Pizza", price=Decimal("1.00")).count() == 0
    assert items.count() == len(DEMO_ITEMS)

    call_command("seed_demo", "--reset", stdout=io.StringIO())  # and then nothing is left to do
    restaurant.refresh_from_db()
    assert restaurant.menu_version == version


def test_seed_demo_restores_only_the_restaurant_details_with_one_bump(db):
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    Restaurant.objects.filter(pk=restaurant.pk).update(greeting="Hej!")
    restaurant.refresh_from_db()
    version = restaurant.menu_version
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    restaurant.refresh_from_db()
    assert restaurant.greeting == DEMO_RESTAURANT["greeting"]
    assert restaurant.menu_version == version + 1  # the public menu shows the greeting


def test_seed_demo_updates_an_item_whose_name_differs_only_in_case(db):
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    margherita = MenuItem.objects.get(restaurant=restaurant, name="Margherita")
    MenuItem.objects.filter(pk=margherita.pk).update(name="MARGHERITA", price=Decimal("1.00"))

    out = io.StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    assert "0 items created, 1 updated" in out.getvalue()
    same = MenuItem.objects.filter(restaurant=restaurant, name__iexact="margherita")
    assert [(item.pk, item.name, item.price) for item in same] == [
        (margherita.pk, "Margherita", Decimal("115.00"))
    ]
    assert MenuItem.objects.filter(restaurant=restaurant).count() == len(DEMO_ITEMS)


def test_seed_demo_matches_a_preexisting_item_case_insensitively(db):
    restaurant = Restaurant.objects.create(public_id=DEMO_PUBLIC_ID, **DEMO_RESTAURANT)
    MenuItem.objects.create(restaurant=restaurant, name="spaghetti CARBONARA", price=Decimal("9"))
    seed_demo_restaurant(development=False, reset=True)
    names = list(
        MenuItem.objects.filter(
            restaurant=restaurant, name__iexact="spaghetti carbonara"
        ).values_list("name", flat=True)
    )
    assert names == ["Spaghetti carbonara"]


def test_seed_demo_keeps_items_it_does_not_know_after_the_demo_items(db):
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    special = MenuItem.objects.create(
        restaurant=restaurant, name="Daily special", price=Decimal("99"), position=0
    )
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    special.refresh_from_db()
    assert special.position == len(DEMO_ITEMS)
    menu = MenuItem.objects.filter(restaurant=restaurant).order_by("position")
    assert list(menu.values_list("name", flat=True))[-1] == "Daily special"


def test_seed_demo_never_overwrites_what_staff_changed(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    items = MenuItem.objects.filter(restaurant=restaurant)
    items.filter(name="Margherita").update(price=Decimal("1.00"))
    items.filter(name="Tiramisu").delete()
    restaurant.allowed_origins.filter(origin="http://localhost:8000").delete()
    Restaurant.objects.filter(pk=restaurant.pk).update(greeting="Hej!")
    restaurant.refresh_from_db()
    version = restaurant.menu_version

    out = io.StringIO()
    call_command("seed_demo", stdout=out)  # what ``make run`` does on every start

    restaurant.refresh_from_db()
    assert "exists: left as it is" in out.getvalue()
    assert restaurant.greeting == "Hej!"
    assert restaurant.menu_version == version
    assert items.get(name="Margherita").price == Decimal("1.00")
    assert not items.filter(name="Tiramisu").exists()
    assert not restaurant.allowed_origins.filter(origin="http://localhost:8000").exists()


def test_seed_demo_reset_puts_the_demo_back(db):
    call_command("seed_demo", stdout=io.StringIO())
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    MenuItem.objects.filter(restaurant=restaurant, name="Margherita").update(price=Decimal("1"))
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    assert MenuItem.objects.get(restaurant=restaurant, name="Margherita").price != Decimal("1")


def test_seed_demo_keeps_a_password_staff_changed(db, settings, capsys):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    call_command("seed_demo")
    user = get_user_model().objects.get(username="demo-staff")
    user.set_password("my-own-secret-passphrase")
    user.save()
    capsys.readouterr()
    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password("my-own-secret-passphrase")
    assert "stjarna-demo" not in capsys.readouterr().out
