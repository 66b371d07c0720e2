"""manage.py seed_demo — the demo restaurant (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from operators.demo import DEMO_STAFF_USERNAME, seed_demo_restaurant
from tenants.selectors import embed_snippet_for


class Command(BaseCommand):
    help = "Create or refresh the demo restaurant, its menu, allowed origins and a staff login."

    def handle(self, *args, **options) -> None:
        result = seed_demo_restaurant(development=settings.DEBUG)
        restaurant = result.restaurant
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo restaurant '{restaurant.public_id}' ({restaurant.name}): "
                f"{result.created_items} items created, {result.updated_items} updated, "
                f"{restaurant.menu_items.count()} on the menu."
            )
        )
        self.stdout.write(f"Embed snippet: {embed_snippet_for(restaurant)}")
        if result.staff_password:
            self.stdout.write(
                f"Demo staff login (development only): {DEMO_STAFF_USERNAME} / "
                f"{result.staff_password}  →  {settings.PUBLIC_BASE_URL}/admin/"
            )
