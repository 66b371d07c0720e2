"""Writes that concern a restaurant as a whole."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F

from tenants.cache import forget_restaurant_on_commit
from tenants.models import PUBLIC_MENU_FIELDS, Restaurant


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
    forget_restaurant_on_commit(restaurant.public_id)
    return restaurant.menu_version


def _public_values(restaurant: Restaurant) -> tuple:
    return tuple(getattr(restaurant, name) for name in PUBLIC_MENU_FIELDS)


@transaction.atomic
def restaurant_update(*, restaurant: Restaurant, **fields: object) -> Restaurant:
    """Save a restaurant with ``fields`` set (none: as the caller, e.g. an admin form, set it).

    Bumps ``menu_version`` when anything the public menu shows changed, and forgets the old id's
    cached data when the id itself changed. ``menu_version`` is never written from the instance:
    only :func:`bump_menu_version`'s atomic update writes it, so saving an instance loaded before
    a concurrent menu change does not put the old version back.
    """
    for name, value in fields.items():
        setattr(restaurant, name, value)
    stored = Restaurant.objects.filter(pk=restaurant.pk).values_list(*PUBLIC_MENU_FIELDS).get()
    restaurant.save(
        update_fields=[
            f.attname
            for f in restaurant._meta.concrete_fields
            if not f.primary_key and f.name != "menu_version"
        ]
    )
    if stored != _public_values(restaurant):
        bump_menu_version(restaurant)
        old_public_id = stored[PUBLIC_MENU_FIELDS.index("public_id")]
        if old_public_id != restaurant.public_id:  # the old id must stop answering at once
            forget_restaurant_on_commit(old_public_id)
    return restaurant
