"""The conversation state the engine carries from one turn to the next (SPEC §7 "Standing
constraints", follow-ups).

The state is small, JSON-safe and self-describing, because it is stored on the chat session
and, in the widget, handed to the local engine when the server becomes unreachable. Anything
that does not look like what `dump` writes is dropped (and logged), never trusted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .index import MenuIndex
from .lexicon import ALLERGENS, DIET_TAGS

log = logging.getLogger(__name__)

VERSION = 2
MAX_IDS = 500
MAX_QUERY = 500


@dataclass
class Context:
    """What the diner has told us so far and what the last answer was about."""

    lang: str | None = None
    diets: list[str] = field(default_factory=list)  # standing diets, DIET_TAGS order
    excluded: list[str] = field(default_factory=list)  # standing exclusions, ALLERGENS order
    last: list[int] = field(default_factory=list)  # item indices of the last list answer
    focus: list[int] = field(default_factory=list)  # item indices of the dish(es) in focus
    query: str = ""  # the last search's words, for "and desserts?" and after a withdrawal
    topic: str = ""  # the last answer's intent ("and the mushroom rice?" asks the same)
    asked: list[str] = field(default_factory=list)  # codes and diets the last dish question asked

    def standing(self) -> bool:
        return bool(self.diets or self.excluded)

    def add(self, *, diets: list[str] = (), excluded: list[str] = ()) -> None:  # type: ignore[assignment]
        self.diets = [d for d in DIET_TAGS if d in {*self.diets, *diets}]
        self.excluded = [c for c in ALLERGENS if c in {*self.excluded, *excluded}]

    def dump(self, index: MenuIndex) -> dict[str, Any]:
        """The JSON the next turn gets back: item ids, never indices."""
        ids = index.ids
        out: dict[str, Any] = {"v": VERSION}
        if self.lang:
            out["lang"] = self.lang
        if self.diets:
            out["diets"] = list(self.diets)
        if self.excluded:
            out["excluded"] = list(self.excluded)
        if self.last:
            out["last"] = [ids[i] for i in self.last[:MAX_IDS]]
        if self.focus:
            out["focus"] = [ids[i] for i in self.focus[:MAX_IDS]]
        if self.query:
            out["query"] = self.query[:MAX_QUERY]
        if self.topic:
            out["topic"] = self.topic
        if self.asked:
            out["asked"] = list(self.asked)
        return out


def load(raw: object, index: MenuIndex) -> Context:
    """A Context from what the previous answer returned; {} / None start a conversation.

    Dishes deleted or made unavailable since are cleaned out, so a stale state can never
    recommend them; a malformed or oversized state is dropped whole.
    """
    if raw is None or raw == {}:
        return Context()
    try:
        if not isinstance(raw, dict) or len(raw) > 10:
            raise ValueError("not a context")
        if raw.get("v") != VERSION:
            raise ValueError("unknown context version")
        lang = raw.get("lang")
        if lang not in (None, "en", "sv"):
            raise ValueError("bad lang")
        ctx = Context(lang=lang)
        diets = _strings(raw.get("diets", []), DIET_TAGS)
        excluded = _strings(raw.get("excluded", []), ALLERGENS)
        ctx.add(diets=diets, excluded=excluded)
        position = index.position
        for name in ("last", "focus"):
            values = raw.get(name, [])
            if not isinstance(values, list) or len(values) > MAX_IDS:
                raise ValueError(f"bad {name}")
            kept = []
            for v in values:
                if not isinstance(v, int) or isinstance(v, bool):
                    raise ValueError(f"bad {name} id")
                i = position.get(v)
                if i is not None and index.available >> i & 1:
                    kept.append(i)
            setattr(ctx, name, kept)
        query = raw.get("query", "")
        if not isinstance(query, str) or len(query) > MAX_QUERY:
            raise ValueError("bad query")
        ctx.query = query
        topic = raw.get("topic", "")
        if not isinstance(topic, str) or len(topic) > 40:
            raise ValueError("bad topic")
        ctx.topic = topic
        ctx.asked = _strings(raw.get("asked", []), ALLERGENS + DIET_TAGS)
        return ctx
    except (ValueError, TypeError) as exc:
        log.warning("dropped a malformed conversation context: %s", exc)
        return Context()


def _strings(values: object, allowed: tuple[str, ...]) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError("bad list")
    if not set(values) <= set(allowed):
        raise ValueError("unknown code")
    return list(values)


__all__ = ["Context", "load"]
