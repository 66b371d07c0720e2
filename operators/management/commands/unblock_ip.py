"""manage.py unblock_ip IP|CIDR"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from operators import blocking
from operators.management.base import OperatorCommand


class Command(OperatorCommand):
    help = (
        "Lift the block on exactly this IP address or CIDR network (as shown by list_blocked_ips)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("network", help="The blocked address or network, e.g. 203.0.113.0/24")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = blocking.unblock_ip(network=options["network"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if not deleted:
            raise CommandError(
                f"{options['network']} is not blocked (see manage.py list_blocked_ips)."
            )
        network = blocking.normalise_network(options["network"])
        result = f"Unblocked {network}"
        self.audit(options, arguments={"network": network}, result=result)
        self.stdout.write(self.style.SUCCESS(result))
