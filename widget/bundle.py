"""Build the widget bundle (``/widget.js``) from ``widget/src/*.js`` with no Node.js.

The sources are concatenated in file-name order inside one function scope, the answer engine's
own word tables are inlined where the sources say ``__LEXICON__`` (a projection of
``chat/engine/lexicon.json``, the single source both engine ports read: only the parts the local
engine uses), the result is minified with tdewolff/minify (scope-aware, renames local names,
never properties) and gzipped once with Zopfli (standard gzip, a few per cent smaller than zlib).
The build is memoised per process; with ``DEBUG`` on it is redone when a source file changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import minify
import zopfli.gzip
from django.conf import settings

import chat.engine

SOURCE_DIR = Path(__file__).with_name("src")
LEXICON_PATH = Path(chat.engine.__file__).with_name("lexicon.json")
BUNDLE_NAME = "widget.js"
# English reply templates the local engine uses (it replies in English); the rest (cheapest, most
# expensive, dish details, one dish's allergens) belong to intents the local engine leaves to the
# server (docs/widget.md, "Local fallback"). Every locale keeps the UI's opening suggestion chips.
LOCAL_TEMPLATES = frozenset(
    {"greet", "thanks", "help", "unknown", "found", "all", "none", "more", "hidden", "max", "min"}
    | {"without", "and", "or", "hours", "address", "phone", "nofact", "remind", "sug"}
)
UI_TEMPLATES = frozenset({"sug"})


@dataclass(frozen=True)
class Bundle:
    """The built widget: minified bytes, their gzip, and a checksum ETag for each."""

    raw: bytes
    gzipped: bytes
    etag: str
    gzip_etag: str


def _inputs() -> list[Path]:
    return [*sorted(SOURCE_DIR.glob("*.js")), LEXICON_PATH]


PROJECTION_ORDER = (
    "conflict",
    "diet",
    "diets",
    "free",
    "allergen",
    "always",
    "kinds",
    "syn",
    "labels",
    "money",
    "t",
)


def local_lexicon() -> dict:
    """The part of ``chat/engine/lexicon.json`` the bundle inlines: every word table, the English
    reply templates in LOCAL_TEMPLATES and, for other locales, the UI_TEMPLATES (a projection of
    the one source, never a copy to edit)."""
    lexicon = json.loads(LEXICON_PATH.read_text("utf-8"))
    lexicon["t"] = {
        loc: {
            key: text
            for key, text in templates.items()
            if key in (LOCAL_TEMPLATES if loc == "en" else UI_TEMPLATES)
        }
        for loc, templates in lexicon["t"].items()
    }
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


def build_bundle() -> Bundle:
    """Concatenate, inline the lexicon, minify and compress (a pure function of the inputs)."""
    compact = json.dumps(local_lexicon(), ensure_ascii=False, separators=(",", ":"))
    source = "\n".join(p.read_text("utf-8") for p in sorted(SOURCE_DIR.glob("*.js")))
    if "__LEXICON__" not in source:
        raise RuntimeError("widget sources must reference __LEXICON__ once")
    # One scope for the whole bundle: nothing leaks to the host page except window.Stjarna.
    wrapped = "(function(){'use strict';" + source.replace("__LEXICON__", compact) + "\n})();"
    minify.config({"js-version": 2022})
    raw = minify.string("application/javascript", wrapped).encode("utf-8")
    gzipped = zopfli.gzip.compress(raw)  # standard gzip; Zopfli only searches harder
    digest = hashlib.sha256(raw).hexdigest()[:20]
    return Bundle(raw=raw, gzipped=gzipped, etag=f'"{digest}"', gzip_etag=f'"{digest}-gz"')


_built: tuple[tuple[tuple[str, int], ...], Bundle] | None = None


def current_bundle() -> Bundle:
    """The bundle for this process: built once, rebuilt in DEBUG when a source changed."""
    global _built
    if _built is not None and not settings.DEBUG:
        return _built[1]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in _inputs())
    if _built is None or _built[0] != stamp:
        _built = (stamp, build_bundle())
    return _built[1]


def write_bundle(directory: Path) -> Path:
    """Write the current bundle to ``directory/widget.js`` (only when it changed) for
    collectstatic and whitenoise, which read static files from disk."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / BUNDLE_NAME
    data = current_bundle().raw
    if not target.is_file() or target.read_bytes() != data:
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)  # atomic: a concurrent reader never sees half a file
    return target
