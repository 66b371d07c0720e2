"""manage.py seed_demo [--reset] — the demo restaurant, created once; --reset puts it back."""

from django.conf import settings
from django.core.management.base import BaseCommand

from operators.demo import DEMO_STAFF_USERNAME, seed_demo_restaurant
from tenants.selectors import embed_snippet_for


class Command(BaseCommand):
    help = (
        "Create the demo restaurant, its menu, allowed origins and a staff login if it does not "
        "exist; an existing one is left as staff left it. --reset puts the demo back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the demo restaurant's details, origins and demo items back as seeded "
            "(items staff added are kept, after them).",
        )

    def handle(self, *args, **options) -> None:
        result = seed_demo_restaurant(development=settings.DEBUG, reset=options["reset"])
        restaurant = result.restaurant
        if result.kept:
            self.stdout.write(
                f"Demo restaurant '{restaurant.public_id}' ({restaurant.name}) exists: left as it "
                f"is, {restaurant.menu_items.count()} on the menu (seed_demo --reset puts the "
                "demo back)."
            )
        else:
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
