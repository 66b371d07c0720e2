"""manage.py check_health [--strict]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stjarna_site.health import health_report


class Command(BaseCommand):
    help = (
        "Run the /api/health checks (database, cache) from the command line and print the JSON. "
        "Exit 0 when ok or degraded (cache down, still serving), 1 when unhealthy (database "
        "down); with --strict, degraded also exits 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strict", action="store_true", help="Fail on degraded too")

    def handle(self, *args: Any, **options: Any) -> None:
        code, body = health_report()
        self.stdout.write(json.dumps(body))
        failed = [name for name, state in body["checks"].items() if state != "ok"]
        if code != 200:
            raise CommandError(f"unhealthy: {', '.join(failed)} failed")
        if options["strict"] and body["status"] != "ok":
            raise CommandError(f"degraded: {', '.join(failed)} failed (--strict)")
