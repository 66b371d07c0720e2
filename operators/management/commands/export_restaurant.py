"""manage.py export_restaurant ID [--output FILE]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from operators.gdpr import export_restaurant_data
from operators.management.base import OperatorCommand, restaurant_or_error


class Command(OperatorCommand):
    help = (
        "GDPR export: everything stored about one restaurant (record, allowed origins, staff "
        "memberships, menu items, chat sessions and messages, audit trail) as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant_id", help="The restaurant's public id")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        restaurant = restaurant_or_error(options["restaurant_id"])
        data = export_restaurant_data(restaurant)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        summary = (
            f"Exported {restaurant.public_id}: {len(data['menuItems'])} items, "
            f"{len(data['chatSessions'])} chat sessions, {len(data['auditTrail'])} audit entries"
        )
        if options["output"]:
            try:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}") from exc
            summary += f" to {options['output']}"
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(text)
        # An export of personal data is itself worth recording.
        self.audit(
            options,
            arguments={"output": options["output"] or "stdout"},
            result=summary,
            restaurant=restaurant.public_id,
        )
