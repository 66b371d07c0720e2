"""Allowed origins are normalised and validated; the demo seed is idempotent."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from menu.models import MenuItem
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


def test_seed_demo_prints_the_staff_login_only_in_development(db, capsys, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert "stjarna-demo" not in capsys.readouterr().out
    settings.DEBUG = True
    call_command("seed_demo")
    assert "demo-staff / stjarna-demo" in capsys.readouterr().out
