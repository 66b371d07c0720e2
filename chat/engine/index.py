"""Per-menu precomputation: word -> items bitsets, so answering is a few set operations.

Item sets are Python ints used as bitsets (bit i = i-th item in menu order); the JS port can
use arrays of booleans or BigInt, the semantics are plain sets.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from .lexicon import (
    CONFLICTS,
    DIET_TAGS,
    SYN_GROUPS,
    UNIGRAMS,
    fuzzy_limit,
    normalize,
    tokenize,
)
from .model import Menu, MenuItem, RestaurantInfo

# Lexicon kinds whose words are never menu "key" words when naming a dish.
_NOT_KEY_KINDS = frozenset({"stop", "frame", "q", "detq", "allq", "priceq", "join", "cur"})


@dataclass
class MenuIndex:
    """Everything `answer` needs about one Menu, computed once."""

    restaurant: RestaurantInfo
    items: tuple[MenuItem, ...]
    available: int  # bitset of available items
    no_allergen_info: int  # bitset of items whose allergen list is empty
    by_code: dict[str, int]  # allergen code -> items containing it
    by_diet: dict[str, int]  # diet tag -> items satisfying it (explicit tag, no conflicts)
    vocab: dict[str, int]  # stemmed word (name/description/category/tags) -> items
    by_group: dict[str, int]  # synonym group canonical -> items mentioning any member
    names: dict[str, int]  # stemmed name word -> items whose name contains it
    key_words: list[frozenset[str]]  # per item: distinctive name words (see dish refs)
    name_words: list[frozenset[str]]  # per item: all name words minus stop words
    _vocab_by_len: dict[int, list[str]] = field(default_factory=dict)
    _fuzzy_cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def vocab_matches(self, word: str) -> frozenset[str]:
        """Menu words matching `word`: the exact word if present, else all fuzzy words at the
        smallest distance (so results do not depend on iteration order)."""
        if word in self.vocab:
            return frozenset([word])
        cached = self._fuzzy_cache.get(word)
        if cached is not None:
            return cached
        found: list[str] = []
        best = 3
        if len(word) >= 4:
            for n in range(len(word) - 2, len(word) + 3):
                for cand in self._vocab_by_len.get(n, ()):
                    k = fuzzy_limit(word, cand)
                    if k == 0:
                        continue
                    d = OSA.distance(word, cand, score_cutoff=k)
                    if d > k or d > best:
                        continue
                    if d < best:
                        best, found = d, []
                    found.append(cand)
        result = frozenset(found)
        if len(self._fuzzy_cache) < 10_000:  # bound memory on hostile input
            self._fuzzy_cache[word] = result
        return result

    def items_for_words(self, words: frozenset[str]) -> int:
        """Union bitset of items mentioning any of `words`."""
        mask = 0
        for w in words:
            mask |= self.vocab.get(w, 0)
        return mask


def _text_words(item: MenuItem) -> list[str]:
    diet = set(DIET_TAGS)
    # Diet tags are matched as diets, never as free text (so "gluten" alone is not "gluten-free").
    tags = " ".join(t.replace("-", " ") for t in sorted(item.tags) if t not in diet)
    return tokenize(f"{item.name} {item.description} {item.category} {tags}")


def build_index(menu: Menu) -> MenuIndex:
    """Precompute the bitsets and word tables for `menu` (pure function of the menu)."""
    items = tuple(menu.items)
    available = 0
    no_info = 0
    by_code: dict[str, int] = {}
    tagged: dict[str, int] = {}
    vocab: dict[str, int] = {}
    key_words: list[frozenset[str]] = []
    name_words: list[frozenset[str]] = []
    name_vocab: dict[str, int] = {}
    for i, item in enumerate(items):
        bit = 1 << i
        if item.available:
            available |= bit
        if not item.allergens:
            no_info |= bit
        for code in item.allergens:
            by_code[code] = by_code.get(code, 0) | bit
        for tag in item.tags:
            tagged[normalize(tag)] = tagged.get(normalize(tag), 0) | bit
        for w in _text_words(item):
            vocab[w] = vocab.get(w, 0) | bit
        names = [w for w in tokenize(item.name) if UNIGRAMS.get(w) is None or _is_term(w)]
        name_words.append(frozenset(names))
        for w in names:
            name_vocab[w] = name_vocab.get(w, 0) | bit
        # Key words name a dish: not lexicon keywords and not category/cuisine synonyms, so
        # "Pizza Margherita" is named by "margherita" and "pizza" stays a category word.
        # An item named only by generic words ("Kids Pasta") has no key words: it is found by
        # search, never singled out as "the" dish.
        key_words.append(frozenset(w for w in names if w not in UNIGRAMS))
    by_diet: dict[str, int] = {}
    for diet in DIET_TAGS:
        mask = tagged.get(diet, 0)
        if diet == "vegetarian":
            mask |= tagged.get("vegan", 0)  # the one allowed inference
        for i in range(len(items)):
            if mask >> i & 1 and items[i].allergens & CONFLICTS.get(diet, frozenset()):
                mask &= ~(1 << i)
        by_diet[diet] = mask
    by_group = {}
    for canon, members in SYN_GROUPS.items():
        mask = 0
        for w in members:
            mask |= vocab.get(w, 0)
        by_group[canon] = mask
    vocab_by_len: dict[int, list[str]] = {}
    for w in sorted(vocab):
        if not w[:1].isdigit():
            vocab_by_len.setdefault(len(w), []).append(w)
    return MenuIndex(
        restaurant=menu.restaurant,
        items=items,
        available=available,
        no_allergen_info=no_info,
        by_code=by_code,
        by_diet=by_diet,
        vocab=vocab,
        by_group=by_group,
        names=name_vocab,
        key_words=key_words,
        name_words=name_words,
        _vocab_by_len=vocab_by_len,
    )


def _is_term(word: str) -> bool:
    entry = UNIGRAMS.get(word)
    return entry is not None and entry.kind not in _NOT_KEY_KINDS


_CACHE: OrderedDict[int, tuple[weakref.ref[Menu], MenuIndex]] = OrderedDict()
_CACHE_SIZE = 64


def prepare(menu: Menu) -> MenuIndex:
    """The MenuIndex for this Menu object, built once and cached by identity.

    Keyed by id() with a weak reference check, because hashing a frozen 300-item menu on every
    call would cost more than answering; equal-but-distinct Menu objects just build their own.
    """
    key = id(menu)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is menu:
        _CACHE.move_to_end(key)
        return hit[1]
    index = build_index(menu)
    try:
        ref = weakref.ref(menu)
    except TypeError:  # not weak-referenceable: don't cache
        return index
    _CACHE[key] = (ref, index)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return index


__all__ = ["MenuIndex", "build_index", "prepare"]
