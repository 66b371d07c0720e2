"""Keep cached allowlists and menus in step with the database."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from menu.cache import forget_menu
from tenants.cors import forget_allowlist
from tenants.models import AllowedOrigin, Restaurant


@receiver([post_save, post_delete], sender=AllowedOrigin)
def allowlist_changed(sender, instance: AllowedOrigin, **kwargs) -> None:
    restaurant = Restaurant.objects.filter(pk=instance.restaurant_id).only("public_id").first()
    if restaurant is not None:
        transaction.on_commit(partial(forget_allowlist, restaurant.public_id))


@receiver([post_save, post_delete], sender=Restaurant)
def restaurant_changed(sender, instance: Restaurant, **kwargs) -> None:
    # Activation, deactivation, deletion and id changes all change who may embed the widget.
    transaction.on_commit(partial(forget_allowlist, instance.public_id))
    # Creation too: an id asked for before it existed is cached as "not found".
    if kwargs.get("signal") is post_delete or kwargs.get("created"):
        transaction.on_commit(partial(forget_menu, instance.public_id))
