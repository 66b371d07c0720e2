"""Value types of the answer engine (the public interface other code is written against)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class MenuItem:
    """One dish or drink as the engine sees it."""

    id: int
    name: str
    description: str
    price: Decimal
    category: str
    allergens: frozenset[str]  # codes from ALLERGENS the dish contains
    tags: frozenset[str]  # lowercase slugs, including the diet tags
    available: bool = True
    may_contain: frozenset[str] = frozenset()  # "may contain traces of" codes
    # Staff declared the allergen information complete: with `allergens` empty the dish is free
    # of all 14. An undeclared dish is never presented as safe for an allergy.
    allergens_declared: bool = False


@dataclass(frozen=True)
class RestaurantInfo:
    """Facts about the restaurant itself; empty strings mean unknown."""

    name: str
    currency: str = "EUR"  # ISO 4217
    opening_hours: str = ""  # OpenStreetMap opening_hours syntax
    address: str = ""
    phone: str = ""
    locale: str = "en"  # the restaurant's default language: "en" | "sv"
    timezone: str = "UTC"  # IANA name; hours are answered against this clock
    hours_note: str = ""  # free text shown beside the hours


@dataclass(frozen=True)
class Menu:
    """A restaurant and its items, in menu order."""

    restaurant: RestaurantInfo
    items: tuple[MenuItem, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Menu:
        """A Menu from JSON: the public menu API's shape (camelCase) or the conformance file's
        (snake_case). `allergensDeclared` defaults to "the allergen list is non-empty", the
        rule the data migration applied to rows written before the field existed."""
        rest = data.get("restaurant") or {}

        def pick(src: Mapping[str, Any], *names: str, default: Any = "") -> Any:
            for name in names:
                if src.get(name) is not None:
                    return src[name]
            return default

        info = RestaurantInfo(
            name=str(pick(rest, "name")),
            currency=str(pick(rest, "currency", default="EUR")),
            opening_hours=str(pick(rest, "opening_hours", "openingHours")),
            address=str(pick(rest, "address")),
            phone=str(pick(rest, "phone")),
            locale=str(pick(rest, "locale", default="en")),
            timezone=str(pick(rest, "timezone", default="UTC")),
            hours_note=str(pick(rest, "hours_note", "hoursNote")),
        )
        items = []
        for raw in data.get("items") or ():
            allergens = frozenset(raw.get("allergens") or ())
            try:
                price = Decimal(str(raw.get("price", "0")))
            except InvalidOperation:
                price = Decimal(0)
            items.append(
                MenuItem(
                    id=int(raw["id"]),
                    name=str(raw.get("name", "")),
                    description=str(raw.get("description") or ""),
                    price=price,
                    category=str(raw.get("category") or ""),
                    allergens=allergens,
                    tags=frozenset(raw.get("tags") or ()),
                    available=bool(raw.get("available", True)),
                    may_contain=frozenset(pick(raw, "may_contain", "mayContain", default=())),
                    allergens_declared=bool(
                        pick(
                            raw, "allergens_declared", "allergensDeclared", default=bool(allergens)
                        )
                    ),
                )
            )
        return cls(info, tuple(items))


@dataclass(frozen=True)
class Flag:
    """A dish the answer is about that does not fit what the diner asked for."""

    item_id: int
    conflicts: tuple[str, ...]  # allergen codes and diet tags in question


@dataclass(frozen=True)
class Answer:
    """What the engine says back.

    `item_ids` are the dishes that fit everything the diner asked for in the conversation (menu
    order); `flagged` the dishes the answer is about that do not. `context` is the conversation
    state to pass back on the next turn (small, JSON-safe).
    """

    reply: str
    item_ids: tuple[int, ...]
    intent: str
    suggestions: tuple[str, ...]
    answered: bool
    flagged: tuple[Flag, ...] = ()
    language: str = "en"
    context: dict[str, Any] = field(default_factory=dict, compare=True)
