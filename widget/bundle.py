"""Build the widget's two files from ``widget/src`` with no Node.js (SPEC §8, docs/widget.md).

- **The loader** (``widget/src/loader.js``), served at ``/widget.js`` to every page view: it reads
  its script tag, mounts the button and loads the panel on first interaction or when the browser
  is idle. Budget: 4 KB gzipped.
- **The panel** (``widget/src/panel/*.js``, concatenated in file-name order): the chat UI, the
  local engine and the word tables it reads (a projection of ``chat/engine/lexicon.json``, the one
  source both engine ports read: only the parts the local engine uses), inlined where the sources
  say ``__LEXICON__``. Its file name carries a hash of its bytes (``widget-panel.<hash>.js``), it
  is served under STATIC_URL and cached forever. Budget: 16 KB gzipped.

Each file is wrapped in one function scope, minified with tdewolff/minify (scope-aware, renames
local names, never properties) and gzipped once with Zopfli (standard gzip, a few per cent smaller
than zlib). The build is memoised per process; with ``DEBUG`` on it is redone when a source
changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import minify
import zopfli.gzip
from django.conf import settings

import chat.engine
from chat.engine.conversation import MAX_QUERY
from chat.engine.lexicon import FUZZY_KINDS, SYN_SPECS, _merged, stem
from chat.engine.parse import MAX_TOKENS
from chat.engine.replies import MAX_LISTED

SOURCE_DIR = Path(__file__).with_name("src")
LOADER_SOURCE = SOURCE_DIR / "loader.js"
PANEL_DIR = SOURCE_DIR / "panel"
LEXICON_PATH = Path(chat.engine.__file__).with_name("lexicon.json")
PANEL_PREFIX = "widget-panel."
# The panel's name under STATIC_URL: 16 hex digits, so it never looks like a manifest hash (12).
PANEL_NAME = re.compile(r"widget-panel\.[0-9a-f]{16}\.js")
# Budgets (SPEC §8), asserted on the served bytes by tests/widget.
LOADER_BUDGET = 4 * 1024
PANEL_BUDGET = 16 * 1024

# Reply templates the local engine uses, in both reply languages; the rest (opening hours against
# the clock, "any cheaper?", unknown words named) belong to what the local engine leaves to the
# server (docs/widget.md, "The local engine").
LOCAL_TEMPLATES = frozenset(
    {"greet", "thanks", "help", "unknown", "found", "all", "none", "more", "max", "min"}
    | {"without", "and", "or", "hours", "address", "phone", "nofact", "remind", "sug"}
    | {"cheap", "dear", "everything", "traces_1", "traces_n", "undeclared_1", "undeclared_n"}
    | {"gone", "is", "isnot", "maycontain", "contains", "hasnot", "undeclared", "allergens"}
    | {"undeclared_all", "allfree", "conflict", "marked", "prop_yes", "prop_no"}
)
# From the v2 templates (lexicon.json "ext.t"): the line that names standing constraints.
EXT_TEMPLATES = frozenset({"standing", "forgot", "forgot_all"})
PROJECTION_ORDER = (  # the order changes nothing but the gzipped size (measured)
    "syn",
    "conflict",
    "diet",
    "diets",
    "allergen",
    "lang",
    "always",
    "kinds",
    "statement",
    "only",
    "correction",
    "ordinals",
    "pron",
    "t",
    "money",
    "free",
    "kinds_v2",
    "labels",
    "limits",
)
# The v2 word tables (lexicon.json "ext") the local engine reads: merged into the base tables
# here, once, as lexicon.py merges them (the panel ships no "ext").
EXT_TABLES = ("allergen", "diet", "kinds", "syn", "ordinals", "pron")


@dataclass(frozen=True)
class Bundle:
    """One built file: minified bytes, their gzip, and a checksum ETag for each."""

    raw: bytes
    gzipped: bytes
    etag: str
    gzip_etag: str


@dataclass(frozen=True)
class Widget:
    """Both files: the loader names the panel it loads."""

    loader: Bundle
    panel: Bundle
    panel_name: str


def _inputs() -> list[Path]:
    return [LOADER_SOURCE, *sorted(PANEL_DIR.glob("*.js")), LEXICON_PATH]


def language_words(ext: dict) -> dict[str, str]:
    """``ext.lang`` for language.py's ``detect``, minus the Swedish words it recognises anyway
    (any word with å, ä or ö, and words over 6 letters with a Swedish suffix): the same answers,
    fewer bytes."""
    suffixes = tuple(ext.get("lang_suffix_sv", "").split())

    def derivable(word: str) -> bool:
        return bool(set("åäö") & set(word)) or (len(word) > 6 and word.endswith(suffixes))

    words = dict(ext.get("lang", {}))
    words["sv"] = " ".join(w for w in words.get("sv", "").split() if not derivable(w))
    return {**words, "suffix_sv": " ".join(suffixes)}


def _key(word: str) -> str:
    """A table word as lexicon.py's ``_words`` reads it: "_" joins a phrase, each part stemmed."""
    return " ".join(stem(part) for part in word.split("_"))


def _unique(spec: str, seen: set[str]) -> str:
    """``spec`` without the words whose lookup key is in ``seen`` (adding the rest to it)."""
    kept = []
    for word in spec.split():
        if _key(word) not in seen:
            seen.add(_key(word))
            kept.append(word)
    return " ".join(kept)


def merged_word_tables(lexicon: dict) -> dict:
    """The word tables as lexicon.py's ``_build`` reads them, merged once: v2 words appended to
    the base list of the same key (``_merged``), synonym groups as ``SYN_SPECS``, and every word
    that can never win left out: earlier tables win (allergen, always, diet, then the kinds), so a
    kinds word already in one of them, or listed twice, is dead weight. Allergen and diet words
    are only deduplicated within their own code (an allergen word collects every code)."""
    ext = lexicon["ext"]
    allergen = {
        c: _unique(spec, set()) for c, spec in _merged(lexicon["allergen"], ext["allergen"]).items()
    }
    diet = {d: _unique(spec, set()) for d, spec in _merged(lexicon["diet"], ext["diet"]).items()}
    earlier = (allergen, lexicon["always"], diet)
    seen = {_key(w) for table in earlier for spec in table.values() for w in spec.split()}
    # Each kinds word keeps the kind it has in lexicon.py (base kinds first, then the v2 kinds, in
    # file order: "dem" is a v2 "those" word before it is a v2 "stop" word), then the lists merge.
    # The v2 words of typo-matched kinds stay apart and come after all the kinds ("kinds_v2"):
    # fuzzy ties go to the earliest word, so their place in the table order is behaviour.
    base = {k: _unique(spec, seen) for k, spec in lexicon["kinds"].items()}
    v2 = {k: _unique(spec, seen) for k, spec in ext["kinds"].items()}
    kinds = _merged(base, {k: spec for k, spec in v2.items() if k not in FUZZY_KINDS})
    # Weekdays and holidays ask the hours offline: the panel answers with the restaurant's
    # opening hours as written (it does not read them against the clock; docs/widget.md).
    said = seen | {_key(w) for spec in kinds.values() for w in spec.split()}
    days = [*ext["days"].values(), *ext["holidays"].values()]
    kinds["hours"] += " " + " ".join(
        w for spec in days for w in spec.split() if _key(w) not in said
    )
    return {
        "allergen": allergen,
        "diet": diet,
        # Within a kind that is not typo-matched the order means nothing: sorted, it gzips better.
        "kinds": {
            k: " ".join(spec.split() if k in FUZZY_KINDS else sorted(spec.split()))
            for k, spec in kinds.items()
            if spec.strip()
        },
        "kinds_v2": {k: spec for k, spec in v2.items() if k in FUZZY_KINDS and spec},
        "syn": [_unique(group, set()) for group in SYN_SPECS],
        "ordinals": ext["ordinals"],
        "pron": ext["pron"],
        "statement": ext["statement"],
    }


# ext.lang's and ext.statement's words that a word table already holds are marked there
# instead of listed twice: list (a key of the projection, "lang.en" a key of its "lang") -> mark.
MARKS = {"en": "+", "sv": "*", "statement": "!", "only": "^", "correction": "~"}
# (marks whose list is a key of the projection itself)
_OWN_LISTS = ("statement", "only", "correction")
_MARKED_TABLES = ("allergen", "diet", "kinds", "kinds_v2")


def _strip_marks(word: str) -> str:
    return word.rstrip("".join(MARKS.values()))


def mark_language_words(local: dict) -> None:
    """Move each ``lang`` (and ``statement``) word that a word table holds (as written, not a
    phrase) into that table as a mark on its first occurrence ("the+" English, "och*" Swedish,
    "my!" a statement word): the panel reads the marks, so the same words count, carried once."""
    for name, mark in MARKS.items():
        table, key = (local, name) if name in _OWN_LISTS else (local["lang"], name)
        kept = (w for w in table[key].split() if not _mark_first(local, w, mark))
        table[key] = " ".join(sorted(kept))  # sets of words: sorted, they gzip better


def _mark_first(local: dict, word: str, mark: str) -> bool:
    specs = [(table, key) for table in _MARKED_TABLES for key in local[table]]
    specs += [("syn", n) for n in range(len(local["syn"]))]
    for table, key in specs:
        parts = local[table][key].split()
        for n, part in enumerate(parts):
            if _strip_marks(part) == word:
                parts[n] += mark
                local[table][key] = " ".join(parts)
                return True
    return False


def language_words_of(local: dict) -> dict[str, set[str]]:
    """The words that mark each language (and a statement) in the projection: its ``lang`` lists
    (``statement``) and the marks."""
    out = {n: set((local if n in _OWN_LISTS else local["lang"])[n].split()) for n in MARKS}
    tables = [*(s for t in _MARKED_TABLES for s in local[t].values()), *local["syn"]]
    for part in " ".join(tables).split():
        for loc, mark in MARKS.items():
            if mark in part:
                out[loc].add(_strip_marks(part))
    return out


def local_lexicon() -> dict:
    """The part of ``chat/engine/lexicon.json`` the panel inlines: every v1 word table, the
    LOCAL_TEMPLATES and EXT_TEMPLATES in both languages, the v2 word tables in EXT_TABLES and the
    language-marking words of ``ext.lang`` (a
    projection of the one source, never a copy to edit)."""
    lexicon = json.loads(LEXICON_PATH.read_text("utf-8"))
    ext = lexicon.get("ext", {})
    # The templates as lexicon.py merges them: the v2 ones ("ext.t") replace the base ones.
    lexicon["t"] = {
        loc: {
            key: text
            for key, text in {**templates, **ext.get("t", {}).get(loc, {})}.items()
            if key in LOCAL_TEMPLATES | EXT_TEMPLATES
        }
        for loc, templates in lexicon["t"].items()
    }
    lexicon["lang"] = language_words(ext)
    lexicon.update(merged_word_tables(lexicon))
    # The engine's own limits (Python constants, so the JS port cannot drift from them).
    lexicon["limits"] = {"listed": MAX_LISTED, "tokens": MAX_TOKENS, "query": MAX_QUERY}
    lexicon["only"] = ext["only"]
    lexicon["correction"] = ext["correction"]
    words = json.dumps([lexicon[t] for t in (*_MARKED_TABLES, "syn", "lang", *_OWN_LISTS)])
    if any(m in words for m in MARKS.values()):
        raise RuntimeError("lexicon.json: a word holds a language mark character")
    mark_language_words(lexicon)
    # Parts the widget derives instead of carrying twice (checked here, so they cannot drift):
    # the allergen codes are the allergen table's keys, and English labels are capitalised codes.
    codes = lexicon.pop("allergens").split()
    if list(lexicon["allergen"]) != codes:
        raise RuntimeError("lexicon.json: the allergen table must list every code in order")
    english = lexicon["labels"].pop("en").split("|")
    if english != [c[0].upper() + c[1:] for c in codes + lexicon["diets"].split()]:
        raise RuntimeError("lexicon.json: English labels must be the capitalised codes")
    # Table order changes nothing but the gzipped size (measured: shared words sit close).
    return {key: lexicon[key] for key in PROJECTION_ORDER}


def _compile(source: str) -> Bundle:
    # One scope per file: nothing leaks to the host page except window.Stjarna.
    wrapped = "(function(){'use strict';" + source + "\n})();"
    minify.config({"js-version": 2022})
    raw = minify.string("application/javascript", wrapped).encode("utf-8")
    gzipped = zopfli.gzip.compress(raw)  # standard gzip; Zopfli only searches harder
    digest = hashlib.sha256(raw).hexdigest()[:20]
    return Bundle(raw=raw, gzipped=gzipped, etag=f'"{digest}"', gzip_etag=f'"{digest}-gz"')


def build_panel() -> Bundle:
    """Concatenate the panel sources, inline the lexicon, minify and compress."""
    compact = json.dumps(local_lexicon(), ensure_ascii=False, separators=(",", ":"))
    source = "\n".join(p.read_text("utf-8") for p in sorted(PANEL_DIR.glob("*.js")))
    if source.count("__LEXICON__") != 1:
        raise RuntimeError("panel sources must reference __LEXICON__ once")
    return _compile(source.replace("__LEXICON__", compact))


def build_widget(static_url: str | None = None) -> Widget:
    """Both files (a pure function of the sources, the lexicon and STATIC_URL)."""
    panel = build_panel()
    name = f"{PANEL_PREFIX}{hashlib.sha256(panel.raw).hexdigest()[:16]}.js"
    source = LOADER_SOURCE.read_text("utf-8")
    if source.count("__PANEL__") != 1:
        raise RuntimeError("the loader must reference __PANEL__ once")
    url = (settings.STATIC_URL if static_url is None else static_url) + name
    loader = _compile(source.replace("__PANEL__", json.dumps(url)[1:-1]))
    return Widget(loader=loader, panel=panel, panel_name=name)


_built: tuple[tuple, Widget] | None = None


def current_widget() -> Widget:
    """The widget for this process: built once, rebuilt in DEBUG when a source changed."""
    global _built
    if _built is not None and not settings.DEBUG:
        return _built[1]
    stamp = (settings.STATIC_URL, *((str(p), p.stat().st_mtime_ns) for p in _inputs()))
    if _built is None or _built[0] != stamp:
        _built = (stamp, build_widget())
    return _built[1]


def write_panel(directory: Path) -> Path:
    """Write the current panel to ``directory/widget-panel.<hash>.js`` (only when missing) for
    collectstatic and whitenoise, which read static files from disk; older panels are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    widget = current_widget()
    target = directory / widget.panel_name
    if not target.is_file() or target.read_bytes() != widget.panel.raw:
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(widget.panel.raw)
        tmp.replace(target)  # atomic: a concurrent reader never sees half a file
    for old in directory.glob(PANEL_PREFIX + "*.js"):
        if old != target and PANEL_NAME.fullmatch(old.name):
            old.unlink(missing_ok=True)
    return target
