"""The menu-data migrations on a populated database (SQLite, or PostgreSQL with DATABASE_URL):
listed allergens become declared, empty lists stay undeclared; hours that parse stay and free
text moves to the hours note, word for word."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("menu", "0002_storable_text"), ("tenants", "0004_blocked_ips_and_operator_actions")]
AFTER = [
    ("menu", "0003_may_contain_and_allergens_declared"),
    ("tenants", "0005_opening_hours_as_data"),
]
ITEMS_PER_RESTAURANT = 1200  # more than one batch of the data migration


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migrations_declare_listed_allergens_and_keep_unreadable_hours_as_a_note():
    old = migrate(BEFORE)
    Restaurant = old.get_model("tenants", "Restaurant")
    MenuItem = old.get_model("menu", "MenuItem")
    osm = Restaurant.objects.create(
        public_id="osm", name="OSM", opening_hours="Mo-Fr 11:00-22:00; Dec 24 off"
    )
    text = Restaurant.objects.create(
        public_id="text", name="Text", opening_hours="Mon–Fri 11–22, Sat 12–23"
    )
    Restaurant.objects.create(public_id="none", name="None", opening_hours="")
    for restaurant in (osm, text):
        MenuItem.objects.bulk_create(
            MenuItem(
                restaurant=restaurant,
                name=f"Dish {n}",
                price=Decimal("10"),
                allergens=["gluten"] if n % 3 else [],
                tags=[],
                position=n,
            )
            for n in range(ITEMS_PER_RESTAURANT)
        )

    try:
        new = migrate(AFTER)
        Restaurant = new.get_model("tenants", "Restaurant")
        MenuItem = new.get_model("menu", "MenuItem")

        hours = dict(Restaurant.objects.values_list("public_id", "opening_hours"))
        notes = dict(Restaurant.objects.values_list("public_id", "hours_note"))
        assert hours == {"osm": "Mo-Fr 11:00-22:00; Dec 24 off", "text": "", "none": ""}
        assert notes == {"osm": "", "text": "Mon–Fri 11–22, Sat 12–23", "none": ""}
        items = MenuItem.objects.all()
        assert items.count() == 2 * ITEMS_PER_RESTAURANT
        assert all(
            declared == bool(allergens) and may_contain == []
            for allergens, declared, may_contain in items.values_list(
                "allergens", "allergens_declared", "may_contain"
            )
        )
        assert items.filter(allergens_declared=True).count() == 2 * 800
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_hours_migration_can_be_reversed_without_losing_the_text():
    apps = migrate(AFTER)
    Restaurant = apps.get_model("tenants", "Restaurant")
    Restaurant.objects.create(public_id="text", name="Text", hours_note="Mon–Fri 11–22")

    try:
        old = migrate(BEFORE)
        assert old.get_model("tenants", "Restaurant").objects.get().opening_hours == "Mon–Fri 11–22"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
