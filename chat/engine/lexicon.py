"""The shared word tables (lexicon.json) and the text primitives both engine ports must agree on.

Everything here is deliberately simple so the JavaScript port can mirror it line by line:
normalise -> tokenise -> split "Xfree" compounds -> stem -> look up (exact, then fuzzy).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from rapidfuzz.distance import OSA

_RAW: dict = json.loads(Path(__file__).with_name("lexicon.json").read_text("utf-8"))
# Engine v2 tables (server-only until the widget's local engine follows): merged into the base
# tables below, after them, so a base word keeps its base meaning.
_EXT: dict = _RAW["ext"]

ALLERGENS: tuple[str, ...] = tuple(_RAW["allergens"].split())
DIET_TAGS: tuple[str, ...] = tuple(_RAW["diets"].split())

_CODES = ALLERGENS + DIET_TAGS
ALLERGEN_LABELS: dict[str, dict[str, str]] = {}
DIET_LABELS: dict[str, dict[str, str]] = {}
for _loc, _labels in _RAW["labels"].items():
    _pairs = dict(zip(_CODES, _labels.split("|"), strict=True))
    ALLERGEN_LABELS[_loc] = {c: _pairs[c] for c in ALLERGENS}
    DIET_LABELS[_loc] = {c: _pairs[c] for c in DIET_TAGS}

TEMPLATES: dict[str, dict[str, str]] = {
    loc: {**base, **_EXT["t"].get(loc, {})} for loc, base in _RAW["t"].items()
}
MONEY: dict[str, str] = _RAW["money"]
# Diet tag -> allergen codes that contradict it; an item tagged with the diet but listing one
# of these is treated as NOT satisfying the diet (bad data resolves toward safety).
CONFLICTS: dict[str, frozenset[str]] = {
    d: frozenset(v.split()) for d, v in _RAW["conflict"].items()
}

# Word kinds. Allergen/diet/"always" words carry a payload; the rest are plain kinds.
ALLERGEN = "allergen"  # payload: frozenset of allergen codes
DIET = "diet"  # payload: diet tag
ALWAYS = "always"  # payload: codes that the word always excludes ("coeliac" -> gluten)
TERM = "term"  # payload: synonym-group canonical word (from "syn")
ORD = "ord"  # payload: index into the last list (-1 = the last one)
DAY = "day"  # payload: weekday, 0 = Monday
DATE = "date"  # payload: "MM-DD"
KINDS: tuple[str, ...] = tuple(dict.fromkeys([*_RAW["kinds"], *_EXT["kinds"]]))

# Numbers (with an optional decimal part), runs of letters, and commas (a list joiner).
# ("2nd" is one word, an ordinal of the table, not 2 and "nd")
_TOKEN_RE = re.compile(r"[0-9]+(?:st|nd|rd|th)(?![^\W\d_])|[0-9]+(?:[.,][0-9]+)?|[^\W\d_]+|,")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
FREE_SUFFIXES: tuple[str, ...] = ("free", "fritt", "fria", "fri")
# "nötallergi", "glutenintolerant", "laktosintolerans": an allergen word glued to an allergy word.
ALLERGY_SUFFIXES: tuple[str, ...] = (
    "allergiker",
    "allergisk",
    "allergier",
    "allergin",  # "glöm fiskallergin"
    "allergi",
    "allergy",
    "allergic",
    "intolerant",
    "intolerans",
)
_EMOJI: dict[str, str] = _EXT["emoji"]
_EMOJI_RE = re.compile("|".join(re.escape(e) for e in sorted(_EMOJI, key=len, reverse=True)))


_SHORTHAND = re.compile(r"(?<![^\W\d_])w/o(?![^\W\d_])")


# Letters folded to what a diner without that keyboard types ("tavuk sis" is "Tavuk Şiş",
# "kisir" "Kısır"); å, ä and ö are Swedish letters and stay (Danish ø and æ become ö and ä).
_FOLD = str.maketrans({"ı": "i", "ø": "ö", "æ": "ä", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d"})


def _fold(text: str) -> str:
    out = []
    for ch in text.translate(_FOLD):
        if ch < "\x80" or ch in "åäö":
            out.append(ch)
        else:
            out.append(
                "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            )
    return "".join(out)


def normalize(text: str) -> str:
    """NFC, lower case, foreign accents folded ("jalapeño" -> "jalapeno"), drop apostrophes
    ("can't" -> "cant"), "w/o" -> "without"."""
    text = unicodedata.normalize("NFC", text).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFC", _fold(text))
    text = _APOSTROPHES.sub("", text)
    return _SHORTHAND.sub(" without ", text) if "w/o" in text else text


def emoji_only(text: str) -> str:
    """The words the message's food emoji stand for, and nothing else ("tack 🌱" -> "vegan")."""
    return " ".join(_EMOJI[m.group(0)] for m in _EMOJI_RE.finditer(text))


def _emoji_words(text: str) -> str:
    """Food emoji as the words they stand for ("sushi?? 🍣" -> "sushi?? sushi")."""
    return _EMOJI_RE.sub(lambda m: " " + _EMOJI[m.group(0)] + " ", text)


# A Snowball stemmer keeps the word it works on in itself, so two threads sharing one (gunicorn's
# gthread workers build two menus' indexes at once) corrupt each other's words: one per thread.
_stemmers = threading.local()


def _snowball_stems(word: str) -> list[str]:
    """The English and Swedish Snowball stems of ``word``, with this thread's own stemmers."""
    pair = getattr(_stemmers, "pair", None)
    if pair is None:
        pair = _stemmers.pair = (
            snowballstemmer.stemmer("english"),
            snowballstemmer.stemmer("swedish"),
        )
    return [pair[0].stemWord(word), pair[1].stemWord(word)]


@lru_cache(maxsize=65536)
def forms(word: str) -> tuple[str, ...]:
    """Every form a menu word is matched under: itself, its plural-s stem and its English and
    Swedish Snowball stems ("curries", "currys" and "curry" share "curri"; "pizzor" -> "pizz").
    Two words match when their forms meet; stems shorter than 3 letters are left out."""
    out = [word, stem(word)]
    if word.isalpha() and len(word) > 3:
        out += _snowball_stems(word)
    return tuple(dict.fromkeys(f for f in out if len(f) >= 3 or f == word))


def stem(word: str) -> str:
    """Strip one plural "s" (not "ss") from words longer than 3 chars; applied to both sides."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_number(word: str) -> bool:
    """True for a token produced by the number branch of the tokeniser."""
    return word[:1].isascii() and word[:1].isdigit() and word[-1:].isdigit()


def fuzzy_limit(a: str, b: str) -> int:
    """Allowed edit distance between two words: by the SHORTER length, 0 / 1 / 2."""
    n = min(len(a), len(b))
    if n < 4:
        return 0
    return 1 if n <= 7 else 2


def close(a: str, b: str) -> bool:
    """Fuzzy equality: OSA (restricted Damerau-Levenshtein) distance within fuzzy_limit."""
    if a == b:
        return True
    k = fuzzy_limit(a, b)
    return k > 0 and OSA.distance(a, b, score_cutoff=k) <= k


@dataclass(frozen=True)
class Entry:
    """What a lexicon word means: its kind and an optional payload."""

    kind: str
    payload: object = None


def _words(spec: str) -> list[str]:
    """Split a space-separated word list; "_" joins a two-word phrase. Every word is stemmed."""
    return [" ".join(stem(p) for p in w.split("_")) for w in spec.split()]


def _merged(base: dict[str, str], ext: dict[str, str]) -> dict[str, str]:
    """Base word lists with the v2 words appended, key by key (base keys first)."""
    out = dict(base)
    for key, spec in ext.items():
        out[key] = f"{out[key]} {spec}" if key in out else spec
    return out


def _syn_groups(*more: str) -> list[str]:
    """Synonym groups: the base groups, v2 words (and `more`) merged into the group with the
    same head."""
    groups = list(_RAW["syn"])
    heads = {stem(g.split()[0]): i for i, g in enumerate(groups)}
    for spec in [*_EXT["syn"], *more]:
        head = stem(spec.split()[0])
        if head in heads:
            groups[heads[head]] += " " + spec
        else:
            heads[head] = len(groups)
            groups.append(spec)
    return groups


SYN_SPECS: list[str] = _syn_groups()  # as the widget's panel ships them (widget/bundle.py)
# The server's groups also hold "ext.server.syn": menu words of other languages for the same
# sections ("Dolci" are desserts, "Contorni" sides), which the panel's 16 KB budget leaves out.
_SERVER_SYN: list[str] = _syn_groups(*_EXT["server"]["syn"])


# Rare filler words the server knows and the widget's panel does not ship (its 16 KB budget):
# "ext.server.stop"; after every kinds table, so they never take a word from one.
SERVER_STOP: tuple[str, ...] = tuple(_words(_EXT["server"]["stop"]))
# Question words only the server knows ("hur mycket", "postcode"); the panel does not ship them.
SERVER_KIND_WORDS: frozenset[str] = frozenset(
    w for spec in _EXT["server"]["kinds"].values() for w in _words(spec)
)
SERVER_SYN_WORDS: frozenset[str] = frozenset(
    w for g in _EXT["server"]["syn"] for w in _words(g)
) - {w for g in SYN_SPECS for w in _words(g)}


def _build() -> tuple[dict[str, Entry], dict[str, Entry], dict[str, frozenset[str]]]:
    """Build word -> Entry for single words and for two-word phrases, plus the "free" table.

    Earlier tables win when a word appears twice: allergen, always, diet, the kinds in file
    order (base, then v2), ordinals, days and dates, then synonym groups.
    """
    uni: dict[str, Entry] = {}
    codes_of: dict[str, set[str]] = {}
    for code, spec in _merged(_RAW["allergen"], _EXT["allergen"]).items():
        for w in _words(spec):
            codes_of.setdefault(w, set()).add(code)
    table: list[tuple[str, Entry]] = [
        (w, Entry(ALLERGEN, frozenset(c))) for w, c in codes_of.items()
    ]
    for code, spec in _RAW["always"].items():
        table += [(w, Entry(ALWAYS, frozenset([code]))) for w in _words(spec)]
    for diet, spec in _merged(_RAW["diet"], _EXT["diet"]).items():
        table += [(w, Entry(DIET, diet)) for w in _words(spec)]
    for kind, spec in _RAW["kinds"].items():
        table += [(w, Entry(kind)) for w in _words(spec)]
    for kind, spec in _EXT["kinds"].items():
        table += [(w, Entry(kind)) for w in _words(spec)]
    for kind, spec in _EXT["server"]["kinds"].items():
        table += [(w, Entry(kind)) for w in _words(spec)]
    table += [(w, Entry("stop")) for w in SERVER_STOP]
    for pos, spec in _EXT["ordinals"].items():
        table += [(w, Entry(ORD, int(pos))) for w in _words(spec)]
    for day, spec in _EXT["days"].items():
        table += [(w, Entry(DAY, int(day))) for w in _words(spec)]
    for date, spec in _EXT["holidays"].items():
        table += [(w, Entry(DATE, date)) for w in _words(spec)]
    for group in _SERVER_SYN:
        words = _words(group)
        table += [(w, Entry(TERM, words[0])) for w in words]
    bi: dict[str, Entry] = {}
    for w, e in table:
        target = bi if " " in w else uni
        target.setdefault(w, e)
    free: dict[str, frozenset[str]] = {}
    for diet, spec in _RAW["free"].items():
        for w in _words(spec):
            free[w] = frozenset([diet])
    return uni, bi, free


UNIGRAMS, BIGRAMS, FREE_DIETS = _build()
# Synonym group canonical word -> all member words (stemmed); used to match menu text.
SYN_GROUPS: dict[str, frozenset[str]] = {}
for _group in _SERVER_SYN:
    _members = _words(_group)
    SYN_GROUPS[_members[0]] = frozenset(_members)
# Allergen words that name one kind within their allergen ("salmon" is fish, "cashew" tree nuts):
# searched for, they match menu text only, never every dish with the allergen (match.term_mask).
SPECIFIC: frozenset[str] = frozenset(f for w in _words(_EXT["specific"]) for f in forms(w))
# Synonym-group members on menus that are not Swedish only: a UK "Puddings" section holds the
# desserts, a Swedish "Laxpudding" is a main (index.build_index).
SYN_EN: dict[str, frozenset[str]] = {(ws := _words(g))[0]: frozenset(ws) for g in _EXT["syn_en"]}
# Words that restate an allergy when one follows ("actually only peanuts", "bara jordnötter").
ONLY_WORDS: frozenset[str] = frozenset(_words(_EXT["only"]))
# Price limits that leave the limit out ("under £6" is not £6.00); "max", "up to", "högst" keep it.
STRICT_MAX: frozenset[str] = frozenset(_words(_EXT["strict"]))
# Words that make a booking a phone question ("can I book a table?"), unless what is booked is
# a word the menu and lexicon do not know ("book me an uber").
BOOKING: frozenset[str] = frozenset(_words(_EXT["booking"]))
BOOKED: frozenset[str] = frozenset(_words(_EXT["booked"]))  # what a table booking names
# Words matched as written, never by their Snowball stem: "kryddig" (spicy) shares "krydd" with
# "kryddad" (seasoned).
EXACT: frozenset[str] = frozenset(_words(_EXT["exact"]))
# The same food in English and Swedish ("walnuts" finds the menu's "valnötter"): stem -> the
# other words of its pair (parse._classify widens an allergen word's menu words with them).
PAIRS: dict[str, tuple[str, ...]] = {
    w: tuple(o for o in _words(pair) if o != w) for pair in _EXT["pairs"] for w in _words(pair)
}
# The same food in English and Swedish, on the server only (lexicon.json "ext.server.food"; the
# widget's 16 KB panel leaves it out): a diner's word the menu does not use finds the menu's
# word for it ("pies" the "Västerbottenpaj", "chocolate" the "chokladboll"), and a food word no
# dish has is a search that finds nothing, not a word the engine does not understand ("kaffe?").
FOOD: dict[str, tuple[str, ...]] = {}
for _as_written in (True, False):  # a word's own pair before another's form ("lemon", "lemonad")
    for _group in _EXT["server"]["food"]:
        _ws = _words(_group)
        for _w in _ws:
            # "pannkakorna" via "pannkak"
            for _f in (_w,) if _as_written else [f for f in forms(_w) if len(f) >= 4]:
                FOOD.setdefault(_f, tuple(o for o in _ws if o != _w))
# The two-word phrases of that table ("ice cream"), which the index finds in dishes' text.
FOOD_PHRASES: frozenset[str] = frozenset(w for k, ws in FOOD.items() for w in (k, *ws) if " " in w)
# Words that make a section one of a group's though no dish's text means it so ("Cakes & Sweets"
# holds the desserts; a "sweet potato" in a description stays a potato): section names only.
SECTION_SYN: dict[str, frozenset[str]] = {
    stem(head): frozenset(_words(spec)) for head, spec in _EXT["server"]["sections"].items()
}
# Words that ask of somebody rather than tell of the table ("is it ok for someone with a nut
# allergy?"), and the verbs of "what can I eat?" (intents.py).
HYPOTHETICAL: frozenset[str] = frozenset(_words(_EXT["server"]["hypothetical"]))
# A language the diner asks for ("can we switch to english", "på svenska tack"): its name after
# one of the cues.
LANGUAGE_ASKED: dict[str, frozenset[str]] = {
    loc: frozenset(_words(spec))
    for loc, spec in _EXT["server"]["language_asked"].items()
    if not loc.startswith("_")
}
LANGUAGE_CUES: frozenset[str] = frozenset(_words(_EXT["server"]["language_asked"]["_cues"]))
LANGUAGE_NOT: frozenset[str] = frozenset(_words(_EXT["server"]["language_asked"]["_not"]))
# Words before "pudding" that make it no dessert ("Yorkshire pudding", "black pudding").
SAVOURY_PUDDING: frozenset[str] = frozenset(_words(_EXT["server"]["savoury_pudding"]))
# The meats "meat"/"kött" stands for, one way: "halal meat?" is the lamb, the beef, the chicken
# (but "chicken?" is no beef).
MEAT_WORDS: frozenset[str] = frozenset(_words(_EXT["server"]["meat"]))
# Swedish words an English menu writes with another meaning: "har ni glass?" asks for ice
# cream, not the tea "served in a tulip glass".
FALSE_FRIENDS: frozenset[str] = frozenset(_words(_EXT["server"]["false_friends"]))
# A message of nothing but one of these is a greeting ("👋").
GREETING_EMOJI: frozenset[str] = frozenset(_EXT["server"]["greeting_emoji"].split())
# A message of nothing but one of these is thanks ("👍").
THANKS_EMOJI: frozenset[str] = frozenset(_EXT["server"]["thanks_emoji"].split())
# "no 23", "nr 61", "nummer 82": the dish numbered so on a numbered menu ("23. Sweet & Sour
# Chicken"); a number after one of NOT_DISH_NUMBER is a time, a count or a price ("table for 6").
DISH_NUMBER_CUES: frozenset[str] = frozenset(_words(_EXT["server"]["dish_number"]))
NOT_DISH_NUMBER: frozenset[str] = frozenset(_words(_EXT["server"]["not_dish_number"]))
# Verbs a diner uses after "we"/"jag" that are also menu words ("can we share", "kan jag dricka").
VERBS: frozenset[str] = frozenset(_EXT["server"]["verbs"].split())
# Words before a time of day: "at 11", "kl 22", "vid 22".
AT_CLOCK: frozenset[str] = frozenset(_EXT["server"]["at_clock"].split())
# The same part of a compound dish name in English and Swedish, for naming a dish only ("the
# falafel plate" is the Falafeltallrik; "sharing plates" stays a search for sharing dishes).
NAME_PARTS: dict[str, tuple[str, ...]] = {}
for _group in _EXT["server"]["name_parts"]:
    for _w in _words(_group):
        NAME_PARTS.setdefault(_w, tuple(o for o in _words(_group) if o != _w))
# "när serveras lunch?", "till hur sent serverar ni mat?": when a meal is served (the hours and
# their note).
SERVE_WORDS: frozenset[str] = frozenset(_EXT["server"]["serve"].split())
# "lunch nu?", "are you doing brunch today", "when does the buffet end": a meal (any word with
# one of these in it) beside a time asks when it is served; "whats for lunch today" asks for
# dishes (intents.Turn._meal_time).
MEAL_STEMS: tuple[str, ...] = tuple(_EXT["server"]["meal_stems"].split())
MEAL_WHEN: frozenset[str] = frozenset(_EXT["server"]["meal_when"].split())
DISH_ASK: frozenset[str] = frozenset(_EXT["server"]["dish_ask"].split())
# Drinks with and without alcohol (lexicon.json "ext.server.alcohol"; the words that ask are the
# synonym group "alcohol").
ALCOHOL_TAGS: frozenset[str] = frozenset(_EXT["server"]["alcohol"]["tags"].split())
ALCOHOL_DRINKS: frozenset[str] = frozenset(
    normalize(w) for w in _EXT["server"]["alcohol"]["drinks"].split()
)
# Words for something to drink, not for a dish made with it ("beer-battered", "wine vinegar").
DRINK_WORDS: frozenset[str] = ALCOHOL_DRINKS | {"coffee", "kaffe", "kaffet"}
# (whole words and figures only: "5.0%" is a strength, not "0%", and "40,0 cl" no "0,0")
ALCOHOL_NONE = re.compile(
    r"(?<![\w.,])(?:"
    + "|".join(re.escape(normalize(m)) for m in _EXT["server"]["alcohol"]["none"].split("|"))
    + r")(?!\d)"
)
ALCOHOL_SAID: dict[str, str] = _EXT["server"]["alcohol"]["said"]  # "drinks without alcohol"
# Groups whose Swedish "-fri" compound says "without it", as an allergen's does: "alkoholfritt"
FREE_GROUPS = frozenset({"alcohol"})
# "what time do you close?": today's closing time, not the week
CLOSING: frozenset[str] = frozenset(_EXT["server"]["closing"].split())
# "are you still open?": open now (beside an hours word only: "still vegan?" is no hour)
STILL: frozenset[str] = frozenset(_EXT["server"]["still"].split())
# "the most expensive thing on the menu", "billigast av allt": the whole menu, not the last list
WHOLE_MENU: frozenset[str] = frozenset(_EXT["server"]["whole_menu"].split())
# "kan man komma och äta nu?": coming in (or eating) now asks whether it is open.
COME_WORDS: frozenset[str] = frozenset(_EXT["server"]["come"].split())
# People at the table: "that guest", "den gästen" point at a person, not at the dish in focus.
PERSON_WORDS: frozenset[str] = frozenset(_words(_EXT["server"]["person"]))
# Words that correct what the diner said before ("actually it's celery, not mustard").
CORRECTION_WORDS: frozenset[str] = frozenset(_words(_EXT["correction"]))
EAT_WORDS: frozenset[str] = frozenset(_words(_EXT["server"]["eat"]))
# Endings that keep an allergen in a Swedish compound: "mjölkprodukter" is milk, "vetemjöl"
# gluten, "jordnötssmör" peanuts, "sojasås" soy (parse._allergen_compound).
ALLERGEN_TAILS: frozenset[str] = frozenset(_words(_EXT["server"]["allergen_tails"]))
# Words for "cheap" that ask for no single cheapest dish ("cheap eats under a fiver").
PLAIN_CHEAP: frozenset[str] = frozenset(_words(_EXT["server"]["plain_cheap"]))
# Swedish definite endings, longest first: "laxen" is the lax, "pannacottan" the panna cotta.
DEFINITE_ENDINGS: tuple[str, ...] = tuple(
    sorted(_words(_EXT["server"]["definite"]), key=len, reverse=True)
)


def definite_bases(word: str) -> list[str]:
    """The words a Swedish definite form may be of ("tacosen" -> "tacos", "rätterna" ->
    "rätt"), longest ending first; bases shorter than 3 letters are left out."""
    return [
        word[: -len(e)] for e in DEFINITE_ENDINGS if word.endswith(e) and len(word[len(e) :]) > 2
    ]


# Kinds whose words are worth typo-matching. Stop, cue, fact and greeting words are exact-only:
# fuzzy hits there caused false intents ("here" -> "where" -> address).
FUZZY_KINDS = frozenset(
    {ALLERGEN, ALWAYS, DIET, TERM, DAY, "pre", "both", "cheap", "dear", "max", "min"}
)
# Lexicon words by every form (see `forms`), for diner words whose plural-s stem is not in the
# tables ("curries" -> "curri" <- "curry"). Exact words win; among forms the table order does.
# Only content words are found by their forms: a Snowball stem of a dish word must never turn
# it into a stop word ("migas" -> "mig").
_FORM_KINDS = frozenset({ALLERGEN, DIET, TERM})
_FACT_KINDS = frozenset({"address", "phone", "hours"})  # "adressen", "telefonnumret"
FORM_UNIGRAMS: dict[str, Entry] = {}
for _w, _e in UNIGRAMS.items():
    if _e.kind in _FORM_KINDS:
        for _f in forms(_w)[1:]:
            if len(_f) >= 4 and _f not in UNIGRAMS:
                FORM_UNIGRAMS.setdefault(_f, _e)


# Swedish lexicon words as diners type them without å, ä and ö ("oppet", "nat glutenfritt",
# "vad ar veganskt"): the folded spelling stands for the word when no lexicon word is spelt
# so, two words do not fold alike, and it is no word of its own ("kaka" is a cake, not "käka").
_UNACCENT = str.maketrans("åäö", "aao")
_folded: dict[str, set[str]] = {}
for _w in UNIGRAMS:
    if set(_w) & set("åäö") and _w.translate(_UNACCENT) not in UNIGRAMS:
        _folded.setdefault(_w.translate(_UNACCENT), set()).add(_w)
ACCENTLESS: dict[str, str] = {
    f: next(iter(ws))
    for f, ws in _folded.items()
    if len(ws) == 1 and f not in _EXT["server"]["accentless_not"].split()
}


def lookup(word: str) -> Entry | None:
    """The lexicon entry of a (plural-s stemmed) diner word: exact, then by its other forms."""
    entry = UNIGRAMS.get(word)
    if entry is not None:
        return entry
    for f in forms(word)[1:]:
        if len(f) < 4:
            continue
        entry = UNIGRAMS.get(f)
        if entry is None or entry.kind not in _FORM_KINDS | _FACT_KINDS:
            entry = FORM_UNIGRAMS.get(f)
        if entry is not None:
            return entry
    return None


# Words that show a message's language (language.py), and the pronouns that point at the dish
# in focus ("is it spicy?", "vad kostar den?").
LANG_WORDS: dict[str, frozenset[str]] = {
    loc: frozenset(normalize(w) for w in f"{spec} {_EXT['server'][f'lang_{loc}']}".split())
    for loc, spec in _EXT["lang"].items()
}
# The base tables' stop words: function words ("the", "with", "med"). The v2 stop list also holds
# words that can be part of a dish's name ("Banh Mi Special", "House Salad").
BASE_STOP: frozenset[str] = frozenset(_words(_RAW["kinds"]["stop"]))
# Words that make an allergy a statement about someone at the table ("my son can't have
# eggs"), not a filter on the list in view ("without eggs").
STATEMENT_WORDS: frozenset[str] = frozenset(normalize(w) for w in _EXT["statement"].split())
LANG_SUFFIXES_SV: tuple[str, ...] = tuple(_EXT["lang_suffix_sv"].split())
PRONOUNS: frozenset[str] = frozenset(_words(_EXT["pron"]))
MONTHS: dict[str, int] = {}
for _spec in (_EXT["months"], _EXT["months_sv"]):
    for _n, _m in enumerate(_spec.split(), start=1):
        MONTHS[_m] = _n
        MONTHS.setdefault(_m[:3], _n)
# Fuzzy candidates: such lexicon words of >= 4 chars, in table order (ties go to the earliest).
_FUZZY_WORDS: tuple[str, ...] = tuple(
    w for w, e in UNIGRAMS.items() if len(w) >= 4 and e.kind in FUZZY_KINDS
)


@lru_cache(maxsize=8192)
def tokenize_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """(surface word, stemmed word) pairs: normalise, split into word/number tokens, split
    "glutenfree"-style compounds whose head is an allergen word, stem."""
    out: list[tuple[str, str]] = []
    for tok in _TOKEN_RE.findall(_emoji_words(normalize(text))):
        out += _token_pairs(tok)
    return tuple(out)


_SUFFIXES = ALLERGY_SUFFIXES + FREE_SUFFIXES


@lru_cache(maxsize=65536)
def _token_pairs(tok: str) -> tuple[tuple[str, str], ...]:
    """One token's pairs (menus repeat their words: a menu's index tokenises each once)."""
    if is_number(tok):
        return ((tok, tok),)
    if tok.endswith(_SUFFIXES):
        for suffix in _SUFFIXES:
            head = tok[: -len(suffix)]
            # Only split when the head is an allergen word: "glutenfri" -> gluten + fri.
            if tok.endswith(suffix) and len(head) >= 2:
                entry = lookup(stem(head))
                if (
                    entry is not None
                    and (entry.kind == ALLERGEN or entry.payload in FREE_GROUPS)
                    and stem(tok) not in UNIGRAMS
                ):
                    return ((head, stem(head)), (suffix, suffix))
    return ((tok, stem(tok)),)


def tokenize(text: str) -> list[str]:
    """Stemmed tokens of `text` (see tokenize_pairs)."""
    return [s for _, s in tokenize_pairs(text)]


@lru_cache(maxsize=4096)
def fuzzy_lookup(word: str) -> str | None:
    """The lexicon word closest to `word` within the fuzzy limit (earliest on ties), or None."""
    if len(word) < 4:
        return None
    best: str | None = None
    best_d = 3
    for cand in _FUZZY_WORDS:
        if abs(len(cand) - len(word)) > 2:
            continue
        k = fuzzy_limit(word, cand)
        d = OSA.distance(word, cand, score_cutoff=k)
        if d <= k and d < best_d:
            best, best_d = cand, d
    return best
