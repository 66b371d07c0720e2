"""Stjarna answer engine: answers diners' menu questions. Pure Python, no Django.

The word tables live in lexicon.json, shared with the widget's JavaScript port; see
docs/engine.md for the algorithm both ports implement.
"""

from .intents import INTENTS, answer
from .lexicon import ALLERGEN_LABELS, ALLERGENS, CONFLICTS, DIET_LABELS, DIET_TAGS
from .model import Answer, Flag, Menu, MenuItem, RestaurantInfo

__all__ = [
    "ALLERGENS",
    "ALLERGEN_LABELS",
    "CONFLICTS",
    "DIET_LABELS",
    "DIET_TAGS",
    "INTENTS",
    "Answer",
    "Flag",
    "Menu",
    "MenuItem",
    "RestaurantInfo",
    "answer",
]
