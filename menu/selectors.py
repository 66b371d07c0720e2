"""Reads of menus, always scoped to one restaurant."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from menu.models import MenuItem
from menu.payload import menu_payload
from menu.vocabulary import menu_data_problems
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


def section_median_price(
    *, restaurant: Restaurant, category: str, exclude_pk: int | None = None
) -> Decimal | None:
    """The median price of the restaurant's other dishes in ``category`` (None if there are
    none): what a new or changed price in that section is compared with."""
    prices = sorted(
        MenuItem.objects.filter(restaurant=restaurant, category=category)
        .exclude(pk=exclude_pk)
        .values_list("price", flat=True)
    )
    if not prices:
        return None
    middle = len(prices) // 2
    if len(prices) % 2:
        return prices[middle]
    return (prices[middle - 1] + prices[middle]) / 2


def ids_of_items_to_fix(items: QuerySet[MenuItem]) -> list[int]:
    """Ids among ``items`` whose stored data contradicts itself (a diet tag its allergens
    contradict, a misspelt diet tag): rows written before the checks existed. Checked in
    Python, as the checks themselves are (JSON lookups differ between databases)."""
    return [
        pk
        for pk, tags, allergens in items.values_list("pk", "tags", "allergens").iterator()
        if menu_data_problems(tags=tags or [], allergens=allergens or [])
    ]


@dataclass(frozen=True)
class MenuDataStatus:
    """What a restaurant's staff still have to do to its menu data."""

    undeclared: int  # dishes whose allergen information is not declared complete
    to_fix: int  # dishes whose tags contradict their allergens (or misspell a diet)


def menu_data_status(restaurant: Restaurant) -> MenuDataStatus:
    items = MenuItem.objects.filter(restaurant=restaurant)
    return MenuDataStatus(
        undeclared=items.filter(allergens_declared=False).count(),
        to_fix=len(ids_of_items_to_fix(items)),
    )
