"""Keep what is cached about a restaurant (its menu, its allowlist) in step with the database."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.cache import forget_restaurant_on_commit
from tenants.models import AllowedOrigin, Restaurant


@receiver([post_save, post_delete], sender=AllowedOrigin)
def allowlist_changed(sender, instance: AllowedOrigin, **kwargs) -> None:
    restaurant = Restaurant.objects.filter(pk=instance.restaurant_id).only("public_id").first()
    if restaurant is not None:
        forget_restaurant_on_commit(restaurant.public_id)


@receiver([post_save, post_delete], sender=Restaurant)
def restaurant_changed(sender, instance: Restaurant, **kwargs) -> None:
    # Activation, deactivation, deletion and id changes all change who may embed the widget.
    # Creation too: an id asked for before it existed is cached as "not found".
    forget_restaurant_on_commit(instance.public_id)
