"""Reads for the chat: the engine's view of a menu, and the unanswered-questions report."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from chat import engine
from chat.engine import index as engine_index
from chat.engine.lexicon import normalize
from chat.models import ChatMessage, ChatSession
from menu import payload as payload_module
from menu.payload import item_payload
from menu.selectors import public_menu_items
from tenants.models import Restaurant

logger = logging.getLogger(__name__)

# Restaurants per process whose engine menu stays prepared (one entry is a few hundred KB at most);
# sized above the number of restaurants one worker typically serves so chats rarely rebuild.
ENGINE_MENU_CACHE_SIZE = 256


@dataclass(frozen=True)
class ChatMenu:
    """One restaurant's menu at one ``menu_version``: the engine's Menu plus the API item shapes."""

    menu: engine.Menu
    payloads: dict[int, dict[str, Any]]  # item id -> item as the menu API shows it
    positions: dict[int, int]  # item id -> index in menu order

    def items_in_menu_order(self, item_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The API shapes of these items, each once, in menu order (unknown ids are dropped)."""
        wanted = {item_id for item_id in item_ids if item_id in self.positions}
        return [self.payloads[i] for i in sorted(wanted, key=self.positions.__getitem__)]


_menus: OrderedDict[tuple[int, datetime, int], ChatMenu] = OrderedDict()
_menus_lock = threading.Lock()


def chat_menu_for(restaurant: Restaurant) -> ChatMenu:
    """The restaurant's current menu for the engine, prepared once per (restaurant, menu_version).

    Every change to the public menu bumps ``menu_version`` (tenants.services.bump_menu_version),
    and the restaurant row is read on every chat request anyway, so the key is always current and
    a warm chat request runs no menu query. Keeping the same Menu object also lets the engine
    reuse its per-menu index (chat.engine.index.prepare keeps it while the Menu lives). Each
    process keeps its own copy; the version in the key keeps every process current. A process
    that has none takes the one another process prepared from the shared cache
    (:func:`_shared_chat_menu`), else builds it and shares it.
    """
    # created_at guards against a reused primary key (a restaurant deleted and another created,
    # or test databases rolled back), which would otherwise resurrect another menu.
    key = (restaurant.pk, restaurant.created_at, restaurant.menu_version)
    with _menus_lock:
        hit = _menus.get(key)
        if hit is not None:
            _menus.move_to_end(key)
            return hit
    built = _shared_chat_menu(key)
    if built is None:
        built = _build_chat_menu(restaurant)
        _share_chat_menu(key, built)
    with _menus_lock:
        # Older versions of this restaurant are dead weight: drop them at once.
        for stale in [k for k in _menus if k[0] == restaurant.pk]:
            del _menus[stale]
        _menus[key] = built
        while len(_menus) > ENGINE_MENU_CACHE_SIZE:
            _menus.popitem(last=False)
    return built


# --- Prepared menus shared between processes ----------------------------------------------
# Preparing a 200-item menu (its rows, their API shapes, the engine's index) costs a worker
# 25-50 ms, about ten warm chats; with N workers every restaurant was prepared N times, and again
# after every menu change and worker restart. Unpickling another worker's copy costs ~5 ms. The
# entry is pickled code objects, so its key names the code that made them (a new release never
# loads an old one's), and the menu version (a changed menu is another key). It expires: only
# restaurants that are chatting keep theirs.
SHARED_CHAT_MENU_SECONDS = 600


@functools.cache
def _code_fingerprint() -> str:
    """A digest of the sources whose objects a shared entry holds: the engine and its lexicon,
    these shapes and the item payload."""
    here = Path(__file__).resolve().parent
    sources = [
        *sorted((here / "engine").glob("*.py")),
        here / "engine" / "lexicon.json",
        Path(__file__).resolve(),
        Path(payload_module.__file__).resolve(),
    ]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def shared_chat_menu_key(key: tuple[int, datetime, int]) -> str:
    pk, created_at, version = key
    return f"chat:menu:{_code_fingerprint()}:{pk}:{created_at.timestamp()}:{version}"


def _shared_chat_menu(key: tuple[int, datetime, int]) -> ChatMenu | None:
    try:
        found = cache.get(shared_chat_menu_key(key))
    except Exception:  # an unreachable cache only costs this process a build
        logger.warning("shared chat menu read failed", exc_info=True)
        return None
    if found is None:
        return None
    chat_menu, index = found
    engine_index.adopt(chat_menu.menu, index)  # prepared already: the engine needs no rebuild
    return chat_menu


def _share_chat_menu(key: tuple[int, datetime, int], chat_menu: ChatMenu) -> None:
    index = engine_index.prepare(chat_menu.menu)  # built here once, as the first chat would
    try:
        cache.set(shared_chat_menu_key(key), (chat_menu, index), SHARED_CHAT_MENU_SECONDS)
    except Exception:
        logger.warning("shared chat menu write failed", exc_info=True)


def forget_chat_menus() -> None:
    """Empty this process's engine-menu cache (tests; nothing else needs it)."""
    with _menus_lock:
        _menus.clear()


def _build_chat_menu(restaurant: Restaurant) -> ChatMenu:
    rows = list(public_menu_items(restaurant))
    items = tuple(
        engine.MenuItem(
            id=row.pk,
            name=row.name,
            description=row.description,
            price=row.price,
            category=row.category,
            allergens=frozenset(row.allergens),
            tags=frozenset(row.tags),
            available=row.available,
            may_contain=frozenset(row.may_contain),
            allergens_declared=row.allergens_declared,
        )
        for row in rows
    )
    info = engine.RestaurantInfo(
        name=restaurant.name,
        currency=restaurant.currency,
        opening_hours=restaurant.opening_hours,
        address=restaurant.address,
        phone=restaurant.phone,
        locale=restaurant.locale,
        timezone=restaurant.timezone,
        hours_note=restaurant.hours_note,
    )
    return ChatMenu(
        menu=engine.Menu(restaurant=info, items=items),
        payloads={row.pk: item_payload(row) for row in rows},
        positions={row.pk: index for index, row in enumerate(rows)},
    )


@dataclass(frozen=True)
class DinerAtRestaurant:
    """Who a chat message is for: the active restaurant, and the diner's session there (None
    for a first message)."""

    restaurant: Restaurant
    session: ChatSession | None


@functools.cache
def _diner_at_restaurant_sql() -> str:
    # Every column of the restaurant (the engine menu, the rate-limit overrides and the menu
    # version all come from this row) plus the session's id and context.
    quote = connection.ops.quote_name
    columns = ", ".join(f"r.{quote(field.column)}" for field in Restaurant._meta.concrete_fields)
    return (
        f"SELECT {columns}, s.{quote('id')} AS chat_session_pk,"
        f" s.{quote('context')} AS chat_session_context"
        f" FROM {quote(Restaurant._meta.db_table)} r"
        f" LEFT JOIN {quote(ChatSession._meta.db_table)} s"
        f" ON s.{quote('restaurant_id')} = r.{quote('id')} AND s.{quote('token')} = %s"
        f" WHERE r.{quote('public_id')} = %s AND r.{quote('active')}"
    )


@functools.cache
def _restaurant_columns() -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    """The restaurant's field names in the read's column order, and each column's converters
    (the backend's and the field's own, as the ORM applies them)."""
    fields = Restaurant._meta.concrete_fields
    converters = []
    for field in fields:
        column = field.get_col(Restaurant._meta.db_table)
        converters.append(
            (column, connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        )
    return [field.attname for field in fields], converters


def diner_at_restaurant(*, public_id: str, token: str) -> DinerAtRestaurant | None:
    """The active restaurant with this public id and the diner's session there, with its
    conversation context, in one query; None for an unknown or inactive restaurant.

    Hand-written SQL (the only read of its kind; parameterised; the same text on SQLite and
    PostgreSQL): this runs on every chat, and compiling the equivalent ORM query
    (``select_related`` on the session, a second query for a first message's restaurant) cost
    most of a chat's time, and ``raw()``'s per-query column resolution a tenth of it. The row is
    converted with the ORM's own converters, field by field, and built with ``from_db``.
    The session is scoped by the restaurant's public id *and* the token (the join's condition).
    """
    with connection.cursor() as cursor:
        cursor.execute(_diner_at_restaurant_sql(), [token, public_id])
        row = cursor.fetchone()
    if row is None:
        return None
    names, converters = _restaurant_columns()
    values = list(row[: len(names)])
    for n, (expression, functions) in enumerate(converters):
        for convert in functions:
            values[n] = convert(values[n], expression, connection)
    restaurant = Restaurant.from_db(connection.alias, names, values)
    session_pk, context = row[len(names) :]
    session = None
    if session_pk is not None:
        context_field = ChatSession._meta.get_field("context")
        session = ChatSession.from_db(
            connection.alias,
            ["id", "restaurant_id", "token", "context"],  # the rest stays deferred, as only()
            [
                session_pk,
                restaurant.pk,
                token,
                context_field.from_db_value(context, None, connection),
            ],
        )
        session.restaurant = restaurant
    return DinerAtRestaurant(restaurant=restaurant, session=session)


# --- The unanswered-questions report ----------------------------------------------------------

_PUNCTUATION = re.compile(r"[^\w\s]+")


def normalise_question(text: str) -> str:
    """How the report groups questions: the engine's normalisation, punctuation and extra
    spaces dropped ("Vegan  pizza?" and "vegan pizza" are one question)."""
    return " ".join(_PUNCTUATION.sub(" ", normalize(text)).split())


# Answers that list dishes: one that lists none found nothing the diner asked for.
_LISTING_INTENTS = frozenset({"search", "cheapest", "most_expensive"})


def went_unanswered(*, answered: bool, intent: str, item_ids: list | None) -> bool:
    """Whether a diner's question went without an answer: the engine did not understand it, or
    it searched the menu and found nothing ("do you have sushi?" on a menu without sushi)."""
    return not answered or (intent in _LISTING_INTENTS and not item_ids)


@dataclass(frozen=True)
class UnansweredQuestion:
    restaurant_name: str
    question: str  # normalised text
    count: int
    last_asked: datetime


@dataclass(frozen=True)
class AskedQuestion:
    question: str  # normalised text
    count: int
    unanswered: int  # how many of those times it went without an answer


def unanswered_questions(messages: QuerySet[ChatMessage]) -> list[UnansweredQuestion]:
    """Diner questions that went without an answer (``went_unanswered``), grouped per restaurant
    by normalised text, most frequent first (then most recent).

    ``messages`` is already scoped to the user's restaurants (the admin's queryset); grouping
    happens here rather than in SQL so the report uses the same normalisation as the engine.
    """
    rows = (
        messages.filter(role=ChatMessage.Role.DINER)
        .values_list(
            "session__restaurant__name", "text", "created_at", "answered", "intent", "item_ids"
        )
        .iterator()
    )
    counts: Counter[tuple[str, str]] = Counter()
    last: dict[tuple[str, str], datetime] = {}
    for restaurant_name, text, created_at, answered, intent, item_ids in rows:
        if not went_unanswered(answered=answered, intent=intent, item_ids=item_ids):
            continue
        key = (restaurant_name, normalise_question(text) or text.strip())
        counts[key] += 1
        if key not in last or created_at > last[key]:
            last[key] = created_at
    report = [
        UnansweredQuestion(name, question, count, last[(name, question)])
        for (name, question), count in counts.items()
    ]
    report.sort(key=lambda q: (-q.count, -q.last_asked.timestamp(), q.restaurant_name, q.question))
    return report


def top_questions(
    *, restaurant: Restaurant, since: datetime, limit: int = 10
) -> list[AskedQuestion]:
    """What diners asked the restaurant most since ``since``: normalised, grouped, counted."""
    rows = ChatMessage.objects.filter(
        session__restaurant=restaurant, role=ChatMessage.Role.DINER, created_at__gte=since
    ).values_list("text", "answered", "intent", "item_ids")
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for text, answered, intent, item_ids in rows.iterator():
        question = normalise_question(text) or text.strip()
        counts[question] += 1
        if went_unanswered(answered=answered, intent=intent, item_ids=item_ids):
            missed[question] += 1
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    return [AskedQuestion(q, n, missed[q]) for q, n in ranked]


def top_unanswered_questions(
    *, restaurant: Restaurant, since: datetime, limit: int = 10
) -> list[AskedQuestion]:
    """The questions that went without an answer most often since ``since``."""
    asked = top_questions(restaurant=restaurant, since=since, limit=10_000)
    missed = [q for q in asked if q.unanswered]
    missed.sort(key=lambda q: (-q.unanswered, q.question))
    return missed[:limit]


def chats_per_day(*, restaurant: Restaurant, days: int, today: date) -> list[tuple[date, int]]:
    """How many conversations began on each of the last ``days`` days (oldest first, zeros kept).

    Days are the restaurant's own calendar days (its ``timezone``).
    """
    zone = ZoneInfo(restaurant.timezone or "UTC")
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=zone)
    counts: Counter[date] = Counter()
    sessions = ChatSession.objects.filter(restaurant=restaurant, first_seen__gte=start)
    for first_seen in sessions.values_list("first_seen", flat=True).iterator():
        counts[first_seen.astimezone(zone).date()] += 1
    return [(first + timedelta(days=n), counts[first + timedelta(days=n)]) for n in range(days)]
