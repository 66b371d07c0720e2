"""manage.py export_audit [--since DATE] [--until DATE] [--format json|csv] [--output FILE]"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from operators.audit import audit_rows_to_csv, audit_trail


def parse_moment(value: str, option: str) -> datetime:
    """``2026-01-31``, an ISO date-time, or a relative ``24h`` / ``7d`` (before now)."""
    try:
        return _parse_moment(value, option)
    except (ValueError, OverflowError) as exc:  # 2026-13-45, 2026-02-30, 99999999999d
        raise CommandError(f"{option} {value!r} is not a possible date or age: {exc}.") from exc


def _parse_moment(value: str, option: str) -> datetime:
    text = value.strip()
    if text[:-1].isdigit() and text[-1:] in ("h", "d"):
        amount = int(text[:-1])
        return timezone.now() - (
            timedelta(hours=amount) if text.endswith("h") else timedelta(days=amount)
        )
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(
                f"{option} {value!r} is not a date (2026-01-31), date-time or age (24h, 7d)."
            )
        moment = datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


class Command(BaseCommand):
    help = (
        "Export the audit trail — admin changes (django-auditlog) and operator command runs — "
        "as JSON or CSV, oldest first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="From this date/time or age (2026-01-31, 7d, 24h)")
        parser.add_argument("--until", help="Before this date/time or age")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        since = parse_moment(options["since"], "--since") if options["since"] else None
        until = parse_moment(options["until"], "--until") if options["until"] else None
        rows = list(audit_trail(since=since, until=until))
        if options["format"] == "json":
            text = json.dumps(rows, indent=2, ensure_ascii=False, default=str)
        else:
            text = audit_rows_to_csv(rows).rstrip("\n")
        if options["output"]:
            try:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}") from exc
            self.stdout.write(f"Wrote {len(rows)} audit entries to {options['output']}")
        else:
            self.stdout.write(text)
