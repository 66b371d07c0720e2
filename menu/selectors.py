"""Reads of menus, always scoped to one restaurant."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from menu.models import MenuItem
from menu.payload import menu_payload
from tenants.models import Restaurant


def public_menu_items(restaurant: Restaurant) -> QuerySet[MenuItem]:
    """The items diners may see, in menu order (served by the ``menu_public_read`` index)."""
    return MenuItem.objects.filter(restaurant=restaurant, available=True).order_by("position", "id")


def active_restaurant(public_id: str) -> Restaurant | None:
    """The active restaurant with this public id, or None (inactive ones are invisible)."""
    return Restaurant.objects.filter(public_id=public_id, active=True).first()


def public_menu(public_id: str, *, server_chat: bool) -> dict[str, Any] | None:
    """The public menu body of an active restaurant, or None if it is unknown or inactive.

    Costs two queries whatever the number of items (the restaurant, then its available items).
    """
    restaurant = active_restaurant(public_id)
    if restaurant is None:
        return None
    return menu_payload(
        restaurant=restaurant, items=public_menu_items(restaurant), server_chat=server_chat
    )
