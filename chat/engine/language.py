"""Which language a diner wrote in: English or Swedish, from the words of one short message.

A word-table scorer: short phone messages ("gf desserts", "något kryddstarkt?") carry too few
letters for a character model, and menu words ("pizza", "sushi", "gluten") belong to both
languages, so only words that mark one language count (lexicon.json "ext.lang"), plus the
letters å, ä and ö. The measurement that chose it over lingua-language-detector is in
docs/engine.md.
"""

from __future__ import annotations

import itertools
import re

from .lexicon import (
    ACCENTLESS,
    LANG_SUFFIXES_SV,
    LANG_WORDS,
    LANGUAGE_ASKED,
    LANGUAGE_CUES,
    LANGUAGE_NOT,
    normalize,
)

LANGUAGES = ("en", "sv")
_SV_LETTERS = frozenset("åäö")
_WORDS = re.compile(r"[a-zåäöéü]+")


def detect(message: str, neutral: frozenset[str] = frozenset()) -> str | None:
    """'en' or 'sv' when the message shows its language, None when it does not ("pizza?").
    `neutral` words (the menu's dish names: "Äppelpaj med vaniljsås") show nothing."""
    words = [w for w in _WORDS.findall(normalize(message)) if w not in neutral]
    # (only letters the diner typed: "smørrebrød" is folded to "smörrebröd" to match menus, but
    # its ø shows no Swedish)
    letters = _SV_LETTERS & set(message.lower())
    score = {"en": 0.0, "sv": 0.0}
    for w in words:
        en = w in LANG_WORDS["en"]
        sv = w in LANG_WORDS["sv"] or bool(letters & set(w))
        sv = sv or (not en and ACCENTLESS.get(w, "") in LANG_WORDS["sv"])  # "vad ar", "oppet"
        sv = sv or (len(w) > 6 and w.endswith(LANG_SUFFIXES_SV))
        if en and not sv:
            score["en"] += 1
        elif sv and not en:
            score["sv"] += 1
    if score["en"] == score["sv"]:
        return None
    return "en" if score["en"] > score["sv"] else "sv"


def asked_for(message: str) -> str | None:
    """The language the diner asks to be answered in ("can we switch to english, my friend
    doesnt speak swedish" -> "en": the first one asked), else None. A language's name alone
    asks for nothing ("swedish dishes?" is about the food)."""
    words = _WORDS.findall(normalize(message))
    for n, (before, word) in enumerate(itertools.pairwise(words)):
        # ("my friend doesnt speak swedish" asks for none)
        if before in LANGUAGE_CUES and not (n and words[n - 1] in LANGUAGE_NOT):
            for loc, names in LANGUAGE_ASKED.items():
                if word in names:
                    return loc
    return None


def locale_of(locale: object) -> str | None:
    """'sv', 'sv-SE', 'SV_se' -> 'sv'; 'en', 'en-GB' -> 'en'; anything else -> None."""
    if not isinstance(locale, str):
        return None
    head = locale.lower().replace("_", "-").split("-")[0]
    return head if head in LANGUAGES else None


def reply_language(
    message: str,
    hint: object,
    previous: object,
    restaurant: object,
    neutral: frozenset[str] = frozenset(),
) -> str:
    """SPEC §7: the language the message asks for or is written in, else the request's hint,
    else the conversation's language so far, else the restaurant's locale, else English."""
    return (
        asked_for(message)
        or detect(message, neutral)
        or locale_of(hint)
        or locale_of(previous)
        or locale_of(restaurant)
        or "en"
    )
