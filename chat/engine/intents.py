"""Choose the intent for a parsed message and build the Answer."""

from __future__ import annotations

import logging

from . import replies as r
from .index import MenuIndex, prepare
from .match import bits, dish_refs, extreme, select
from .model import Answer, Menu
from .parse import Query, parse

log = logging.getLogger(__name__)

INTENTS: tuple[str, ...] = (
    "greeting",
    "thanks",
    "help",
    "search",
    "cheapest",
    "most_expensive",
    "allergen_check",
    "price_check",
    "dish_details",
    "hours",
    "address",
    "phone",
    "unknown",
)
_FACTS = {"hours": "opening_hours", "address": "address", "phone": "phone"}


def locale_of(locale: object) -> str:
    """'sv', 'sv-SE', 'SV_se' -> 'sv'; anything else -> 'en'."""
    if isinstance(locale, str) and locale.lower().replace("_", "-").split("-")[0] == "sv":
        return "sv"
    return "en"


def answer(menu: Menu, message: str, locale: str = "en") -> Answer:
    """Answer a diner's `message` about `menu` in `locale` ("en" or "sv").

    Deterministic and never raises: an internal error (a bug) is logged and answered as
    "unknown" with no items, which is always safe.
    """
    loc = locale_of(locale)
    try:
        return respond(prepare(menu), message if isinstance(message, str) else "", loc)
    except Exception:
        log.exception("engine failed on a message")
        return _unknown(loc)


def _unknown(loc: str) -> Answer:
    return Answer(r.tpl(loc, "unknown"), (), "unknown", r.suggestions(loc), False)


def _done(
    index: MenuIndex,
    lines: list[str],
    ids: list[int],
    intent: str,
    loc: str,
    remind: bool = False,
    suggest: bool = False,
) -> Answer:
    if remind:
        lines = [*lines, r.tpl(loc, "remind")]
    return Answer(
        reply="\n".join(lines),
        item_ids=tuple(index.items[i].id for i in ids),
        intent=intent,
        suggestions=r.suggestions(loc) if suggest else (),
        answered=True,
    )


def respond(index: MenuIndex, message: str, loc: str) -> Answer:
    """The engine proper (may raise on a bug; `answer` guards it)."""
    q = parse(index, message)
    if q.too_long or not q.toks:
        return _unknown(loc)
    kinds = q.kinds
    refs = dish_refs(index, q)
    if refs.items:
        # Allergen/diet words plus a question or exclusion cue: "is the X vegan", "X without
        # cheese", "allergic to nuts, can I eat X" are answered from X's own data.
        cues = {"q", "detq", "pre", "post", "both"}
        if "allq" in kinds or ((q.asked or q.diets) and kinds & cues):
            return _about_dishes(index, q, refs.items, "allergen_check", loc)
        if "priceq" in kinds and q.sort is None:
            return _about_dishes(index, q, refs.items, "price_check", loc)
        only_one = refs.only_names and len(refs.items) == 1
        if (kinds & {"detq", "q"} or only_one) and q.sort is None:
            return _about_dishes(index, q, refs.items, "dish_details", loc)
    if q.sort is not None:
        return _search(index, q, loc)
    safety_filters = q.diets or q.excluded or q.max_price is not None or q.min_price is not None
    if not safety_filters:
        for t in q.toks:
            if t.kind in _FACTS:
                value = getattr(index.restaurant, _FACTS[t.kind]).strip()
                text = r.tpl(loc, t.kind, v=value) if value else r.tpl(loc, "nofact")
                return _done(index, [text], [], t.kind, loc)
    if q.has_filters() or "frame" in kinds:
        return _search(index, q, loc)
    for kind, intent in (("thanks", "thanks"), ("help", "help"), ("greet", "greeting")):
        if kind in kinds:
            return _done(index, [r.tpl(loc, kind)], [], intent, loc, suggest=True)
    if kinds & {"priceq", "allq", "detq"} and not q.unknown:
        return _done(index, [r.tpl(loc, "help")], [], "help", loc, suggest=True)
    return _unknown(loc)


def _search(index: MenuIndex, q: Query, loc: str) -> Answer:
    """List answers: search, cheapest, most_expensive."""
    cur = index.restaurant.currency
    remind = bool(q.excluded or q.diets or q.asked)
    phrase = r.describe(q, cur, loc)
    if not q.has_filters() and q.unknown:
        # "do you have sushi": understood as a question, but about nothing on the menu.
        what = " ".join(t.raw for t in q.unknown)
        return _done(index, [r.tpl(loc, "none", q=what)], [], "search", loc, suggest=True)
    sel = select(index, q)
    mask = sel.mask
    intent = "search"
    if q.sort is not None:
        mask = extreme(index, mask, q.sort)
        intent = "cheapest" if q.sort == "cheap" else "most_expensive"
    ids = bits(mask)
    if not ids:
        lines = [r.tpl(loc, "none", q=phrase or r.tpl(loc, "all").rstrip(":"))]
    elif q.sort is not None:
        lines = [r.tpl(loc, q.sort, q=" " + phrase if phrase else "")]
    elif phrase:
        lines = [r.tpl(loc, "found", q=phrase)]
    else:
        lines = [r.tpl(loc, "all")]
    lines += r.listing(index, ids, loc)
    if sel.hidden:
        lines.append(r.tpl(loc, "hidden", n=sel.hidden))
    return _done(index, lines, ids, intent, loc, remind=remind, suggest=not ids)


def _about_dishes(index: MenuIndex, q: Query, refs: list[int], intent: str, loc: str) -> Answer:
    """One-dish answers (allergen_check, price_check, dish_details), for each named dish."""
    cur = index.restaurant.currency
    lines: list[str] = []
    ids: list[int] = []
    for i in refs:
        item = index.items[i]
        if not item.available:
            lines.append(r.tpl(loc, "gone", name=item.name))
            continue
        ids.append(i)
        if len(ids) > r.MAX_LISTED:
            continue
        if intent == "allergen_check":
            lines += r.allergen_lines(item, q, loc)
        elif intent == "price_check":
            lines.append(r.item_line(item, cur, loc))
        else:
            lines += r.detail_lines(item, cur, loc)
    if len(ids) > r.MAX_LISTED:
        lines.append(r.tpl(loc, "more", n=len(ids) - r.MAX_LISTED))
    remind = intent != "price_check" and bool(ids)
    return _done(index, lines, ids, intent, loc, remind=remind)
