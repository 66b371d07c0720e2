"""Writes for the chat: answering a diner and recording the exchange."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from chat import engine
from chat.models import ChatMessage, ChatSession
from chat.selectors import chat_menu_for
from tenants.models import Restaurant

_IP_HASH_SALT = "stjarna.chat.ip_hash"


def ip_hash_for(ip: str) -> str:
    """A keyed hash (HMAC-SHA256, key derived from SECRET_KEY) of a client IP.

    It lets operators tell sessions from one address apart without ever storing the address;
    rotating SECRET_KEY makes old hashes unlinkable, which is the point.
    """
    return salted_hmac(_IP_HASH_SALT, ip, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class ChatReply:
    """What the API returns for one diner message."""

    answer: engine.Answer
    items: list[dict[str, Any]]  # every item the answer is about, as the menu API shows it


def chat_reply(*, restaurant: Restaurant, session_token: str, message: str, ip: str) -> ChatReply:
    """Answer ``message`` from the restaurant's menu and record the exchange."""
    chat_menu = chat_menu_for(restaurant)
    answer = engine.answer(chat_menu.menu, message, restaurant.locale)
    chat_exchange_record(
        restaurant=restaurant, session_token=session_token, message=message, answer=answer, ip=ip
    )
    return ChatReply(answer=answer, items=chat_menu.items_in_menu_order(answer.item_ids))


@transaction.atomic
def chat_exchange_record(
    *,
    restaurant: Restaurant,
    session_token: str,
    message: str,
    answer: engine.Answer,
    ip: str,
) -> ChatSession:
    """Store the diner's message and the reply, all or nothing.

    The session (unique per restaurant + token) is created on first use, and its ``last_seen``
    and ``ip_hash`` refreshed after. The diner's message carries the answer's intent and
    ``answered`` flag too, so "questions we could not answer" is one query on diner messages.
    """
    ip_hash = ip_hash_for(ip)
    session = _session_touch(restaurant=restaurant, token=session_token, ip_hash=ip_hash)
    ChatMessage.objects.bulk_create(
        [
            ChatMessage(
                session=session,
                role=ChatMessage.Role.DINER,
                text=message,
                intent=answer.intent,
                answered=answer.answered,
            ),
            ChatMessage(
                session=session,
                role=ChatMessage.Role.ASSISTANT,
                text=answer.reply,
                intent=answer.intent,
                item_ids=list(answer.item_ids),
                answered=answer.answered,
            ),
        ]
    )
    return session


def _session_touch(*, restaurant: Restaurant, token: str, ip_hash: str) -> ChatSession:
    """Find or create the diner's session and refresh ``last_seen`` and ``ip_hash``.

    Two first messages racing on one token: the loser's INSERT hits the unique constraint inside
    a savepoint, and it updates the winner's row instead.
    """
    sessions = ChatSession.objects.filter(restaurant=restaurant, token=token).order_by()
    session = sessions.only("pk").first()
    if session is None:
        try:
            with transaction.atomic():
                return ChatSession.objects.create(
                    restaurant=restaurant, token=token, ip_hash=ip_hash
                )
        except IntegrityError:
            session = sessions.only("pk").get()
    ChatSession.objects.filter(pk=session.pk).update(last_seen=timezone.now(), ip_hash=ip_hash)
    return session
