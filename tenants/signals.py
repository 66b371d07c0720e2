"""Keep cached allowlists and menus in step with the database."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from menu.cache import forget_menu_on_commit
from tenants.models import AllowedOrigin, Restaurant


@receiver([post_save, post_delete], sender=AllowedOrigin)
def allowlist_changed(sender, instance: AllowedOrigin, **kwargs) -> None:
    restaurant = Restaurant.objects.filter(pk=instance.restaurant_id).only("public_id").first()
    if restaurant is not None:
        forget_menu_on_commit(restaurant.public_id)  # the allowlist is kept with the menu


@receiver([post_save, post_delete], sender=Restaurant)
def restaurant_changed(sender, instance: Restaurant, **kwargs) -> None:
    # Activation, deactivation, deletion and id changes all change who may embed the widget.
    # Creation too: an id asked for before it existed is cached as "not found". The allowlist is
    # kept under the same cache generation as the menu, so one forget covers both.
    forget_menu_on_commit(instance.public_id)
