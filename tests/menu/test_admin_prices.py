"""Prices in the admin: typed as text with a comma or a dot, in the restaurant's currency, and a
price far above its section's asked about before it is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from menu.models import MenuItem
from tests.factories import MenuItemFactory

ADD_URL = reverse("admin:menu_menuitem_add")


def add(client, bella, price: str, **extra):
    return client.post(
        ADD_URL,
        {
            "restaurant": bella.pk,
            "name": "Pasta",
            "category": "Mains",
            "price": price,
            "position": 1,
            "available": "on",
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("79,50", "79.50"), ("79.50", "79.50"), (" 79 ", "79.00"), ("79,5", "79.50"),
     ("1 250,00", "1250.00"), ("0", "0.00")],
)  # fmt: skip
def test_a_price_typed_with_a_comma_or_a_dot_is_stored_as_decimal(
    bella, staff_of_bella, login_as, typed, stored
):
    response = add(login_as(staff_of_bella), bella, typed)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert MenuItem.objects.get(name="Pasta").price == Decimal(stored)


@pytest.mark.parametrize("typed", ["7,950.00", "1,250", "79.505", "12kr", "-5", "abc", "1e3"])
def test_anything_else_is_refused_with_a_clear_message(bella, staff_of_bella, login_as, typed):
    response = add(login_as(staff_of_bella), bella, typed)

    assert response.status_code == 200
    assert "is not a price" in response.content.decode()
    assert "79,50 or 79.50" in response.content.decode()
    assert not MenuItem.objects.exists()


def test_the_price_is_a_text_input_showing_the_restaurants_currency(
    bella, staff_of_bella, login_as
):
    item = MenuItemFactory(restaurant=bella, price=Decimal("79.50"))

    html = (
        login_as(staff_of_bella)
        .get(reverse("admin:menu_menuitem_change", args=[item.pk]))
        .content.decode()
    )

    assert 'type="text" name="price" value="79.50"' in html
    assert 'inputmode="decimal"' in html
    assert '<span class="price-currency">SEK</span>' in html
    assert 'type="number" name="price"' not in html


def test_a_price_over_ten_times_its_sections_median_needs_confirmation(
    bella, staff_of_bella, login_as
):
    for price in ("95", "110", "129"):
        MenuItemFactory(restaurant=bella, category="Mains", price=Decimal(price))
    client = login_as(staff_of_bella)

    asked = add(client, bella, "7950")
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "more than 10 times the median price of “Mains” (110.00 SEK)" in html
    assert 'type="checkbox" name="confirm_price"' in html
    assert not MenuItem.objects.filter(name="Pasta").exists()

    confirmed = add(client, bella, "7950", confirm_price="on")
    assert confirmed.status_code == 302
    assert MenuItem.objects.get(name="Pasta").price == Decimal("7950.00")


def test_a_usual_price_is_saved_without_a_question(bella, staff_of_bella, login_as):
    MenuItemFactory(restaurant=bella, category="Mains", price=Decimal("110"))

    response = add(login_as(staff_of_bella), bella, "1099")

    assert response.status_code == 302
    html = login_as(staff_of_bella).get(ADD_URL).content.decode()
    assert 'type="hidden" name="confirm_price"' in html
