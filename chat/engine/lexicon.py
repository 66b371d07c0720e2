"""The shared word tables (lexicon.json) and the text primitives both engine ports must agree on.

Everything here is deliberately simple so the JavaScript port can mirror it line by line:
normalise -> tokenise -> split "Xfree" compounds -> stem -> look up (exact, then fuzzy).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA

_RAW: dict = json.loads(Path(__file__).with_name("lexicon.json").read_text("utf-8"))

ALLERGENS: tuple[str, ...] = tuple(_RAW["allergens"].split())
DIET_TAGS: tuple[str, ...] = tuple(_RAW["diets"].split())

_CODES = ALLERGENS + DIET_TAGS
ALLERGEN_LABELS: dict[str, dict[str, str]] = {}
DIET_LABELS: dict[str, dict[str, str]] = {}
for _loc, _labels in _RAW["labels"].items():
    _pairs = dict(zip(_CODES, _labels.split("|"), strict=True))
    ALLERGEN_LABELS[_loc] = {c: _pairs[c] for c in ALLERGENS}
    DIET_LABELS[_loc] = {c: _pairs[c] for c in DIET_TAGS}

TEMPLATES: dict[str, dict[str, str]] = _RAW["t"]
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
KINDS: tuple[str, ...] = tuple(_RAW["kinds"])

# Numbers (with an optional decimal part), runs of letters, and commas (a list joiner).
_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[^\W\d_]+|,")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
FREE_SUFFIXES: tuple[str, ...] = ("free", "fritt", "fria", "fri")


def normalize(text: str) -> str:
    """NFC, lower case, and drop apostrophes so "can't" becomes "cant"."""
    return _APOSTROPHES.sub("", unicodedata.normalize("NFC", text).lower())


def stem(word: str) -> str:
    """Strip one plural "s" (not "ss") from words longer than 3 chars; applied to both sides."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_number(word: str) -> bool:
    """True for a token produced by the number branch of the tokeniser."""
    return word[:1].isascii() and word[:1].isdigit()


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


def _build() -> tuple[dict[str, Entry], dict[str, Entry], dict[str, frozenset[str]]]:
    """Build word -> Entry for single words and for two-word phrases, plus the "free" table.

    Earlier tables win when a word appears twice: allergen, always, diet, the kinds in file
    order, then synonym groups. The JS port must keep the same order.
    """
    uni: dict[str, Entry] = {}
    codes_of: dict[str, set[str]] = {}
    for code, spec in _RAW["allergen"].items():
        for w in _words(spec):
            codes_of.setdefault(w, set()).add(code)
    table: list[tuple[str, Entry]] = [
        (w, Entry(ALLERGEN, frozenset(c))) for w, c in codes_of.items()
    ]
    for code, spec in _RAW["always"].items():
        table += [(w, Entry(ALWAYS, frozenset([code]))) for w in _words(spec)]
    for diet, spec in _RAW["diet"].items():
        table += [(w, Entry(DIET, diet)) for w in _words(spec)]
    for kind, spec in _RAW["kinds"].items():
        table += [(w, Entry(kind)) for w in _words(spec)]
    for group in _RAW["syn"]:
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
for _group in _RAW["syn"]:
    _members = _words(_group)
    SYN_GROUPS[_members[0]] = frozenset(_members)
# Kinds whose words are worth typo-matching. Stop, cue, fact and greeting words are exact-only:
# fuzzy hits there caused false intents ("here" -> "where" -> address).
FUZZY_KINDS = frozenset(
    {ALLERGEN, ALWAYS, DIET, TERM, "pre", "both", "cheap", "dear", "max", "min"}
)
# Fuzzy candidates: such lexicon words of >= 4 chars, in table order (ties go to the earliest).
_FUZZY_WORDS: tuple[str, ...] = tuple(
    w for w, e in UNIGRAMS.items() if len(w) >= 4 and e.kind in FUZZY_KINDS
)


def tokenize_pairs(text: str) -> list[tuple[str, str]]:
    """(surface word, stemmed word) pairs: normalise, split into word/number tokens, split
    "glutenfree"-style compounds whose head is an allergen word, stem."""
    out: list[tuple[str, str]] = []
    for tok in _TOKEN_RE.findall(normalize(text)):
        if is_number(tok):
            out.append((tok, tok))
            continue
        for suffix in FREE_SUFFIXES:
            head = tok[: -len(suffix)]
            # Only split when the head is an allergen word: "glutenfri" -> gluten + fri.
            if tok.endswith(suffix) and len(head) >= 2:
                entry = UNIGRAMS.get(stem(head))
                if entry is not None and entry.kind == ALLERGEN:
                    out += [(head, stem(head)), (suffix, suffix)]
                    break
        else:
            out.append((tok, stem(tok)))
    return out


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
