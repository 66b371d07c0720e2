"""``manage.py rotate_api_keys --restaurant ID | --all``: the runbook's breach procedure.

Revokes every active management-API key and issues a new one with the same name, printing each
new key once (it is stored only as a hash). Hand the new keys to the restaurants' integrators.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from menu.apikeys import api_keys_rotate
from tenants.models import Restaurant


class Command(BaseCommand):
    help = "Revoke and reissue tenant API keys (same names); prints the new keys once."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--restaurant", metavar="ID", help="One restaurant's public id")
        which.add_argument("--all", action="store_true", help="Every restaurant")

    def handle(self, *args, **options) -> None:
        restaurants = Restaurant.objects.all()
        if options["restaurant"]:
            restaurants = restaurants.filter(public_id=options["restaurant"])
            if not restaurants.exists():
                raise CommandError(f"No restaurant with id {options['restaurant']!r}.")
        issued = api_keys_rotate(restaurants=restaurants)
        for new in issued:
            self.stdout.write(f"{new.key.restaurant.public_id}\t{new.key.name}\t{new.token}")
        self.stderr.write(
            f"Rotated {len(issued)} key(s): the old keys are revoked. The new keys above are "
            "shown only now; they are stored as hashes."
        )
