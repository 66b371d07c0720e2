"""What every operator command shares: the ``--actor`` option, the audit row, tenant lookup."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operators.audit import command_actor, record_operator_action
from tenants.models import Restaurant


def restaurant_or_error(public_id: str) -> Restaurant:
    """The restaurant with this public id, or a one-line CommandError (non-zero exit)."""
    restaurant = Restaurant.objects.filter(public_id=public_id).first()
    if restaurant is None:
        raise CommandError(
            f"Unknown restaurant id {public_id!r}. "
            "List them in the admin (Restaurants) or with: manage.py diagnose_restaurant --list"
        )
    return restaurant


class OperatorCommand(BaseCommand):
    """A mutating command: accepts ``--actor`` and writes an ``OperatorAction`` audit row."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--actor",
            help="Who is running this, for the audit trail (default: the operating-system user).",
        )
        return parser

    def audit(
        self, options: dict[str, Any], *, arguments: dict[str, Any], result: str, restaurant=""
    ) -> None:
        """Record this run in the audit trail."""
        record_operator_action(
            command=self.command_name,
            actor=command_actor(options.get("actor")),
            arguments=arguments,
            result=result,
            restaurant=restaurant,
        )

    @property
    def command_name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]
