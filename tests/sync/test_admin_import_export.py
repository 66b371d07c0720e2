"""Import (upload) and export (download) of menus in the admin, scoped to the user's restaurants."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from menu.models import MenuItem
from tests.factories import MenuItemFactory

MENU = {"items": [{"name": "Soup", "price": "55.00", "allergens": ["celery", "vegan"]}]}


def upload(content: dict | str, name: str = "menu.json") -> SimpleUploadedFile:
    data = json.dumps(content) if isinstance(content, dict) else content
    return SimpleUploadedFile(name, data.encode(), content_type="application/octet-stream")


def test_staff_import_a_menu_file_into_their_restaurant(bella, staff_of_bella, login_as):
    response = login_as(staff_of_bella).post(
        "/admin/menu/menuitem/import/",
        {"restaurant": bella.pk, "file": upload(MENU)},
        follow=True,
    )
    assert "Imported menu.json into Bella Napoli: 1 created" in response.text
    assert "moved to tags" in response.text
    soup = MenuItem.objects.get(restaurant=bella)
    assert (soup.name, soup.allergens, soup.tags) == ("Soup", ["celery"], ["vegan"])


def test_the_changelist_links_to_import_and_export(staff_of_bella, login_as):
    page = login_as(staff_of_bella).get("/admin/menu/menuitem/")
    assert "/admin/menu/menuitem/import/" in page.text
    assert "/admin/menu/menuitem/export/" in page.text


def test_an_invalid_file_shows_every_problem_and_writes_nothing(bella, staff_of_bella, login_as):
    bad = "name,price\nSoup,-1\n,5\n"
    response = login_as(staff_of_bella).post(
        "/admin/menu/menuitem/import/", {"restaurant": bella.pk, "file": upload(bad, "m.csv")}
    )
    assert response.status_code == 200
    assert "2 problems. Nothing was imported." in response.text
    assert "Must not be negative." in response.text and "Required" in response.text
    assert not MenuItem.objects.filter(restaurant=bella).exists()


def test_check_only_previews_and_writes_nothing(bella, staff_of_bella, login_as):
    MenuItemFactory(restaurant=bella, name="Old")
    response = login_as(staff_of_bella).post(
        "/admin/menu/menuitem/import/",
        {"restaurant": bella.pk, "file": upload(MENU), "replace": "on", "dry_run": "on"},
    )
    assert "would make: 1 created, 0 updated, 1 deleted" in response.text
    assert list(MenuItem.objects.filter(restaurant=bella).values_list("name", flat=True)) == ["Old"]


def test_staff_cannot_import_into_another_restaurant(roma, staff_of_bella, login_as):
    response = login_as(staff_of_bella).post(
        "/admin/menu/menuitem/import/", {"restaurant": roma.pk, "file": upload(MENU)}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not MenuItem.objects.filter(restaurant=roma).exists()


def test_staff_export_their_menu_as_csv(bella, staff_of_bella, login_as):
    MenuItemFactory(restaurant=bella, name="Soup", price=Decimal("5"), available=False)
    response = login_as(staff_of_bella).get(
        "/admin/menu/menuitem/export/", {"restaurant": bella.pk, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="menu-bella.csv"'
    assert response.content.decode().splitlines()[1] == "Soup,A dish,5.00,Mains,,,false,,false"


def test_staff_cannot_export_another_restaurants_menu(roma, staff_of_bella, login_as):
    MenuItemFactory(restaurant=roma, name="Secret recipe")
    response = login_as(staff_of_bella).get(
        "/admin/menu/menuitem/export/", {"restaurant": roma.pk, "format": "json"}
    )
    assert "Secret recipe" not in response.text
    assert "Select a valid choice" in response.text


def test_operators_may_export_any_restaurant(roma, operator, login_as):
    MenuItemFactory(restaurant=roma, name="Carbonara")
    response = login_as(operator).get(
        "/admin/menu/menuitem/export/", {"restaurant": roma.pk, "format": "json"}
    )
    assert json.loads(response.content)["items"][0]["name"] == "Carbonara"


def test_anonymous_users_are_sent_to_the_login(client, bella):
    assert client.get("/admin/menu/menuitem/import/").status_code == 302
    assert client.get("/admin/menu/menuitem/export/").status_code == 302
