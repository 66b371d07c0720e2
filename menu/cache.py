"""The cached copies of each restaurant's public menu (SPEC §5 "warm path").

In front of everything below, each worker keeps its own copies (``menu.nearcache``), dropped by
acknowledged announcements before any change counts as done: a warm request is then answered from
memory without a round trip. What follows is the shared cache those copies are taken from.

Entries in the shared cache (Redis in production):

- ``menu:pointer:{public_id}`` — the restaurant's cache *generation*, a random token. Every change
  to the public menu (``bump_menu_version``, on commit) renews it through :func:`forget_menu`.
- ``menu:head:{public_id}:{0|1}`` — ``(generation, etag)`` of the menu for one value of
  ``USE_SERVER_CHAT`` (workers of a rolling deploy may disagree), or ``(generation, None)`` for
  "no such active restaurant".
- ``menu:body:{etag}`` — the serialised body. The ETag is a hash of these very bytes, so this entry
  never changes meaning; each worker also keeps recent bodies in memory by ETag
  (:data:`_local_bodies`), which can never serve a stale menu because a changed menu has another
  ETag.

A warm request reads pointer and head in one round trip (``get_many``, an MGET on Redis) and
answers from memory: a 304 needs nothing more, a 200 needs the body bytes (in memory, else one
more GET). A head counts only while its generation equals the pointer's. The generation is read
*before* the database, so a worker that read the menu just before a change commits stores its
stale head under the old generation, which no later request accepts: no race can re-cache an old
menu after an invalidation. Entries expire (``MENU_CACHE_TIMEOUT``), so a renewal missed while
Redis was unreachable heals by itself.

A cold miss costs the two queries of :func:`menu.selectors.public_menu`, whatever the number of
items. Concurrent cold misses of one menu are not coalesced: with sync workers at most one
rebuild per worker runs at a time, and a rebuild is two indexed queries (docs/performance.md).
If the cache raises, the menu is served from the database and one warning is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from menu import nearcache
from menu.selectors import public_menu
from stjarna_site.breaker import redis_skipped

logger = logging.getLogger(__name__)

LOCAL_BODIES_MAX = 256
# ETag → body bytes, per worker process. Content-addressed, hence always correct; bounded.
_local_bodies: dict[str, bytes] = {}


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A serialised public menu: the exact response body and its strong ETag."""

    body: bytes
    etag: str


def menu_pointer_key(public_id: str) -> str:
    return f"menu:pointer:{public_id}"


def menu_head_key(public_id: str, server_chat: bool) -> str:
    return f"menu:head:{public_id}:{int(server_chat)}"


def menu_body_key(etag: str) -> str:
    return f"menu:body:{etag.strip(chr(34))}"


def _timeout() -> int:
    return settings.MENU_CACHE_TIMEOUT


def _pointer_timeout() -> int:
    # Outlives the heads made under it; if it expires anyway, the next request just rebuilds.
    return 2 * settings.MENU_CACHE_TIMEOUT


def _new_generation() -> str:
    return secrets.token_hex(8)


def serialise_menu(payload: dict) -> MenuEntry:
    """Encode a menu body once; its ETag is a hash of exactly these bytes."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return MenuEntry(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


def _remember_locally(entry: MenuEntry) -> None:
    if len(_local_bodies) >= LOCAL_BODIES_MAX:
        # The oldest; tolerant of another thread of this worker evicting the same one first.
        _local_bodies.pop(next(iter(_local_bodies), None), None)
    _local_bodies[entry.etag] = entry.body


def _from_database(public_id: str, server_chat: bool) -> MenuEntry | None:
    payload = public_menu(public_id, server_chat=server_chat)
    return None if payload is None else serialise_menu(payload)


def menu_entry(public_id: str) -> MenuEntry | None:
    """The public menu of ``public_id`` (None: unknown or inactive).

    From this worker's own copy when it has one (``menu.nearcache``: no round trip at all), else
    from the shared cache, whose answer the worker keeps if nothing changed meanwhile.
    """
    key = (public_id, bool(settings.USE_SERVER_CHAT))
    entry = nearcache.lookup(key)
    if entry is not nearcache.MISSING:
        return entry
    ticket = nearcache.near_cache.ticket()
    entry = _shared_menu_entry(public_id, key[1])
    if not redis_skipped():  # read from the database past a skipped Redis: not shared, not kept
        nearcache.near_cache.store(ticket, key, entry)
    return entry


STALE = object()  # read_current: nothing stored under the restaurant's current generation


def read_current(public_id: str, key: str) -> tuple[object, str | None]:
    """``key``'s value if it was stored under the restaurant's current generation, in one round
    trip: ``(value, generation)``, or ``(STALE, generation)`` — then build the value from the
    database and :func:`write_current` it under that generation (minted here if the restaurant
    had none; None if the cache lost it meanwhile). Raises on cache errors.

    Reading the generation *before* the database is what makes this race-free: a value read from
    the database just before a change commits is stored under the old generation, which no later
    read accepts. The menu head and the CORS allowlist (``tenants.cors``) are both kept this way.
    """
    pointer_key = menu_pointer_key(public_id)
    found = cache.get_many([pointer_key, key])
    generation, stored = found.get(pointer_key), found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1], generation
    if generation is None:
        generation = _new_generation()
        if not cache.add(pointer_key, generation, _pointer_timeout()):
            generation = cache.get(pointer_key)  # another worker minted it first
    return STALE, generation


def write_current(key: str, generation: str | None, value: object) -> None:
    """Store what :func:`read_current` found stale; raises on cache errors."""
    if generation is not None:
        cache.set(key, (generation, value), _timeout())


def _shared_menu_entry(public_id: str, server_chat: bool) -> MenuEntry | None:
    """The menu from the shared cache (warm: one round trip, two if this worker has not seen the
    body yet; no database query), else from the database (two queries), then stored."""
    head_key = menu_head_key(public_id, server_chat)
    try:
        etag, generation = read_current(public_id, head_key)
        if etag is None:
            return None
        if etag is not STALE:
            body = _local_bodies.get(etag)
            if body is not None:
                return MenuEntry(body=body, etag=etag)
            body = cache.get(menu_body_key(etag))
            if body is not None:
                entry = MenuEntry(body=body, etag=etag)
                _remember_locally(entry)
                return entry
    except Exception:
        return _cache_down(public_id, server_chat)

    entry = _from_database(public_id, server_chat)
    if generation is not None:
        try:
            if entry is not None:
                cache.set(menu_body_key(entry.etag), entry.body, _timeout())
                _remember_locally(entry)
            write_current(head_key, generation, entry and entry.etag)
        except Exception as exc:
            logger.warning(
                "menu cache write failed; menu served from the database",
                extra={"restaurant_id": public_id, "error": repr(exc)},
            )
    return entry


def _cache_down(public_id: str, server_chat: bool) -> MenuEntry | None:
    # One short line per request, not a traceback: during an outage this fires on every request.
    logger.warning(
        "menu cache unavailable; menu served from the database",
        extra={"restaurant_id": public_id, "error": repr(sys.exc_info()[1])},
    )
    return _from_database(public_id, server_chat)


def purge_menu(public_id: str) -> None:
    """Invalidate one restaurant's cached menu and allowlist; raises on failure."""
    purge_menus([public_id])


PURGE_BATCH = 500


def purge_menus(public_ids: list[str]) -> None:
    """Renew the restaurants' cache generations (so no shared entry made before counts) and make
    every worker drop its own copies (``menu.nearcache.announce``, which returns once none can
    answer from an older copy); in batches of :data:`PURGE_BATCH`. Raises on failure."""
    for start in range(0, len(public_ids), PURGE_BATCH):
        batch = public_ids[start : start + PURGE_BATCH]
        nearcache.announce(
            batch,
            renew=[
                (menu_pointer_key(public_id), _new_generation(), _pointer_timeout())
                for public_id in batch
            ],
        )


class _CommitBatch:
    """What the forget callbacks of one transaction have done once it committed."""

    def __init__(self) -> None:
        self.started = False
        self.done: set[str] = set()


class _ForgetAfterCommit:
    """An on-commit callback that forgets one restaurant's cached data, unless a callback of the
    same transaction already did."""

    def __init__(self, public_id: str, batch: _CommitBatch) -> None:
        self.public_id = public_id
        self.batch = batch

    def __call__(self) -> None:
        self.batch.started = True
        if self.public_id not in self.batch.done:
            self.batch.done.add(self.public_id)
            forget_menu(self.public_id)


def forget_menu_on_commit(public_id: str) -> None:
    """:func:`forget_menu` once the current transaction commits — once per restaurant, however
    many changes the transaction made (an admin bulk delete of 100 items is one announcement).

    Every change registers its own callback (so savepoint rollbacks and Django's test capture of
    callbacks behave as usual); the callbacks of one transaction share a batch, and only the first
    one for a restaurant to run does the work. A batch that has started running is never joined:
    tests run callbacks without a commit, and the transaction's list keeps them.
    """
    pending = (func for _savepoints, func, _robust in transaction.get_connection().run_on_commit)
    batch = next(
        (f.batch for f in pending if isinstance(f, _ForgetAfterCommit) and not f.batch.started),
        None,
    )
    transaction.on_commit(_ForgetAfterCommit(public_id, batch or _CommitBatch()))


def forget_menu(public_id: str) -> None:
    """Drop the cached menu and CORS allowlist of one restaurant, shared and every worker's own;
    the next request from any worker rebuilds them from the database.

    Called on commit of every public-menu or allowlist change (:func:`forget_menu_on_commit`).
    Never raises: the cache being down must not fail a menu write (the entries' timeout heals a
    missed renewal).
    """
    try:
        purge_menu(public_id)
    except Exception:
        logger.warning("menu cache purge failed", extra={"restaurant_id": public_id}, exc_info=True)
