"""manage.py unlock_account [LOGIN] [--ip ADDRESS]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from accounts.throttling import normalise_login, unlock
from operators.management.base import OperatorCommand
from operators.models import normalise_network


class Command(OperatorCommand):
    help = (
        "Lift a login lockout at once (django-axes): clear the failed-login count of an account "
        "(its e-mail address or username) and/or of a client IP address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", nargs="?", help="E-mail address or username of the account")
        parser.add_argument("--ip", help="A client IP address that is locked out")

    def handle(self, *args: Any, **options: Any) -> None:
        login = normalise_login(options["login"])
        ip_address = (options["ip"] or "").strip()
        if not login and not ip_address:
            raise CommandError("Name the account (e-mail address or username) and/or --ip ADDRESS.")
        if ip_address:
            try:
                network = normalise_network(ip_address)
            except Exception as exc:
                raise CommandError(f"“{ip_address}” is not an IP address.") from exc
            if network.endswith(("/32", "/128")) is False:
                raise CommandError(f"“{ip_address}” is a network: give one IP address.")
            ip_address = network.rsplit("/", 1)[0]
        cleared = unlock(login=login or None, ip_address=ip_address or None)
        who = " and ".join(filter(None, [login, ip_address and f"address {ip_address}"]))
        result = f"Unlocked {who}" if cleared else f"Nothing to unlock for {who}"
        self.audit(options, arguments={"login": login, "ip": ip_address}, result=result)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result}: they can log in again." if cleared else f"{result} (it was not locked)."
            )
        )
