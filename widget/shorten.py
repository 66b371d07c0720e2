"""Shorten the widget's own identifiers at build time, so the source keeps readable names.

rjsmin removes whitespace and comments but renames nothing. This pass renames, consistently
across the whole bundle, every name the bundle itself *declares* (``var``/``function`` names,
parameters, arrow parameters, ``catch`` bindings) to a short unused name. It is deliberately
conservative instead of scope-aware:

- a declared name that is ever used as a property (``.name``) or an object key (``{name:``)
  is left alone, so object shapes and the public API never change;
- new names are chosen among names that appear nowhere in the bundle, so nothing is shadowed;
- strings and regular expression literals are never touched.

The browser tests (conformance file, UI flows) run the shortened bundle, so a mistake here fails
them loudly.
"""

from __future__ import annotations

import itertools
import re
import string
from collections import Counter

_TOKEN = re.compile(
    r"""(?P<str>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")|(?P<id>[A-Za-z_$][\w$]*)|(?P<num>\d[\w.]*)"""
    r"""|(?P<arrow>=>)|(?P<other>\s+|.)""",
    re.S,
)
# After these, a "/" starts a regular expression literal rather than a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "in", "of", ""}
_KEYWORD_TEXT = (
    "break case catch class const continue debugger default delete do else export extends "
    "false finally for function if import in instanceof let new null of return super switch "
    "this throw true try typeof var void while with yield async await static get set"
)
_KEYWORDS = frozenset(_KEYWORD_TEXT.split(" "))


def _tokens(js: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, last = 0, ""
    while i < len(js):
        if js[i] == "/" and last in _REGEX_AFTER and js[i + 1 : i + 2] not in ("/", "*"):
            j, in_class = i + 1, False
            while js[j] != "/" or in_class:
                if js[j] == "\\":
                    j += 1
                elif js[j] in "[]":
                    in_class = js[j] == "["
                j += 1
            j += 1
            while j < len(js) and js[j].isalpha():
                j += 1
            out.append(("re", js[i:j]))
            last = "re"
            i = j
            continue
        m = _TOKEN.match(js, i)
        kind = m.lastgroup
        text = m.group()
        if text == "`":
            raise ValueError("template literals are not supported by the widget build")
        out.append((kind, text))
        if not text.isspace():
            last = text if kind in ("other", "arrow") or text in _REGEX_AFTER else kind
        i = m.end()
    return out


def _declared(toks: list[tuple[str, str]]) -> set[str]:
    sig = [(k, t) for k, t in toks if not t.isspace()]
    names: set[str] = set()
    for n, (kind, text) in enumerate(sig):
        if kind == "id" and text in ("function", "catch"):
            j = n + 1
            if sig[j][0] == "id":  # function NAME(
                names.add(sig[j][1])
                j += 1
            if sig[j][1] == "(":
                depth = 0
                while True:
                    t = sig[j][1]
                    depth += (t in "([{") - (t in ")]}")
                    if sig[j][0] == "id" and sig[j - 1][1] in ("(", ","):
                        names.add(sig[j][1])
                    if depth == 0:
                        break
                    j += 1
        elif kind == "id" and text == "var":
            j, depth = n + 1, 0
            while sig[j][1] != ";" or depth:
                t = sig[j][1]
                if depth == 0 and sig[j][0] == "id" and sig[j - 1][1] in ("var", ","):
                    names.add(t)
                depth += (t in "([{") - (t in ")]}")
                if depth < 0 or (depth == 0 and t in (")", "of", "in")):
                    break
                j += 1
        elif kind == "arrow":
            if sig[n - 1][0] == "id":  # x=>
                names.add(sig[n - 1][1])
            elif sig[n - 1][1] == ")":  # (a,b)=>
                j, depth = n - 1, 0
                while True:
                    t = sig[j][1]
                    depth += (t in ")]}") - (t in "([{")
                    if sig[j][0] == "id" and sig[j - 1][1] in ("(", ","):
                        names.add(t)
                    if depth == 0:
                        break
                    j -= 1
    return names - _KEYWORDS


def _short_names(taken: set[str]):
    first = string.ascii_letters + "_$"
    rest = first + string.digits
    for size in itertools.count(1):
        for head in first:
            for tail in itertools.product(rest, repeat=size - 1):
                name = head + "".join(tail)
                if name not in taken and name not in _KEYWORDS:
                    yield name


def shorten(js: str) -> str:
    """Rename the bundle's declared identifiers to short unused names (see module docstring)."""
    toks = _tokens(js)
    used = Counter(t for k, t in toks if k == "id")
    sig = [(k, t) for k, t in toks if not t.isspace()]
    as_property = {
        t
        for n, (k, t) in enumerate(sig)
        if k == "id"
        and (
            (n and sig[n - 1][1] == ".")
            # an object key ({key: or ,key:), not a ternary branch (? x :)
            or (n + 1 < len(sig) and sig[n + 1][1] == ":" and sig[n - 1][1] in ("{", ","))
        )
    }
    candidates = [n for n in _declared(toks) - as_property if len(n) > 1]
    candidates.sort(key=lambda n: -used[n] * (len(n) - 1))
    fresh = _short_names(set(used))
    mapping = {old: new for old, new in zip(candidates, fresh, strict=False) if len(new) < len(old)}
    prev = ""
    out = []
    for kind, text in toks:
        if kind == "id" and text in mapping and prev != ".":
            text = mapping[text]
        out.append(text)
        if not text.isspace():
            prev = text
    return "".join(out)
