"""``manage.py export_menu ID [--format json|csv] [--output FILE]``: the import format, back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from menu.exporting import export_menu
from menu.importing import FORMATS, format_for_filename
from tenants.models import Restaurant


class Command(BaseCommand):
    help = "Export a restaurant's whole menu (available or not) as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant_id", help="The restaurant's public id (restaurantId)")
        parser.add_argument(
            "--format", choices=FORMATS, help="Default: from --output's extension, else json"
        )
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout")

    def handle(self, *args, **options) -> None:
        restaurant = Restaurant.objects.filter(public_id=options["restaurant_id"]).first()
        if restaurant is None:
            raise CommandError(f"No restaurant with id {options['restaurant_id']!r}.")
        output = options["output"]
        fmt = options["format"] or (output and format_for_filename(output)) or "json"
        text = export_menu(restaurant, fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        self.stderr.write(f"Wrote {restaurant.public_id}'s menu to {output} ({fmt}).")
