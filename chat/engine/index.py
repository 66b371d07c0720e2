"""Per-menu precomputation: word -> items bitsets, so answering is a few set operations.

Item sets are Python ints used as bitsets (bit i = i-th item in menu order); the JS port can
use arrays of booleans or BigInt, the semantics are plain sets.
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import OSA

from .lexicon import (
    ALCOHOL_DRINKS,
    ALCOHOL_NONE,
    ALCOHOL_TAGS,
    BASE_STOP,
    CONFLICTS,
    DIET_TAGS,
    EXACT,
    FOOD_PHRASES,
    FREE_DIETS,
    FREE_SUFFIXES,
    MEAT_WORDS,
    SAVOURY_PUDDING,
    SECTION_SYN,
    SYN_EN,
    SYN_GROUPS,
    UNIGRAMS,
    forms,
    fuzzy_limit,
    lookup,
    normalize,
    stem,
    tokenize,
)
from .model import Menu, MenuItem, RestaurantInfo

_SOFT_NAMESAKE = re.compile(r"\b(ginger|root|birch) ?beer\b|\bingefärsöl\b")

# The endings that make a participle of a word: "grill" -> "grilled", "grillad", "grillade",
# "grillat"; "bake" -> "baked" ("stekt" is not seen).
_PARTICIPLE_ENDINGS = frozenset({"ed", "d", "ad", "ade", "at"})


def participle_of(word: str) -> tuple[str, ...]:
    """The stems `word` may be a participle of: "grillad" -> ("grill",), "grillen" -> () (and
    "sallad" -> ("sall",): a word the diner said is no participle of itself, match.term_mask)."""
    return tuple(f for f in forms(word)[1:] if word[len(f) :] in _PARTICIPLE_ENDINGS)


# Synonym groups naming sections that hold every kind of dish: a kids' pad thai "with rice
# noodles" is one of the noodles.
_MIXED_GROUPS = ("kid", "breakfast")
# Lexicon kinds whose words are never menu "key" words when naming a dish.
_NOT_KEY_KINDS = frozenset({"stop", "frame", "q", "detq", "allq", "priceq", "join", "cur"})


@dataclass
class MenuIndex:
    """Everything `answer` needs about one Menu, computed once."""

    restaurant: RestaurantInfo
    items: tuple[MenuItem, ...]
    available: int  # bitset of available items
    no_allergen_info: int  # bitset of items whose allergen information is not declared
    by_code: dict[str, int]  # allergen code -> items containing it
    by_trace: dict[str, int]  # allergen code -> items that "may contain" it
    by_diet: dict[str, int]  # diet tag -> items satisfying it (explicit tag, no conflicts)
    vocab: dict[str, int]  # stemmed word (name/description/category/tags) -> items
    by_group: dict[str, int]  # synonym group canonical -> items mentioning any member
    # The same two for words in names, categories and tags only (not descriptions): a section
    # word asks for the section, not every dish "served with salad" (match.term_mask).
    named_vocab: dict[str, int]
    # stem -> name word -> items whose name says the stem only as that participle ("grill" ->
    # "grillad" -> the Grillad forell), not as a noun nor in their category or tags
    participles: dict[str, dict[str, int]]
    # the same but a description's opening compound by itself only ("Misosoppa på dashi" is a
    # misosoppa; "Kittelgulasch" is no more a gulasch than the other dishes that say it)
    titled: dict[str, int]
    named_group: dict[str, int]
    mixed_sections: int  # items in sections of every kind of dish (kids, breakfast)
    group_sections: dict[str, int]  # synonym group canonical -> items in a section it names
    names: dict[str, int]  # stemmed name word -> items whose name contains it
    sections: dict[str, int]  # word form of a category name -> items in that category
    name_seqs: list[tuple[frozenset[str], ...]]  # per item: forms of each name word, in order
    name_plain: list[tuple[str, ...]]  # per item: the same name words, stemmed
    name_starts: dict[str, list[tuple[int, int]]]  # name word form -> (item, word position)
    key_words: list[frozenset[str]]  # per item: forms of distinctive name words (dish refs)
    name_words: list[frozenset[str]]  # per item: forms of all name words minus stop words
    name_counts: list[int]  # per item: how many distinct words its name has
    key_counts: list[int]  # per item: how many distinctive (key) words its name has
    name_specific: list[tuple[frozenset[str], ...]]  # per item: non-section name words (forms)
    name_diets: list[frozenset[str]]  # per item: diet tags its name says ("Vegansk Köfte")
    ids: tuple[int, ...] = ()  # item ids in menu order
    name_tokens: frozenset[str] = frozenset()  # words of dish names, neutral for the language
    position: dict[int, int] = field(default_factory=dict)  # item id -> index
    # per item: the forms of the words a Swedish compound name is made of ("Hummussmörgås":
    # hummus, smörgås), for a diner who writes them apart ("the hummus sandwich")
    name_parts: list[frozenset[str]] = field(default_factory=list)
    # A numbered menu's numbers ("23. Sweet & Sour Chicken", "K1. Kids Nuggets"): label -> item
    numbers: dict[str, int] = field(default_factory=dict)
    # per item: the (offset, length) runs of its name words that are a whole name of their own,
    # a name and its gloss: "Lu rou fan (braised pork rice)" is "lu rou fan" and the gloss
    glosses: list[frozenset[tuple[int, int]]] = field(default_factory=list)
    _vocab_by_len: dict[int, list[str]] = field(default_factory=dict)
    _long_words: tuple[str, ...] = ()  # menu words of 7+ letters, for compound ends
    _written: dict[str, str] = field(default_factory=dict)  # plural as written -> its stem
    _fuzzy_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    _ends_cache: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)

    def vocab_matches(self, word: str) -> frozenset[str]:
        """Menu words matching `word`: its forms present in the menu (see lexicon.forms), else
        all fuzzy words at the smallest distance (so results do not depend on iteration
        order), else the menu words a compound is made of ("sushibitar" -> "sushi")."""
        exact = frozenset(f for f in forms(word) if f in self.vocab)
        if exact:
            return exact
        cached = self._fuzzy_cache.get(word)
        if cached is not None:
            return cached
        found: list[str] = []
        best = 3
        if len(word) == 4 and word.isalpha():
            # a word clipped as diners clip it ("the marg" is the Margherita, not the Mare)
            found = [w for w in self._long_words if w.startswith(word)]
            best = 0 if found else best
        if len(word) >= 4 and not found:
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
                    found.append(self._written.get(cand, cand))
        if not found and len(word) >= 5:
            # letters dropped ("halumi" for "halloumi"): the diner's word inside a menu word
            # two letters longer, first letter kept
            found = [
                cand
                for cand in self._vocab_by_len.get(len(word) + 2, ())
                if cand[0] == word[0] and _subsequence(word, cand)
            ]
        result = frozenset(found) or self._compound_parts(word)
        if len(self._fuzzy_cache) < 10_000:  # bound memory on hostile input
            self._fuzzy_cache[word] = result
        return result

    def words_of_names(self, items: list[int]) -> set[str]:
        """Every form of the words of these dishes' names."""
        return set().union(*(self.name_words[i] for i in items))

    def form_matches(self, word: str) -> frozenset[str]:
        """Menu words sharing a form with `word` (no typo matching)."""
        return frozenset(f for f in forms(word) if f in self.vocab)

    def _compound_parts(self, word: str) -> frozenset[str]:
        """The menu word a diner's compound starts or ends with (both parts >= 4 letters, the
        other part a known word or a short ending): "kycklingcurry" -> "curry"."""
        found: set[str] = set()
        for i in range(4, len(word) - 2):
            head, tail = word[:i], word[i:]
            for part, rest in ((head, tail), (tail, head)):
                if len(part) < 4:
                    continue
                entry = lookup(part)
                if entry is not None and entry.kind in _FILLER_KINDS:
                    continue  # "rätter" in "pastarätter" is filler, not efterrätter
                hits = [f for f in forms(part) if f in self.vocab]
                if hits and (len(rest) <= 5 or rest in self.vocab or lookup(rest) is not None):
                    found.update(hits)
        if not found and len(word) >= 4:
            # "sorbet" inside the menu's "citronsorbet"
            found = {w for w in self._long_words if w.startswith(word)} | self.compound_ends(word)
        return frozenset(found)

    def compound_ends(self, word: str, shortest: int = 3) -> frozenset[str]:
        """Menu compounds ending in a form of `word`: "bullar" (stem "bull") ends the menu's
        "kanelbulle", "paj" its "västerbottenpaj" (kept per menu, like typo matches)."""
        cached = self._ends_cache.get((word, shortest))
        if cached is not None:
            return cached
        ends = [f for f in forms(word) if len(f) >= shortest]
        found = frozenset(
            w for w in self._long_words if any(g.endswith(f) for g in forms(w) for f in ends)
        )
        if len(self._ends_cache) < 10_000:  # bound memory on hostile input
            self._ends_cache[(word, shortest)] = found
        return found

    def compound_starts(self, word: str) -> frozenset[str]:
        """Menu compounds starting with `word` (four letters or more) and going on by three:
        "hjortron" starts the menu's "hjortronsylt", "pistage" its "pistageglass"."""
        if len(word) < 4:
            return frozenset()
        return frozenset(
            w for w in self._long_words if w.startswith(word) and len(w) >= len(word) + 3
        )

    @cached_property
    def name_starts_by_len(self) -> dict[int, list[str]]:
        """The name_starts words by length, for a first word typed one letter off."""
        out: dict[int, list[str]] = {}
        for w in self.name_starts:
            out.setdefault(len(w), []).append(w)
        return out

    @cached_property
    def alcohol_free(self) -> int:
        """Items whose name or description says they have no alcohol ("Alkoholfri öl",
        "non-alcoholic", "0.0")."""
        out = 0
        for i, item in enumerate(self.items):
            if ALCOHOL_NONE.search(normalize(f"{item.name} {item.description}")):
                out |= 1 << i
        return out

    @cached_property
    def alcoholic(self) -> int:
        """Items with alcohol: tagged so, or a drink whose name or description says a drink
        that has it ("Rioja, glass", "Ljus lager 40 cl"), unless it says it has none."""
        drinks = self.group_sections.get("drink", 0)
        out = 0
        for i, item in enumerate(self.items):
            said = set(re.findall(r"[^\W\d_]+", normalize(f"{item.name} {item.description}")))
            if {normalize(t) for t in item.tags} & ALCOHOL_TAGS or (
                drinks >> i & 1 and said & ALCOHOL_DRINKS
            ):
                out |= 1 << i
        return out & ~self.alcohol_free

    @cached_property
    def one_word_names(self) -> dict[str, list[int]]:
        """A dish name of one word, as written ("Lahmacun") -> the items named so."""
        out: dict[str, list[int]] = {}
        for i, item in enumerate(self.items):
            words = tokenize(item.name)
            if len(words) == 1:
                out.setdefault(words[0], []).append(i)
        return out

    @cached_property
    def tagged(self) -> dict[str, int]:
        """Word form of a tag (the menu's own slugs, mostly English: "fish", "street-food") ->
        items tagged so."""
        out: dict[str, int] = {}
        for i, item in enumerate(self.items):
            for w in tokenize(" ".join(t.replace("-", " ") for t in item.tags)):
                for f in forms(w):
                    out[f] = out.get(f, 0) | 1 << i
        return out

    @cached_property
    def soft_namesakes(self) -> int:
        """Soft drinks named for a drink they are not: Ginger Beer, Root Beer."""
        out = 0
        for i, item in enumerate(self.items):
            if _SOFT_NAMESAKE.search(normalize(item.name)) and not self.alcoholic >> i & 1:
                out |= 1 << i
        return out

    @cached_property
    def drinkable(self) -> int:
        """What "alkoholfritt?" alone chooses from: the drinks, and whatever has alcohol or
        says it has none."""
        return self.group_sections.get("drink", 0) | self.alcoholic | self.alcohol_free

    def in_section(self, t: object) -> int:
        """Items in a category that token `t` (a parse.Tok) names by a word or its group."""
        mask = self.group_sections.get(str(t.payload), 0)  # type: ignore[attr-defined]
        for w in t.words:  # type: ignore[attr-defined]
            for f in forms(w):
                mask |= self.sections.get(f, 0)
        return mask

    def items_for_words(self, words: frozenset[str]) -> int:
        """Union bitset of items mentioning any of `words`."""
        mask = 0
        for w in words:
            mask |= self.vocab.get(w, 0)
        return mask


def _name_diets(name: str) -> frozenset[str]:
    """Diet tags a dish's name says: "Vegansk Köfte", "Gluten-Free Bun" (an allergen word and
    "free")."""
    words = tokenize(name)
    out = {str(e.payload) for w in words if (e := lookup(w)) is not None and e.kind == "diet"}
    # ("the veg gyoza" is the Vegetable Gyoza: a vegetable name says what "veg" asks)
    if any((e := lookup(w)) is not None and e.payload == "vegetable" for w in words):
        out.add("vegetarian")
    for w, after in itertools.pairwise(words):
        if w in FREE_DIETS and after in FREE_SUFFIXES:
            out |= FREE_DIETS[w]
    return frozenset(out)


def union_of(masks: Iterable[int]) -> int:
    """The union of item bitsets."""
    out = 0
    for m in masks:
        out |= m
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _text_words(item: MenuItem) -> list[str]:
    diet = set(DIET_TAGS)
    # Diet tags are matched as diets, never as free text (so "gluten" alone is not "gluten-free").
    tags = " ".join(t.replace("-", " ") for t in sorted(item.tags) if t not in diet)
    return tokenize(f"{item.name} {item.description} {item.category} {tags}")


def _swedish(menu: Menu) -> bool:
    """A Swedish menu: the restaurant's locale, or Swedish letters in its dish names."""
    if menu.restaurant.locale.lower().startswith("sv"):
        return True
    return any(set("åäö") & set(item.name.lower()) for item in menu.items)


def _split_compounds(words: set[str], vocab: set[str]) -> dict[str, set[str]]:
    """Menu compounds and the known words inside them ("kycklingcurry" -> curry, kyckling;
    "fisksoppa" -> fisk, soppa): each part >= 4 letters and itself a menu or lexicon word."""
    known = {w for w in vocab if len(w) >= 3} | {
        w for w, e in UNIGRAMS.items() if len(w) >= 3 and e.kind in ("term", "allergen", "diet")
    }
    out: dict[str, set[str]] = {}
    for w in words:
        if len(w) < 7 or not w.isalpha():
            continue
        for i in range(3, len(w) - 1):
            head, tail = w[:i], w[i:]
            if len(tail) < 3 and len(head) < 6:
                continue  # a short ending only after a long head ("gochujangså(s)")
            tail_known = len(tail) >= 4 and tail in known
            for h in (head, head.rstrip("s")):
                # a three-letter head ("lax" in "laxsoppa") only with a known tail
                if h in known and (len(h) >= 4 or tail_known):
                    out.setdefault(w, set()).add(h)
                    break
            if tail_known:
                out.setdefault(w, set()).add(tail)
    return out


# A dish number opening its name: "23. Sweet & Sour", "K1) Nuggets", "Nr 12: Vesuvio",
# "7 – Margherita".
_NUMBERED = re.compile(
    r"\s*(?:no\.?|nr\.?|#)?\s*([a-z]{0,2}\d{1,3}[a-z]?)(?:[.):]|\s[-–]\s)\s*\S", re.I
)


# The course sections that are not the mains: on a menu with some of them and no section
# called mains ("Katsu curry", "Udon & donburi"), the mains are the dishes of the other sections.
_NOT_MAINS = ("starter", "side", "dessert", "drink", "kids")


def _with_mains(group_sections: dict[str, int], count: int) -> dict[str, int]:
    if "main" in group_sections or "main" not in SYN_GROUPS:
        return group_sections
    courses = union_of(group_sections.get(g, 0) for g in _NOT_MAINS)
    rest = ((1 << count) - 1) & ~courses
    if courses and rest:
        return {**group_sections, "main": rest}
    return group_sections


def _unnumbered(name: str) -> str:
    """A dish's name without the number it opens with ("80. Chips" is named "Chips"): the
    number is found apart (_numbers), and "the chips" names the whole name."""
    m = _NUMBERED.match(name)
    return name[m.end() - 1 :] if m else name


_GLOSSED = re.compile(r"(.+?)\s*\(([^()]+)\)\s*")


def _gloss_spans(name: str, count: int) -> frozenset[tuple[int, int]]:
    """The name before a closing gloss in parentheses and the gloss, as (offset, length) runs
    of the name's words, when the two make up the whole name; else none."""
    m = _GLOSSED.fullmatch(name)
    if m is None:
        return frozenset()
    before = len([w for w in tokenize(m.group(1)) if not _is_filler(w)])
    inside = len([w for w in tokenize(m.group(2)) if not _is_filler(w)])
    if not before or not inside or before + inside != count:
        return frozenset()
    return frozenset({(0, before), (before, inside)})


def _numbers(items: tuple[MenuItem, ...]) -> dict[str, int]:
    """The dish numbers of a numbered menu (at least three dishes numbered, each number once)."""
    found: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        m = _NUMBERED.match(item.name)
        if m:
            found.setdefault(m.group(1).lower(), []).append(i)
    if len(found) < 3:
        return {}
    return {label: at[0] for label, at in found.items() if len(at) == 1}


def build_index(menu: Menu) -> MenuIndex:
    """Precompute the bitsets and word tables for `menu` (pure function of the menu)."""
    items = tuple(menu.items)
    available = 0
    no_info = 0
    by_code: dict[str, int] = {}
    by_trace: dict[str, int] = {}
    sections: dict[str, int] = {}
    naming: set[str] = set()  # words of names, sections and tags (compounds are split there)
    leading: set[str] = set()  # the first word of each description
    tagged: dict[str, int] = {}
    vocab: dict[str, int] = {}
    key_words: list[frozenset[str]] = []
    name_words: list[frozenset[str]] = []
    name_counts: list[int] = []
    name_lists: list[list[str]] = []
    name_seqs: list[tuple[frozenset[str], ...]] = []
    name_plain: list[tuple[str, ...]] = []
    name_starts: dict[str, list[tuple[int, int]]] = {}
    name_vocab: dict[str, int] = {}
    glosses: list[frozenset[tuple[int, int]]] = []
    for i, item in enumerate(items):
        bit = 1 << i
        if item.available:
            available |= bit
        if not item.allergens_declared:
            no_info |= bit
        for code in item.allergens:
            by_code[code] = by_code.get(code, 0) | bit
        for code in item.may_contain:
            by_trace[code] = by_trace.get(code, 0) | bit
        section = tokenize(item.category)
        # "Små rätter" is also found as the diner writes it, "smårätter"
        joined = (
            ["".join(section)] if len(section) == 2 and all(w.isalpha() for w in section) else []
        )
        for w in (*section, *joined):
            for f in forms(w):
                sections[f] = sections.get(f, 0) | bit
        for tag in item.tags:
            tagged[normalize(tag)] = tagged.get(normalize(tag), 0) | bit
        for w in _text_words(item):
            vocab[w] = vocab.get(w, 0) | bit
        tags = " ".join(t.replace("-", " ") for t in item.tags)
        naming.update(tokenize(f"{item.name} {item.category} {tags}"))
        leading.update(tokenize(item.description)[:1])  # "Glasnudlar med …" says what it is
        names = [w for w in tokenize(_unnumbered(item.name)) if lookup(w) is None or _is_term(w)]
        name_words.append(frozenset(f for w in names for f in forms(w)))
        name_lists.append(list(dict.fromkeys(names)))
        name_counts.append(len(set(names)))
        for w in names:
            for f in forms(w):
                name_vocab[f] = name_vocab.get(f, 0) | bit
        # Key words name a dish: not lexicon keywords and not category/cuisine synonyms, so
        # "Pizza Margherita" is named by "margherita" and "pizza" stays a category word.
        # An item named only by generic words ("Kids Pasta") has no key words: it is found by
        # search, never singled out as "the" dish.
        key_words.append(frozenset(w for w in names if lookup(w) is None and len(w) >= 3))
        plain = tuple(w for w in tokenize(_unnumbered(item.name)) if not _is_filler(w))
        seq = tuple(frozenset(forms(w)) for w in plain)
        name_seqs.append(seq)
        glosses.append(_gloss_spans(_unnumbered(item.name), len(plain)))
        name_plain.append(plain)
        if len(seq) >= 2:
            for offset, word_forms in enumerate(seq[:-1]):
                for f in word_forms:
                    name_starts.setdefault(f, []).append((i, offset))
    typo_words = sorted(vocab)  # typo matching compares with words as written, not stems
    # Every form of every menu word, and the parts of compounds, find the same items.
    # Compounds find their parts ("Laxsoppa" by "lax", "chokladkaka" by "choklad"), except a
    # section word inside a description's compound: "havredryck" is oat milk, not a drink,
    # unless the compound opens the description ("Glasnudlar med grönsaker" are noodles).
    # Swedish writes compounds as one word; English menus are not split ("pancakes" are no cakes).
    compounds = _split_compounds(set(vocab), set(vocab)) if _swedish(menu) else {}
    # (longest first, so a part that is a compound too passes on what it gained:
    # "surkörsbärssoppa" -> "surkörsbär" -> "körsbär", whatever the order of a set)
    for w, parts in sorted(compounds.items(), key=lambda c: (-len(c[0]), c[0])):
        for part in parts:
            if w not in naming and w not in leading and set(forms(part)) & set(sections):
                continue
            vocab[part] = vocab.get(part, 0) | vocab[w]
    named_vocab: dict[str, int] = {}
    titled: dict[str, int] = {}
    for i, item in enumerate(items):
        tags = " ".join(t.replace("-", " ") for t in item.tags)
        # (and the word a description opens with: "Glasnudlar med grönsaker" are noodles)
        title = tokenize(f"{item.name} {item.category} {tags}")
        for n, w in enumerate([*title, *tokenize(item.description)[:1]]):
            for part in (w, *compounds.get(w, ())):
                named_vocab[part] = named_vocab.get(part, 0) | 1 << i
                if part == w or n < len(title):
                    titled[part] = titled.get(part, 0) | 1 << i
    # Items a word names only as a participle in the name ("Grillad forell", "Fried rice"), not
    # in the category, the tags or as a noun: of another section, no dish of the section the
    # word names ("från grillen", match.term_mask).
    as_noun: dict[str, int] = {}
    participles: dict[str, dict[str, int]] = {}  # stem -> name word -> items
    for i, item in enumerate(items):
        name = tokenize(item.name)
        said = [*name, *tokenize(f"{item.category} {' '.join(item.tags)}")]
        for n, w in enumerate(said):
            stems = participle_of(w) if n < len(name) else ()
            for f in forms(w):
                if f in stems:
                    words = participles.setdefault(f, {})
                    words[w] = words.get(w, 0) | 1 << i
                else:
                    as_noun[f] = as_noun.get(f, 0) | 1 << i
    for f, words in participles.items():
        for w in words:
            words[w] &= ~as_noun.get(f, 0)
    for table in (vocab, named_vocab, titled):
        for w in list(table):
            for f in forms(w)[1:]:
                table[f] = table.get(f, 0) | table[w]
    # Section words name no single dish: "Sushi platter" is named by "platter", not "sushi".
    section_words = set(sections)
    key_plain = [[w for w in k if not set(forms(w)) & section_words] for k in key_words]
    # Name words that are neither section words nor filler ("stark" in "Kycklingcurry stark").
    name_specific = [
        tuple(
            frozenset(forms(w))
            for w in plain
            if not set(forms(w)) & section_words
            and ((e := lookup(w)) is None or e.kind in ("term", "diet") or not _is_filler(w))
        )
        for plain in name_lists
    ]
    key_counts = [len(k) for k in key_plain]
    key_words = [frozenset(f for w in k for f in forms(w)) for k in key_plain]
    by_diet: dict[str, int] = {}
    for diet in DIET_TAGS:
        mask = tagged.get(diet, 0)
        if diet == "vegetarian":
            mask |= by_diet["vegan"]  # the one allowed inference, from a vegan tag we trust
        for i in range(len(items)):
            if mask >> i & 1 and items[i].allergens & CONFLICTS.get(diet, frozenset()):
                mask &= ~(1 << i)
        by_diet[diet] = mask
    written = set(typo_words)  # the menu's words as written (plural-s stems), not their stems
    by_group: dict[str, int] = {}
    named_group: dict[str, int] = {}
    english = not _swedish(menu)
    for canon, members in SYN_GROUPS.items():
        if english:
            members = members | SYN_EN.get(canon, frozenset())
        for table, groups in ((vocab, by_group), (named_vocab, named_group)):
            mask = 0
            for w in members:
                if len(w) <= 3 and w not in written:
                    continue  # "pud" calls the dessert group; it is no stem of "pudding" here
                for f in (w,) if w in EXACT else forms(w):
                    if len(f) >= len(w) - 2:  # a stem much shorter than the word finds too much
                        mask |= table.get(f, 0)
            groups[canon] = mask
    # A Yorkshire pudding or a black pudding is no dessert; and the two-word food phrases a
    # diner's word may stand for ("glassen" is "ice cream") find the dishes that say them.
    savoury = 0
    for i, item in enumerate(items):
        for a, b in itertools.pairwise(_text_words(item)):
            if a in SAVOURY_PUDDING and stem(b) == "pudding":
                savoury |= 1 << i
            if (phrase := f"{stem(a)} {stem(b)}") in FOOD_PHRASES:
                vocab[phrase] = vocab.get(phrase, 0) | 1 << i
    for groups in (by_group, named_group):
        if "dessert" in groups:
            groups["dessert"] &= ~savoury
    # "meat" is every meat dish, not only those that say so; never one tagged vegetarian (on
    # a menu with a meat section, that section: match.term_mask)
    meat_section = any(sections.get(f) for w in SYN_GROUPS.get("meat", ()) for f in forms(w))
    if "meat" in by_group and not meat_section:
        meaty = 0
        for w in MEAT_WORDS:
            for f in forms(w):
                if len(f) >= len(w) - 2:
                    meaty |= vocab.get(f, 0)
        veg = sum(1 << i for i, it in enumerate(items) if it.tags & {"vegetarian", "vegan"})
        by_group["meat"] = (by_group["meat"] | meaty) & ~veg
    mixed = 0
    for canon in _MIXED_GROUPS:
        for w in SYN_GROUPS.get(canon, ()):
            for f in forms(w):
                mixed |= sections.get(f, 0)
    vocab_by_len: dict[int, list[str]] = {}
    # Plurals as the menu writes them are typo candidates too ("tibbs" is a typo of "Tibs",
    # whose stem "tib" is too short to compare with); a match stands for the stem.
    written_forms: dict[str, str] = {}
    for item in items:
        for raw in re.findall(r"[^\W\d_]+", normalize(f"{item.name} {item.category}")):
            if raw.endswith("s") and stem(raw) != raw and stem(raw) in vocab:
                written_forms[raw] = stem(raw)
    for w in [*typo_words, *sorted(written_forms)]:
        if not w[:1].isdigit():
            vocab_by_len.setdefault(len(w), []).append(w)
    return MenuIndex(
        numbers=_numbers(items),
        glosses=glosses,
        restaurant=menu.restaurant,
        items=items,
        available=available,
        no_allergen_info=no_info,
        by_code=by_code,
        by_trace=by_trace,
        by_diet=by_diet,
        vocab=vocab,
        by_group=by_group,
        named_vocab=named_vocab,
        participles=participles,
        titled=titled,
        name_parts=[
            frozenset(f for w in plain for part in compounds.get(w, ()) for f in forms(part))
            for plain in name_plain
        ],
        name_diets=[_name_diets(item.name) for item in items],
        named_group=named_group,
        mixed_sections=mixed,
        group_sections=_with_mains(
            {
                canon: mask
                for canon, members in SYN_GROUPS.items()
                if (
                    mask := union_of(
                        sections.get(f, 0)
                        for w in members | SECTION_SYN.get(canon, frozenset())
                        for f in forms(w)
                    )
                )
            },
            len(items),
        ),
        names=name_vocab,
        sections=sections,
        name_seqs=name_seqs,
        name_plain=name_plain,
        name_starts=name_starts,
        key_words=key_words,
        name_words=name_words,
        name_counts=name_counts,
        key_counts=key_counts,
        name_specific=name_specific,
        ids=tuple(item.id for item in items),
        name_tokens=frozenset(
            w for item in items for w in re.findall(r"[^\W\d_]+", normalize(item.name))
        ),
        position={item.id: i for i, item in enumerate(items)},
        _vocab_by_len=vocab_by_len,
        _written=written_forms,
        _long_words=tuple(w for w in typo_words if len(w) >= 7 and w.isalpha()),
    )


_FILLER_KINDS = frozenset({"stop", "join", "or", "frame", "q", "detq", "allq", "priceq"})


def _is_filler(word: str) -> bool:
    """A word a dish's name can do without: function words, cue words."""
    entry = lookup(word)
    if entry is None or entry.kind not in _FILLER_KINDS:
        return False
    return entry.kind != "stop" or word in BASE_STOP


def _is_term(word: str) -> bool:
    entry = lookup(word)
    return entry is not None and entry.kind not in _NOT_KEY_KINDS


# id(menu) -> (a weak reference to it, its index). An entry lives exactly as long as its Menu
# object: whoever keeps menus (the chat's per-process cache of 256 restaurants) decides how many
# indexes stay prepared. A fixed-size cache here (it was 64) dropped the indexes of menus still
# kept upstream, so a worker serving more restaurants rebuilt one on almost every chat.
_CACHE: dict[int, tuple[weakref.ref[Menu], MenuIndex]] = {}


def prepare(menu: Menu) -> MenuIndex:
    """The MenuIndex for this Menu object, built once and kept while the Menu lives.

    Keyed by id() with a weak reference check, because hashing a frozen 300-item menu on every
    call would cost more than answering; equal-but-distinct Menu objects just build their own.
    """
    key = id(menu)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is menu:
        return hit[1]
    index = build_index(menu)
    adopt(menu, index)
    return index


def adopt(menu: Menu, index: MenuIndex) -> None:
    """Use ``index`` for ``menu`` from now on: an index built elsewhere for this very menu (by
    another process, unpickled together with it)."""
    key = id(menu)
    try:
        ref = weakref.ref(menu, lambda dead: _forget(key, dead))
    except TypeError:  # not weak-referenceable: don't cache
        return
    _CACHE[key] = (ref, index)


def _forget(key: int, dead: weakref.ref[Menu]) -> None:
    """A cached Menu was collected: drop its index (unless its id already names a new menu)."""
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is dead:
        _CACHE.pop(key, None)


__all__ = ["MenuIndex", "adopt", "build_index", "prepare"]
