"""``diagnose_restaurant``: everything support needs to answer a tenant, in one read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from chat.models import ChatMessage, ChatSession
from menu.models import MenuItem
from menu.vocabulary import menu_data_problems
from operators.middleware import rate_limited_counts
from tenants.models import Restaurant
from tenants.selectors import embed_snippet_for

EMPTY_ALLOWLIST = (
    "allowlist is empty: no website can embed this restaurant's widget "
    "(add its site's origin in the admin)"
)
RECENT_MESSAGES = 5
TOP_UNANSWERED = 10


def _rate_limit(restaurant: Restaurant, field: str, setting: str) -> str:
    override = getattr(restaurant, field)
    return f"{override} (override)" if override else f"{getattr(settings, setting)} (platform)"


def diagnose(restaurant: Restaurant) -> dict[str, Any]:
    """A plain-data report on one restaurant (the command prints it as text or JSON)."""
    now = timezone.now()
    origins = list(restaurant.allowed_origins.values_list("origin", flat=True))
    items = MenuItem.objects.filter(restaurant=restaurant)
    # JSON "contains" lookups are not portable to SQLite, so the list fields are read in Python.
    total = available = vegan = undeclared = may_contain = 0
    vegan_names: list[str] = []
    to_fix: list[dict[str, Any]] = []
    for name, is_available, tags, allergens, traces, declared in items.values_list(
        "name", "available", "tags", "allergens", "may_contain", "allergens_declared"
    ):
        total += 1
        available += bool(is_available)
        if "vegan" in (tags or []):
            vegan += 1
            vegan_names.append(name)
        undeclared += not declared
        may_contain += bool(traces)
        if problems := menu_data_problems(tags=tags or [], allergens=allergens or []):
            to_fix.append({"name": name, "problems": problems})
    messages = ChatMessage.objects.filter(session__restaurant=restaurant)
    sessions = ChatSession.objects.filter(restaurant=restaurant)
    unanswered = (
        messages.filter(role=ChatMessage.Role.DINER, answered=False)
        .values("text")
        .annotate(times=Count("id"))
        .order_by("-times", "text")[:TOP_UNANSWERED]
    )
    recent = messages.order_by("-created_at", "-id")[:RECENT_MESSAGES]
    warnings = []
    if not restaurant.active:
        warnings.append("restaurant is inactive: the public API answers 404 restaurant_not_found")
    if not origins:
        warnings.append(EMPTY_ALLOWLIST)
    if available == 0:
        warnings.append("no available menu items: the chat has nothing to recommend")
    if vegan == 0:
        warnings.append("no item is tagged vegan: vegan questions will list nothing")
    if undeclared:
        warnings.append(
            f"{undeclared} item(s) without declared allergen information: diners with any "
            "allergy are not offered them (staff tick “allergen information is complete”)"
        )
    if to_fix:
        warnings.append(
            f"{len(to_fix)} item(s) to fix: a diet tag contradicts the allergens (the chat does "
            "not call them by that diet)"
        )
    if not restaurant.opening_hours.strip():
        warnings.append(
            "no opening hours in OSM syntax: hours questions get only the hours note"
            if restaurant.hours_note.strip()
            else "no opening hours: hours questions cannot be answered"
        )
    if not settings.USE_SERVER_CHAT:
        warnings.append("USE_SERVER_CHAT is false: widgets answer offline from the menu")
    rate_limited = rate_limited_counts(restaurant.public_id)
    return {
        "restaurant": {
            "id": restaurant.public_id,
            "name": restaurant.name,
            "active": restaurant.active,
            "locale": restaurant.locale,
            "currency": restaurant.currency,
            "timezone": restaurant.timezone,
            "openingHours": restaurant.opening_hours,
            "hoursNote": restaurant.hours_note,
            "menuVersion": restaurant.menu_version,
            "contactEmail": restaurant.contact_email,
        },
        "allowlist": origins,
        "items": {
            "total": total,
            "available": available,
            "veganTagged": vegan,
            "veganTaggedNames": vegan_names,
            "withoutAllergenData": undeclared,  # not declared complete (SPEC §3)
            "withMayContain": may_contain,
            "toFix": to_fix,
        },
        "chats": {
            "sessionsLast24h": sessions.filter(last_seen__gte=now - timedelta(hours=24)).count(),
            "sessionsLast7d": sessions.filter(last_seen__gte=now - timedelta(days=7)).count(),
            "messagesLast24h": messages.filter(created_at__gte=now - timedelta(hours=24)).count(),
            "messagesLast7d": messages.filter(created_at__gte=now - timedelta(days=7)).count(),
            "recentMessages": [
                {
                    "at": m.created_at.isoformat(),
                    "role": m.role,
                    "text": m.text[:200],
                    "answered": m.answered,
                }
                for m in recent
            ],
            "unansweredQuestions": [
                {"text": row["text"][:200], "times": row["times"]} for row in unanswered
            ],
        },
        "rateLimits": {
            "chat": _rate_limit(restaurant, "chat_rate_limit", "CHAT_RATE_LIMIT"),
            "burst": _rate_limit(restaurant, "chat_burst_limit", "CHAT_BURST_LIMIT"),
            "perIp": _rate_limit(restaurant, "chat_ip_rate_limit", "CHAT_IP_RATE_LIMIT"),
            "rateLimitedByDay": rate_limited,
            "rateLimitedLast7d": sum(rate_limited.values()),
        },
        "serverChat": settings.USE_SERVER_CHAT,
        "embedSnippet": embed_snippet_for(restaurant),
        "warnings": warnings,
    }
