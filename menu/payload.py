"""Public JSON shapes of menu items and restaurants (SPEC §5), shared by the menu and chat APIs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from menu.models import MenuItem
from tenants.models import Restaurant


def item_payload(item: MenuItem) -> dict[str, Any]:
    """One menu item as diners' clients see it (price as a 2-decimal string)."""
    return {
        "id": item.pk,
        "name": item.name,
        "description": item.description,
        "price": f"{item.price:.2f}",
        "category": item.category,
        "allergens": list(item.allergens),
        "mayContain": list(item.may_contain),
        "allergensDeclared": item.allergens_declared,
        "tags": list(item.tags),
    }


def restaurant_payload(restaurant: Restaurant) -> dict[str, Any]:
    """The restaurant facts the widget shows and the engine answers from."""
    return {
        "id": restaurant.public_id,
        "name": restaurant.name,
        "currency": restaurant.currency,
        "locale": restaurant.locale,
        "greeting": restaurant.greeting,
        "brandColor": restaurant.brand_color,
        "openingHours": restaurant.opening_hours,
        "hoursNote": restaurant.hours_note,
        "timezone": restaurant.timezone,
        "address": restaurant.address,
        "phone": restaurant.phone,
    }


def menu_payload(
    *, restaurant: Restaurant, items: Iterable[MenuItem], server_chat: bool
) -> dict[str, Any]:
    """The whole body of ``GET /api/public/menu`` (SPEC §5); ``items`` already in menu order."""
    return {
        "restaurant": restaurant_payload(restaurant),
        "features": {"serverChat": server_chat},
        "version": str(restaurant.menu_version),
        "items": [item_payload(item) for item in items],
    }
