"""Evaluate a Query against a MenuIndex: filtered item sets and dish references."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .index import MenuIndex, participle_of
from .lexicon import (
    ALLERGEN,
    DIET,
    DRINK_WORDS,
    FOOD,
    FREE_DIETS,
    NAME_PARTS,
    PAIRS,
    SPECIFIC,
    SYN_GROUPS,
    definite_bases,
    forms,
    stem,
    tokenize,
)
from .parse import ASKING, DETERMINERS, NUM, WITH, Query, Tok


def bits(mask: int) -> list[int]:
    """Indices of set bits, ascending (= menu order)."""
    out: list[int] = []
    while mask:
        low = mask & -mask
        i = low.bit_length() - 1
        out.append(i)
        mask ^= low
    return out


def term_mask(index: MenuIndex, t: Tok, *, with_it: bool = False) -> int:
    """Items a positive/negative word refers to: menu text matches plus its synonym group.

    An allergen word used positively ("with peanuts") matches menu text first; only when the
    text has no match does it fall back to items containing any of its allergen codes, and
    never for a word that names one kind ("salmon?" is not every fish dish).
    """
    if t.payload == "alcohol":
        return index.alcoholic  # ("non-alcoholic" in a description is no alcohol)
    mask = index.items_for_words(t.words)
    # ("fiskrätter" on a Swedish menu whose dishes are tagged "fish": the tag's word too)
    tagged = 0
    for w in (*t.words, t.word):
        for other in (*PAIRS.get(w, ()), *FOOD.get(w, ())):
            tagged |= index.tagged.get(other, 0)
    mask |= tagged
    if t.kind == ALLERGEN:
        if not mask and not (t.word in SPECIFIC or set(forms(t.raw.lower())) & SPECIFIC):
            for code in t.payload:  # type: ignore[union-attr]
                mask |= index.by_code.get(code, 0)
    else:
        named = tagged
        for w in t.words:
            named |= index.named_vocab.get(w, 0)
        if t.payload is not None:
            # (and the sections the group names: "smårätter" is the section "Small plates")
            mask |= index.by_group.get(str(t.payload), 0) | index.group_sections.get(
                str(t.payload), 0
            )
            named |= index.named_group.get(str(t.payload), 0)
            # ("förrätter" on a menu with Förrätter and Smårätter: the section the word names,
            # not the others of its group, unless a dish's name says the word)
            own = 0
            for w in t.words:
                for f in forms(w):
                    own |= index.sections.get(f, 0)
            if own:
                by_name = 0
                for w in t.words:
                    by_name |= index.names.get(w, 0)
                others = index.group_sections.get(str(t.payload), 0) & ~own & ~by_name
                mask &= ~others
                named &= ~others
        # "salads?" is the Salads section and dishes named so, not every dish "served with
        # salad"; a word that names no section still finds descriptions ("anything with lamb")
        section = index.in_section(t)
        if named & section:
            if not participle_of(t.raw.lower()):
                # ("från grillen", "from the grill": not the Grillad forell of the kitchen's
                # dishes; "grilled fish?" is any dish named grilled)
                for f in t.words:
                    for w, m in index.participles.get(f, {}).items():
                        if w not in t.words:
                            named &= ~(m & ~section)
            mask &= named | index.mixed_sections
    # "wine?", "beer", "något att dricka": the drinks, not the chicken in red wine vinegar, the
    # beer-battered fish or the kids' meal "with a drink"
    # ("anything with whisky in it", `with_it`: the dishes made with it)
    drink = t.payload == "drink" or set(forms(t.word)) & DRINK_WORDS
    if mask & index.drinkable and drink and not with_it:
        mask &= index.drinkable
        # ("beer?" is the Red Stripe, not the Ginger Beer)
        if t.payload != "drink" and not set(forms(t.word)) & _SOFT_WORDS:
            mask &= ~index.soft_namesakes
    return mask


@dataclass
class Selection:
    """Result of filtering: the matching items and how many were left out, per reason, only
    because they may contain traces of an excluded allergen or lack declared information."""

    mask: int
    traces: int = 0
    undeclared: int = 0
    trace_codes: tuple[str, ...] = ()

    @property
    def hidden(self) -> int:
        return self.traces + self.undeclared


# Diet tags that are also a promise about one allergen: a dish tagged gluten-free that "may
# contain gluten" is not listed for "gf options?" (a coeliac asks so), and is flagged with its
# traces when it is asked about.
DIET_TRACES = {"gluten-free": "gluten", "dairy-free": "milk"}


def select(
    index: MenuIndex,
    q: Query,
    *,
    diets: list[str],
    excluded: list[str],
    within: int | None = None,
    sold_out: bool = False,
) -> Selection:
    """Apply `diets`, `excluded` and the words and prices of `q`; unavailable items never
    survive (with `sold_out`, only they do: "octopus?" when the pulpo is sold out). `within`
    limits the result to a bitset (the last list, for "which of those")."""
    pool = ((1 << len(index.items)) - 1) & ~index.available if sold_out else index.available
    mask = pool if within is None else pool & within
    # (the words right after "with": what a dish is made with)
    with_it = {id(b) for a, b in itertools.pairwise(q.toks) if a.word in WITH}
    for group in q.terms:
        alternatives = 0
        for t in group:
            alternatives |= term_mask(index, t, with_it=id(t) in with_it)
        mask &= alternatives
    for t in q.neg_terms:
        mask &= ~term_mask(index, t)
        if t.payload == "alcohol":
            # "vad har ni för alkoholfritt?": to drink; "alcohol-free beer" is no beer-battered
            # fish
            mask &= index.drinkable
    if q.unknown_terms and not q.terms:
        mask = 0  # the only thing asked for is a word on nobody's menu: nothing fits it
    if q.max_price is not None or q.min_price is not None:
        for i in bits(mask):
            price = index.items[i].price
            if (
                q.max_price is not None
                and (price > q.max_price or (q.below and price == q.max_price))
            ) or (q.min_price is not None and price < q.min_price):
                mask &= ~(1 << i)
    for diet in diets:
        mask &= index.by_diet.get(diet, 0)
    for code in excluded:
        mask &= ~index.by_code.get(code, 0)
    trace_codes = [*excluded, *(DIET_TRACES[d] for d in diets if d in DIET_TRACES)]
    traced = 0
    for code in trace_codes:
        traced |= index.by_trace.get(code, 0)
    traced &= mask
    mask &= ~traced
    undeclared = 0
    if excluded:
        # Undeclared information cannot vouch for "without X".
        undeclared = mask & index.no_allergen_info
        mask &= ~undeclared
    codes = tuple(c for c in dict.fromkeys(trace_codes) if traced & index.by_trace.get(c, 0))
    return Selection(mask, traced.bit_count(), undeclared.bit_count(), codes)


def conflicts_of(
    index: MenuIndex, i: int, *, diets: list[str], codes: list[str]
) -> tuple[str, ...]:
    """What keeps item `i` from fitting: allergen codes it contains, may contain or cannot
    vouch for (undeclared), then diet tags it is not (validly) tagged with."""
    item = index.items[i]
    out = [
        c
        for c in codes
        if c in item.allergens or c in item.may_contain or not item.allergens_declared
    ]
    for diet in diets:
        # (a gluten-free tag with "may contain gluten" does not vouch for the diet either, as
        # select leaves such a dish out of gluten-free lists)
        if not index.by_diet.get(diet, 0) >> i & 1 or DIET_TRACES.get(diet) in item.may_contain:
            out.append(diet)
    return tuple(out)


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
    via: int | None = None  # a lexicon word used as the dish's name ("the yoghurt")
    exact: bool = True  # nothing distinctive in the dishes' names was left unsaid
    key_forms: frozenset[str] = frozenset()  # the menu words that matched key name words
    naming: tuple[Tok, ...] = ()  # the tokens that spelled a compound name ("fish curry")


def dish_refs(index: MenuIndex, q: Query, *, follow: bool = False) -> DishRefs:
    """Find dishes named in the message.

    Score every item by (message words matching its key name words, message words matching
    any of its name words); the referenced dishes are all items with the best score, provided
    a key word matched. Key words exclude lexicon and section words, so "pizza" alone names no
    dish. When some of them are named in full ("chicken tikka" beside "Chicken Tikka
    Masala"), the exact names win.
    """
    if q.named:
        rest = [t for t in q.toks if t.kind not in ("stop", "join", "or", "dish")]
        return DishRefs(list(q.named), not rest)
    keys: dict[int, int] = {}
    full: dict[int, int] = {}
    key_forms: set[str] = set()
    # Only words that can be part of a name count: "fri" in "nötfri" names no "Fried Calamari".
    # (nor the allergen a diner excludes: "allergic to eggs, which hoppers" is no Egg Hoppers)
    content = [
        t
        for t in q.toks
        if t.kind in (ALLERGEN, "term", "unk")
        and not (t.kind == ALLERGEN and t.raw in q.excluded_words)
    ]
    for t in content:
        words = t.words or (frozenset([t.word]) if t.word in index.vocab else frozenset())
        said = words | group_forms(t)  # ("chicken kyiv": Kyckling Kyiv, not Mini-Kyiv)
        keying = words | _translations(t)
        hit = 0
        for w in said:
            hit |= index.names.get(w, 0)
        for i in bits(hit):
            # An allergen word names the allergen, not a dish: "räkor" is not "Räk nigiri".
            # (a word the menu does not say names the dish its translation or spelling heads:
            # "the hummus" of the Humus, "the calamari" of the Kalamar Tava)
            keyed = keying & index.key_words[i]
            if t.kind != ALLERGEN and keyed:
                keys[i] = keys.get(i, 0) + 1
                key_forms |= keyed
            if said & index.name_words[i]:
                full[i] = full.get(i, 0) + 1
    said_diets = {a.payload for a, b in itertools.pairwise(q.toks) if a.kind == DIET and b.words}
    # ("the gluten free injera" of Injera and Glutenfri injera)
    for a, b, c in zip(q.toks, q.toks[1:], q.toks[2:], strict=False):
        if a.kind == ALLERGEN and b.kind == "post" and c.words:
            said_diets |= FREE_DIETS.get(a.word, frozenset())
    if not keys:
        whole = _whole_section_name(index, q, content)
        if whole is not None:
            return whole
        found = _by_parts(index, q, content) or _by_determiner(index, q, follow=follow)
        opened = (
            q.toks[0].raw.lower() in ASKING
            and q.toks[1:2] != []
            and (q.toks[1].raw.lower() in DETERMINERS)
        )
        if not (found and found.items) and q.partly_named and opened:
            # "does the afternoon tea have fish?": the Afternoon Teas ("the gf afternoon tea":
            # the one whose name says the diet)
            items = [i for i in q.partly_named if said_diets & index.name_diets[i]]
            return DishRefs(items or list(q.partly_named), False, exact=len(items) == 1)
        return found
    best = max((keys[i], full.get(i, 0)) for i in keys)
    items = sorted(i for i in keys if (keys[i], full.get(i, 0)) == best)
    # "the khubz" of Khubz Tannour and Hummus & Khubz: the dish it heads, not the one it comes
    # with ("the chips" of Chips and Fish & Chips)
    if len(items) > 1:
        heads = [i for i in items if key_forms & _first_forms(index.items[i].name)]
        tails = [i for i in items if key_forms & _tail_forms(index.items[i].name)]
        if heads and set(heads) | set(tails) == set(items):
            items = heads
    # "price of 5 cevapi" beside Ćevapi 5 st and Ćevapi 10 st: the one whose name says it
    numbers = {t.raw for t in q.toks if t.kind == NUM}
    if len(items) > 1 and numbers:
        items = [i for i in items if numbers & set(index.name_plain[i])] or items
    # "the vegan köfte" beside İnegöl Köfte and Vegansk Köfte: the dish whose name says the
    # diet the diner said
    if len(items) > 1 and said_diets:
        items = [i for i in items if said_diets & index.name_diets[i]] or items
    # ("the gf bun" says all of the Gluten-Free Bun's name: that dish)
    by_diet = bool(said_diets) and all(said_diets & index.name_diets[i] for i in items)
    # The dishes with no distinctive name word left unsaid: "margherita" is the Pizza
    # Margherita (and a Gluten-Free Margherita), not the Pizza Margherita Bufala.
    said = [t.words | {t.word} for t in content]

    def unsaid(i: int) -> tuple[int, int]:
        other = sum(1 for w in index.name_specific[i] if not any(w & s for s in said))
        return index.key_counts[i] - keys[i], other

    exact = False
    winners = [i for i in items if unsaid(i) == (0, 0)]
    if winners:
        whole = [i for i in winners if full.get(i, 0) >= index.name_counts[i]]
        winners = whole or winners  # "falafel" is the Falafel, not also the Falafel Wrap
        # The others drop out when they are variants of a winner (its name and more words:
        # Pizza Margherita Bufala, Lasagne vegetariana); siblings stay ("köttbullarna" is
        # both the Köttbullar med gräddsås and the Köttbullar för barn).
        words = index.name_plain
        others = [
            i
            for i in items
            if i not in winners and not any(set(words[w]) <= set(words[i]) for w in winners)
        ]
        items = sorted(winners + others)
        exact = not others
    # else: "shawarma" of a Shawarma Plate and a Shawarma Wrap: both, or a search
    name_words = index.words_of_names(items)
    # "Only names" ignores stop words but not cue/frame words: "do you have X" is a search.
    rest = [t for t in q.toks if t.kind not in ("stop", "join", "or")]
    only = all(bool((t.words or {t.word}) & name_words) for t in rest)
    return DishRefs(items, only, exact=exact or by_diet, key_forms=frozenset(key_forms))


_SOFT_WORDS = frozenset({"ginger", "root", "ingefära", "ingefärs", "ingefärsöl"})

# What a dish comes with, in its name: "Hummus & Khubz", "Pie and Mash", "Lax med dillsås".
_WITH = re.compile(r"\s(?:&|\+|and|n|with|w/|med|och)\s", re.IGNORECASE)


def _first_forms(name: str) -> set[str]:
    """The forms of a dish name's first word ("khubz" of Khubz Tannour)."""
    return {f for w in tokenize(name)[:1] for f in forms(w)}


def _tail_forms(name: str) -> set[str]:
    """The forms of the words of what a dish comes with ("khubz" of Hummus & Khubz)."""
    parts = _WITH.split(name, maxsplit=1)
    return {f for w in tokenize(parts[1]) for f in forms(w)} if len(parts) > 1 else set()


def _whole_section_name(index: MenuIndex, q: Query, content: list[Tok]) -> DishRefs | None:
    """ "how much is the lahmacun" of the Lahmacun in "Pide & Lahmacun": a one-word name that
    is a section's word too names its one dish when the message asks something of it."""
    if len(content) != 1 or q.sort is not None:
        return None
    n = q.toks.index(content[0])
    if not ("priceq" in q.kinds or after_determiner(q.toks, n)):
        return None  # ("what mezze can i have" asks for the mezze, not the Mezze)
    # (as written: "the brunchtallrikar" is the section of the Brunchtallrik and its kind)
    said = {content[0].raw.lower(), content[0].word}
    found = sorted({i for w in said for i in index.one_word_names.get(w, ())})
    if len(found) != 1:
        return None
    return DishRefs(found, False, exact=True, key_forms=frozenset(index.name_words[found[0]]))


def _translations(t: Tok) -> set[str]:
    """The forms of a food word's translations and spellings ("hummus": humus, houmous)."""
    return {f for w in FOOD.get(t.word, ()) for f in forms(w)}


def group_forms(t: Tok) -> frozenset[str]:
    """The forms of the words of a lexicon word's synonym group ("chicken": kyckling …)."""
    if t.kind != "term" or t.payload is None:
        return frozenset()
    return frozenset(f for w in SYN_GROUPS.get(str(t.payload), ()) for f in forms(w))


def _by_parts(index: MenuIndex, q: Query, content: list[Tok]) -> DishRefs | None:
    """ "the hummus sandwich" is the Hummussmörgås, "the fish curry" the Fiskcurry: two or more
    of the diner's words, each a part of one dish's compound name (or its synonym or
    translation: sandwich/smörgås, fish/fisk), name that dish. An allergen word may also be
    what is asked ("does the hummus sandwich have sesame?"), never one the diner excludes."""
    words = [t for t in content if t.raw not in q.excluded_words]
    if len(words) < 2 or not any(index.name_parts):
        return None
    said = [
        t.words
        | set(forms(t.word))
        | group_forms(t)
        | {f for w in FOOD.get(t.word, ()) for f in forms(w)}
        | {f for w in NAME_PARTS.get(t.word, ()) for f in forms(w)}
        for t in words
    ]
    hits = []
    for i, parts in enumerate(index.name_parts):
        # (or a word a compound of the name starts or ends with: "tomato broth" is the
        # Tomatbuljong, "seaweed salad" the Sjögrässallad)
        named = [
            bool(s & (parts | index.name_words[i]))
            or any(
                len(f) >= 4 and len(n) > len(f) and (n.startswith(f) or n.endswith(f))
                for n in index.name_plain[i]
                for f in s
            )
            for s in said
        ]
        if (
            parts
            and sum(named) >= 2
            and all(n or t.kind == ALLERGEN for n, t in zip(named, words, strict=True))
        ):
            naming: list[Tok] = []
            for n, t in zip(named, words, strict=True):  # a word said twice: the second asks
                if n and not any(t.word == o.word for o in naming):
                    naming.append(t)
            hits.append((i, tuple(naming)))
    if len(hits) != 1:
        return None
    return DishRefs([hits[0][0]], False, naming=hits[0][1])


def after_determiner(toks: list[Tok], n: int) -> bool:
    """Does token n follow "the", "den", "det" (or a phrase ending so: "and the")? Not "finns
    det" ("is there"), whose "det" points at nothing."""
    before = toks[n - 1] if n else None
    return before is not None and before.kind != "frame" and before.word.split()[-1] in DETERMINERS


def definite_form(t: Tok) -> bool:
    """A Swedish definite form of a word the token reads ("risotton" of "risotto")."""
    raw = t.raw.lower()
    group = SYN_GROUPS.get(str(t.payload), frozenset()) if t.kind == "term" else frozenset()
    if group and stem(raw) not in group:
        # "hamburgaren" of the burger group's "hamburgare" (a plural, "efterrätterna", is the
        # section)
        return not raw.endswith("na") and any(stem(b) in group for b in definite_bases(raw))
    if t.payload is not None or raw in t.words:
        return False  # a lexicon word ("starkt"), or the menu's own word ("gluten")
    return any(b == t.word or b in t.words for b in definite_bases(raw))


def _by_determiner(
    index: MenuIndex, q: Query, strong: bool = False, *, follow: bool = False
) -> DishRefs:
    """ "Does the yoghurt have hazelnuts?": a lexicon word after "the" that starts exactly one
    dish's name, in a message that asks about something else too, names that dish."""
    allergen_words = [t for t in q.toks if t.kind == ALLERGEN]
    for n, t in enumerate(q.toks[1:], start=1):
        # "the yoghurt", or a question's first word: "innehåller calamari skaldjur?"
        # (an allergen word names the dish only beside another that is asked)
        opening = (
            n == 1
            and (q.toks[0].kind in ("allq", "q") or q.toks[0].raw.lower() in ASKING)
            and (len(allergen_words) >= 2 or t.kind == "term")
        )
        after_the = after_determiner(q.toks, n)  # "the", "and the"
        after_the = after_the or definite_form(t)  # "risotton" is "the risotto"
        if t.kind == DIET and after_the:
            # "is the vegana soy free?": a diet word that is one dish's name ("22. Vegana")
            said = {t.raw.lower(), t.word}
            hits = [i for i, plain in enumerate(index.name_plain) if plain and said & set(plain)]
            if len(hits) == 1 and len(index.name_plain[hits[0]]) == 1:
                return DishRefs(hits, False, via=n)
            continue
        if not (after_the or opening) or t.kind not in (ALLERGEN, "term"):
            continue
        words = t.words | set(forms(t.word))
        if t.kind == "term":
            # "is the soup gluten free?": a word in exactly one dish's name, no section's
            # ("and the salad?" right after an allergen answer asks the same of the one salad)
            again = follow and "shift" in q.kinds
            if words & set(index.sections) and not again:
                continue
            asks = q.kinds & {"allq", "fine"} or (definite_form(t) and "q" in q.kinds)
            # ("is the curry hot?": a question opened to the dish, of a property)
            asks = asks or (n == 2 and q.toks[0].raw.lower() in ASKING and len(q.terms) > 1)
            if not (q.asked or q.diets or asks or again):
                continue  # ("is the pasta ok?" asks whether it fits what the diner said)
            mask = 0
            for w in words | group_forms(t):  # ("is the chicken halal?": the Kycklingfilé)
                mask |= index.names.get(w, 0)
            for w in () if mask else {e for v in words for e in index.compound_ends(v, 4)}:
                mask |= index.names.get(w, 0)  # "the risotto" is the Sparrisrisotto
            # exactly one dish, or one named by this word alone ("are the fries gluten free?":
            # Fries, not Sweet Potato Fries)
            alone = [i for i in bits(mask) if len(index.name_plain[i]) == 1]
            # ("finns det sesam i hamburgaren?" beside Ostburgare and Baconburgare, each a
            # name of one word: the one spelt so)
            said = words | {f for b in definite_bases(t.raw.lower()) for f in forms(b)}
            spelt = [i for i in alone if said & set(index.name_seqs[i][0])]
            alone = spelt if len(alone) > 1 and len(spelt) == 1 else alone
            if mask and (mask & (mask - 1) == 0 or len(alone) == 1):
                return DishRefs(alone if mask & (mask - 1) else bits(mask), False, via=n)
            continue
        # "is the calamari ok?", "what about the scampi?": asked of the dish, not the allergen
        about = bool(q.kinds & {"fine", "shift"})
        asks = q.kinds & {"allq", "q", "detq", "priceq"}  # ("how much r the oysters")
        if len(allergen_words) < 2 and not (strong or about or asks):
            continue
        words = t.words | set(forms(t.word))
        hits = {i for w in words for i, pos in index.name_starts.get(w, ()) if pos == 0}
        hits |= {i for i, seq in enumerate(index.name_seqs) if len(seq) == 1 and seq[0] & words}
        asks_of = after_the and (len(allergen_words) >= 2 or q.kinds & {"detq", "priceq"})
        if not hits and (opening or about or asks_of):
            # ("does the salmon have milk?", "tell me about the scallop": the one dish with
            # that word in its name)
            hits = {i for w in words for i in bits(index.names.get(w, 0))}
        if len(hits) == 1:
            return DishRefs(sorted(hits), False, via=n)
    return DishRefs([], False)
