"""manage.py import_menu / export_menu: validation reports, dry run, replace, round trip."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from menu.importing import parse_menu
from menu.models import MenuItem
from tests.factories import MenuItemFactory

VALID = {
    "items": [
        {
            "name": "Margherita",
            "description": "Tomato, mozzarella, basil",
            "price": "115.00",
            "category": "Pizza",
            "allergens": ["gluten", "milk"],
            "tags": ["vegetarian", "italian"],
            "available": True,
        },
        {
            "name": "Pad Thai",
            "description": "Rice noodles",
            "price": 129.5,
            "category": "Mains",
            "allergens": ["peanuts", "eggs"],
            "tags": [],
            "available": False,
        },
    ]
}

CSV = (
    "name,description,price,category,allergens,tags,available\n"
    'Margherita,"Tomato, mozzarella",115.00,Pizza,gluten;milk,vegetarian;italian,true\n'
    "Falafel,Chickpeas,95,Mains,sesame,vegan,false\n"
)


def menu_of(restaurant) -> list[tuple]:
    return [
        (i.name, i.price, i.category, i.allergens, i.tags, i.available, i.position)
        for i in MenuItem.objects.filter(restaurant=restaurant).order_by("position")
    ]


def menu_and_allergen_state_of(restaurant) -> list[tuple]:
    return [
        (*row, item.may_contain, item.allergens_declared)
        for row, item in zip(
            menu_of(restaurant),
            MenuItem.objects.filter(restaurant=restaurant).order_by("position"),
            strict=True,
        )
    ]


def import_errors(import_menu, *args) -> str:
    with pytest.raises(CommandError) as failure:
        import_menu(*args)
    return str(failure.value)


def test_valid_json_file_creates_items_in_file_order(bella, menu_file, import_menu):
    out, _ = import_menu("bella", menu_file(VALID))

    assert "2 created" in out
    assert menu_of(bella) == [
        ("Margherita", Decimal("115.00"), "Pizza", ["gluten", "milk"], ["vegetarian", "italian"],
         True, 0),
        ("Pad Thai", Decimal("129.50"), "Mains", ["eggs", "peanuts"], [], False, 1),
    ]  # fmt: skip


def test_valid_csv_file_splits_list_fields_on_semicolons(bella, menu_file, import_menu):
    import_menu("bella", menu_file(CSV, ".csv"))

    falafel = MenuItem.objects.get(restaurant=bella, name="Falafel")
    assert falafel.allergens == ["sesame"]
    assert falafel.tags == ["vegan"]
    assert falafel.available is False
    assert MenuItem.objects.get(name="Margherita").description == "Tomato, mozzarella"


def test_format_flag_overrides_the_extension(bella, menu_file, import_menu):
    path = menu_file(CSV, ".txt")
    import_menu("bella", path, "--format", "csv")
    assert MenuItem.objects.filter(restaurant=bella).count() == 2


def test_unknown_allergen_is_reported_with_its_line_and_nothing_is_written(
    bella, menu_file, import_menu, capsys
):
    bad = CSV + "Soup,,50,Starters,gluten;pepper,,true\n"

    message = import_errors(import_menu, "bella", menu_file(bad, ".csv"))

    assert "1 error(s); nothing was imported" in message
    err = capsys.readouterr().err
    assert "line 4" in err and "allergens" in err and "'pepper'" in err
    assert MenuItem.objects.filter(restaurant=bella).count() == 0


def test_diet_words_in_allergens_move_to_tags_with_a_warning(bella, menu_file, import_menu):
    data = {"items": [{"name": "Salad", "price": "80", "allergens": ["Vegan", "gluten free"]}]}

    out, _ = import_menu("bella", menu_file(data))

    assert "warning: line 3, item 0: allergens:" in out  # the line where the item starts
    assert "is a diet, not an allergen: moved to tags" in out
    salad = MenuItem.objects.get(restaurant=bella, name="Salad")
    assert salad.allergens == []
    assert salad.tags == ["vegan", "gluten-free"]


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("Soup,,abc,Starters,,,true", "price", "Not a price"),
        ("Soup,,-5,Starters,,,true", "price", "Must not be negative"),
        ("Soup,,5.555,Starters,,,true", "price", "At most 2 decimals"),
        (",,5,Starters,,,true", "name", "Required"),
        ("Soup,,,Starters,,,true", "price", "Required"),
        ("Soup,,5,Starters,,,maybe", "available", "true or false"),
        ("Soup,,5,Starters,,Not A Tag!,true", "tags", "Invalid tag"),
        ("Margherita,,5,Pizza,,,true", "name", "Duplicate name 'Margherita' (first at line 2)"),
        ("Soup,,5,Starters", "", "Expected 7 cells, found 4"),
    ],
)
def test_each_invalid_csv_row_is_reported_by_line_and_field(
    bella, menu_file, import_menu, capsys, row, field, reason
):
    import_errors(import_menu, "bella", menu_file(CSV + row + "\n", ".csv"))

    err = capsys.readouterr().err
    assert f"error: line 4: {field}: " in err if field else "error: line 4: " in err
    assert reason in err
    assert not MenuItem.objects.filter(restaurant=bella).exists()


def test_duplicate_names_differ_only_in_case(bella, menu_file, import_menu, capsys):
    data = {"items": [{"name": "Soup", "price": 5}, {"name": "SOUP ", "price": 6}]}
    import_errors(import_menu, "bella", menu_file(data))
    assert "item 1: name: Duplicate name 'SOUP'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("name,price,colour", "Unknown column 'colour'"),
        ("name,description,category", "Missing column price"),
        ("name,price,price", "Column appears more than once"),
    ],
)
def test_bad_csv_header_is_reported_on_line_1(
    bella, menu_file, import_menu, capsys, header, reason
):
    import_errors(import_menu, "bella", menu_file(header + "\nSoup,5,x\n", ".csv"))
    err = capsys.readouterr().err
    assert "error: line 1:" in err and reason in err


def test_malformed_json_names_the_line(bella, menu_file, import_menu, capsys):
    import_errors(import_menu, "bella", menu_file('{"items": [\n  {"name": "Soup",}\n]}'))
    err = capsys.readouterr().err
    assert "error: line 2: Malformed JSON" in err


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        ({"name": 5, "price": "5"}, "name", "as text"),
        ({"name": "Soup", "price": True}, "price", "Must be a number"),
        ({"name": "Soup", "price": [5]}, "price", "Must be a number"),
        ({"name": "Soup", "price": "5", "allergens": "milk"}, "allergens", "list of words"),
        ({"name": "Soup", "price": "5", "tags": [1]}, "tags", "list of words"),
        ({"name": "Soup", "price": "5", "available": "yes"}, "available", "true or false"),
        ({"name": "Soup", "price": "5", "description": 3}, "description", "Must be text"),
        ({"name": "Soup", "price": "5", "spicy": True}, "spicy", "Unknown field"),
    ],
)
def test_wrong_json_types_are_reported_by_item_and_field(
    bella, menu_file, import_menu, capsys, item, field, reason
):
    text = '{"items": [\n  {"name": "Ok", "price": 1},\n  ' + json.dumps(item) + "\n]}"
    import_errors(import_menu, "bella", menu_file(text))
    err = capsys.readouterr().err
    assert f"error: line 3, item 1: {field}: " in err and reason in err


def test_json_without_items_list_is_refused(bella, menu_file, import_menu, capsys):
    import_errors(import_menu, "bella", menu_file('[{"name": "Soup"}]'))
    assert "Expected an object" in capsys.readouterr().err


def test_every_error_of_the_file_is_reported_at_once(bella, menu_file, import_menu, capsys):
    data = {"items": [{"name": "", "price": "-1"}, {"name": "B", "price": "x"}]}
    message = import_errors(import_menu, "bella", menu_file(data))
    assert "3 error(s)" in message


def test_dry_run_reports_changes_and_writes_nothing(bella, menu_file, import_menu):
    MenuItemFactory(restaurant=bella, name="Margherita", price=Decimal("99"))
    MenuItemFactory(restaurant=bella, name="Old dish")
    before, version = menu_of(bella), bella.menu_version

    out, _ = import_menu("bella", menu_file(VALID), "--replace", "--dry-run")

    assert "created: Pad Thai" in out and "updated: Margherita" in out
    assert "deleted: Old dish" in out
    assert "Dry run" in out and "Nothing written" in out
    bella.refresh_from_db()
    assert menu_of(bella) == before and bella.menu_version == version


def test_replace_makes_the_menu_exactly_the_file(bella, menu_file, import_menu):
    MenuItemFactory(restaurant=bella, name="margherita", price=Decimal("99"))
    MenuItemFactory(restaurant=bella, name="Old dish")
    kept_id = MenuItem.objects.get(name="margherita").pk

    import_menu("bella", menu_file(VALID), "--replace")

    assert [row[0] for row in menu_of(bella)] == ["Margherita", "Pad Thai"]
    assert MenuItem.objects.get(name="Margherita").pk == kept_id  # matched by name, case-blind


def test_without_replace_items_are_updated_or_added_and_others_kept(bella, menu_file, import_menu):
    MenuItemFactory(restaurant=bella, name="Old dish", position=0)
    MenuItemFactory(restaurant=bella, name="Pad Thai", price=Decimal("1"), position=1)

    out, _ = import_menu("bella", menu_file(VALID))

    assert "1 created, 1 updated, 0 deleted" in out
    # Items the file does not mention keep their order, after the file's items.
    assert [(row[0], row[1]) for row in menu_of(bella)] == [
        ("Margherita", Decimal("115.00")),
        ("Pad Thai", Decimal("129.50")),
        ("Old dish", Decimal("100.00")),
    ]


def test_import_touches_only_its_restaurant(bella, roma, menu_file, import_menu):
    MenuItemFactory(restaurant=roma, name="Carbonara")
    import_menu("bella", menu_file(VALID), "--replace")
    assert [row[0] for row in menu_of(roma)] == ["Carbonara"]


def test_one_import_bumps_the_menu_version_once(bella, menu_file, import_menu):
    for n in range(5):
        MenuItemFactory(restaurant=bella, name=f"Dish {n}")
    bella.refresh_from_db()
    before = bella.menu_version

    import_menu("bella", menu_file(VALID), "--replace")  # 2 created, 5 deleted

    bella.refresh_from_db()
    assert bella.menu_version == before + 1


def test_importing_the_same_file_twice_changes_nothing(bella, menu_file, import_menu):
    import_menu("bella", menu_file(VALID))
    bella.refresh_from_db()
    version = bella.menu_version
    out, _ = import_menu("bella", menu_file(VALID), "--replace")
    bella.refresh_from_db()
    assert "0 created, 0 updated, 0 deleted, 2 unchanged" in out
    assert bella.menu_version == version


def test_unknown_restaurant_and_missing_file_are_clear_errors(bella, menu_file, import_menu):
    with pytest.raises(CommandError, match="No restaurant with id 'nope'"):
        import_menu("nope", menu_file(VALID))
    with pytest.raises(CommandError, match="Cannot read"):
        import_menu("bella", "/nonexistent/menu.json")
    with pytest.raises(CommandError, match="--format"):
        import_menu("bella", menu_file(VALID, ".txt"))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_replace_is_lossless(bella, roma, tmp_path, import_menu, fmt):
    MenuItemFactory(
        restaurant=bella,
        name='Smörgås, "special"',
        description="Line one\nline two; with semicolon",
        price=Decimal("0.50"),
        category="Småplock",
        allergens=["gluten", "fish"],
        may_contain=["nuts", "sesame"],
        allergens_declared=True,
        tags=["dairy-free", "nordic"],
        available=False,
        position=0,
    )
    MenuItemFactory(
        restaurant=bella, name="Plain", description="", category="", price=0, position=1
    )
    MenuItemFactory(restaurant=bella, name="Sorbet", allergens_declared=True, position=2)
    path = tmp_path / f"menu.{fmt}"
    call_command("export_menu", "bella", "--output", str(path))
    before = menu_and_allergen_state_of(bella)

    import_menu("roma", path, "--replace")
    import_menu("bella", path, "--replace")

    assert menu_and_allergen_state_of(roma) == before
    assert menu_and_allergen_state_of(bella) == before
    again = tmp_path / f"again.{fmt}"
    call_command("export_menu", "bella", "--output", str(again))
    assert again.read_text() == path.read_text()


def test_export_writes_json_to_stdout_by_default(bella, capsys):
    MenuItemFactory(restaurant=bella, name="Soup", price=Decimal("5"))
    call_command("export_menu", "bella")
    out = capsys.readouterr().out
    assert '"price": "5.00"' in out and '"available": true' in out


def test_import_reports_an_overlong_json_number_instead_of_crashing():
    report = parse_menu('{"items":[{"name":"X","price":' + "9" * 5000 + "}]}", "json")
    assert report.errors and not report.rows
