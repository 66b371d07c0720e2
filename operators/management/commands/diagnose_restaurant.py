"""manage.py diagnose_restaurant ID [--json] — a support report on one restaurant."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operators.diagnostics import diagnose
from operators.management.base import restaurant_or_error
from tenants.models import Restaurant


class Command(BaseCommand):
    help = (
        "Support report on one restaurant: active flag, opening hours, CORS allowlist, item "
        "counts (available, vegan-tagged, without declared allergen data, with may-contain, "
        "to fix), recent chats, 429s, unanswered questions and the embed snippet. Read-only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("restaurant_id", nargs="?", help="The restaurant's public id")
        parser.add_argument("--json", action="store_true", help="Print JSON for machines")
        parser.add_argument("--list", action="store_true", help="List every restaurant id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for public_id, name, active in Restaurant.objects.values_list(
                "public_id", "name", "active"
            ):
                self.stdout.write(f"{public_id}\t{name}\t{'active' if active else 'inactive'}")
            return
        if not options["restaurant_id"]:
            raise CommandError("Give a restaurant id (or --list to see them).")
        report = diagnose(restaurant_or_error(options["restaurant_id"]))
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self._print_text(report)

    def _print_text(self, report: dict[str, Any]) -> None:
        r, items, chats, limits = (
            report["restaurant"],
            report["items"],
            report["chats"],
            report["rateLimits"],
        )
        out = self.stdout.write
        out(f"Restaurant: {r['name']} ({r['id']})")
        out(f"Active: {'yes' if r['active'] else 'NO'}")
        out(f"Opening hours ({r['timezone']}): {r['openingHours'] or '(not set)'}")
        if r["hoursNote"]:
            out(f"Hours note: {r['hoursNote']}")
        out(f"Server chat (USE_SERVER_CHAT): {'on' if report['serverChat'] else 'OFF'}")
        allowlist = ", ".join(report["allowlist"]) or "(empty)"
        out(f"Allowed origins: {allowlist}")
        out(
            f"Items: {items['total']} total, {items['available']} available, "
            f"{items['veganTagged']} vegan-tagged, {items['withoutAllergenData']} without "
            f"allergen data, {items['withMayContain']} with “may contain”, "
            f"{len(items['toFix'])} to fix"
        )
        if items["veganTaggedNames"]:
            out(f"Vegan-tagged: {', '.join(items['veganTaggedNames'])}")
        for item in items["toFix"]:
            out(f"  to fix: {item['name']}: {'; '.join(item['problems'])}")
        out(
            f"Chats: {chats['sessionsLast24h']} sessions / {chats['messagesLast24h']} messages "
            f"in 24 h, {chats['sessionsLast7d']} sessions / {chats['messagesLast7d']} messages "
            "in 7 days"
        )
        for message in chats["recentMessages"]:
            flag = "" if message["answered"] else "  [unanswered]"
            out(f"  {message['at'][:16]} {message['role']}: {message['text']}{flag}")
        out(
            f"Rate limits: chat {limits['chat']}, burst {limits['burst']}, per IP {limits['perIp']}"
        )
        out(f"429 answers in the last 7 days: {limits['rateLimitedLast7d']}")
        if chats["unansweredQuestions"]:
            out("Most frequent unanswered questions:")
            for row in chats["unansweredQuestions"]:
                out(f"  {row['times']}× {row['text']}")
        else:
            out("Unanswered questions: none")
        out(f"Embed snippet: {report['embedSnippet']}")
        for warning in report["warnings"]:
            self.stdout.write(self.style.WARNING(f"WARNING: {warning}"))
