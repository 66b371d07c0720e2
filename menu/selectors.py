"""Reads of menus, always scoped to one restaurant."""

from __future__ import annotations

from django.db.models import QuerySet

from menu.models import MenuItem
from tenants.models import Restaurant


def public_menu_items(restaurant: Restaurant) -> QuerySet[MenuItem]:
    """The items diners may see, in menu order (served by the ``menu_public_read`` index)."""
    return MenuItem.objects.filter(restaurant=restaurant, available=True).order_by("position", "id")


def active_restaurant(public_id: str) -> Restaurant | None:
    """The active restaurant with this public id, or None (inactive ones are invisible)."""
    return Restaurant.objects.filter(public_id=public_id, active=True).first()
