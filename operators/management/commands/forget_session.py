"""manage.py forget_session TOKEN [--restaurant ID]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from operators.gdpr import forget_session, token_fingerprint
from operators.management.base import OperatorCommand, restaurant_or_error


class Command(OperatorCommand):
    help = (
        "GDPR erasure: delete one diner's chat (every session with this session token and all "
        "its messages). The audit trail records a keyed hash of the token, never the token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", help="The diner's session token (from the widget)")
        parser.add_argument("--restaurant", metavar="ID", help="Only at this restaurant")

    @transaction.atomic  # the erasure and its audit row are one write: never one without the other
    def handle(self, *args: Any, **options: Any) -> None:
        restaurant = restaurant_or_error(options["restaurant"]) if options["restaurant"] else None
        result = forget_session(token=options["token"], restaurant=restaurant)
        fingerprint = token_fingerprint(options["token"])
        if not result.sessions:
            raise CommandError(
                "No chat session has this token"
                + (f" at {restaurant.public_id}" if restaurant else "")
                + ": nothing to erase."
            )
        summary = (
            f"Erased {result.sessions} chat sessions and {result.messages} messages "
            f"(token fingerprint {fingerprint})"
        )
        self.audit(
            options,
            arguments={
                "token_fingerprint": fingerprint,
                "restaurant": restaurant.public_id if restaurant else None,
            },
            result=summary,
            restaurant=",".join(result.restaurants),
        )
        self.stdout.write(self.style.SUCCESS(summary))
