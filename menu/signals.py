"""Deleting items (one, or many from an admin bulk action) changes the public menu."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from menu.models import MenuItem
from tenants.models import Restaurant


@receiver(post_delete, sender=MenuItem)
def bump_version_on_item_delete(sender, instance: MenuItem, **kwargs) -> None:
    from menu.services import item_version_bumps_deferred
    from tenants.services import bump_menu_version

    if item_version_bumps_deferred():  # a whole-menu write bumps once for all its deletes
        return
    # The restaurant may be going away in the same cascade; then there is nothing to bump.
    restaurant = Restaurant.objects.filter(pk=instance.restaurant_id).first()
    if restaurant is not None:
        bump_menu_version(restaurant)
