"""The cached copies of each restaurant's public menu (SPEC §5 "warm path").

Entries in the shared cache (Redis in production), under the restaurant's cache generation
(``tenants.cache``, renewed after every change to the public menu):

- ``menu:head:{public_id}:{0|1}`` — ``(generation, etag)`` of the menu for one value of
  ``USE_SERVER_CHAT`` (workers of a rolling deploy may disagree), or ``(generation, None)`` for
  "no such active restaurant".
- ``menu:body:{etag}`` — the serialised body. The ETag is a hash of these very bytes, so this entry
  never changes meaning; each worker also keeps recent bodies in memory by ETag
  (:data:`_local_bodies`), which can never serve a stale menu because a changed menu has another
  ETag.

A warm request reads the generation and the head in one round trip (an MGET on Redis) and runs no
query: a 304 needs nothing more, a 200 takes the body from memory (one more GET the first time a
worker sees an ETag). A change is visible on the next request from any worker, because the next
MGET finds a new generation. In front of this sits the CDN (``s-maxage``, docs/performance.md).

A cold miss costs the two queries of :func:`menu.selectors.public_menu`, whatever the number of
items. Concurrent cold misses of one menu are not coalesced: with sync workers at most one
rebuild per worker runs at a time, and a rebuild is two indexed queries (docs/performance.md).
If the cache raises, the menu is served from the database and one warning is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from menu.selectors import public_menu
from tenants.cache import STALE, read_current, write_current

logger = logging.getLogger(__name__)

LOCAL_BODIES_MAX = 256
# ETag → body bytes, per worker process. Content-addressed, hence always correct; bounded.
_local_bodies: dict[str, bytes] = {}


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A serialised public menu: the exact response body and its strong ETag."""

    body: bytes
    etag: str


def menu_head_key(public_id: str, server_chat: bool) -> str:
    return f"menu:head:{public_id}:{int(server_chat)}"


def menu_body_key(etag: str) -> str:
    return f"menu:body:{etag.strip(chr(34))}"


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

    Warm: one round trip to the shared cache and no query; cold: two queries, then stored.
    """
    server_chat = bool(settings.USE_SERVER_CHAT)
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
                cache.set(menu_body_key(entry.etag), entry.body, settings.MENU_CACHE_TIMEOUT)
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
