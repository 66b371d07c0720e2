"""Writes for the chat: answering a diner and recording the exchange."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model
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
    ``chat.selectors.diner_at_restaurant``) or None for a first message.
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

    Two statements: the session's UPDATE (a first message inserts it instead, continuing the
    session of a concurrent first message that won the race), then one INSERT for both
    messages. The diner's message carries the answer's intent and ``answered`` flag too, so
    "questions we could not answer" is one query on diner messages.
    """
    now = timezone.now()
    ip_hash = ip_hash_for(ip)
    if session is None:
        session = _session_insert(
            restaurant=restaurant,
            token=session_token,
            ip_hash=ip_hash,
            context=answer.context,
            now=now,
        )
    else:
        _session_update(session.pk, ip_hash=ip_hash, context=answer.context, now=now)
    _messages_insert(session.pk, message=message, answer=answer, now=now)
    return session


# --- The exchange's SQL -----------------------------------------------------------------------
# Hand-written, parameterised, and the same text on SQLite (3.35+: ON CONFLICT … RETURNING) and
# PostgreSQL: these run on every chat, where the ORM's create-in-a-savepoint, update() and
# bulk_create() cost more CPU than everything else the exchange does, and the savepoint two
# more round trips. Every value goes through its field's own ``get_db_prep_save``, so rows are
# stored exactly as the ORM would store them; messages' ids are not needed, so none are returned.

_SESSION_FIELDS = ("restaurant", "token", "ip_hash", "first_seen", "last_seen", "context")
_MESSAGE_FIELDS = ("session", "role", "text", "intent", "item_ids", "answered", "created_at")


def _fields(model: type[Model], names: tuple[str, ...]) -> list[Field]:
    return [model._meta.get_field(name) for name in names]


def _prepared(fields: list[Field], values: tuple[Any, ...]) -> list[Any]:
    return [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values, strict=True)
    ]


@functools.cache
def _sql() -> dict[str, str]:
    quote = connection.ops.quote_name
    session_table, message_table = ChatSession._meta.db_table, ChatMessage._meta.db_table
    session_columns = [f.column for f in _fields(ChatSession, _SESSION_FIELDS)]
    message_columns = ", ".join(quote(f.column) for f in _fields(ChatMessage, _MESSAGE_FIELDS))
    message_row = f"({', '.join(['%s'] * len(_MESSAGE_FIELDS))})"
    changed = ("last_seen", "ip_hash", "context")
    return {
        "session_insert": (
            f"INSERT INTO {quote(session_table)} ({', '.join(map(quote, session_columns))})"
            f" VALUES ({', '.join(['%s'] * len(session_columns))})"
            f" ON CONFLICT ({quote('restaurant_id')}, {quote('token')}) DO UPDATE SET "
            + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in changed)
            + f" RETURNING {quote('id')}"
        ),
        "session_update": (
            f"UPDATE {quote(session_table)} SET "
            + ", ".join(f"{quote(c)} = %s" for c in changed)
            + f" WHERE {quote('id')} = %s"
        ),
        "messages_insert": (
            f"INSERT INTO {quote(message_table)} ({message_columns})"
            f" VALUES {message_row}, {message_row}"
        ),
    }


def _session_insert(
    *, restaurant: Restaurant, token: str, ip_hash: str, context: dict[str, Any], now: datetime
) -> ChatSession:
    """Create the diner's session; if a concurrent first message created it first (the unique
    constraint on restaurant and token), continue that one with this turn's context."""
    values = (restaurant.pk, token, ip_hash, now, now, context)
    with connection.cursor() as cursor:
        cursor.execute(
            _sql()["session_insert"], _prepared(_fields(ChatSession, _SESSION_FIELDS), values)
        )
        (pk,) = cursor.fetchone()
    session = ChatSession(
        pk=pk, restaurant=restaurant, token=token, ip_hash=ip_hash, last_seen=now, context=context
    )
    session._state.adding = False
    return session


def _session_update(pk: int, *, ip_hash: str, context: dict[str, Any], now: datetime) -> None:
    fields = _fields(ChatSession, ("last_seen", "ip_hash", "context"))
    with connection.cursor() as cursor:
        cursor.execute(_sql()["session_update"], [*_prepared(fields, (now, ip_hash, context)), pk])


def _messages_insert(
    session_pk: int, *, message: str, answer: engine.Answer, now: datetime
) -> None:
    """Both messages in one INSERT: the diner's (with the answer's intent and ``answered``
    flag), then the reply; the shared ``created_at`` is ordered by id."""
    fields = _fields(ChatMessage, _MESSAGE_FIELDS)
    diner = (session_pk, ChatMessage.Role.DINER, message, answer.intent, [], answer.answered, now)
    reply = (
        session_pk,
        ChatMessage.Role.ASSISTANT,
        answer.reply,
        answer.intent,
        list(answer.item_ids),
        answer.answered,
        now,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _sql()["messages_insert"], _prepared(fields, diner) + _prepared(fields, reply)
        )
