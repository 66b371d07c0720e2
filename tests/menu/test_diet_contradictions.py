"""SPEC §4: a diet tag the allergens contradict, or a misspelt diet tag, is refused wherever a
dish is written (model, admin form, bulk actions, importer, API); rows stored before the check
existed are kept and listed "to fix"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chat.engine.lexicon import CONFLICTS
from menu.importing import parse_menu
from menu.models import MenuItem
from menu.services import menu_item_set_availability, menu_item_update
from tests.admin_forms import change_form_data
from tests.factories import MenuItemFactory

ADD_URL = reverse("admin:menu_menuitem_add")
CHANGELIST_URL = reverse("admin:menu_menuitem_changelist")


def refusal(**fields) -> str:
    item = MenuItem(name="Dish", price=Decimal("10"), **fields)
    with pytest.raises(ValidationError) as error:
        item.clean_fields(exclude={"restaurant"})
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("tags", "allergens", "conflict"),
    [
        (["vegan"], ["milk"], "vegan, but contains milk"),
        (["vegan"], ["eggs", "fish"], "vegan, but contains eggs and fish"),
        (["vegan"], ["molluscs"], "vegan, but contains molluscs"),
        (["vegetarian"], ["crustaceans"], "vegetarian, but contains crustaceans"),
        (["gluten-free"], ["gluten"], "gluten-free, but contains gluten"),
        (["dairy-free"], ["milk"], "dairy-free, but contains milk"),
    ],
)
def test_a_diet_its_allergens_contradict_is_refused_naming_the_conflict(tags, allergens, conflict):
    assert conflict in refusal(tags=tags, allergens=allergens)


def test_every_conflict_of_the_engines_table_is_refused():
    for diet, codes in CONFLICTS.items():
        for code in codes:
            assert f"{diet}, but contains {code}" in refusal(tags=[diet], allergens=[code])


@pytest.mark.parametrize(
    ("tags", "allergens"),
    [
        (["vegan"], ["gluten", "nuts", "soybeans"]),
        (["vegetarian"], ["eggs", "milk"]),
        (["halal", "kosher"], ["fish", "milk"]),
        (["gluten-free"], ["milk"]),
    ],
)
def test_diets_that_fit_the_allergens_are_accepted(bella, tags, allergens):
    item = MenuItem(
        restaurant=bella, name="Dish", price=Decimal("10"), tags=tags, allergens=allergens
    )
    item.full_clean()


@pytest.mark.parametrize(
    ("tag", "diet"),
    [("veganski", "vegan"), ("vegeterian", "vegetarian"), ("vegansk", "vegan"),
     ("glutenfree", "gluten-free"), ("halall", "halal")],
)  # fmt: skip
def test_a_free_tag_one_typo_from_a_diet_is_refused_with_a_suggestion(tag, diet):
    assert f"did you mean {diet}?" in refusal(tags=[tag])


@pytest.mark.parametrize("tag", ["vegan-friendly", "vegetables", "italian", "spicy", "glutenous"])
def test_ordinary_free_tags_are_accepted(bella, tag):
    item = MenuItem(restaurant=bella, name="Dish", price=Decimal("10"), tags=[tag])
    item.full_clean()
    assert item.tags == [tag]


# --- the admin ---------------------------------------------------------------------------------


def add_form(bella, **fields) -> dict:
    return {
        "restaurant": bella.pk,
        "name": "Pad thai with prawns",
        "price": "129",
        "position": 1,
        "available": "on",
        **fields,
    }


def test_admin_refuses_ticking_vegan_on_a_dish_with_prawns(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).post(
        ADD_URL, add_form(bella, allergens=["crustaceans", "peanuts"], diet_tags=["vegan"])
    )

    assert response.status_code == 200
    assert "vegan, but contains crustaceans" in response.content.decode()
    assert not MenuItem.objects.filter(name="Pad thai with prawns").exists()


def test_admin_refuses_a_misspelt_diet_in_other_tags(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).post(ADD_URL, add_form(bella, other_tags="veganski"))

    assert response.status_code == 200
    assert "did you mean vegan?" in response.content.decode()
    assert not MenuItem.objects.exists()


def test_bulk_add_tag_refuses_a_misspelt_diet(bella, staff_of_bella, login_as):
    item = MenuItemFactory(restaurant=bella)
    response = login_as(staff_of_bella).post(
        CHANGELIST_URL,
        {"action": "add_tag", "tag": "veganski", "_selected_action": [item.pk]},
        follow=True,
    )

    assert "did you mean vegan?" in response.content.decode()
    item.refresh_from_db()
    assert item.tags == []


def test_bulk_add_vegan_changes_nothing_when_one_dish_contradicts_it(
    bella, staff_of_bella, login_as
):
    salad = MenuItemFactory(restaurant=bella, name="Salad", allergens=["mustard"])
    prawns = MenuItemFactory(restaurant=bella, name="Pad thai", allergens=["crustaceans"])
    response = login_as(staff_of_bella).post(
        CHANGELIST_URL,
        {"action": "add_tag", "tag": "vegan", "_selected_action": [salad.pk, prawns.pk]},
        follow=True,
    )

    assert "Pad thai: vegan, but contains crustaceans" in response.content.decode()
    assert [i.tags for i in MenuItem.objects.filter(restaurant=bella)] == [[], []]


# --- importer and API --------------------------------------------------------------------------


def test_importer_reports_a_contradiction_with_its_line():
    report = parse_menu(
        "name,price,allergens,tags\nMargherita,115,gluten;milk,vegan;italian\n", "csv"
    )

    assert [str(e) for e in report.errors] == [
        "line 2: tags: Contradiction: vegan, but contains milk. Remove the diet tag or correct "
        "the allergens."
    ]


def test_importer_checks_a_diet_moved_out_of_the_allergens():
    report = parse_menu(
        '{"items": [{"name": "Latte", "price": 5, "allergens": ["milk", "vegan"]}]}', "json"
    )

    assert "vegan, but contains milk" in report.errors[0].message


# --- rows that already contradict --------------------------------------------------------------


@pytest.fixture
def legacy_pad_thai(bella):
    """Stored before the check existed: tagged vegan, with prawns."""
    return MenuItemFactory(
        restaurant=bella, name="Pad thai", tags=["vegan"], allergens=["crustaceans"]
    )


def test_a_stored_contradiction_is_listed_to_fix_and_kept(
    bella, legacy_pad_thai, staff_of_bella, login_as
):
    MenuItemFactory(restaurant=bella, name="Salad")
    response = login_as(staff_of_bella).get(CHANGELIST_URL, {"to_fix": "yes"})

    html = response.content.decode()
    assert "Pad thai" in html and "Salad" not in html
    assert "vegan, but contains crustaceans" in html
    assert MenuItem.objects.filter(pk=legacy_pad_thai.pk).exists()


def test_the_restaurant_page_counts_dishes_to_fix_with_a_link(
    bella, legacy_pad_thai, staff_of_bella, login_as
):
    response = login_as(staff_of_bella).get(
        reverse("admin:tenants_restaurant_change", args=[bella.pk])
    )

    html = response.content.decode()
    assert "1 dish(es) to fix" in html
    assert f"{CHANGELIST_URL}?restaurant={bella.pk}&amp;to_fix=yes" in html


def test_a_stored_contradiction_does_not_block_marking_the_dish_sold_out(legacy_pad_thai):
    menu_item_set_availability(item=legacy_pad_thai, available=False)
    menu_item_update(item=legacy_pad_thai, price=Decimal("99"))

    legacy_pad_thai.refresh_from_db()
    assert (legacy_pad_thai.available, legacy_pad_thai.price) == (False, Decimal("99.00"))


def test_the_list_can_toggle_availability_of_a_dish_to_fix(
    bella, legacy_pad_thai, staff_of_bella, login_as
):
    response = login_as(staff_of_bella).post(
        CHANGELIST_URL,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": legacy_pad_thai.pk,
            "form-0-position": legacy_pad_thai.position,
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    legacy_pad_thai.refresh_from_db()
    assert legacy_pad_thai.available is False


def test_editing_a_dish_to_fix_shows_the_problem(legacy_pad_thai, staff_of_bella, login_as):
    url = reverse("admin:menu_menuitem_change", args=[legacy_pad_thai.pk])

    html = login_as(staff_of_bella).get(url).content.decode()

    assert "To fix: vegan, but contains crustaceans" in html


def test_a_misspelt_stored_tag_can_be_removed_in_bulk(bella, staff_of_bella, login_as):
    item = MenuItemFactory(restaurant=bella, tags=["veganski", "thai"])
    login_as(staff_of_bella).post(
        CHANGELIST_URL, {"action": "remove_tag", "tag": "veganski", "_selected_action": [item.pk]}
    )

    item.refresh_from_db()
    assert item.tags == ["thai"]


def test_a_dish_to_fix_is_saved_once_the_contradiction_is_gone(
    legacy_pad_thai, staff_of_bella, login_as
):
    client = login_as(staff_of_bella)
    url = reverse("admin:menu_menuitem_change", args=[legacy_pad_thai.pk])
    data = change_form_data(client.get(url))

    refused = client.post(url, data)
    data["diet_tags"] = []
    saved = client.post(url, data)

    assert refused.status_code == 200
    assert "vegan, but contains crustaceans" in refused.content.decode()
    assert saved.status_code == 302
    legacy_pad_thai.refresh_from_db()
    assert legacy_pad_thai.tags == []
