"""Turn a diner's message into a Query: the constraints and cue words it contains."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import OSA

from .index import MenuIndex
from .language import detect
from .lexicon import (
    ACCENTLESS,
    ALLERGEN,
    ALLERGEN_TAILS,
    ALLERGENS,
    ALWAYS,
    AT_CLOCK,
    BASE_STOP,
    BIGRAMS,
    DATE,
    DAY,
    DIET,
    DIET_TAGS,
    DISH_NUMBER_CUES,
    FALSE_FRIENDS,
    FOOD,
    FOOD_PHRASES,
    FREE_DIETS,
    MONTHS,
    NOT_DISH_NUMBER,
    ONLY_WORDS,
    ORD,
    PAIRS,
    PERSON_WORDS,
    PLAIN_CHEAP,
    PRONOUNS,
    SPECIFIC,
    STILL,
    STRICT_MAX,
    TERM,
    UNIGRAMS,
    VERBS,
    Entry,
    close,
    definite_bases,
    forms,
    fuzzy_lookup,
    is_number,
    lookup,
    stem,
    tokenize_pairs,
)

NUM = "num"
UNK = "unk"
# Kinds that carry no constraint and are skipped when scoping "without ..." / "... free".
SKIP = frozenset(
    {"stop", "frame", "cur", "allq", "detq", "q", "priceq"}
    | {"forget", "reset", "those", "shift", "now", "today", "tomorrow", "late", "week"}
    | {ORD, DAY, DATE, "month", "dish"}
)
_BOTH = frozenset({"both", "båda", "bägge", "two", "två", "three", "tre"})
_EVEN = frozenset({"even", "ens"})
_PARTNERS = frozenset({"gf", "bf"})  # after "my": girlfriend, boyfriend
_POSSESSIVES = frozenset({"my", "mitt", "min", "mina", "our", "vår", "vårt", "våra"})
# Words skipped when matching a dish's whole name.
NAME_FILLER = frozenset({"stop", "join", "or", "frame", "q", "detq", "allq", "priceq"})
JOIN = frozenset({"join", "or"})
# First words of a question: "is the octopus ok?" asks, "tree nuts are fine" tells.
ASKING = frozenset(
    {"is", "are", "am", "does", "do", "has", "can", "could", "will", "would", "är", "kan", "har"}
    | {"innehåller", "contains"}
)
# Messages longer than this are refused rather than half-read: a half-read message could miss
# a "without nuts" at its end, which would be unsafe.
MAX_TOKENS = 80


@dataclass
class Tok:
    """One classified token."""

    raw: str  # surface form, for replies
    word: str  # stemmed form ("a b" for a two-word phrase)
    kind: str
    payload: object = None  # allergen codes / diet tag / synonym group
    words: frozenset[str] = frozenset()  # menu vocabulary words this token matches


@dataclass
class Query:
    """Everything the engine understood from one message."""

    toks: list[Tok]
    diets: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # allergen codes, ALLERGENS order
    asked: list[str] = field(default_factory=list)  # allergen codes mentioned in any polarity
    # Positive ingredient/category words: groups are ANDed, words inside a group ("pizza or
    # pasta", "pizza, pasta") are ORed.
    terms: list[list[Tok]] = field(default_factory=list)
    neg_terms: list[Tok] = field(default_factory=list)  # excluded non-allergen words
    unknown: list[Tok] = field(default_factory=list)
    max_price: Decimal | None = None
    below: bool = False  # max_price itself is left out ("under 6")
    min_price: Decimal | None = None
    sort: str | None = None  # "cheap" | "dear"
    kinds: set[str] = field(default_factory=set)  # every kind seen
    named: list[int] = field(default_factory=list)  # items whose whole name the message spells
    # items whose names the message spells a part of, two words or more ("the afternoon tea"
    # of three Afternoon Teas): several dishes, or a search (see match.dish_refs)
    partly_named: list[int] = field(default_factory=list)
    excluded_words: list[str] = field(default_factory=list)  # the diner's words for `excluded`
    withdrawn: list[str] = field(default_factory=list)  # codes of a denied allergy
    denied: bool = False  # "actually no allergy", "not allergic": an allergy denied
    allowed: list[str] = field(default_factory=list)  # codes the diner can eat ("fine with sesame")
    # codes right after "only"/"just"/"bara" ("actually only peanuts"): a restated allergy when
    # one stands or this message allows or withdraws one (intents.Turn.respond decides)
    only: list[str] = field(default_factory=list)
    not_diets: list[str] = field(default_factory=list)  # diets negated ("vegetarian not vegan")
    too_long: bool = False
    ordinal: int | None = None  # "the second one" -> 1
    pronoun: bool = False  # "it", "den": the dish in focus
    days: list[int] = field(default_factory=list)  # weekdays named, 0 = Monday
    dates: list[str] = field(default_factory=list)  # "MM-DD" named
    clock: tuple[int, int] | None = None  # a time of day named ("at 11", "kl 22:30", "8pm")
    clock_meridiem: bool = False  # the time said "am" or "pm"

    @property
    def unknown_terms(self) -> list[Tok]:
        """Unknown words that look like things a diner wants (not typos of filler)."""
        return [t for t in self.unknown if len(t.word) >= 3 and t.word.isalpha()]

    def has_filters(self) -> bool:
        """True when the message constrains the item list."""
        return bool(
            self.diets
            or self.excluded
            or self.terms
            or self.neg_terms
            or self.max_price is not None
            or self.min_price is not None
        )


# Money as British diners say it ("anything under a fiver").
_SLANG_AMOUNTS = {"fiver": "5", "tenner": "10"}


_DAY_OF_MONTH = re.compile(r"([1-9]|[12][0-9]|3[01])(st|nd|rd|th)")


def _classify(index: MenuIndex, raw: str, word: str) -> Tok:
    if is_number(word):
        return Tok(raw, word, NUM)
    day = _DAY_OF_MONTH.fullmatch(word) if lookup(word) is None else None  # ("the 2nd one")
    if day is not None:  # "on the 26th": that day of this month or the next
        return Tok(raw, word, DATE, f"00-{int(day.group(1)):02d}")
    if word in _SLANG_AMOUNTS:
        return Tok(raw, _SLANG_AMOUNTS[word], NUM)
    entry = lookup(word)
    if entry is None and word in ACCENTLESS and word not in index.vocab:
        return _classify(index, raw, ACCENTLESS[word])  # "oppet" is "öppet"
    exact = entry is not None
    if entry is None and word not in index.vocab:
        # an allergen compound ("mjölkprodukter", "jordnötssmör"), before the menu words
        # inside it
        entry = _allergen_compound(word) or _allergen_compound(raw.lower())
    if entry is None and word not in index.vocab:
        # a typo of an allergen or diet word ("shelfish", "nutts") is that word, not a menu
        # word inside it ("fish")
        near = fuzzy_lookup(word) or _undoubled(raw)
        hit = UNIGRAMS[near] if near is not None else None
        if hit is not None and hit.kind in (DIET, ALLERGEN, ALWAYS):
            entry = hit
    if entry is None and word not in index.vocab:
        # a typo of a diet or allergen word that the menu's text also uses ("vegitarian" near
        # "vegetarian" in a description) is the diet, not the text
        for near in index.vocab_matches(word):
            hit = lookup(near)
            if hit is not None and hit.kind in (DIET, ALLERGEN, ALWAYS):
                entry = hit
                break
    if entry is None and not index.vocab_matches(word):
        head = _lexicon_head(word)
        if head is not None:  # "lammrätter": a known food word and a filler ending
            entry = lookup(head)
            return Tok(raw, word, entry.kind, entry.payload, index.form_matches(head))  # type: ignore[union-attr]
        near = fuzzy_lookup(word)
        entry = UNIGRAMS[near] if near is not None else None
    if entry is not None:
        words: frozenset[str] = frozenset()
        if entry.kind in (TERM, ALLERGEN):
            # A correctly spelt lexicon word matches menu words by its forms only: "beef" is
            # not a typo of "beer".
            words = index.form_matches(word) if exact else index.vocab_matches(word)
            if entry.kind == ALLERGEN:
                # "torsken", "hummern": the definite form of a food allergen word names the
                # dish its base (and the base's pairs: torsk, cod) names
                bases = () if words or len(word) < 5 else definite_bases(word)
                others = (*PAIRS.get(word, ()), *(w for b in bases for w in (b, *PAIRS.get(b, ()))))
                # ("lobster" of the Humarsúpa "på havskräfta (humar)")
                # (a word for one kind only: "fisk" on an English menu is no "Fish Cakes")
                specific = word in SPECIFIC and not words
                others = (*others, *(FOOD.get(word, ()) if specific else ()))
            else:  # "chips" finds the menu's "pommes" when the menu has no chips
                others = () if words else FOOD.get(word, ())
            for other in others:
                words |= index.form_matches(other)
        return Tok(raw, word, entry.kind, entry.payload, words)
    if word in MONTHS:
        return Tok(raw, word, "month")
    food = next((FOOD[f] for f in forms(word) if f in FOOD), None)  # "pannkakorna" too
    if food is not None:
        # "pies" finds the menu's "paj" (its compounds too); "kaffe?" on a menu without it
        # is a search that finds nothing
        # ("hjortron" the menu's "hjortronsylt", "apple" its "äppelstrudel")
        words = index.form_matches(word) or index.compound_ends(word, 4)
        words = words or index.compound_starts(word)
        for other in () if words else food:
            words |= index.form_matches(other) or (
                index.compound_ends(other) | index.compound_starts(other)
            )
        return Tok(raw, word, TERM, None, words)
    words = index.vocab_matches(word)
    if words and word.isalpha():
        # "grytan" (the stew) is also a menu word ("grytans botten"): the section its base
        # names too ("Khoresh – grytor")
        for base in definite_bases(word) if len(word) >= 6 else ():
            words |= {f for f in index.form_matches(base) if f in index.sections}
    base = None if words else _definite_base(index, word) or _plural_of_known(word)
    if base is not None:  # "laxen", "pannacottan", "nuggetsen", "smörgåsar"
        return _classify(index, raw, base)
    return Tok(raw, word, TERM if words else UNK, None, words)


def _definite_base(index: MenuIndex, word: str) -> str | None:
    """The menu or food word a Swedish definite form is of ("laxen" -> "lax", "tacosen" ->
    "tacos"), else None. Only words of five letters or more, and only bases that are food
    (a menu word, or a food or allergen word of the lexicon): never filler or a negation."""
    if len(word) < 5 or not word.isalpha():
        return None
    for base in definite_bases(word):
        entry = UNIGRAMS.get(base) or lookup(base)
        food = entry is not None and entry.kind in (TERM, ALLERGEN)
        if food or index.form_matches(base) or any(f in FOOD for f in forms(base)):
            return base
        if len(base) >= 5 and index.compound_ends(base, 5):
            return base  # "halvan": the menu's "sesamhalva"
    return None


def _plural_of_known(word: str) -> str | None:
    """The lexicon word a Swedish plural of a word in s is of ("smörgåsar" -> "smörgås",
    which the lexicon holds stemmed as "smörgå"), else None."""
    for f in forms(word)[1:]:
        entry = lookup(f) if len(f) >= 4 and stem(f) != f else None
        if entry is not None and entry.kind in (TERM, ALLERGEN):
            return f
    return None


def _names_a_dish(
    index: MenuIndex, item: int, offset: int, n: int, whole: bool, determined: bool = False
) -> bool:
    """A run of name words names the dish only with a word that is the dish's own: a part
    needs a word no table knows ("fish taco" lacks one: "gluten free" of "Gluten-Free
    Margherita" names no dish); a whole name needs a word that is neither a diet nor a section
    word ("Vegan Pizza" is a search), unless "the" or a definite form says it is the one dish
    ("price of the glutenfri burgare?", "vad kostar den glutenfria burgaren")."""
    words = index.name_plain[item][offset : offset + n]
    if whole:
        # (three words or more spell a name, not a search: "the vegan cream tea")
        return (
            n >= 3
            or determined
            or any(
                (e := lookup(w)) is None
                or (e.kind not in (DIET, "post") and w not in index.sections)
                for w in words
            )
        )
    # (or a filler word that is no function word: "afternoon tea" of a Classic Afternoon Tea)
    return any((e := lookup(w)) is None or (e.kind == "stop" and _content_filler(w)) for w in words)


def _definite_end(said: str, name_word: str) -> bool:
    """Does the diner's last word put the name's last word in Swedish definite form
    ("burgaren" of "burgare", "pizzan" of "pizza")?"""
    return said != name_word and said.startswith(name_word[:-1]) and said.endswith(("n", "t"))


def _content_filler(word: str) -> bool:
    """A filler word that can be a dish's own ("afternoon", "special", "house"), not a
    function word ("with", "med", "från")."""
    return len(word) >= 5 and word not in BASE_STOP


def mark_names(index: MenuIndex, toks: list[Tok], partly: list[int] | None = None) -> list[int]:
    """Find dishes the message names by two or more consecutive words of their name ("is the
    butter chicken nut free?", "the fish taco" for "Baja Fish Taco"), mark those words as the
    dish's, and return the items. Whole names win over parts; longer matches win over shorter
    ones ("chicken tikka masala" over "chicken tikka")."""
    pos = [
        i
        for i, t in enumerate(toks)
        if t.kind not in NAME_FILLER or (t.kind == "stop" and t.word not in BASE_STOP)
    ]
    seen = [frozenset(forms(toks[i].word)) | toks[i].words for i in pos]
    # A comma ends a name: "allergic to eggs, which hoppers" names no Egg Hoppers.
    comma = [
        k > 0 and any(toks[j].raw == "," for j in range(pos[k - 1] + 1, pos[k]))
        for k in range(len(pos))
    ]
    best: dict[int, tuple[int, bool, int, int]] = {}  # item -> (length, whole, start, end)
    for start, words in enumerate(seen):
        p = pos[start]
        if toks[p].kind == "post" and p and toks[p - 1].kind == ALLERGEN:
            continue  # "sesame free bagels?": that "free" is the sesame's, not a name's start
        starts = {p for w in words for p in index.name_starts.get(w, ())}
        near: set[tuple[int, int]] = set()
        word = toks[p].word
        content = toks[p].kind in (TERM, UNK, ALLERGEN)
        if not starts and content and start + 1 < len(seen) and len(word) >= 3:
            # "sag paneer" of the Saag Paneer: a first word one letter off, when the next
            # word goes on with the name (the run below must reach two words)
            for size in (len(word) - 1, len(word), len(word) + 1):
                for f in index.name_starts_by_len.get(size, ()):
                    if OSA.distance(word, f, score_cutoff=1) <= 1:
                        near.update(index.name_starts[f])
        for item, offset in starts | near:
            seq = index.name_seqs[item]
            n = 1 if (item, offset) in near else 0
            while (
                start + n < len(seen)
                and offset + n < len(seq)
                and seq[offset + n] & seen[start + n]
                and not (n and comma[start + n])
            ):
                n += 1
            # (a name before its gloss, or the gloss, is a whole name: "lu rou fan" of "Lu
            # rou fan (braised pork rice)", not of "Mini lu rou fan (kids)")
            whole = n == len(seq) or (offset, n) in index.glosses[item]
            determined = (
                whole
                and n >= 2
                and (
                    (p > 0 and toks[p - 1].raw.lower() in DETERMINERS)
                    or _definite_end(
                        toks[pos[start + n - 1]].raw.lower(), index.name_plain[item][-1]
                    )
                )
            )
            if n >= 2 and _names_a_dish(index, item, offset, n, whole, determined):
                found = (n, whole, start, start + n)
                if item not in best or found[:2] > best[item][:2]:
                    best[item] = found
    multi = {i: b for i, b in best.items() if b[0] >= 2}
    if not multi:
        return []
    top = max((b[0], b[1]) for b in multi.values())
    chosen = sorted(i for i, b in multi.items() if (b[0], b[1]) == top)
    if not top[1] and len(chosen) > 1:
        if partly is not None:
            partly.extend(chosen)
        return []  # "poké bowls" is part of several names: a search, not one dish
    for item in chosen:
        _, _, s, e = multi[item]
        for k in range(s, e):
            toks[pos[k]].kind = "dish"
    return chosen


WH = frozenset({"vilka", "vilken", "vilket", "which", "what", "whats", "vad"})
# "the", and the Swedish "den"/"det" before a name: the one dish (match.after_determiner too)
DETERMINERS = frozenset({"the", "den", "det"})
_QUESTION_KINDS = frozenset({"q", "allq", "detq", "priceq"})
# Kinds that make a number a price, and words after it that make it a count or a time.
_PRICE_KINDS = frozenset({"max", "min", "between", "cur"})
_NUMBER_CUE_KINDS = frozenset({"priceq", "detq", "allq", "q", "shift", "join"})


def _mark_numbers(index: MenuIndex, toks: list[Tok]) -> list[int]:
    """The dishes a numbered menu's diner names by number ("how much is no 23", "is 31 nut
    free", "and 33?", "36?", "K1"): a number after "no"/"nr"/"nummer", a label with a letter,
    or a number in a question about a dish that no price, count or time word claims ("table
    for 6", "under 10", "20 min"). Marks those tokens (and the cue word) as the dish's."""
    if not index.numbers:
        return []
    found = []
    asks = any(t.kind in _NUMBER_CUE_KINDS for t in toks)
    lettered: set[int] = set()  # "k1" is read as "k" and "1"
    for n, t in enumerate(toks):
        if n in lettered:
            continue
        label = t.raw.lower()
        if n + 1 < len(toks) and t.raw.isalpha() and len(t.raw) <= 2 and toks[n + 1].kind == NUM:
            label += toks[n + 1].raw
            if label in index.numbers:
                lettered.add(n + 1)
                toks[n + 1].kind = "dish"
        if label not in index.numbers:
            continue
        before = toks[n - 1] if n else None
        after = (
            toks[n + 1 + (n + 1 in lettered)] if n + 1 + (n + 1 in lettered) < len(toks) else None
        )
        cued = before is not None and before.word in DISH_NUMBER_CUES
        if not cued and t.kind == NUM:
            claimed = (
                before is not None
                and (
                    before.kind in _PRICE_KINDS
                    or before.kind in ("term", "dish")  # "set meal för 2": the name's own
                    or before.word in NOT_DISH_NUMBER
                )
            ) or (
                after is not None
                and (
                    after.kind in ("cur", NUM)
                    or after.word in PERSON_WORDS | NOT_DISH_NUMBER
                    or after.kind == "max"
                )
            )
            alone = all(u is t or u.kind in ("stop", "join", "or", "shift") for u in toks)
            if claimed or not (asks or alone):
                continue
        if cued:
            before.kind = "stop"  # type: ignore[union-attr]
        t.kind = "dish"
        found.append(index.numbers[label])
    return found


_SUBJECTS = frozenset(
    {"i", "we", "she", "he", "they", "you", "u", "jag", "vi", "hon", "han", "de", "dom", "ni", "du"}
)


def _after_subject(toks: list[Tok], n: int) -> bool:
    j = n - 1
    while j >= 0 and toks[j].raw.lower() in ("all", "alla", "both", "båda", "also", "också", "can"):
        j -= 1
    return j >= 0 and toks[j].raw.lower().split()[-1] in _SUBJECTS  # ("kan jag" is one token)


def _joins_sections(index: MenuIndex, toks: list[Tok], i: int, consumed: set[int]) -> bool:
    """Does the "and" at i join two words that name different menu sections ("starters and
    sides")? Read as either: a dish is in one section."""
    if toks[i].raw == "," or not _last_positive(toks, i, consumed):
        return False
    before = next((toks[j] for j in range(i - 1, -1, -1) if toks[j].kind in (ALLERGEN, TERM)), None)
    after = next((toks[j] for j in range(i + 1, len(toks)) if toks[j].kind not in SKIP), None)
    if before is None or after is None or after.kind != TERM:
        return False
    a, b = index.in_section(before), index.in_section(after)
    return bool(a and b and not a & b)


def _undoubled(raw: str) -> str | None:
    """A lexicon word typed with a letter doubled ("nutts", "glutten"), else None."""
    single = stem(re.sub(r"(.)\1+", r"\1", raw.lower()))
    return single if single != stem(raw.lower()) and single in UNIGRAMS else None


def _allergen_compound(word: str) -> Entry | None:
    """The allergen of a compound that starts with an allergen word and ends in a word that
    keeps it ("mjölkprodukter", "vetemjöl", "jordnötssmör"), else None."""
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        entry = lookup(head) or lookup(head.rstrip("s"))
        if entry is not None and entry.kind == ALLERGEN and stem(tail) in ALLERGEN_TAILS:
            return entry
    return None


def _lexicon_head(word: str) -> str | None:
    """The food or diet word a diner's compound starts with when the rest is filler
    ("lammrätter" -> "lamm", "fiskrätter" -> "fisk", "vegorätter" -> "vego"), else None."""
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        entry, rest = lookup(head), lookup(tail) or lookup(stem(tail))
        if (
            entry is not None
            and entry.kind in (TERM, ALLERGEN, DIET)  # "vegorätter" too
            and rest is not None
            and rest.kind in NAME_FILLER
        ):
            return head
    return None


def tokens(index: MenuIndex, message: str) -> list[Tok]:
    """Classify the message's tokens, merging known three- and two-word phrases first
    ("new years eve" before "new years")."""
    pairs = tokenize_pairs(message)
    out: list[Tok] = []
    i = 0
    while i < len(pairs):
        for n in (3, 2):
            if i + n <= len(pairs):
                phrase = " ".join(p[1] for p in pairs[i : i + n])
                entry = BIGRAMS.get(phrase)
                if entry is not None:
                    raw = " ".join(p[0] for p in pairs[i : i + n])
                    out.append(Tok(raw, phrase, entry.kind, entry.payload))
                    i += n
                    break
        else:
            tok = _classify(index, *pairs[i])
            out.extend(_split_compound(index, tok) if _unsure(index, tok) else [tok])
            i += 1
    for a, b in itertools.pairwise(out):
        if a.kind == "hours" and b.kind == TERM and (b.payload == "sandwich" or b.word in _FACED):
            a.kind = "stop"  # "what kinds of open sandwiches": no opening hours
    friends = [t for t in out if t.raw.lower() in FALSE_FRIENDS]
    if friends and index.restaurant.locale == "en" and detect(message) == "sv":
        for t in friends:  # "glass" is ice cream, not the tea "served in a glass"
            said = t.raw.lower()
            t.words = frozenset(
                f
                for w in FOOD[said]
                for f in index.form_matches(w)
                if not set(forms(f)) & set(forms(said))
            )
    return _food_phrases(index, _joined(index, out))


def _food_phrases(index: MenuIndex, toks: list[Tok]) -> list[Tok]:
    """Two words of a food phrase are one food: "ice cream" is the Swedish menu's "glass",
    not cream (lexicon.json "ext.server.food")."""
    out: list[Tok] = []
    for t in toks:
        last = out[-1] if out else None
        phrase = f"{last.word} {t.word}" if last is not None else ""
        # (only where the menu says it otherwise: its own "Coconut Ice Cream" is named so)
        if (
            last is not None
            and phrase in FOOD_PHRASES
            and last.kind in (TERM, UNK)
            and phrase not in index.vocab
        ):
            words: frozenset[str] = frozenset()
            for other in FOOD.get(phrase, ()):
                words |= index.form_matches(other)
            if words:
                out[-1] = Tok(f"{last.raw} {t.raw}", phrase, TERM, None, words)
                continue
        out.append(t)
    return out


def _joined(index: MenuIndex, toks: list[Tok]) -> list[Tok]:
    """Two words a dish's name writes as one are that word ("dan dan mian" is the Dàndàn miàn,
    "biang biang" the Biángbiáng miàn)."""
    out: list[Tok] = []
    for t in toks:
        last = out[-1] if out else None
        if last is not None and last.kind in (TERM, UNK) and t.kind in (TERM, UNK):
            word = last.word + t.word
            if word.isalpha() and word in index.names:
                out[-1] = _classify(index, last.raw + t.raw, word)
                continue
        out.append(t)
    return out


def _food_word(index: MenuIndex, part: str) -> str | None:
    """The part itself or the word its Swedish definite form is of, when it is food: a menu
    word or a food or allergen word of the lexicon ("bowlen" -> "bowl"), else None."""
    for word in (part, *definite_bases(part)):
        entry = UNIGRAMS.get(word) or (lookup(word) if len(word) >= 4 else None)
        if entry is not None and entry.kind in (TERM, ALLERGEN):
            return word
        # (a menu word by a form close to it: "allad" is not the menu's "all")
        if any(len(m) >= max(4, len(word) - 2) for m in index.form_matches(word)):
            return word
        if any(f in FOOD for f in forms(word)):
            return word
    return None


def _unsure(index: MenuIndex, tok: Tok) -> bool:
    """A word neither the menu nor the lexicon knows as written, found (if at all) only by a
    part or a typo match."""
    if tok.kind not in (UNK, TERM) or tok.payload is not None:
        return False
    word = tok.word
    if index.form_matches(word) or any(f in FOOD for f in forms(word)):
        return False
    if any(index.form_matches(base) for base in definite_bases(word)):
        return False  # "räksmörgåsen" is the menu's räksmörgås
    # a typo of a menu word ("cheescake"), or its definite form ("kladdkakan"), is that word
    return not any(close(word, w) or w in definite_bases(word) for w in tok.words)


def _split_compound(index: MenuIndex, tok: Tok) -> list[Tok]:
    """A diner's compound of two food words is those two words ("falafelbowlen" is falafel
    bowl, "kycklingtagine" chicken tagine, "svamptacosen" mushroom tacos), the longest first
    part first; any other word stays as it is."""
    word = tok.word
    if len(word) < 7 or not word.isalpha():
        return [tok]
    raw = tok.raw if len(tok.raw) == len(word) else word
    for i in range(len(word) - 3, 2, -1):
        tail = _food_word(index, word[i:])
        if tail is None:
            continue
        for head_end in (i, i - 1) if word[i - 1] == "s" else (i,):  # "potatis|pommes", "fisk|s"
            # (a Swedish compound drops the head's -a: "räk|curryn", "krabb|klorna")
            head = _food_word(index, word[:head_end]) or _food_word(index, word[:head_end] + "a")
            if head is not None:
                return [_classify(index, raw[:head_end], head), _classify(index, raw[i:], tail)]
    return [tok]


def number(word: str) -> Decimal | None:
    """The value of a number token ("12", "9,50")."""
    try:
        return Decimal(word.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the tokeniser only yields digit strings
        return None


_WHO_HAS = frozenset(
    {"with", "med", "who", "som", "that", "is", "är", "has", "har", "a", "an", "en", "ett"}
)


def _tells_allergy(toks: list[Tok]) -> bool:
    """The words after a person tell an allergy: "with a gluten allergy", "allergic to eggs"."""
    for t in toks[:5]:
        if t.kind == "both":
            return True
        if not (t.raw.lower() in _WHO_HAS or t.kind == ALLERGEN):
            return False
    return False


_SIZES = frozenset({"large", "big", "small", "huge", "stor", "stort", "stora", "liten", "litet"})
_GROUPS = frozenset({"group", "party", "family", "table", "grupp", "sällskap", "familj", "gäng"})
_EAT_TOLD = frozenset({"eat", "äter"})
_I_EAT = frozenset({"i", "jag", "do"})
_CAN = frozenset({"can", "could", "may", "should", "kan", "får", "what", "vad"})

# ("free from sesame", "free of nuts", "fri från gluten"): the word after "free" that makes it a
# "without" before the allergen, as "sesame-free" is after it
FREE_FROM = frozenset({"from", "of", "från"})


def _free_from(toks: list[Tok], i: int) -> bool:
    """(Not after an allergen: "nut free from the tandoor" is nut-free, from the tandoor.)"""
    before = next((t for t in reversed(toks[:i]) if t.kind not in SKIP), None)
    return (
        (before is None or before.kind != ALLERGEN)
        and i + 2 < len(toks)
        and toks[i + 1].raw.lower() in FREE_FROM
        and toks[i + 2].kind in (ALLERGEN, ALWAYS, TERM, UNK)
    )


def _next_number(toks: list[Tok], start: int) -> tuple[Decimal | None, int]:
    """The first number after `start`, skipping stop and currency words."""
    j = start
    while j < len(toks) and toks[j].kind in ("stop", "cur"):
        j += 1
    if j < len(toks) and toks[j].kind == NUM:
        return number(toks[j].word), j
    return None, start


INSIDE = frozenset({"i", "in"})
_FACED = frozenset({"face", "faced"})  # "open-faced"


def _joins(t: Tok) -> bool:
    """A phrase that opens with a list joiner ("and the")."""
    entry = UNIGRAMS.get(t.word.split()[0])
    return entry is not None and entry.kind in JOIN


WITH = frozenset({"with", "med"})


def _without_closing_it(toks: list[Tok]) -> list[Tok]:
    """The tokens without a closing "in it" after "with" ("anything with ube in it": the "it"
    points at no dish)."""
    if (
        len(toks) > 3
        and toks[-1].word in PRONOUNS
        and toks[-2].word in INSIDE
        and any(t.word in WITH for t in toks[:-3])
    ):
        return toks[:-2]
    return toks


def _number_before(toks: list[Tok], end: int) -> Decimal | None:
    """The number just before `end`, skipping "or" and currency words ("15 quid or", "150
    max")."""
    j = end - 1
    while j >= 0 and toks[j].kind in ("or", "cur"):
        j -= 1
    return number(toks[j].word) if j >= 0 and toks[j].kind == NUM else None


def _last_positive(toks: list[Tok], i: int, consumed: set[int]) -> bool:
    """True if the nearest non-skipped token before `i` is a positive term."""
    j = i - 1
    while j >= 0 and toks[j].kind in SKIP:
        j -= 1
    return j >= 0 and j not in consumed and toks[j].kind in (ALLERGEN, TERM)


def _clock(toks: list[Tok]) -> tuple[int, int] | None:
    """The time of day a message names: a number after "at"/"kl"/"vid", or before "pm"/"am"
    ("at 11", "kl 22.30", "vid 22", "8pm", "at 7:30")."""
    for n, t in enumerate(toks):
        if t.kind != NUM:
            continue
        before = toks[n - 1].raw.lower() if n else ""
        after = toks[n + 1].raw.lower() if n + 1 < len(toks) else ""
        if before not in AT_CLOCK and after not in ("pm", "am"):
            continue
        if n + 1 < len(toks) and toks[n + 1].kind == "cur":
            continue  # "anything at 15 pounds": a price
        hour, _, minute = t.raw.replace(",", ".").partition(".")
        if not hour.isdigit() or (minute and not minute.isdigit()):
            continue
        h, m = int(hour), int(minute or 0)
        if not minute and after.isdigit() and len(after) == 2:
            m = int(after)  # "at 7:30" is read as 7 and 30
        if after == "pm" and h < 12:
            h += 12
        if 0 <= h <= 23 and 0 <= m < 60:
            return h, m
    return None


def _read_refs(q: Query, pairs: tuple[tuple[str, str], ...]) -> None:
    """Ordinals, pronouns, weekdays and dates: words that point at something outside the
    message (the last list, the dish in focus, a day on the restaurant's calendar)."""
    for t in q.toks:
        if t.kind == ORD and q.ordinal is None:
            q.ordinal = int(t.payload)  # type: ignore[arg-type]
        elif t.kind == DAY:
            q.days.append(int(t.payload))  # type: ignore[arg-type]
        elif t.kind == DATE:
            q.dates.append(str(t.payload))
    q.clock = _clock(q.toks)
    q.clock_meridiem = any(t.raw.lower() in ("am", "pm") for t in q.toks)
    words = [w for _, w in pairs]
    # (a word of a phrase points at nothing: "finns det" is "is there")
    # (nor one after a noun: "drinks that r df"; nor one before a person: "for that guest")
    q.pronoun = any(
        t.word in PRONOUNS
        and not (t.word == "that" and n and q.toks[n - 1].kind == TERM)
        and not (n + 1 < len(q.toks) and q.toks[n + 1].word in PERSON_WORDS)
        for n, t in enumerate(q.toks)
    ) or any(
        # "är de glutenfria?", "innehåller dom nötter?": they, the dishes just talked about
        t.raw.lower() in ("de", "dom") and n and q.toks[n - 1].kind in ("q", "allq")
        for n, t in enumerate(q.toks)
    )
    for i, w in enumerate(words):
        month = MONTHS.get(w)
        if month is None:
            continue
        for j in (i - 1, i + 1):
            near = words[j] if 0 <= j < len(words) else ""
            day = _DAY_OF_MONTH.fullmatch(near)  # "dec 26th": no longer any month's 26th
            if day is not None:
                q.dates = [d for d in q.dates if d != f"00-{int(day.group(1)):02d}"]
                near = day.group(1)
            if near.isdigit() and 1 <= int(near) <= 31:
                q.dates.append(f"{month:02d}-{int(near):02d}")
                break


def parse(index: MenuIndex, message: str, *, names: bool = True) -> Query:
    """Parse `message` against the menu's vocabulary into a Query; with `names`, words that
    spell out a dish's name are read as that dish (see mark_names) rather than as filters."""
    pairs = tokenize_pairs(message)
    toks = _without_closing_it(tokens(index, message))
    for t in toks:
        # "we're 3 adults and a kid with a fish allergy", "två familjer": people, not a dish
        if t.kind == UNK and t.word in PERSON_WORDS:
            t.kind = "stop"
    for n in range(1, len(toks)):
        # "my kids are allergic to eggs", "mitt barn": a person, not the kids' menu
        if toks[n - 1].word in _POSSESSIVES | _BOTH and toks[n].payload == "kid":
            toks[n].kind = "stop"  # ("any dessert for both kids")
        # "we have a kid with a gluten allergy", "ett barn som är allergiskt mot ägg": a person
        if toks[n].payload == "kid" and _tells_allergy(toks[n + 1 :]):
            toks[n].kind = "stop"
        # "inte ens filterkaffet?", "not even the mackerel?": a question about it, no "not"
        if toks[n - 1].kind == "pre" and toks[n].raw.lower() in _EVEN:
            toks[n - 1].kind, toks[n].kind = "stop", "q"
        # "vilka förrätter kan vi dela", "what starters can we all share": a verb, not a word
        # of the menu ("sharing", "drinks")
        # (alone, "what can i drink?" asks for the drinks)
        if (
            toks[n].raw.lower() in VERBS
            and _after_subject(toks, n)
            and any(u.kind == TERM and u is not toks[n] for u in toks)
        ):
            toks[n].kind = "stop"
        # "see you in 10 min", "om 20 min": minutes, not a minimum price
        if (
            toks[n].kind == "min"
            and toks[n].raw.lower() == "min"
            and toks[n - 1].kind == NUM
            and not (n + 1 < len(toks) and toks[n + 1].kind in (NUM, "cur"))
        ):
            toks[n].kind = "stop"
        # "går den bra?" (is it ok?) asks of the dish in focus
        if toks[n - 1].raw.lower() == "går" and toks[n].raw.lower() in ("den", "det", "dom", "de"):
            toks[n - 1].kind = "q"
        # "my gf is vegetarian": a girlfriend, not gluten-free; "for my gran": a person
        if toks[n - 1].word in _POSSESSIVES and (
            toks[n].raw.lower() in _PARTNERS
            or (toks[n].word in PERSON_WORDS and toks[n].kind in (TERM, UNK))
        ):
            toks[n].kind = "stop"
        # "och den andra mot nötter" (and the other child is allergic to nuts): "mot" before an
        # allergen tells an allergy, and "den andra" is a person then, not the second dish
        if (
            toks[n - 1].raw.lower() == "mot"
            and toks[n].kind == ALLERGEN
            and not any(t.kind == "both" for t in toks)
        ):
            toks[n - 1].kind = "both"
            for t in toks[: n - 1]:
                if t.kind == ORD and t.raw.lower() in ("andra", "andre"):
                    t.kind = "stop"
        # "actually im vegetarian not vegan, i eat dairy": what the diner eats, told beside a
        # diet, is allowed (not "what can i eat", nor "i eat … with a fish allergy")
        if (
            toks[n].raw.lower() in _EAT_TOLD
            and toks[n - 1].raw.lower() in _I_EAT
            and (n < 2 or toks[n - 2].raw.lower() not in _CAN)
            and n + 1 < len(toks)
            and toks[n + 1].kind in (ALLERGEN, TERM)  # (not "i eat gluten free")
            and not any(t.kind in ("both", "post", "q", "allq", "priceq", "detq") for t in toks)
            # (beside a diet told or forgotten; "i eat fish" alone asks for the fish)
            and any(t.kind in (DIET, "forget") for t in toks)
        ):
            toks[n].kind = "okeat"
        # "we are a large group", "ett stort sällskap": people, not the Large plates
        if toks[n].raw.lower() in _GROUPS and toks[n - 1].raw.lower() in _SIZES:
            toks[n - 1].kind = "stop"
        # "the least spicy chicken", "minst stark": not spicy ("minst 200" stays a price)
        if toks[n - 1].raw.lower() in ("least", "minst") and toks[n].kind == TERM:
            toks[n - 1].kind = "pre"
        # "non alcoholic", "non-dairy": without it ("non" alone is the Uzbek bread)
        if toks[n - 1].raw.lower() == "non" and (
            toks[n].payload == "alcohol" or toks[n].kind == ALLERGEN
        ):
            toks[n - 1].kind = "pre"
        # "afternoon tea" of the Afternoon Teas: a filler word a dish's name opens with, before
        # the name's next word, is the name's
        if _content_filler(toks[n - 1].word) and toks[n - 1].kind == "stop":
            said = frozenset(forms(toks[n].word)) | toks[n].words
            if any(
                offset + 1 < len(index.name_seqs[item]) and index.name_seqs[item][offset + 1] & said
                for f in forms(toks[n - 1].word)
                for item, offset in index.name_starts.get(f, ())
            ):
                toks[n - 1].kind = TERM
                toks[n - 1].words = index.form_matches(toks[n - 1].word)
        # "sunday roast options": the Sunday Roast section's name, not the day
        if toks[n - 1].kind == DAY and index.in_section(toks[n]):
            day = {f for f in forms(toks[n - 1].word) if f in index.vocab}
            if any(index.sections.get(f, 0) & index.in_section(toks[n]) for f in day):
                toks[n - 1].kind, toks[n - 1].words = TERM, frozenset(day)
    if any(t.kind == "hours" for t in toks):
        for t in toks:
            if t.raw.lower() in STILL:
                t.kind = "now"  # "r u still open?"
    q = Query(toks=toks)
    if names and len(toks) <= MAX_TOKENS:
        numbered = _mark_numbers(index, toks)
        q.named = sorted({*numbered, *mark_names(index, toks, q.partly_named)})
    else:
        q.named = []
    if len(toks) > MAX_TOKENS:
        q.too_long = True
        return q
    q.kinds = {t.kind for t in toks}
    _read_refs(q, pairs)
    diets: set[str] = set()
    excluded: set[str] = set()
    asked: set[str] = set()
    consumed: set[int] = set()
    as_diet: set[int] = set()  # allergen words read as a diet ("gluten free")

    def exclude(i: int) -> None:
        t = toks[i]
        consumed.add(i)
        if t.kind in (ALLERGEN, ALWAYS):
            excluded.update(t.payload)  # type: ignore[arg-type]
            q.excluded_words.append(t.raw)
        elif t.kind in (TERM, UNK):
            q.neg_terms.append(t)

    def apply_back(i: int, free: bool) -> bool:
        """ "nut and egg free" / "shellfish allergy": apply to the words before the trigger."""
        applied = False
        j = i - 1
        want_content = True
        # "nut, egg and dairy free" lists allergens; "grilled stuff, dairy free" does not
        # make the grilled dishes "free"
        targets_after_comma = False
        while j >= 0:
            t = toks[j]
            if t.kind in SKIP:
                j -= 1
                continue
            # "free" also applies to plain words ("sugar free"); "allergy"/"allergic" only
            # to allergen words, so "pizza, i'm allergic to celery" keeps pizza positive.
            targets = (ALLERGEN, TERM, UNK) if free and not targets_after_comma else (ALLERGEN,)
            if want_content and j in allowed_at and not (free or targets_after_comma):
                # "he's fine with eggs – it's nuts he can't have": a "no" after the words wins
                allowed_at.discard(j)
                consumed.discard(j)
                q.allowed[:] = [c for c in q.allowed if c not in t.payload]  # type: ignore[operator]
            if want_content and j not in consumed and t.kind in targets:
                if free and t.kind == ALLERGEN and t.word in FREE_DIETS:
                    diets.update(FREE_DIETS[t.word])  # "gluten free" asks for the tag
                    consumed.add(j)
                    as_diet.add(j)
                else:
                    exclude(j)
                applied = True
                want_content = False
            elif not want_content and t.kind in JOIN:
                want_content = True
                if t.word == ",":
                    targets_after_comma = True
            else:
                break
            j -= 1
        return applied

    # None | "open" | "after" | "joined" | "gap" (a list joiner, then another word: "can't eat eggs
    # or milk, any starters?" — only allergen words continue the exclusion list after the gap).
    # Two more scopes: "allow" ("i can eat dairy", "jag tål mjölk": no constraint) and "deny"
    # ("my son isn't allergic to shellfish": withdrawn, see Query.withdrawn).
    scope: str | None = None
    held_allergen = False  # an allergen read in the "allow"/"deny" scope
    denied_cue: set[int] = set()
    only_at: dict[int, frozenset[str]] = {}  # allergen words after "only"/"meant" -> codes
    allowed_at: set[int] = set()  # allergen words read as allowed ("fine with sesame")
    for i, t in enumerate(toks):
        k = t.kind
        if i in denied_cue:
            continue
        if t.word in ONLY_WORDS:
            nxt = next((j for j in range(i + 1, len(toks)) if toks[j].kind not in SKIP), None)
            if nxt is not None and toks[nxt].kind in (ALLERGEN, ALWAYS):
                scope = "only"  # "just peanuts", "bara jordnötter"
                continue
        if scope in ("open", "joined", "gap") and t.raw.lower() in WH:
            scope = None  # "hon kommer inte. vilka sides nu": a new question
        if k in SKIP:
            if scope == "joined":
                scope = "gap"
            elif scope == "gap" and k in _QUESTION_KINDS:
                scope = None  # "allergic to shellfish, is the fish soup ok?": a new clause
            elif scope == "after" and k == "shift" and _joins(t):
                scope = "joined"  # "allergic to milk and the other to eggs"
            continue
        if scope in ("allow", "deny") and t.word == ",":
            scope = None  # "i'm not allergic to anything, just vegetarian"
            continue
        if scope in ("allow", "deny") and k in (TERM, UNK) and held_allergen:
            scope, held_allergen = None, False  # "hon tål lite mjölk ändå, vilka desserter …"
        if scope in ("allow", "deny") and k in (ALLERGEN, ALWAYS, TERM, UNK):
            held_allergen = held_allergen or k in (ALLERGEN, ALWAYS)
            consumed.add(i)
            if k in (ALLERGEN, ALWAYS):
                into = q.withdrawn if scope == "deny" else q.allowed
                into.extend(c for c in t.payload if c not in into)  # type: ignore[union-attr]
                if scope == "allow":
                    allowed_at.add(i)
            continue
        if scope == "only" and k in (ALLERGEN, ALWAYS):
            only_at[i] = t.payload  # type: ignore[assignment]
            continue
        if scope == "only" and k in JOIN:
            continue
        if k == "but":
            scope = None
            continue
        if k == "okeat":
            scope, held_allergen = "allow", False
            continue
        if k == "fine":  # "tree nuts are fine": the words before it are allowed, not asked
            j = i - 1
            while j >= 0 and (toks[j].kind in SKIP or toks[j].kind in JOIN):
                j -= 1
            before = j
            asking = bool(toks) and toks[0].raw in ASKING  # "is the octopus ok?"
            while j >= 0 and toks[j].kind in (ALLERGEN, *JOIN) and j not in consumed:
                if toks[j].kind in JOIN and j - 1 in only_at:
                    break  # "i meant tree nuts, peanuts are fine": the restatement ends there
                if toks[j].kind == ALLERGEN and not asking:
                    q.allowed.extend(c for c in toks[j].payload if c not in q.allowed)  # type: ignore[union-attr]
                    only_at.pop(j, None)
                consumed.add(j)
                j -= 1
            # "she's fine with sesame": nothing before it, so the words after "with" are allowed
            with_next = i + 1 < len(toks) and toks[i + 1].raw in ("with", "med")
            scope = "allow" if j == before and with_next else None
            continue
        if k == ALWAYS:
            exclude(i)
            continue
        if k == "post" and _free_from(toks, i):
            scope = "open"  # "desserts free from sesame", "fria från nötter": a "without"
            continue
        if k in ("post", "both"):
            applied = apply_back(i, free=k == "post")
            scope = "open" if k == "both" and not applied else None
        elif k == "pre":
            nxt = next((j for j in range(i + 1, len(toks)) if toks[j].kind not in SKIP), None)
            if nxt is not None and toks[nxt].kind == "both":
                denied_cue.add(nxt)  # "isn't allergic to", "inte allergisk mot"
                scope, held_allergen = "deny", False
                q.denied = True
                continue
            if nxt is not None and toks[nxt].kind == "okeat":
                denied_cue.add(nxt)  # "som inte tål nötter", "can't eat": still a "no"
                nxt = next((j for j in range(nxt + 1, len(toks)) if toks[j].kind not in SKIP), None)
            if (nxt is None or toks[nxt].word == ",") and apply_back(i, free=False):
                scope = None  # "det är mjölk hon inte tål", "dairy she can't have"
            else:
                scope = "open"
        elif k in JOIN:
            if scope == "after":
                # "no nuts or eggs" continues the list; after a comma only allergen words do
                # ("no shellfish, poke bowls?" asks for poke bowls).
                scope = "gap" if t.word == "," else "joined"
        elif k in (ALLERGEN, TERM, UNK):
            if scope in ("open", "joined") or (scope == "gap" and k == ALLERGEN):
                exclude(i)
                scope = "after"
            else:
                scope = None
        else:
            if k == DIET and scope in ("open", "joined"):
                consumed.add(i)  # "not vegan": drop the diet rather than guess
                q.not_diets.append(str(t.payload))
            scope = None

    for codes in only_at.values():
        q.only.extend(c for c in codes if c not in q.only)
    or_pending = False  # an "or" joiner seen right after a positive term
    sort_word = ""
    for i, t in enumerate(toks):
        if t.kind == ALLERGEN and i not in as_diet:
            asked.update(t.payload)  # type: ignore[arg-type]
        if (
            t.kind not in SKIP
            and t.kind != "or"
            and not (t.kind in (ALLERGEN, TERM) and i not in consumed)
        ):
            or_pending = False
        if i in consumed:
            continue
        if t.kind == DIET:
            diets.add(str(t.payload))
        elif t.kind in (ALLERGEN, TERM):
            if or_pending and q.terms:
                q.terms[-1].append(t)
            else:
                q.terms.append([t])
            or_pending = False
        elif t.kind == "or" and q.terms and _last_positive(toks, i, consumed):
            or_pending = True
        elif t.kind == "join" and q.terms and _joins_sections(index, toks, i, consumed):
            or_pending = True  # "förrätter och tillbehör": either section, no dish is both
        elif t.kind == UNK:
            q.unknown.append(t)
        elif t.kind in ("cheap", "dear") and q.sort is None:
            q.sort = t.kind
            sort_word = t.word
        elif t.kind in ("max", "min"):
            value, _ = _next_number(toks, i + 1)
            below = t.word in STRICT_MAX
            if value is None:  # "15 quid or less", "100 kr eller mer": the number before
                value, below = _number_before(toks, i), False
            if value is not None:
                if t.kind == "max":
                    q.max_price = value
                    q.below = below
                else:
                    q.min_price = value
        elif t.kind == "between":
            low, j = _next_number(toks, i + 1)
            if low is not None and j + 1 < len(toks) and toks[j + 1].kind == "join":
                high, _ = _next_number(toks, j + 2)
                if high is not None:
                    q.min_price, q.max_price = min(low, high), max(low, high)
    if q.sort == "cheap" and q.max_price is not None and sort_word in PLAIN_CHEAP:
        q.sort = None  # "cheap eats under a fiver": all of them, not the cheapest one
    q.diets = [d for d in DIET_TAGS if d in diets]
    q.excluded = [c for c in ALLERGENS if c in excluded]
    q.asked = [c for c in ALLERGENS if c in asked | excluded]
    return q
