"""manage.py purge_menu_cache [ID ...|--all] — the runbook's "force cache invalidation"."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.cache import renew_generations
from tenants.models import Restaurant


class Command(BaseCommand):
    help = (
        "Drop the server-side cached menu of the named restaurants (or of all with --all); the "
        "next request rebuilds it from the database. CDN copies still expire on their own "
        "(MENU_CACHE_S_MAXAGE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant_ids", nargs="*", metavar="ID", help="restaurantId(s)")
        parser.add_argument("--all", action="store_true", help="purge every restaurant's menu")

    def handle(self, *args, restaurant_ids: list[str], all: bool, **options) -> None:
        if all and restaurant_ids:
            raise CommandError("Name restaurant ids or pass --all, not both.")
        if not all and not restaurant_ids:
            raise CommandError("Name at least one restaurant id, or pass --all.")
        if all:
            public_ids = list(
                Restaurant.objects.order_by("public_id").values_list("public_id", flat=True)
            )
        else:
            public_ids = list(dict.fromkeys(restaurant_ids))
            known = set(
                Restaurant.objects.filter(public_id__in=public_ids).values_list(
                    "public_id", flat=True
                )
            )
            unknown = [public_id for public_id in public_ids if public_id not in known]
            if unknown:
                raise CommandError(
                    f"Unknown restaurant id(s): {', '.join(unknown)}. Nothing purged."
                )
        try:
            renew_generations(public_ids)
        except Exception as exc:
            raise CommandError(
                f"The cache refused the purge ({exc}); check REDIS_URL and /api/health."
            ) from exc
        for public_id in public_ids:
            self.stdout.write(f"Purged menu cache: {public_id}")
        self.stdout.write(self.style.SUCCESS(f"{len(public_ids)} menu(s) purged."))
