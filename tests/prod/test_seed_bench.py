"""manage.py seed_bench: many realistic restaurants, written in bulk, replaced on every run."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from menu.models import MenuItem
from tenants.models import AllowedOrigin, Restaurant


@pytest.mark.django_db
def test_seed_bench_creates_restaurants_with_valid_menus_and_origins():
    call_command("seed_bench", restaurants=3, max_items=40, stdout=None)
    restaurants = Restaurant.objects.filter(public_id__startswith="bench-").order_by("public_id")
    assert [r.public_id for r in restaurants] == ["bench-000", "bench-001", "bench-002"]
    for restaurant in restaurants:
        items = MenuItem.objects.filter(restaurant=restaurant)
        assert 30 <= items.count() <= 40
        for item in items:
            item.full_clean()  # allergen codes and tags pass the product's own validation
        assert AllowedOrigin.objects.filter(restaurant=restaurant).count() == 1
    tags = {tag for item in MenuItem.objects.all() for tag in item.tags}
    assert {"vegan", "vegetarian", "gluten-free"} <= tags


@pytest.mark.django_db
def test_seed_bench_writes_in_bulk(django_assert_max_num_queries):
    # 5 restaurants of up to 60 items: one INSERT per table, not one per row.
    with django_assert_max_num_queries(20):
        call_command("seed_bench", restaurants=5, max_items=60, stdout=None)
    assert MenuItem.objects.count() >= 150


@pytest.mark.django_db
def test_seed_bench_replaces_only_bench_restaurants(bella):
    call_command("seed_bench", restaurants=4, max_items=30, stdout=None)
    call_command("seed_bench", restaurants=2, max_items=30, stdout=None)
    assert Restaurant.objects.filter(public_id__startswith="bench-").count() == 2
    assert Restaurant.objects.filter(public_id="bella").exists()
