"""Value types of the answer engine (the public interface other code is written against)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MenuItem:
    """One dish or drink as the engine sees it."""

    id: int
    name: str
    description: str
    price: Decimal
    category: str
    allergens: frozenset[str]  # codes from ALLERGENS; empty means "not listed", never "none"
    tags: frozenset[str]  # lowercase slugs, including the diet tags
    available: bool = True


@dataclass(frozen=True)
class RestaurantInfo:
    """Facts about the restaurant itself; empty strings mean unknown."""

    name: str
    currency: str = "EUR"  # ISO 4217
    opening_hours: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Menu:
    """A restaurant and its items, in menu order."""

    restaurant: RestaurantInfo
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class Answer:
    """What the engine says back: reply text plus the ids of every item it is about."""

    reply: str
    item_ids: tuple[int, ...]
    intent: str
    suggestions: tuple[str, ...]
    answered: bool
