"""Writes that concern a restaurant as a whole."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from menu.cache import forget_menu_on_commit
from tenants.models import Restaurant


def bump_menu_version(restaurant: Restaurant) -> int:
    """Record that the public menu of ``restaurant`` changed; returns the new version.

    The increment is a single atomic UPDATE (safe with concurrent writers) inside the caller's
    transaction; the cached menu is dropped only once that transaction commits, so no worker can
    re-cache the old body under the new version.
    """
    Restaurant.objects.filter(pk=restaurant.pk).update(
        menu_version=F("menu_version") + 1, updated_at=models.functions.Now()
    )
    restaurant.menu_version = (
        Restaurant.objects.filter(pk=restaurant.pk).values_list("menu_version", flat=True).get()
    )
    forget_menu_on_commit(restaurant.public_id)
    return restaurant.menu_version
