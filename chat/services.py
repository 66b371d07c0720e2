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
    items: list[dict[str, Any]]  # dishes that fit, as the menu API shows them
    flagged: list[dict[str, Any]]  # dishes the answer is about that don't fit, with "conflicts"


def chat_reply(
    *,
    restaurant: Restaurant,
    session: ChatSession | None,
    session_token: str,
    message: str,
    locale: str | None,
    ip: str,
) -> ChatReply:
    """Answer ``message`` in the conversation so far and record the exchange.

    ``session`` is the diner's returning session (read with its context by
    ``chat.selectors.returning_session``) or None for a first message.
    """
    chat_menu = chat_menu_for(restaurant)
    context = session.context if session is not None else None
    answer = engine.answer(chat_menu.menu, message, locale, context, now=timezone.now())
    chat_exchange_record(
        restaurant=restaurant,
        session=session,
        session_token=session_token,
        message=message,
        answer=answer,
        ip=ip,
    )
    flagged = [
        {**chat_menu.payloads[f.item_id], "conflicts": list(f.conflicts)}
        for f in answer.flagged
        if f.item_id in chat_menu.payloads
    ]
    return ChatReply(
        answer=answer, items=chat_menu.items_in_menu_order(answer.item_ids), flagged=flagged
    )


@transaction.atomic
def chat_exchange_record(
    *,
    restaurant: Restaurant,
    session: ChatSession | None,
    session_token: str,
    message: str,
    answer: engine.Answer,
    ip: str,
) -> ChatSession:
    """Store the diner's message, the reply and the new conversation state, all or nothing.

    A returning diner costs two statements here (the session's UPDATE, one INSERT for both
    messages); a first message creates the session instead. The diner's message carries the
    answer's intent and ``answered`` flag too, so "questions we could not answer" is one query
    on diner messages.
    """
    ip_hash = ip_hash_for(ip)
    if session is None:
        session = _session_create(
            restaurant=restaurant, token=session_token, ip_hash=ip_hash, context=answer.context
        )
    else:
        ChatSession.objects.filter(pk=session.pk).update(
            last_seen=timezone.now(), ip_hash=ip_hash, context=answer.context
        )
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


def _session_create(
    *, restaurant: Restaurant, token: str, ip_hash: str, context: dict[str, Any]
) -> ChatSession:
    """Create the diner's session; when a concurrent first message won the race (the unique
    constraint inside a savepoint), continue the winner's session instead."""
    try:
        with transaction.atomic():
            return ChatSession.objects.create(
                restaurant=restaurant, token=token, ip_hash=ip_hash, context=context
            )
    except IntegrityError:
        session = ChatSession.objects.only("pk").get(restaurant=restaurant, token=token)
        ChatSession.objects.filter(pk=session.pk).update(
            last_seen=timezone.now(), ip_hash=ip_hash, context=context
        )
        return session
