"""Declared allergen information and "may contain" (SPEC §3): the admin edits them, the public
menu and the engine receive them, and the admin shows which dishes still lack them."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from chat.selectors import chat_menu_for
from menu.models import MenuItem
from tenants.models import Membership
from tests.admin_forms import change_form_data
from tests.factories import MembershipFactory, MenuItemFactory, UserFactory

ADD_URL = reverse("admin:menu_menuitem_add")
CHANGELIST_URL = reverse("admin:menu_menuitem_changelist")


def test_staff_declare_a_dish_free_of_all_14_and_its_traces(bella, staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    html = client.get(ADD_URL).content.decode()
    assert "Allergen information is complete" in html
    assert 'type="checkbox" name="allergens_declared"' in html
    assert 'type="checkbox" name="may_contain" value="nuts"' in html

    response = client.post(
        ADD_URL,
        {
            "restaurant": bella.pk,
            "name": "Sorbet",
            "price": "45",
            "position": 1,
            "available": "on",
            "allergens_declared": "on",
            "may_contain": ["nuts", "milk"],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    sorbet = MenuItem.objects.get(name="Sorbet")
    assert (sorbet.allergens, sorbet.may_contain, sorbet.allergens_declared) == (
        [],
        ["milk", "nuts"],
        True,
    )


def test_the_list_shows_and_filters_missing_allergen_information(bella, staff_of_bella, login_as):
    MenuItemFactory(restaurant=bella, name="Sorbet", allergens_declared=True)
    MenuItemFactory(restaurant=bella, name="Mystery stew")
    client = login_as(staff_of_bella)

    missing = client.get(CHANGELIST_URL, {"allergen_info": "missing"}).content.decode()
    declared = client.get(CHANGELIST_URL, {"allergen_info": "declared"}).content.decode()

    assert "Mystery stew" in missing and "Sorbet" not in missing
    assert "Sorbet" in declared and "Mystery stew" not in declared
    assert "none of the 14" in declared


def test_the_restaurant_page_counts_undeclared_dishes_with_a_link(bella, staff_of_bella, login_as):
    MenuItemFactory.create_batch(2, restaurant=bella)
    MenuItemFactory(restaurant=bella, allergens_declared=True)

    html = (
        login_as(staff_of_bella)
        .get(reverse("admin:tenants_restaurant_change", args=[bella.pk]))
        .content.decode()
    )

    assert "2 dish(es) without declared allergen information" in html
    assert f"{CHANGELIST_URL}?restaurant={bella.pk}&amp;allergen_info=missing" in html


def test_the_restaurant_page_says_when_the_menu_data_is_complete(bella, staff_of_bella, login_as):
    MenuItemFactory(restaurant=bella, allergens_declared=True)

    html = (
        login_as(staff_of_bella)
        .get(reverse("admin:tenants_restaurant_change", args=[bella.pk]))
        .content.decode()
    )

    assert "Every dish has declared allergen information" in html


def test_an_undeclared_dish_page_says_diners_with_allergies_are_not_offered_it(
    bella, staff_of_bella, login_as
):
    item = MenuItemFactory(restaurant=bella)

    html = (
        login_as(staff_of_bella)
        .get(reverse("admin:menu_menuitem_change", args=[item.pk]))
        .content.decode()
    )

    assert "not declared complete, so diners with any allergy are not offered it" in html


def test_staff_of_another_restaurant_see_none_of_its_counts(bella, roma, staff_of_roma, login_as):
    MenuItemFactory(restaurant=bella, name="Bella secret")

    client = login_as(staff_of_roma)
    listing = client.get(CHANGELIST_URL, {"allergen_info": "missing"}).content.decode()
    page = client.get(reverse("admin:tenants_restaurant_change", args=[bella.pk]))

    assert "Bella secret" not in listing
    assert page.status_code in (302, 403, 404)


def test_the_public_menu_carries_the_allergen_state_of_each_dish(client, bella):
    MenuItemFactory(
        restaurant=bella,
        name="Torte",
        allergens=["nuts"],
        may_contain=["milk"],
        allergens_declared=True,
    )

    item = client.get("/api/public/menu", {"restaurantId": "bella"}).json()["items"][0]

    assert (item["mayContain"], item["allergensDeclared"]) == (["milk"], True)


def test_the_engine_receives_traces_declarations_and_the_restaurants_clock(bella):
    bella.opening_hours, bella.hours_note, bella.locale = "Mo-Fr 11:00-22:00", "Kitchen 21:30", "sv"
    bella.save()
    MenuItemFactory(
        restaurant=bella, allergens=["nuts"], may_contain=["milk"], allergens_declared=True
    )

    menu = chat_menu_for(bella).menu

    (item,) = menu.items
    assert (item.may_contain, item.allergens_declared) == (frozenset({"milk"}), True)
    info = menu.restaurant
    assert (info.opening_hours, info.hours_note, info.timezone, info.locale) == (
        "Mo-Fr 11:00-22:00",
        "Kitchen 21:30",
        "Europe/Stockholm",
        "sv",
    )


def test_a_staff_member_declares_allergens_too(bella, login_as):
    waiter = UserFactory(username="waiter")
    MembershipFactory(user=waiter, restaurant=bella, role=Membership.Role.STAFF)
    item = MenuItemFactory(restaurant=bella, name="Lemonade", price=Decimal("35"))
    client = login_as(waiter)
    url = reverse("admin:menu_menuitem_change", args=[item.pk])
    data = change_form_data(client.get(url))
    data.update(allergens_declared="on", may_contain=["sulphites"])

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert (item.allergens_declared, item.may_contain) == (True, ["sulphites"])
