"""GDPR: export everything stored about one tenant; erase one diner's conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from chat.models import ChatMessage, ChatSession
from operators.audit import audit_trail_for_restaurant
from tenants.models import Restaurant

EXPORT_FORMAT_VERSION = 1


def _restaurant_fields(restaurant: Restaurant) -> dict[str, Any]:
    fields = {}
    for field in Restaurant._meta.concrete_fields:
        value = getattr(restaurant, field.attname)
        fields[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return fields


def export_restaurant_data(restaurant: Restaurant) -> dict[str, Any]:
    """Everything Stjarna stores about one tenant, as JSON-ready data (GDPR art. 15/20)."""
    items = [
        {
            "id": item.pk,
            "name": item.name,
            "description": item.description,
            "price": str(item.price),
            "category": item.category,
            "allergens": item.allergens,
            "tags": item.tags,
            "available": item.available,
            "position": item.position,
            "createdAt": item.created_at.isoformat(),
            "updatedAt": item.updated_at.isoformat(),
        }
        for item in restaurant.menu_items.order_by("position", "pk")
    ]
    sessions = []
    messages_by_session: dict[int, list[dict[str, Any]]] = {}
    for message in ChatMessage.objects.filter(session__restaurant=restaurant).order_by(
        "session_id", "created_at", "pk"
    ):
        messages_by_session.setdefault(message.session_id, []).append(
            {
                "role": message.role,
                "text": message.text,
                "intent": message.intent,
                "itemIds": message.item_ids,
                "answered": message.answered,
                "createdAt": message.created_at.isoformat(),
            }
        )
    for session in ChatSession.objects.filter(restaurant=restaurant).order_by("first_seen", "pk"):
        sessions.append(
            {
                "token": session.token,
                "firstSeen": session.first_seen.isoformat(),
                "lastSeen": session.last_seen.isoformat(),
                "messages": messages_by_session.get(session.pk, []),
            }
        )
    return {
        "format": EXPORT_FORMAT_VERSION,
        "exportedAt": timezone.now().isoformat(),
        "restaurant": _restaurant_fields(restaurant),
        "allowedOrigins": list(restaurant.allowed_origins.values_list("origin", flat=True)),
        "memberships": [
            {
                "username": m.user.get_username(),
                "email": m.user.email,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in restaurant.memberships.select_related("user").order_by("pk")
        ],
        "menuItems": items,
        "chatSessions": sessions,
        "auditTrail": audit_trail_for_restaurant(restaurant),
    }


def token_fingerprint(token: str) -> str:
    """A keyed hash of a session token, so the audit trail can name an erasure without the token."""
    return salted_hmac("stjarna.forget_session", token, secret=settings.SECRET_KEY).hexdigest()[:16]


@dataclass(frozen=True)
class ErasureResult:
    sessions: int
    messages: int
    restaurants: tuple[str, ...]


@transaction.atomic
def forget_session(*, token: str, restaurant: Restaurant | None = None) -> ErasureResult:
    """Erase one diner's conversation(s): every session with this token and all its messages."""
    sessions = ChatSession.objects.filter(token=token)
    if restaurant is not None:
        sessions = sessions.filter(restaurant=restaurant)
    ids = list(sessions.values_list("pk", flat=True))
    restaurants = tuple(sorted(set(sessions.values_list("restaurant__public_id", flat=True))))
    messages = ChatMessage.objects.filter(session_id__in=ids).delete()[0] if ids else 0
    deleted = ChatSession.objects.filter(pk__in=ids).delete()[0] if ids else 0
    return ErasureResult(deleted, messages, restaurants)
