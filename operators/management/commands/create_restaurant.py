"""manage.py create_restaurant PUBLIC_ID --name NAME --owner-email EMAIL"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from accounts.services import InvitationError, restaurant_create_with_owner
from operators.audit import command_actor
from operators.management.base import OperatorCommand


class Command(OperatorCommand):
    help = (
        "Create a restaurant and invite its owner: the owner gets a mail with a link to choose a "
        "password, then signs in to the admin with their e-mail address. An address that already "
        "has an account gets the membership (and a mail), not a second account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help="The restaurantId, e.g. bella-napoli (fixed later)")
        parser.add_argument("--name", required=True, help="The restaurant's name, as diners see it")
        parser.add_argument("--owner-email", required=True, help="Where the invitation goes")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options.get("actor"))
        try:
            restaurant, invitation = restaurant_create_with_owner(
                public_id=options["public_id"],
                name=options["name"],
                owner_email=options["owner_email"],
                actor=actor,
            )
        except InvitationError as exc:
            raise CommandError(str(exc)) from exc
        result = f"Created {restaurant.public_id} ({restaurant.name}); {invitation.summary}"
        self.audit(
            options,
            arguments={
                "public_id": restaurant.public_id,
                "name": restaurant.name,
                "owner_email": invitation.user.email,
            },
            result=result,
            restaurant=restaurant.public_id,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created restaurant '{restaurant.public_id}' ({restaurant.name}).")
        )
        if invitation.new_account:
            self.stdout.write(
                f"Invitation sent to {invitation.user.email}: the link to choose a "
                "password works once."
            )
        else:
            self.stdout.write(
                f"{invitation.user.email} already had an account: it is now the "
                "owner's, and they were told by mail."
            )
