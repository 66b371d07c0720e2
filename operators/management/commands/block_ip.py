"""manage.py block_ip IP|CIDR --reason "..." [--expires-in HOURS]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from operators import blocking
from operators.audit import command_actor
from operators.management.base import OperatorCommand


class Command(OperatorCommand):
    help = (
        "Block an IP address or CIDR network: every request from it gets 403 ip_blocked, on "
        "every worker within BLOCKED_IP_REFRESH_SECONDS. Blocking it again updates reason/expiry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="e.g. 203.0.113.7 or 203.0.113.0/24 or 2001:db8::/48")
        parser.add_argument("--reason", required=True, help="Why (kept in the audit trail)")
        parser.add_argument(
            "--expires-in", type=float, metavar="HOURS", help="Lift the block after HOURS"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options.get("actor"))
        try:
            block, created = blocking.block_ip(
                network=options["network"],
                reason=options["reason"],
                created_by=actor,
                expires_in_hours=options["expires_in"],
            )
        except (ValidationError, ValueError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        until = (
            f"until {block.expires_at:%Y-%m-%d %H:%M} UTC" if block.expires_at else "until lifted"
        )
        verb = "Blocked" if created else "Updated block on"
        result = f"{verb} {block.network} {until}"
        self.audit(
            options,
            arguments={
                "network": block.network,
                "reason": block.reason,
                "expires_in_hours": options["expires_in"],
            },
            result=result,
        )
        self.stdout.write(self.style.SUCCESS(f"{result}: {block.reason}"))
        self.stdout.write(
            f"In force on every worker within {settings.BLOCKED_IP_REFRESH_SECONDS:g} s. "
            f"Undo with: manage.py unblock_ip {block.network}"
        )
