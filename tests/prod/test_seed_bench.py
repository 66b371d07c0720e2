"""manage.py seed_bench: many realistic restaurants, written in bulk, replaced on every run."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_items": -1}, "--min-items must be 0 or more, not -1."),
        ({"max_items": -5}, "--max-items (-5) must be at least --min-items (30)."),
        ({"min_items": 50, "max_items": 40}, "--max-items (40) must be at least --min-items (50)."),
        ({"restaurants": -3}, "--restaurants must be between 0 and 10,000, not -3."),
        ({"restaurants": 10**9}, "--restaurants must be between 0 and 10,000, not 1000000000."),
        ({"max_items": 10**9}, "--max-items must be at most 1199, the number of distinct dishes"),
        (
            {"restaurants": 10_000, "max_items": 1000},
            "--restaurants × --max-items may be at most 1,000,000 items, not 10,000 × 1,000;",
        ),
    ],
)
def test_seed_bench_refuses_bad_sizes_without_writing_anything(options, message):
    call_command("seed_bench", restaurants=2, max_items=30, stdout=None)
    before = sorted(MenuItem.objects.values_list("id", "restaurant__public_id"))
    with pytest.raises(CommandError) as refused:
        call_command("seed_bench", **options, stdout=None)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert sorted(MenuItem.objects.values_list("id", "restaurant__public_id")) == before
    assert Restaurant.objects.filter(public_id__startswith="bench-").count() == 2


@pytest.mark.django_db
def test_seed_bench_refuses_bad_sizes_given_on_the_command_line():
    with pytest.raises(CommandError, match=r"^--min-items must be 0 or more, not -2\.$"):
        call_command("seed_bench", "--restaurants", "1", "--min-items=-2", stdout=None)
    assert not Restaurant.objects.exists()


@pytest.mark.django_db
def test_seed_bench_accepts_the_edges():
    call_command("seed_bench", restaurants=2, min_items=0, max_items=0, stdout=None)
    assert Restaurant.objects.filter(public_id__startswith="bench-").count() == 2
    assert not MenuItem.objects.exists()
    call_command("seed_bench", restaurants=0, stdout=None)  # removes the bench restaurants
    assert not Restaurant.objects.filter(public_id__startswith="bench-").exists()
