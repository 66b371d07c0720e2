"""Writes to menus. Every write that changes the public menu bumps the menu version."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from menu.models import MenuItem
from menu.vocabulary import clean_tags
from tenants.models import Restaurant
from tenants.services import bump_menu_version


@transaction.atomic
def _retag(items: Iterable[MenuItem], change) -> int:
    touched: dict[int, Restaurant] = {}
    changed = 0
    for item in items:
        new_tags = clean_tags(change(list(item.tags)))
        if new_tags != item.tags:
            MenuItem.objects.filter(pk=item.pk).update(tags=new_tags)
            touched[item.restaurant_id] = item.restaurant
            changed += 1
    for restaurant in touched.values():
        bump_menu_version(restaurant)
    return changed


def menu_items_add_tag(*, items: Iterable[MenuItem], tag: str) -> int:
    """Add ``tag`` to each item (e.g. mark a selection vegan); returns how many changed."""
    return _retag(items, lambda tags: [*tags, tag])


def menu_items_remove_tag(*, items: Iterable[MenuItem], tag: str) -> int:
    """Remove ``tag`` from each item; returns how many changed."""
    return _retag(items, lambda tags: [t for t in tags if t != tag])
