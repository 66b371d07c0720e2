"""manage.py notify_tenants --template outage|maintenance ... [--restaurant ID ...] [--dry-run]"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from operators.management.base import OperatorCommand, restaurant_or_error
from operators.notices import (
    REQUIRED_FIELDS,
    TEMPLATE_FIELDS,
    notice_recipients,
    render_notice,
    send_notices,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Command(OperatorCommand):
    help = (
        "E-mail a platform notice to tenants' contact addresses, through Django's e-mail backend. "
        "outage: --issue --impact --eta [--workaround]; maintenance: --date YYYY-MM-DD "
        "--start HH:MM --end HH:MM (UTC). Default recipients: every active restaurant with a "
        "contact e-mail; --restaurant ID (repeatable) narrows it. --dry-run prints, sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--template", required=True, choices=sorted(TEMPLATE_FIELDS))
        parser.add_argument("--issue", help="outage: what is wrong, e.g. 'slow chat answers'")
        parser.add_argument("--impact", help="outage: what tenants and diners notice")
        parser.add_argument("--eta", help="outage: expected resolution, e.g. '14:30 UTC'")
        parser.add_argument("--workaround", help="outage: what to do meanwhile (optional)")
        parser.add_argument("--date", help="maintenance: YYYY-MM-DD")
        parser.add_argument("--start", help="maintenance: HH:MM UTC")
        parser.add_argument("--end", help="maintenance: HH:MM UTC")
        parser.add_argument(
            "--restaurant",
            action="append",
            default=[],
            metavar="ID",
            help="Only this restaurant (repeatable)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        template = options["template"]
        fields = self._fields(template, options)
        for public_id in options["restaurant"]:
            restaurant_or_error(public_id)
        recipients, skipped = notice_recipients(options["restaurant"])
        notices = [
            render_notice(template=template, restaurant=r, fields=fields) for r in recipients
        ]
        for restaurant in skipped:
            self.stdout.write(
                self.style.WARNING(f"Skipped {restaurant.public_id}: no contact e-mail")
            )
        if options["dry_run"]:
            for notice in notices:
                message = notice.message
                self.stdout.write(
                    f"--- would send to {', '.join(message.to)} ({notice.restaurant.public_id})\n"
                    f"Subject: {message.subject}\n\n{message.body}"
                )
            self.stdout.write(
                f"Dry run: {len(notices)} notices would be sent, {len(skipped)} skipped."
            )
            return
        sent = send_notices(notices)
        summary = f"Sent {sent} {template} notices, skipped {len(skipped)} without contact e-mail"
        self.audit(
            options,
            arguments={
                "template": template,
                **fields,
                "restaurants": options["restaurant"] or "all active",
                "recipients": [r.public_id for r in recipients],
            },
            result=summary,
        )
        self.stdout.write(self.style.SUCCESS(summary + "."))

    def _fields(self, template: str, options: dict[str, Any]) -> dict[str, str]:
        missing = [f"--{name}" for name in REQUIRED_FIELDS[template] if not options.get(name)]
        if missing:
            raise CommandError(f"The {template} template needs {', '.join(missing)}.")
        other = [
            f"--{name}"
            for names in TEMPLATE_FIELDS.values()
            for name in names
            if name not in TEMPLATE_FIELDS[template] and options.get(name)
        ]
        if other:
            raise CommandError(f"{', '.join(other)} do(es) not belong to the {template} template.")
        if template == "maintenance":
            if not _DATE.match(options["date"]):
                raise CommandError(f"--date {options['date']!r} must be YYYY-MM-DD.")
            for name in ("start", "end"):
                if not _TIME.match(options[name]):
                    raise CommandError(f"--{name} {options[name]!r} must be HH:MM (UTC).")
        return {name: options[name] for name in TEMPLATE_FIELDS[template] if options.get(name)}
