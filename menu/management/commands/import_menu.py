"""``manage.py import_menu ID FILE [--replace] [--dry-run] [--format json|csv]`` (SPEC §9)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from menu.importing import FORMATS, format_for_filename, parse_menu
from menu.services import menu_import_preview, menu_replace, menu_upsert
from tenants.models import Restaurant


class Command(BaseCommand):
    help = (
        "Import a restaurant's menu from a JSON or CSV file. The whole file is validated first; "
        "nothing is written unless all of it is valid. Items are matched by name and updated or "
        "added; with --replace the menu becomes exactly the file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant_id", help="The restaurant's public id (restaurantId)")
        parser.add_argument("file", help="Path of a .json or .csv menu file")
        parser.add_argument(
            "--replace", action="store_true", help="Delete items that are not in the file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing"
        )
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file extension")

    def handle(self, *args, **options) -> None:
        restaurant = Restaurant.objects.filter(public_id=options["restaurant_id"]).first()
        if restaurant is None:
            raise CommandError(f"No restaurant with id {options['restaurant_id']!r}.")
        path = Path(options["file"])
        fmt = options["format"] or format_for_filename(path.name)
        if fmt is None:
            raise CommandError("Cannot tell the format from the file name: pass --format json|csv.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc

        report = parse_menu(data, fmt)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"{path.name}: {len(report.errors)} error(s); nothing was imported.")

        replace = options["replace"]
        if options["dry_run"]:
            changes = menu_import_preview(restaurant=restaurant, rows=report.rows, replace=replace)
            verb = "would be"
        else:
            write = menu_replace if replace else menu_upsert
            changes = write(restaurant=restaurant, rows=report.rows)
            verb = "were"
        for label, names in (
            ("created", changes.created),
            ("updated", changes.updated),
            ("deleted", changes.deleted),
        ):
            for name in names:
                self.stdout.write(f"  {label}: {name}")
        summary = f"{path.name} → {restaurant.public_id}: {len(report.rows)} valid item(s); "
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {summary}{changes.summary()} {verb} made. Nothing written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {summary}{changes.summary()}.")
                + f" Menu version {restaurant.menu_version}."
            )
