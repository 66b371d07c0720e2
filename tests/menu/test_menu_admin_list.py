"""The menu list and the new-dish form fit an owner's work (issue #15, item 5)."""

from __future__ import annotations

import re

from django.urls import reverse

from menu.models import MenuItem
from tests.factories import MembershipFactory, MenuItemFactory

LIST_URL = reverse("admin:menu_menuitem_changelist")
ADD_URL = reverse("admin:menu_menuitem_add")


def new_dish(client, restaurant, **fields):
    data = {
        "restaurant": restaurant.pk,
        "name": "Dish",
        "price": "100",
        "category": "Mains",
        "available": "on",
        "position": "",
        **fields,
    }
    return client.post(ADD_URL, data)


def names_in_menu_order(restaurant) -> list[str]:
    return list(
        MenuItem.objects.filter(restaurant=restaurant)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )


def test_the_list_shows_price_with_currency_diets_tags_and_allergens(client, bella, staff_of_bella):
    MenuItemFactory(
        restaurant=bella,
        name="Margherita",
        price="109.00",
        tags=["vegetarian", "italian", "pizza"],
        allergens=["gluten", "milk"],
        allergens_declared=True,
    )
    client.force_login(staff_of_bella)
    page = client.get(LIST_URL).content.decode()
    assert "109.00 SEK" in page
    assert "column-section" in page
    assert '<span class="badge diet">vegetarian</span>' in page
    assert '<span class="badge tag">italian</span>' in page
    assert '<span class="badge allergen">gluten</span>' in page
    assert '<span class="badge allergen">milk</span>' in page
    assert "stjarna/admin-menu.css" in page


def test_the_list_says_when_allergen_information_is_missing_or_none(client, bella, staff_of_bella):
    MenuItemFactory(restaurant=bella, name="Mystery stew", allergens_declared=False)
    MenuItemFactory(restaurant=bella, name="Sorbet", allergens=[], allergens_declared=True)
    client.force_login(staff_of_bella)
    page = client.get(LIST_URL).content.decode()
    assert '<span class="badge missing">allergens missing</span>' in page
    assert '<span class="badge none">none of the 14</span>' in page


def test_availability_stays_editable_in_the_list(client, bella, staff_of_bella):
    MenuItemFactory(restaurant=bella)
    client.force_login(staff_of_bella)
    page = client.get(LIST_URL).content.decode()
    assert re.search(r'name="form-0-available"', page)


def test_a_new_dish_goes_to_the_end_of_its_section(client, bella, staff_of_bella):
    for position, (category, name) in enumerate(
        [("Pizza", "Margherita"), ("Pizza", "Marinara"), ("Pasta", "Carbonara"), ("Pasta", "Ragù")]
    ):
        MenuItemFactory(restaurant=bella, category=category, name=name, position=position)
    client.force_login(staff_of_bella)
    response = new_dish(client, bella, name="Diavola", category="Pizza")
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert names_in_menu_order(bella) == ["Margherita", "Marinara", "Diavola", "Carbonara", "Ragù"]


def test_a_dish_in_a_new_section_goes_to_the_end_of_the_menu(client, bella, staff_of_bella):
    MenuItemFactory(restaurant=bella, category="Pizza", name="Margherita", position=0)
    MenuItemFactory(restaurant=bella, category="Pasta", name="Carbonara", position=1)
    client.force_login(staff_of_bella)
    new_dish(client, bella, name="Tiramisu", category="Desserts")
    assert names_in_menu_order(bella) == ["Margherita", "Carbonara", "Tiramisu"]


def test_a_given_position_is_kept(client, bella, staff_of_bella):
    MenuItemFactory(restaurant=bella, category="Pizza", name="Margherita", position=5)
    client.force_login(staff_of_bella)
    new_dish(client, bella, name="First", category="Pizza", position="0")
    assert names_in_menu_order(bella) == ["First", "Margherita"]


def test_a_one_restaurant_owner_never_picks_the_restaurant(client, bella, staff_of_bella):
    MenuItemFactory(restaurant=bella)
    client.force_login(staff_of_bella)
    form = client.get(ADD_URL).content.decode()
    assert f'<input type="hidden" name="restaurant" value="{bella.pk}"' in form
    page = client.get(LIST_URL).content.decode()
    assert "column-price_with_currency" in page
    assert "column-restaurant" not in page
    response = new_dish(client, bella, name="Soup")
    assert response.status_code == 302
    assert MenuItem.objects.get(name="Soup").restaurant == bella


def test_an_owner_of_two_restaurants_still_chooses(client, bella, roma, staff_of_bella):
    MembershipFactory(user=staff_of_bella, restaurant=roma)
    MenuItemFactory(restaurant=bella)
    client.force_login(staff_of_bella)
    form = client.get(ADD_URL).content.decode()
    assert '<input type="hidden" name="restaurant"' not in form
    assert "column-restaurant" in client.get(LIST_URL).content.decode()


def test_a_hidden_restaurant_field_still_refuses_another_tenant(
    client, bella, roma, staff_of_bella
):
    client.force_login(staff_of_bella)
    response = new_dish(client, roma, name="Sneaky")
    assert response.status_code == 200
    assert not MenuItem.objects.filter(name="Sneaky").exists()


def test_the_import_page_does_not_ask_a_one_restaurant_owner(client, bella, staff_of_bella):
    client.force_login(staff_of_bella)
    page = client.get(reverse("admin:menu_menuitem_import")).content.decode()
    assert f'<input type="hidden" name="restaurant" value="{bella.pk}"' in page


def test_a_one_restaurant_owner_gets_no_restaurant_filter(client, bella, roma, staff_of_bella):
    MenuItemFactory(restaurant=bella)
    client.force_login(staff_of_bella)
    assert "By restaurant" not in client.get(LIST_URL).content.decode()
    MembershipFactory(user=staff_of_bella, restaurant=roma)
    assert "By restaurant" in client.get(LIST_URL).content.decode()
