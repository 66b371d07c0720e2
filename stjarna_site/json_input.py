"""JSON with bounded nesting (SPEC §11): 400 ``invalid_json``, never a RecursionError's 500.

:func:`loads_json` (the chat view) and :class:`BoundedJSONParser` (DRF, so ``/api/v1/``) refuse a
document nested deeper than :data:`MAX_JSON_DEPTH` before parsing it, with a linear scan that
never recurses: a 100,000-deep array costs a regex pass, not a stack overflow.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32

# A JSON string, matched possessively (no backtracking): brackets inside strings do not count.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"')
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]++")
_STEP = [0] * 256
for _open in b"[{":
    _STEP[_open] = 1
for _close in b"]}":
    _STEP[_close] = -1


class JSONTooDeep(ValueError):
    """The document nests arrays and objects deeper than :data:`MAX_JSON_DEPTH`."""


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in ``raw`` (0 for a scalar); linear, never recursive."""
    brackets = _NOT_A_BRACKET.sub(b"", _STRING.sub(b"", raw))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def loads_json(raw: bytes) -> Any:
    """``json.loads`` of UTF-8 ``raw``, refusing documents nested too deep (``JSONTooDeep``)."""
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise JSONTooDeep(f"JSON may nest at most {MAX_JSON_DEPTH} levels deep.")
    return json.loads(raw.decode("utf-8"))


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the nesting limit (a ParseError → 400 ``invalid_json``)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read()
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise ParseError(f"JSON may nest at most {MAX_JSON_DEPTH} levels deep.")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:  # belt and braces: never a 500 for any input
            raise ParseError("JSON nests too deep.") from exc
