"""Evaluate a Query against a MenuIndex: filtered item sets and dish references."""

from __future__ import annotations

from dataclasses import dataclass

from .index import MenuIndex
from .lexicon import ALLERGEN
from .parse import SKIP, Query, Tok


def bits(mask: int) -> list[int]:
    """Indices of set bits, ascending (= menu order)."""
    out: list[int] = []
    while mask:
        low = mask & -mask
        i = low.bit_length() - 1
        out.append(i)
        mask ^= low
    return out


def term_mask(index: MenuIndex, t: Tok) -> int:
    """Items a positive/negative word refers to: menu text matches plus its synonym group.

    An allergen word used positively ("with peanuts") matches menu text first; only when the
    text has no match does it fall back to items containing any of its allergen codes.
    """
    mask = index.items_for_words(t.words)
    if t.kind == ALLERGEN:
        if not mask:
            for code in t.payload:  # type: ignore[union-attr]
                mask |= index.by_code.get(code, 0)
    elif t.payload is not None:
        mask |= index.by_group.get(str(t.payload), 0)
    return mask


@dataclass
class Selection:
    """Result of filtering: the matching items and how many were hidden for lack of data."""

    mask: int
    hidden: int  # items dropped only because their allergen list is empty


def select(index: MenuIndex, q: Query) -> Selection:
    """Apply every constraint of `q`; unavailable items never survive."""
    mask = index.available
    for diet in q.diets:
        mask &= index.by_diet.get(diet, 0)
    for code in q.excluded:
        mask &= ~index.by_code.get(code, 0)
    for group in q.terms:
        alternatives = 0
        for t in group:
            alternatives |= term_mask(index, t)
        mask &= alternatives
    for t in q.neg_terms:
        mask &= ~term_mask(index, t)
    if q.max_price is not None or q.min_price is not None:
        for i in bits(mask):
            price = index.items[i].price
            if (q.max_price is not None and price > q.max_price) or (
                q.min_price is not None and price < q.min_price
            ):
                mask &= ~(1 << i)
    hidden = 0
    if q.excluded:
        # An empty allergen list means "not listed", so it cannot vouch for "without X".
        hidden = (mask & index.no_allergen_info).bit_count()
        mask &= ~index.no_allergen_info
    return Selection(mask, hidden)


def extreme(index: MenuIndex, mask: int, sort: str) -> int:
    """The subset of `mask` at the lowest ("cheap") or highest ("dear") price (ties kept)."""
    idx = bits(mask)
    if not idx:
        return 0
    prices = [index.items[i].price for i in idx]
    target = min(prices) if sort == "cheap" else max(prices)
    out = 0
    for i, p in zip(idx, prices, strict=True):
        if p == target:
            out |= 1 << i
    return out


@dataclass
class DishRefs:
    """Items the message names, plus whether the message is nothing but dish names."""

    items: list[int]
    only_names: bool


def dish_refs(index: MenuIndex, q: Query) -> DishRefs:
    """Find dishes named in the message.

    Score every item by (distinct key name words matched, distinct name words matched); the
    referenced dishes are all items with the best score, provided at least one key word
    matched. Key words exclude lexicon words, so "pizza" alone names no dish.
    """
    keys: dict[int, set[str]] = {}
    full: dict[int, set[str]] = {}
    content = [t for t in q.toks if t.kind not in SKIP and t.kind != "num"]
    for t in content:
        words = t.words or (frozenset([t.word]) if t.word in index.vocab else frozenset())
        for w in words:
            for i in bits(index.names.get(w, 0)):
                if w in index.key_words[i]:
                    keys.setdefault(i, set()).add(w)
                if w in index.name_words[i]:
                    full.setdefault(i, set()).add(w)
    if not keys:
        return DishRefs([], False)
    best = max((len(keys[i]), len(full.get(i, ()))) for i in keys)
    items = sorted(i for i in keys if (len(keys[i]), len(full.get(i, ()))) == best)
    name_words = set().union(*(index.name_words[i] for i in items))
    # "Only names" ignores stop words but not cue/frame words: "do you have X" is a search.
    rest = [t for t in q.toks if t.kind not in ("stop", "join", "or")]
    only = all(bool((t.words or {t.word}) & name_words) for t in rest)
    return DishRefs(items, only)
