"""Allergen/tag validation (SPEC §4) and menu_version bumps (SPEC §3)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from menu.models import MenuItem
from menu.services import (
    menu_item_create,
    menu_item_delete,
    menu_item_update,
    menu_items_add_tag,
    menu_items_delete,
    menu_items_remove_tag,
)
from tenants.models import Restaurant
from tenants.services import restaurant_update
from tests.factories import MenuItemFactory
from tests.helpers import version_of


def test_unknown_allergen_is_refused_with_a_clear_message(bella):
    item = MenuItem(restaurant=bella, name="Salad", price=Decimal("10"), allergens=["vegan"])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    message = " ".join(error.value.message_dict["allergens"])
    assert "Unknown allergen 'vegan'" in message
    assert "add it as a tag instead" in message


def test_allergen_synonyms_are_not_codes(bella):
    item = MenuItem(restaurant=bella, name="Cheese", price=Decimal("10"), allergens=["dairy"])
    with pytest.raises(ValidationError):
        item.full_clean()


def test_allergens_and_tags_are_normalised(bella):
    item = MenuItem(
        restaurant=bella,
        name="Pizza",
        price=Decimal("10"),
        allergens=["Milk", "gluten", "milk"],
        tags=["Spicy", "vegetarian", "Italian Food"],
    )
    item.full_clean()
    assert item.allergens == ["gluten", "milk"]
    assert item.tags == ["vegetarian", "italian-food", "spicy"]


@pytest.mark.parametrize("bad", ["spicy!", "", "a" * 41, "two  spaces!"])
def test_invalid_tags_are_refused(bella, bad):
    item = MenuItem(restaurant=bella, name="X", price=Decimal("1"), tags=[bad, "x!"])
    with pytest.raises(ValidationError):
        item.full_clean()


def test_negative_price_is_refused_by_validation_and_database(bella):
    item = MenuItem(restaurant=bella, name="X", price=Decimal("-1"))
    with pytest.raises(ValidationError):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(restaurant=bella, name="X", price=Decimal("-1"))


def test_creating_editing_and_deleting_items_bump_the_menu_version(bella):
    start = version_of(bella)
    item = menu_item_create(restaurant=bella, name="Soup", price=Decimal("10"))
    assert version_of(bella) == start + 1
    menu_item_update(item=item, price=Decimal("12.50"))
    assert version_of(bella) == start + 2
    menu_item_update(item=item, price=Decimal("12.50"))  # no change, no bump
    assert version_of(bella) == start + 2
    menu_item_delete(item=item)
    assert version_of(bella) == start + 3


def test_bulk_delete_bumps_the_menu_version_once(bella):
    MenuItemFactory.create_batch(3, restaurant=bella)
    start = version_of(bella)
    assert menu_items_delete(items=MenuItem.objects.filter(restaurant=bella)) == 3
    assert version_of(bella) == start + 1


def test_public_restaurant_fields_bump_the_version_private_ones_do_not(bella):
    start = version_of(bella)
    restaurant_update(restaurant=bella, contact_email="owner@bella.example")
    assert version_of(bella) == start
    restaurant_update(restaurant=bella, name="Bella Napoli II")
    assert version_of(bella) == start + 1


def test_saving_a_restaurant_loaded_before_a_menu_change_keeps_the_new_version(bella):
    stale = Restaurant.objects.get(pk=bella.pk)  # loaded before a menu change
    MenuItemFactory(restaurant=bella)  # bumps the version in the database
    bumped = version_of(bella)
    restaurant_update(restaurant=stale, contact_email="ops@bella.example")
    assert version_of(bella) == bumped


def test_a_failed_write_does_not_bump_the_version(bella):
    start = version_of(bella)
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(restaurant=bella, name="X", price=Decimal("-5"))
    assert version_of(bella) == start


def test_bulk_tag_actions_change_items_and_version(bella):
    items = MenuItemFactory.create_batch(2, restaurant=bella, tags=["italian"])
    start = version_of(bella)
    assert menu_items_add_tag(items=MenuItem.objects.filter(restaurant=bella), tag="vegan") == 2
    assert all(
        i.tags == ["vegan", "italian"]
        for i in MenuItem.objects.filter(pk__in=[x.pk for x in items])
    )
    assert version_of(bella) == start + 1
    assert menu_items_remove_tag(items=MenuItem.objects.filter(restaurant=bella), tag="vegan") == 2
    assert version_of(bella) == start + 2


def test_admin_edits_allergens_and_tags_as_checkboxes(bella, staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    response = client.get(reverse("admin:menu_menuitem_add"))
    html = response.content.decode()
    assert 'type="checkbox" name="allergens" value="peanuts"' in html
    assert 'type="checkbox" name="diet_tags" value="vegan"' in html
    response = client.post(
        reverse("admin:menu_menuitem_add"),
        {
            "restaurant": bella.pk,
            "name": "Pad thai",
            "price": "129",
            "position": 1,
            "allergens": ["peanuts", "soybeans"],
            "diet_tags": ["vegan"],
            "other_tags": "Thai, spicy",
            "available": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = MenuItem.objects.get(name="Pad thai")
    assert item.allergens == ["peanuts", "soybeans"]
    assert item.tags == ["vegan", "spicy", "thai"]


def test_admin_bulk_action_marks_selected_items_vegan(bella, staff_of_bella, login_as):
    items = MenuItemFactory.create_batch(2, restaurant=bella)
    client = login_as(staff_of_bella)
    response = client.post(
        reverse("admin:menu_menuitem_changelist"),
        {"action": "add_tag", "tag": "vegan", "_selected_action": [i.pk for i in items]},
    )
    assert response.status_code == 302
    assert all("vegan" in i.tags for i in MenuItem.objects.filter(restaurant=bella))


def test_admin_bulk_action_refuses_an_invalid_tag(bella, staff_of_bella, login_as):
    item = MenuItemFactory(restaurant=bella)
    client = login_as(staff_of_bella)
    client.post(
        reverse("admin:menu_menuitem_changelist"),
        {"action": "add_tag", "tag": "Not a tag!", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.tags == []


@pytest.mark.parametrize("bad", ["Pizza\x00", "Soup \ud800"])
def test_text_no_database_can_store_is_refused_by_validation(bella, bad):
    item = MenuItem(restaurant=bella, name=bad, price=Decimal("1"), description=bad)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert set(error.value.message_dict) >= {"name", "description"}
