"""manage.py list_blocked_ips [--all] [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from operators import blocking
from operators.models import BlockedIP


class Command(BaseCommand):
    help = "List blocked IP addresses and networks in force (--all includes expired ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Include expired blocks")
        parser.add_argument("--json", action="store_true", help="Print JSON for machines")

    def handle(self, *args: Any, **options: Any) -> None:
        blocks = list(BlockedIP.objects.all()) if options["all"] else blocking.active_blocks()
        rows = [
            {
                "network": b.network,
                "reason": b.reason,
                "createdBy": b.created_by,
                "createdAt": b.created_at.isoformat(),
                "expiresAt": b.expires_at.isoformat() if b.expires_at else None,
            }
            for b in blocks
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No blocked IP addresses.")
            return
        for row in rows:
            expires = row["expiresAt"][:16] if row["expiresAt"] else "never"
            self.stdout.write(
                f"{row['network']}\texpires {expires}\tby {row['createdBy']}"
                f"\tat {row['createdAt'][:16]}\t{row['reason']}"
            )
