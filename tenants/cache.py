"""Each restaurant's cache generation: what is cached about a restaurant counts only under it.

Entries in the shared cache (Redis in production):

- ``restaurant:generation:{public_id}`` — a random token, renewed by :func:`forget_restaurant`
  after every change to what diners see of the restaurant (its menu, its details, its CORS
  allowlist; on commit, see :func:`forget_restaurant_on_commit`).
- values stored with :func:`write_current` as ``(generation, value)``: the menu's head
  (``menu.cache``) and the allowlist (``tenants.cors``). A value counts only while its generation
  is the restaurant's current one.

:func:`read_current` reads the generation and the value in one round trip (``get_many``, an MGET
on Redis). The generation is read *before* the database, so a worker that read the database just
before a change committed stores its value under the old generation, which no later read accepts:
no race can re-cache old data after a change. Entries expire (``MENU_CACHE_TIMEOUT``), so a
renewal missed while Redis was unreachable heals by itself.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

STALE = object()  # read_current: nothing stored under the restaurant's current generation
RENEW_BATCH = 500


def generation_key(public_id: str) -> str:
    return f"restaurant:generation:{public_id}"


def _generation_timeout() -> int:
    # Outlives the values stored under it; if it expires anyway, the next read just rebuilds.
    return 2 * settings.MENU_CACHE_TIMEOUT


def _new_generation() -> str:
    return secrets.token_hex(8)


def read_current(public_id: str, key: str) -> tuple[object, str | None]:
    """``key``'s value if it was stored under the restaurant's current generation, in one round
    trip: ``(value, generation)``, or ``(STALE, generation)`` — then build the value from the
    database and :func:`write_current` it under that generation (minted here if the restaurant
    had none; None if the cache lost it meanwhile). Raises on cache errors."""
    pointer = generation_key(public_id)
    found = cache.get_many([pointer, key])
    generation, stored = found.get(pointer), found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1], generation
    if generation is None:
        generation = _new_generation()
        if not cache.add(pointer, generation, _generation_timeout()):
            generation = cache.get(pointer)  # another worker minted it first
    return STALE, generation


def write_current(key: str, generation: str | None, value: object) -> None:
    """Store what :func:`read_current` found stale; raises on cache errors."""
    if generation is not None:
        cache.set(key, (generation, value), settings.MENU_CACHE_TIMEOUT)


def renew_generations(public_ids: Iterable[str]) -> None:
    """Make everything cached about these restaurants stale (in batches); raises on failure."""
    public_ids = list(public_ids)
    for start in range(0, len(public_ids), RENEW_BATCH):
        batch = public_ids[start : start + RENEW_BATCH]
        cache.set_many(
            {generation_key(public_id): _new_generation() for public_id in batch},
            _generation_timeout(),
        )


def forget_restaurant(public_id: str) -> None:
    """Drop everything cached about one restaurant; the next request rebuilds it.

    Never raises: the cache being down must not fail a write (the entries' timeout heals a
    missed renewal).
    """
    try:
        renew_generations([public_id])
    except Exception:
        logger.warning(
            "restaurant cache renewal failed", extra={"restaurant_id": public_id}, exc_info=True
        )


def forget_restaurant_on_commit(public_id: str) -> None:
    """:func:`forget_restaurant` once the current transaction commits, so no worker can re-cache
    what was read before the change."""
    transaction.on_commit(partial(forget_restaurant, public_id))
