"""manage.py purge_chats [--older-than DAYS] [--dry-run]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chat.retention import purge_chats
from operators.management.base import OperatorCommand


class Command(OperatorCommand):
    help = (
        "Delete chat sessions (and their messages) whose last message is older than DAYS "
        "(default CHAT_RETENTION_DAYS). Run it daily, e.g. from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=None,
            help=f"Age in days (default CHAT_RETENTION_DAYS = {settings.CHAT_RETENTION_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days is None:
            days = settings.CHAT_RETENTION_DAYS
        try:
            result = purge_chats(older_than_days=days, dry_run=options["dry_run"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        cutoff = f"{result.cutoff:%Y-%m-%d %H:%M} UTC"
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: would delete {result.sessions} chat sessions and {result.messages} "
                f"messages with no message since {cutoff}."
            )
            return
        summary = (
            f"Deleted {result.sessions} chat sessions and {result.messages} messages "
            f"with no message since {cutoff}."
        )
        self.audit(options, arguments={"older_than_days": days}, result=summary)
        self.stdout.write(self.style.SUCCESS(summary))
