"""The shared-cache copy of each restaurant's public menu (filled in by the menu API)."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def menu_pointer_key(public_id: str) -> str:
    return f"menu:pointer:{public_id}"


def forget_menu(public_id: str) -> None:
    """Drop the cached menu of one restaurant; the next request rebuilds it from the database."""
    try:
        cache.delete(menu_pointer_key(public_id))
    except Exception:  # the cache being down must never fail a menu write
        logger.exception("menu cache purge failed", extra={"restaurant_id": public_id})
