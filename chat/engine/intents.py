"""Choose the intent for a parsed message, in its conversation, and build the Answer."""

from __future__ import annotations

import copy
import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta

from rapidfuzz.distance import OSA

from . import conversation, hours
from . import replies as r
from .conversation import Context
from .index import MenuIndex, prepare, union_of
from .language import asked_for, locale_of, reply_language
from .lexicon import (
    ALLERGEN,
    ALLERGENS,
    ALWAYS,
    BOOKED,
    BOOKING,
    CLOSING,
    COME_WORDS,
    CONFLICTS,
    CORRECTION_WORDS,
    DIET,
    DIET_TAGS,
    DISH_ASK,
    EAT_WORDS,
    FREE_DIETS,
    GREETING_EMOJI,
    HYPOTHETICAL,
    MEAL_STEMS,
    MEAL_WHEN,
    ONLY_WORDS,
    SERVE_WORDS,
    SPECIFIC,
    STATEMENT_WORDS,
    TERM,
    THANKS_EMOJI,
    WHOLE_MENU,
    emoji_only,
    lookup,
    normalize,
    tokenize,
)
from .match import (
    DishRefs,
    after_determiner,
    bits,
    conflicts_of,
    definite_form,
    dish_refs,
    extreme,
    select,
)
from .model import Answer, Flag, Menu
from .parse import ASKING, INSIDE, WH, WITH, Query, Tok, number, parse

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
_FACTS = {"address": "address", "phone": "phone"}
_LIST_INTENTS = frozenset({"search", "cheapest", "most_expensive"})
_DAY_WORDS = frozenset({"day", "date", "month", "num", "stop", "join", "shift", "fine"})
_MEAT_DIETS = frozenset({"vegan", "vegetarian"})
_DISHES = ("rätter", "rätterna", "dishes")
_MEANT = frozenset({"meant", "mean", "menade", "menar", "wrong", "fel", "mistake", "misstag"})
_ONE_DISH_INTENTS = frozenset({"allergen_check", "price_check", "dish_details"})
_WHEN_WORDS = frozenset({"when", "time", "när", "tid", "tider", "vilken", "till", "until"})
_WEEK_WORDS = frozenset({"hour", "opening", "öppettider", "öppettid", "times"})
# Hours words that ask about the opening hours only in an hours question ("how long does the
# paella take?"): never answered beside another question.
_VAGUE_HOURS = frozenset({"länge", "how long", "tider", "times", "time"})
# Detail-question words that also ask of a list ("what burgers …"), unlike "tell me about".
_WHAT_WORDS = frozenset({"what", "whats", "vad", "in", "about"})
_DISH_CUES = frozenset({"q", "detq", "allq", "priceq", "pre", "post", "both"})
# Words that make an allergy told beside a negated standing one an addition, never a swap
# ("she's also allergic to eggs, not just gluten").
_NOT_A_SWAP = frozenset(
    {"also", "too", "either", "as", "well", "just", "only", "and", "plus"}
    | {"också", "även", "heller", "bara", "och", "dessutom", "med"}
)
# Words that ask for a list, not of the dish in focus ("and vegan ones?").
_MANY = frozenset(
    {"ones", "options", "dishes", "things", "stuff", "rätter", "alternativ", "grejer"}
)
# "which are your mains" asks anew, "which are mains" of the last list.
_YOURS = frozenset({"your", "ur", "yours", "era", "ert", "er", "ni", "you", "u"})
# Who a question opening "do …"/"har …" may be put to, so that it searches ("do you have",
# "har ni", "can we get") rather than asks of a dish.
_ADDRESSEES = frozenset(
    {"you", "u", "ya", "ye", "yall", "y'all", "ni", "du", "man", "we", "vi", "i", "jag", "they"}
)

__all__ = ["INTENTS", "answer", "locale_of"]


def answer(
    menu: Menu,
    message: str,
    locale: str | None = None,
    context: object = None,
    now: datetime | None = None,
) -> Answer:
    """Answer a diner's `message` about `menu`, in the conversation `context` (what the
    previous answer returned; None starts one). `locale` is the diner's UI language, a hint
    for the reply language; `now` is the current instant for opening hours (None = the clock).

    Deterministic for a given `now`, and never raises: an internal error (a bug) is logged and
    answered as "unknown" with no items, which is always safe.
    """
    index = prepare(menu)
    ctx = conversation.load(context, index)
    text = message if isinstance(message, str) else ""
    lang = reply_language(text, locale, ctx.lang, menu.restaurant.locale, index.name_tokens)
    try:
        turn = Turn(index, ctx, lang, now)
        got = turn.respond(text)
    except Exception:
        log.exception("engine failed on a message")
        ctx = Context(lang=lang, diets=ctx.diets, excluded=ctx.excluded)
        got = Answer(r.tpl(lang, "unknown"), (), "unknown", r.suggestions(lang), False)
    ctx.lang = lang
    return Answer(
        reply=got.reply,
        item_ids=got.item_ids,
        intent=got.intent,
        suggestions=got.suggestions,
        answered=got.answered,
        flagged=got.flagged,
        language=lang,
        context=ctx.dump(index),
    )


class Turn:
    """One diner message in its conversation: reads `ctx`, updates it in place."""

    def __init__(self, index: MenuIndex, ctx: Context, lang: str, now: datetime | None) -> None:
        self.index = index
        self.ctx = ctx
        self.lang = lang
        self.now = now
        self.cur = index.restaurant.currency
        self.earlier = (list(ctx.diets), list(ctx.excluded))  # standing before this message
        self.asked_facts: set[str] = set()  # the facts the message asks for ("hours", "phone" …)
        self.query: Query | None = None  # the message, parsed (for the facts asked beside)

    # --- building answers -------------------------------------------------------------------

    def done(
        self,
        lines: list[str],
        ids: list[int],
        intent: str,
        *,
        flagged: list[tuple[int, tuple[str, ...]]] = (),  # type: ignore[assignment]
        remind: bool = False,
        suggest: bool = False,
        answered: bool = True,
        note: bool = True,
    ) -> Answer:
        earlier = self.earlier[0] or self.earlier[1]
        if answered:
            lines = [*lines, *self._other_facts(intent)]
        if note and earlier and self.ctx.standing() and not self._names_standing(lines):
            lines = [*lines, r.standing_line(self.ctx.diets, self.ctx.excluded, self.lang)]
        if remind:
            lines = [*lines, r.tpl(self.lang, "remind")]
        items = self.index.items
        return Answer(
            reply="\n".join(lines),
            item_ids=tuple(items[i].id for i in ids),
            intent=intent,
            suggestions=r.suggestions(self.lang) if suggest else (),
            answered=answered,
            flagged=tuple(Flag(items[i].id, c) for i, c in flagged),
        )

    def _other_facts(self, intent: str) -> list[str]:
        """The restaurant's facts the message asks for beside what it was answered ("öppet
        ikväll? och var ligger ni", "address and phone number please")."""
        lines = []
        for kind in sorted(self.asked_facts - {intent}):
            if kind == "hours" and self.query is not None:
                lines += self._hours_text(self.query)
            else:
                value = getattr(self.index.restaurant, _FACTS[kind]).strip()
                lines.append(
                    r.tpl(self.lang, kind, v=value) if value else r.tpl(self.lang, "nofact")
                )
        self.asked_facts = set()  # said once
        return lines

    def _names_standing(self, lines: list[str]) -> bool:
        return any(r.STANDING_MARK[self.lang] in line for line in lines)

    def unknown(self, q: Query | None = None) -> Answer:
        lines = []
        words = [t.raw for t in q.unknown_terms] if q is not None else []
        if words:
            lines.append(r.tpl(self.lang, "unknown_words", w=r.quoted(words, self.lang)))
        lines.append(r.tpl(self.lang, "unknown"))
        # ("is there parking?", "do you do takeaway?": the staff can answer what the menu can't)
        phone = self.index.restaurant.phone.strip()
        if phone:
            lines.append(r.tpl(self.lang, "call_us", v=phone))
        return self.done(lines, [], "unknown", suggest=True, answered=False)

    # --- the turn ---------------------------------------------------------------------------

    def respond(self, message: str) -> Answer:
        index, ctx = self.index, self.ctx
        self.message = message
        q = parse(index, message)
        self.query = q
        self.asked_facts = {
            t.kind
            for t in q.toks
            if t.kind in _FACTS and not (t.word in BOOKING and _books_else(q))
        }
        if any(t.kind == "hours" and t.word not in _VAGUE_HOURS for t in q.toks):
            self.asked_facts.add("hours")
        if q.too_long or not q.toks:
            if not q.too_long and GREETING_EMOJI & set(message):
                return self.done([r.tpl(self.lang, "greet")], [], "greeting", suggest=True)  # "👋"
            if not q.too_long and THANKS_EMOJI & set(message):
                return self.done([r.tpl(self.lang, "thanks")], [], "thanks", suggest=True)  # "👍"
            return self.unknown()
        kinds = q.kinds
        if [t.raw.lower() for t in q.toks] == ["ta"]:  # British thanks (Swedish "ta" is "take")
            return self.done([r.tpl(self.lang, "thanks")], [], "thanks", suggest=True)
        books = any(t.word in BOOKING for t in q.toks)  # "book for 6 at 8": the phone, no hours
        corrected = self._corrected_question(q)
        if corrected is not None:
            return corrected
        named_first = self._named_before_it(q, message)
        if named_first is not None:
            return named_first
        self._correct_diets(q)
        # (a swap first: "sorry i meant peanuts not sesame" keeps the seafood allergy)
        restated = self._swapped(q) or self._restated(q)
        if kinds & {"forget", "reset"} or q.withdrawn or (q.denied and ctx.excluded) or restated:
            return self.withdraw(q, restated)
        if not (q.diets or q.excluded) and (
            "hours" in kinds
            # "when is brunch served?", "när slutar ni servera lunch idag?"
            or (
                any(t.raw.lower() in SERVE_WORDS for t in q.toks)
                and (
                    any(t.word in _WHEN_WORDS or t.raw.lower() in ("sent", "late") for t in q.toks)
                    or kinds & {"today", "now", "late", "tomorrow"}
                )
            )
            # "is it too late to come in now?", "hinner vi komma nu?"
            or ("late" in kinds and kinds & {"now", "q", "today"} and not q.terms)
            or (self._meal_time(q) and not books)
            # "can i come in at 11 on saturday", "kan man komma vid 22 på fredag"
            or (q.clock is not None and not q.terms and q.sort is None and not books)
            # "sunday?", "julafton?", "and on the 26th?": a day alone asks whether it is open
            or (bool(q.days or q.dates) and all(t.kind in _DAY_WORDS for t in q.toks) and not books)
            or (
                ctx.topic == "hours"
                and self._about_time(q)
                and not (q.terms or q.unknown_terms)
                and not books  # "can i book for friday?"
                and not kinds & {"address", "phone"}  # "var ligger ni nu igen?"
            )
        ):
            return self.hours(q)
        if (
            # "snow" of the Snow Cheese is the dish's
            any(t.kind == "offtopic" and t.word not in index.name_tokens for t in q.toks)
            and not (q.diets or q.excluded or kinds & set(_FACTS))
            # a dish named and asked about stays a menu question ("do you deliver the pad thai?"
            # is not; "hur blir vädret i new york?" names no New York Cheesecake)
            and not (q.named and kinds & {"priceq", "allq", "detq"})
        ):
            return self.unknown(q)  # "is there parking nearby?", "wifi password?"
        if (
            "thanks" in kinds
            and not (q.diets or q.excluded or q.terms or q.unknown_terms or q.named)
            and not kinds & {"priceq", "allq", "q", "hours", *_FACTS}
            and all(t.word == "in" for t in q.toks if t.kind == "detq")
        ):
            # "thanks, see you in 10 min": thanks, not what is in the dish in focus
            return self.done([r.tpl(self.lang, "thanks")], [], "thanks", suggest=True)
        described = self._described(q)
        if described is not None:
            return described
        refs = dish_refs(index, q, follow=ctx.topic == "allergen_check")
        if q.named and len(refs.items) == 1 and q.terms:
            refs = replace(refs, items=_sibling_named(index, q, refs.items[0]))
        if (
            len(refs.items) > 1
            and len(ctx.focus) == 1
            and ctx.focus[0] in refs.items
            and any(
                (definite_form(t) or after_determiner(q.toks, n))
                and not normalize(t.raw).endswith(("s", "na"))
                for n, t in enumerate(q.toks)
                if t.kind == TERM
            )
        ):
            # "innehåller empanadan gluten?" right after the second empanada: that one
            refs = replace(refs, items=list(ctx.focus))
        if refs.items and (q.asked or q.diets):
            # "how much is the gluten free injera" of the Glutenfri injera: the diet its name
            # says is how the diner names it, not asked
            named_diets = frozenset.intersection(*(index.name_diets[i] for i in refs.items))
            names = index.words_of_names(refs.items)
            for a, b, c in zip(q.toks, q.toks[1:], q.toks[2:], strict=False):
                said = FREE_DIETS.get(a.word, frozenset()) & named_diets
                once = sum(t.word == a.word for t in q.toks) == 1  # (not "is the gf x gf?")
                if a.kind == ALLERGEN and b.kind == "post" and said and c.words & names and once:
                    q.asked = [c for c in q.asked if c not in a.payload]  # type: ignore[operator]
                    q.diets = [d for d in q.diets if d not in said]
        if refs.via is not None:
            via = q.toks[refs.via]  # "does the yoghurt have hazelnuts?" asks about nuts, not milk
            q.asked = _asked_beside_name(q, lambda t: t is via)
        elif refs.naming:  # "does the fish curry have dairy?" asks about milk, not fish
            q.asked = _asked_beside_name(q, lambda t: any(t is n for n in refs.naming))
        elif refs.items and q.asked and "priceq" in q.kinds and "allq" not in q.kinds:
            # "how much is cod n chips?": "cod" is the dish's name, not a question about fish
            # ("vad kostar laxen?" of the Salmón a la Parrilla: a word the name shares)
            names = index.words_of_names(refs.items)
            q.asked = _asked_beside_name(q, lambda t: bool((t.words | {t.word}) & names))
        elif refs.items and q.asked:
            # "what is agedashi tofu?" (Agedashi dōfu), "does the mochi ice cream have nuts?":
            # an allergen word that is part of how the diner names the dish is not asked
            names = index.words_of_names(refs.items)
            # (unless the diner says it again or states the allergy: "does the egg cream have
            # eggs in it", "allergisk mot ägg, kan hon äta stekt ris med ägg?")
            allergens = [set(u.payload or ()) for u in q.toks if u.kind == ALLERGEN]  # type: ignore[arg-type]
            naming = [
                t
                for t in _naming_words(q, names)
                if not set(t.payload) & set(q.excluded)  # type: ignore[arg-type]
                and sum(set(t.payload) <= a for a in allergens) == 1  # type: ignore[arg-type]
            ]
            q.asked = _asked_beside_name(q, lambda t: any(t is n for n in naming))
        facts = kinds & set(_FACTS)
        if refs.items:
            decided = self.dish_question(q, refs, facts=bool(facts))
            if decided is not None:
                return decided
        elif not facts and not q.unknown_terms:
            pointed = self.pointed(q)
            if pointed:
                return pointed
        if q.named:
            # Not a question about the named dish after all: its words are filters again
            # (a diet word inside a dish's name must never be lost).
            q = parse(index, message, names=False)
            kinds = q.kinds
        if q.sort is not None:
            return self.search(q)
        if not (q.diets or q.excluded or q.max_price is not None or q.min_price is not None):
            for t in q.toks:
                if t.kind in _FACTS and not (t.word in BOOKING and _books_else(q)):
                    value = getattr(index.restaurant, _FACTS[t.kind]).strip()
                    text = (
                        r.tpl(self.lang, t.kind, v=value) if value else r.tpl(self.lang, "nofact")
                    )
                    return self.done([text], [], t.kind)
        if asked_for(message) and not (q.has_filters() or q.unknown_terms):
            # "can we switch to english?": yes, and what the diner can ask
            return self.done([r.tpl(self.lang, "help")], [], "help", suggest=True)
        if "thanks" in kinds and not (q.has_filters() or kinds & {"frame", "those"}):
            # "alright, thanks anyway", "thanks see u then": the words beside it are chat
            return self.done([r.tpl(self.lang, "thanks")], [], "thanks", suggest=True)
        if q.unknown_terms and not (q.has_filters() or kinds & {"frame", "those"}):
            return self.unknown(q)
        asks_of_it = q.pronoun or q.unknown_terms
        if (
            asks_of_it
            and (kinds & {"allq", "q"} or q.toks[0].raw.lower() in ASKING)
            and any(t.kind == ALLERGEN for g in q.terms for t in g)
        ):
            # "innehåller svamptacosen jordnötter?", "innehåller den nötter?" with no dish in
            # focus: an allergen asked of a dish the words do not name; never the list of the
            # dishes that have it (right after a short list, "it" is asked of each of them)
            if q.pronoun and not q.unknown_terms and 1 < len(ctx.last) <= r.MAX_LISTED:
                q.asked = [c for g in q.terms for t in g if t.kind == ALLERGEN for c in t.payload]  # type: ignore[union-attr]
                return self.about(q, list(ctx.last), "allergen_check")
            return self.unknown(q)
        if (
            any(t.kind == ALLERGEN for g in q.terms for t in g)
            and (len(q.terms) > 1 or q.unknown_terms)
            and any(t.word in INSIDE for t in q.toks)
            and kinds & {"frame", "allq", "q"}
        ):
            # "finns det nötter i den saltbakade rödbetan?", "is there dairy in the house
            # special?" of a dish the words do not name: never the dishes that have it (the
            # widget's engine refuses the same)
            return self.unknown(q)
        found_one = self._found_one(q)
        if found_one is not None:
            return found_one
        if q.has_filters() and not _emoji_aside(q, message):
            return self.search(q)
        if q.unknown_terms:
            return self.search(q)
        if kinds & {"frame", "those"} and not kinds & {"greet", "thanks", "help"}:
            return self.search(q)
        if (
            "greet" in kinds
            and kinds & {"priceq", "allq", "detq"}
            and any(t.word in ("can", "kan") for t in q.toks)
            and not q.unknown
        ):
            # "hey what can you do": help, not a greeting
            return self.done([r.tpl(self.lang, "help")], [], "help", suggest=True)
        for kind, intent in (("thanks", "thanks"), ("help", "help"), ("greet", "greeting")):
            if kind in kinds:
                return self.done([r.tpl(self.lang, kind)], [], intent, suggest=True)
        if "max" in kinds and (ctx.focus or ctx.last):
            return self.search(q)
        if ctx.standing() and not q.unknown and any(t.word in EAT_WORDS for t in q.toks):
            return self.search(q)  # "what can i eat?" with an allergy standing: all that fits
        if kinds & {"priceq", "allq", "detq"} and not q.unknown:
            return self.done([r.tpl(self.lang, "help")], [], "help", suggest=True)
        return self.unknown(q)

    def dish_question(self, q: Query, refs: DishRefs, *, facts: bool) -> Answer | None:
        """The answer about the dish(es) the message names, or None when the message is a
        search after all ("do you do a gluten free naan", "cheapest burrito")."""
        index, kinds = self.index, q.kinds
        items = refs.items
        if not any(index.items[i].available for i in items):
            # "har ni semlor?", "how much is the ashta ice cream": sold out, whatever the cue
            if "priceq" in kinds:
                return self.about(q, items, "price_check")
            if "allq" in kinds or q.asked or q.diets:
                return self.about(q, items, "allergen_check")
            return self.about(q, items, "dish_details")
        compared = self._compared(q, items)
        if compared is not None:
            return compared
        # ("does the kielbasa contain mustard?": "the" names the one dish called so)
        determined = q.toks[0].raw.lower() in ASKING or any(  # "är pommesen glutenfria?" too
            after_determiner(q.toks, n) and _names_after(q, n, refs) for n in range(len(q.toks))
        )
        determined = determined or _what_is(q)  # "what is toum?" of the Toum, not the dips
        if q.named and not determined:
            # "mustard allergy, any hot dogs?": the words of the name are its section's
            marked = [t for t in q.toks if t.kind == "dish"]
            if marked and all(index.in_section(t) & (1 << i) for t in marked for i in items):
                return self.search(parse(index, self.message, names=False))
        # ("och pastramin då?" right after an allergen answer: the same asked of that dish;
        # "hummus toastie vegan?": a diet said after the dish's words asks it of the dish)
        determined = determined or (self.ctx.topic == "allergen_check" and _shifted(q))
        determined = determined or (
            len(q.toks) > 1 and q.toks[-1].kind == DIET and bool(q.toks[-2].words & refs.key_forms)
        )
        # ("finns det nötter i kycklingtagine?": what is asked is in the dish named after "i")
        determined = determined or (
            bool(q.asked)
            and any(
                t.word in INSIDE and any(u.words & refs.key_forms for u in q.toks[n + 1 :])
                for n, t in enumerate(q.toks)
            )
        )
        if (
            len(items) == 1
            and not q.named
            and refs.via is None
            and refs.only_names
            and not determined
            and not (q.asked or q.diets or q.excluded or kinds & {"priceq", "detq", "allq", "q"})
        ):
            # "haddock", "samusas?": a word that several dishes' names say is a search of them,
            # unless it is the one dish's whole name as written ("margherita?")
            titled = union_of(index.titled.get(w, 0) for w in refs.key_forms)
            plural = any(  # ("samusas?" of the Samusa and the Kids' Samusa)
                (w := normalize(t.raw)).endswith("s") and w[:-1] in index.name_tokens
                for t in q.toks
            )
            whole = index.name_counts[items[0]] == 1 and not plural
            if titled & ~(1 << items[0]) and not whole:
                return None
        if not q.named and refs.via is None and not refs.exact and len(items) == 1:
            found = index.items_for_words(refs.key_forms)
            if found & ~(1 << items[0]) and not kinds & {"priceq"} and not determined:
                # "which dumplings are safe?": one dish is named Vegetariska dumplings, but
                # the word finds more dishes: a search
                return None
        constrained = bool(q.diets or q.excluded) and not kinds & {"q", "allq"}
        names = index.words_of_names(items)
        # "vegan takoyaki", "finns det vegansk baklava": a diet said of the dish's name asks
        # for such a version of it, a search
        # (unless the name says that diet itself: "gf bun" is the Gluten-Free Bun)
        adjectival = q.toks[0].raw not in ASKING and any(
            a.kind == DIET
            and (b.words | {b.word}) & names
            and not any(a.payload in index.name_diets[i] for i in items)
            for a, b in itertools.pairwise(q.toks)
        )
        if constrained and (
            (len(items) > 1 and not q.named)
            or (q.named and "frame" in kinds and not determined)
            or adjectival
        ):
            # "any gf naan?", "pad thai options for a peanut allergy": a search, the dish's
            # words read as filters again
            return self.search(parse(index, self.message, names=False))
        # ("och fish and chips?", "ok and the falafel pita?" right after a price answer: its
        # price too)
        only_names = all(
            (t.words | {t.word}) & names
            for t in q.toks
            if t.kind not in ("stop", "join", "or", "shift", "fine", "dish")
        )
        priced = self.ctx.topic == "price_check" and only_names and _shifted(q)
        if priced and not (q.asked or q.diets):
            return self.about(q, items, "price_check")
        if _anything_with(q):
            return None  # "har ni något med kantareller": a search, though a name says so
        if not (q.named or q.asked) and (
            _with_what(q)
            or ("frame" in kinds and all(index.in_section(t) for g in q.terms for t in g))
        ):
            return None  # "nåt med kokos?", "vad har ni för kids meny?": a search
        eats = any(t.word in EAT_WORDS for t in q.toks)
        # ("kan jag äta papayasalladen?" asks of the papaya salads; "vilka dosor kan han äta?"
        # searches)
        wh = any(t.raw.lower() in WH for t in q.toks)
        if len(items) > 1 and not q.named and ("frame" in kinds or (eats and wh)) and not q.asked:
            # "what falafel dishes do u have?", "vad har ni för schnitzel?", "vilka dosor kan
            # han äta?": a search (under the standing constraints)
            return None
        if len(items) > 1 and q.diets and "priceq" in kinds and not q.asked:
            # "how much are the veggie gyoza?" beside Yasai and Buta gyoza: the diet says which
            fitting = [i for i in items if not conflicts_of(index, i, diets=q.diets, codes=[])]
            if len(fitting) == 1:
                return self.about(replace(q, diets=[]), fitting, "price_check")
        if self._asks_allergens(q, refs):
            return self.about(q, items, "allergen_check")
        if "priceq" in kinds and q.sort is None:
            return self.about(q, items, "price_check")
        props = [g for g in q.terms if not any((t.words | {t.word}) & names for t in g)]
        if props and "q" in kinds and q.sort is None:
            q.terms = props  # "is the tonkotsu ramen spicy?"
            return self.about(q, items, "dish_details", properties=True)
        if q.sort is not None or facts:
            return None
        only_one = (
            refs.only_names and len(items) == 1 and (refs.exact or self._only_match(q, items[0]))
        )
        named = bool(q.named) and not (q.terms or q.diets or q.excluded)
        if kinds & {"detq", "q"} or only_one or named:
            return self.about(q, items, "dish_details")
        if _shifted(q) and determined and len(items) == 1 and self.ctx.topic in _ONE_DISH_INTENTS:
            # "and the urfa?" right after a question about the adana (though the mixed grill
            # says urfa too): the same asked of it
            return self.about(q, items, self.ctx.topic)
        return None

    def _asks_allergens(self, q: Query, refs: DishRefs) -> bool:
        """Is this an allergen/diet question about the named dish(es)?"""
        kinds, ctx = q.kinds, self.ctx
        asked = bool(q.asked or q.diets)
        if (
            "detq" in kinds
            and "allq" in kinds
            and not asked
            and not any(t.word.startswith("allerg") for t in q.toks)
        ):
            return False  # "vad innehåller X?", "what does X contain?": its details
        # "and the mushroom rice?" after an allergen question asks the same of another dish
        shifted = _shifted(q)  # ("ok and hotteok?")
        follow = ctx.topic == "allergen_check" and (
            refs.only_names or (shifted and len(refs.items) == 1)
        )
        if ctx.standing() and shifted and refs.exact and "priceq" not in kinds:
            return True  # "what about the kladdkaka?" with a nut allergy standing
        if refs.only_names and not q.named and not ("allq" in kinds or follow):
            return False  # "räkor": the word names dishes, it asks nothing about them
        cues = bool(kinds & _DISH_CUES)
        # "seafood platter ok?" asks whether it fits; "ok and pide?" opens with the word
        asks_ok = any(t.kind == "fine" for t in q.toks[1:]) or any(
            t.raw.lower() in ("funkar", "fungerar")
            for t in q.toks  # "funkar pitan för oss?"
        )
        # ("do the croquetas have egg?", "har croquetas ägg?" ask it of both croquetas; "do you
        # have …", "har ni …" search)
        opener = (
            q.toks[0].raw.lower() in ASKING
            and q.toks[1:2] != []
            and (q.toks[1].raw.lower() not in _ADDRESSEES)
        )
        direct = asked and (
            cues or "frame" not in kinds or bool(q.named) or len(refs.items) == 1 or opener
        )
        return (
            "allq" in kinds
            or direct
            or (follow and not kinds & {"priceq", "detq"})
            or (ctx.standing() and (asks_ok or "q" in kinds) and not kinds & {"detq", "priceq"})
        )

    def _compared(self, q: Query, items: list[int]) -> Answer | None:
        """'which is cheaper, the leverpostej or the rullepølse?', 'vilken är billigast av
        dem?' about named dishes: the cheapest (or dearest) of those named, else None."""
        kinds = q.kinds
        sort = q.sort or ("cheap" if "max" in kinds and q.max_price is None else None)
        if sort is None or len(items) < 2 or q.diets or q.excluded:
            return None
        if not any(t.kind in ("or", "join") for t in q.toks):
            return None  # "cheapest burrito": a search among them, not two dishes compared
        names = self.index.words_of_names(items)
        if any(not ((t.words | {t.word}) & names) for g in q.terms for t in g):
            return None  # "cheapest burrito with chicken": a search
        ctx = self.ctx
        mask = 0
        for i in items:
            mask |= 1 << i
        # (what the diner can't eat is never the answer: the standing constraints apply)
        fits = select(
            self.index, Query(toks=[]), diets=ctx.diets, excluded=ctx.excluded, within=mask
        )
        ids = bits(extreme(self.index, fits.mask, sort))
        if not ids:
            return None
        ctx.last, ctx.focus = ids, ids if len(ids) == 1 else []
        ctx.topic = intent = "cheapest" if sort == "cheap" else "most_expensive"
        lines = [r.tpl(self.lang, sort, q=""), *r.listing(self.index, ids, self.lang)]
        return self.done(lines, ids, intent)

    def _found_one(self, q: Query) -> Answer | None:
        """A question about "the X" whose words find exactly one dish, though no name says
        them ("how much is the herring?" of the Oseledets, "whats the cake of the day" of the
        Bolo do Dia, "and the herring?" right after an allergen answer), else None."""
        kinds = q.kinds
        # ("how much for the shwarma rulle kyckling": one word it does not know)
        unknown = bool(q.unknown_terms) and not ("priceq" in kinds and len(q.unknown_terms) == 1)
        if not q.terms or q.sort is not None or unknown:
            return None
        if all(self.index.in_section(t) for g in q.terms for t in g):
            return None  # "whats on the kids menu": a section asked for, however few it holds
        if q.max_price is not None or q.min_price is not None:
            return None
        determined = q.toks[0].raw.lower() in ASKING or any(
            after_determiner(q.toks, n) and t.kind in (TERM, ALLERGEN) for n, t in enumerate(q.toks)
        )
        # ("musslorna, innehåller de skaldjur?": a Swedish definite form is its own "the")
        asks = self._asks_of_one(q, determined or any(definite_form(t) for t in q.toks))
        if asks is not None:
            return asks
        if q.excluded:
            return None
        # ("glassen?" right after an allergen answer: a definite form alone is "and the X?")
        # ("och räkorna?": the prawns, though an allergen word names them)
        bare = all(t.kind in (TERM, ALLERGEN, "stop", "join") for t in q.toks) and any(
            definite_form(t) or _definite_food(q, n) for n, t in enumerate(q.toks)
        )
        shifted = self.ctx.topic == "allergen_check" and (_shifted(q) or bare)
        # ("berätta om fisksoppan", "tell me about": no "the", but no "what … do you have")
        determined = (
            determined
            or bare
            or any(t.kind == "detq" and t.word not in _WHAT_WORDS for t in q.toks)
        )
        if not ("priceq" in kinds or (determined and ("detq" in kinds or shifted))):
            return None
        # (a diet said of it describes it: "the veggie tasting menu")
        mask = select(self.index, q, diets=q.diets, excluded=[]).mask
        found = bits(mask)
        if len(found) != 1 and any(t.raw.lower() == "one" for t in q.toks):
            # "the jackfruit one" of the dishes just listed or talked about
            found = bits(mask & sum(1 << i for i in {*self.ctx.last, *self.ctx.focus}))
        if len(found) > 1:  # (else the one whose name says the words)
            found = bits(_by_names(self.index, q.terms, mask))
        if len(found) != 1:
            return None
        intent = "price_check" if "priceq" in kinds else "dish_details"
        if not shifted:  # the words that found it are its name ("vad kostar laxen?"), not asked
            q.asked = _asked_beside_name(q, lambda t: any(t is u for g in q.terms for u in g))
        elif bare:  # ("och räkorna?" asks again what was asked, of the prawns)
            q.asked = _asked_beside_name(
                q, lambda t: definite_form(t) or _definite_food(q, q.toks.index(t))
            )
        return self.about(q, found, "allergen_check" if shifted else intent)

    def _asks_of_one(self, q: Query, determined: bool) -> Answer | None:
        """An allergen or diet question about "the X" whose food words find exactly one dish
        though no name says them ("innehåller räkorna mjölk?" of the Langostinos, "är den
        grillade kycklingen glutenfri?", "i'm allergic to shellfish, is the fish soup ok?"),
        looked for in the last list first ("does the chicken one have eggs?"), else None."""
        kinds, ctx = q.kinds, self.ctx
        if "priceq" in kinds or not (determined and kinds & {"q", "allq"}):
            return None
        if not (q.asked or q.diets or ctx.standing()):
            return None
        food = [g for g in q.terms if not all(t.kind == ALLERGEN for t in g)]
        last = sum(1 << i for i in ctx.last)
        # (an allergen word may be a food word too: "the fish soup", "räkorna"; the others
        # are what is asked: "innehåller räkorna mjölk?")
        tried = [food, *([*food, g] for g in q.terms if g not in food)]
        # ("innehåller vegansk gulasch soja?": a diet said before the food word describes it)
        described = [
            str(a.payload)
            for a, b in itertools.pairwise(q.toks)
            if a.kind == DIET and any(b is t for g in food for t in g)
        ]
        for groups, diets in ((food, described), *((g, []) for g in tried)):
            if not groups or (groups is food and diets is described and not diets):
                continue
            mask = select(self.index, replace(q, terms=groups), diets=diets, excluded=[]).mask
            mask = _by_names(self.index, groups, mask)
            in_last = bits(mask & last)
            found = in_last if len(in_last) == 1 else bits(mask)
            if len(found) == 1:
                # (the words that found it name it, but an allergen word only by the menu's
                # own text: "soja" that found the one gulasch with soy is still asked)
                said = {id(t) for g in groups for t in g if t.kind != ALLERGEN or t.words}
                q.asked = _asked_beside_name(q, lambda t, said=said: id(t) in said)
                return self.about(q, found, "allergen_check")
        return None

    def _only_match(self, q: Query, i: int) -> bool:
        """True when the message's words find this dish and no other ("carbonarra"), unlike
        "choklad", which also finds the chokladboll."""
        found = select(self.index, q, diets=[], excluded=[]).mask
        return found == 1 << i

    def _described(self, q: Query) -> Answer | None:
        """ "does the salmon one have mustard?", "the one with chicken", "den med lax": the one
        dish of the last list (else of the menu) that the words between describe."""
        span = _descriptor(q.toks)
        if span is None:
            return None
        words = [q.toks[n] for n in span]
        sub = Query(
            toks=words,
            terms=[[t] for t in words if t.kind != DIET],
            diets=[str(t.payload) for t in words if t.kind == DIET],
        )
        found = select(self.index, sub, diets=sub.diets, excluded=[]).mask
        last = 0
        for i in self.ctx.last:
            last |= 1 << i
        found = found & last or found
        if not found or found & (found - 1):
            return None
        rest = [t for n, t in enumerate(q.toks) if n not in span]
        q.toks = rest
        q.terms = [g for g in ([t for t in g if t not in words] for g in q.terms) if g]
        q.diets = [d for d in q.diets if d not in sub.diets]
        q.asked = [
            c
            for c in q.asked
            if any(t.kind in (ALLERGEN, ALWAYS) and c in t.payload for t in rest)  # type: ignore[operator]
        ]  # ("is the vegan one ok for a coeliac?" asks about gluten)
        q.pronoun = True
        self.ctx.focus = bits(found)
        # "and the strawberry one?" after "has it got nuts?" (or after a price) asks the same
        # of that dish
        topic = self.ctx.topic
        again = topic if topic in ("allergen_check", "price_check") else "dish_details"
        return self.pointed(q) or self.about(q, bits(found), again)

    def pointed(self, q: Query) -> Answer | None:
        """Answers about a dish the message points at: "the second one", "is it spicy?"."""
        ctx, kinds = self.ctx, q.kinds
        target: list[int] = []
        if q.ordinal is not None and ctx.last:
            pos = q.ordinal if q.ordinal >= 0 else len(ctx.last) + q.ordinal
            if 0 <= pos < len(ctx.last):
                target = [ctx.last[pos]]
        elif (q.pronoun or ("those" in kinds and ctx.topic not in _LIST_INTENTS)) and ctx.focus:
            # "is it spicy?", "e dom glutenfria?" (them: the dish(es) just asked about), but
            # "what sides can i have with it?", "any desserts for both of them?" ask for a section
            sections = bool(q.terms) and all(self.index.in_section(t) for g in q.terms for t in g)
            if sections and ("frame" in kinds or not kinds & {"q", "allq"}):
                return None
            # ("sorry, can we do this in English? any gluten free desserts?" after a pizza: a
            # section the dish in focus is not in asks for that section)
            held = sum(1 << i for i in ctx.focus)
            if sections and not any(self.index.in_section(t) & held for g in q.terms for t in g):
                return None
            # "och pumpasoppan, vad är det i den?", "and hot chocolate for her, is that ok?":
            # "it" is the other dish the message turns to, not the one in focus
            focus = sum(1 << i for i in ctx.focus)
            food = [g for g in q.terms if not all(t.kind in (ALLERGEN, DIET) for t in g)]
            found = (
                select(self.index, replace(q, terms=food), diets=[], excluded=[]).mask
                if food
                else 0
            )
            if _shifted(q) and found and not found & focus:
                return None
            if (kinds & _DISH_CUES or q.asked or q.diets or q.terms) and q.sort is None:
                target = list(ctx.focus)
        elif (
            kinds & {"priceq", "detq"}
            and len(ctx.focus) == 1
            and not (q.terms or q.diets or q.excluded or q.unknown)
            and q.sort is None  # ("whats the most expensive thing on the menu" asks anew)
        ):
            target = list(ctx.focus)  # "how much?", "vad ingår?"
        elif (
            ctx.topic == "allergen_check"
            and ctx.focus
            and (q.asked or q.diets)  # ("och mjölkfri?" after "e den glutenfri?")
            and (q.toks[0].kind == "join" or "shift" in kinds)
            and all(
                t.kind in (ALLERGEN, DIET, "post", "join", "or", "shift", "stop") for t in q.toks
            )
            and not (q.diets and {t.raw.lower() for t in q.toks} & _MANY)  # "and vegan ones?"
            # ("fiskrätter då?" asks for the fish dishes, not fish of the dish in focus)
            and not any(normalize(t.raw).endswith(_DISHES) for t in q.toks if t.kind == ALLERGEN)
            # ("och räkorna?" names the Suya Prawns: a dish, not the allergen)
            and not any(
                _definite_food(q, n) and any(w in self.index.names for w in t.words)
                for n, t in enumerate(q.toks)
            )
        ):
            target = list(ctx.focus)  # "does it have nuts?" … "and eggs?"
        elif (
            ctx.topic in _ONE_DISH_INTENTS
            and len(ctx.focus) == 1
            and q.asked
            and all(t.kind in (ALLERGEN, "stop", "q", "allq", "shift", "join") for t in q.toks)
            and not any(normalize(t.raw).endswith(_DISHES) for t in q.toks)  # "fiskrätter då?"
            # ("what about the prawns?" after a price asks of the prawn dish: an allergen word
            # that is a dish's name word is the dish)
            and not (
                kinds & {"shift", "join"}
                and any(
                    t.kind == ALLERGEN and any(w in self.index.names for w in t.words)
                    for t in q.toks
                )
            )
        ):
            target = list(ctx.focus)  # "whats the lamb one" … "dairy?", "what about sesame?"
        # ("the price of the other one" too: not the one in focus)
        other = (not target or target == ctx.focus) and bool(
            re.search(r"\bthe other\b", " ".join(t.raw.lower() for t in q.toks))
        )
        if other and len(ctx.last) == 2 and len(ctx.focus) == 1 and ctx.focus[0] in ctx.last:
            # "and the other one?" of two dishes: the one not talked about
            target = [i for i in ctx.last if i != ctx.focus[0]]
        if not target:
            return None
        what_in = "detq" in kinds and "allq" in kinds and not (q.asked or q.diets)
        # ("kan jag äta den då?" with an allergy standing asks whether it fits)
        eats = ctx.standing() and any(t.word in EAT_WORDS for t in q.toks)
        if ("allq" in kinds or q.asked or q.diets or eats) and not what_in:
            return self.about(q, target, "allergen_check")
        # "och den första?" asks again what the last turn asked: a price, or (of a dish by its
        # place in the list) the allergen question
        again = ctx.topic if _shifted(q) and not kinds & {"detq", "allq"} else None
        if "priceq" in kinds or again == "price_check":
            return self.about(q, target, "price_check")
        if again == "allergen_check" and (q.ordinal is not None or other):
            return self.about(q, target, "allergen_check")  # "and the third?" after "nuts?"
        if q.terms:
            return self.about(q, target, "dish_details", properties=True)
        return self.about(q, target, "dish_details")

    # --- standing constraints ---------------------------------------------------------------

    def _corrected_question(self, q: Query) -> Answer | None:
        """ "sorry i meant sesame" right after "does it have eggs?": the question is asked again
        with the other allergen; the standing allergies stay (never read as a restatement
        that withdraws them)."""
        ctx = self.ctx
        asked_before = [c for c in ctx.asked if c not in DIET_TAGS and c not in ctx.excluded]
        if not (ctx.topic == "allergen_check" and ctx.focus and q.only and asked_before):
            return None
        if q.kinds & {"pre", "post", "both", "forget", "reset"} or q.diets:
            return None
        if any(t.kind != ALLERGEN for g in q.terms for t in g):
            return None
        q.asked, q.excluded, q.only = list(q.only), [], []
        return self.about(q, list(ctx.focus), "allergen_check")

    def _named_before_it(self, q: Query, message: str) -> Answer | None:
        """ "getgrytan, är den stark?", "the goat curry, how much is it": the words before the
        comma find one dish, and "it" after it is that dish."""
        head, comma, tail = message.partition(",")
        if not (comma and q.pronoun and tail.strip()) or dish_refs(self.index, q).items:
            return None  # (a message that names the dish is read whole: "flan, är den ok?")
        first = parse(self.index, head)
        if not first.terms or first.kinds - {TERM, ALLERGEN, "stop", "dish"}:
            return None
        found = bits(select(self.index, first, diets=[], excluded=[]).mask)
        if len(found) > 1:  # ("fisken, är den stark?" of the one fish dish just listed)
            found = [i for i in found if i in self.ctx.last]
        if len(found) != 1:
            return None
        kept = copy.deepcopy(self.ctx)
        self.ctx.focus = found
        got = self.respond(tail)
        if got.intent == "unknown":  # (the whole message is read as it is, then)
            vars(self.ctx).update(vars(kept))  # (the same object: respond holds it)
            return None
        return got

    def _correct_diets(self, q: Query) -> None:
        """A diet told in place of a standing one replaces it: "actually im just vegetarian not
        vegan", "im vegetarian not vegan", "egentligen bara vegetarian" after "im vegan"."""
        ctx = self.ctx
        if not q.diets:
            return
        gone = {d for d in ctx.diets if d in q.not_diets}
        # (vegan and vegetarian are one diet, stricter or not; the others stand beside)
        if set(q.diets) & _MEAT_DIETS and any(
            t.word in CORRECTION_WORDS or t.word in ONLY_WORDS for t in q.toks
        ):
            gone |= {d for d in ctx.diets if d in _MEAT_DIETS}
        # ("sorry i meant dairy free" after "gluten free desserts?": the one said instead)
        if any(t.raw.lower() in _MEANT for t in q.toks):
            gone |= set(ctx.diets)
        ctx.diets = [d for d in ctx.diets if d not in gone or d in q.diets]

    def _restated(self, q: Query) -> bool:
        """The diner restates an allergy without "forget": "she's fine with sesame, just
        peanuts", "actually only peanuts" (after "can't have nuts"), "hon klarar sesam"."""
        allows = set(q.allowed) & set(self.ctx.excluded)
        return bool(allows or (q.only and (self.ctx.excluded or q.allowed or q.withdrawn)))

    def _swapped(self, q: Query) -> bool:
        """A correction that swaps one standing allergy for another: "actually its celery not
        mustard, sorry", "förlåt, det är selleri inte senap". The negated one is withdrawn, the
        other stands (q is changed so)."""
        wrong = [c for c in q.excluded if c in self.ctx.excluded]
        right = [c for c in q.asked if c not in q.excluded]
        raws = {t.raw.lower() for t in q.toks}
        asking = self.message.rstrip().endswith("?") or q.toks[0].raw.lower() in ASKING
        if wrong and not right and not raws & _NOT_A_SWAP:
            # "nej förlåt, han är allergisk mot ägg, inte gluten", "sorry, I got that wrong -
            # it's milk he can't have, not eggs": the allergy told is the right one, the
            # standing one negated the wrong one (with a correction word, checked below)
            # (or said plainly: "nej förlåt, det är ägg, inte sesam")
            said = [c for g in q.terms for t in g if t.kind == ALLERGEN for c in t.payload]  # type: ignore[union-attr]
            right = [c for c in (*q.excluded, *said) if c not in self.ctx.excluded]
            right = list(dict.fromkeys(right))
            wrong = [c for c in wrong if c not in right]
            if not (right and wrong) or any(t.kind != ALLERGEN for g in q.terms for t in g):
                return False
            q.terms = []
        elif (
            not (wrong and right)
            # (a question, not "förlåt, det är selleri inte senap")
            or (q.kinds & {"q", "allq"} and (asking or "allq" in q.kinds))
            or (q.terms and not all(t.kind == ALLERGEN for g in q.terms for t in g))
        ):
            return False
        if not any(t.word in CORRECTION_WORDS for t in q.toks):
            return False
        q.withdrawn, q.excluded, q.only = wrong, right, []
        return True

    def withdraw(self, q: Query, restated: bool = False) -> Answer:
        ctx = self.ctx
        standing = set(ctx.diets)
        plain_restate = restated and not q.kinds & {"forget", "reset"}
        codes: set[str] = set(q.withdrawn) or set(q.excluded)
        added: list[str] = []
        if plain_restate:
            # what the diner can eat goes, and "only X" keeps X alone; new exclusions stand
            codes = set(q.withdrawn) | (set(q.allowed) & set(ctx.excluded))
            if q.only:
                codes |= set(ctx.excluded) - set(q.only)
            # "bara sesam han inte tål, inte mjölk": with "only", a standing one named again goes
            added = [*q.only, *(c for c in q.excluded if not q.only or c not in ctx.excluded)]
        elif q.denied and not q.withdrawn:
            codes = set(ctx.excluded)  # "actually no allergy": every exclusion goes
        elif not q.withdrawn:
            # what "forget" names, up to the next comma; an exclusion after it stands ("forget
            # vegan, my friend just wants a crepe without nuts")
            named = _forgotten(q)
            codes = {c for t in named if t.kind in (ALLERGEN, ALWAYS) for c in t.payload}  # type: ignore[attr-defined]
            # ("glöm det, hon tål lite mjölk ändå": what she can eat goes too)
            codes |= set(q.allowed) & set(ctx.excluded)
            # "glöm glutenet, det är bara laktos": what comes after "only" stands, and so does
            # an exclusion said after what was forgotten ("glöm nötterna, hon tål bara inte
            # jordnötter": the bare nuts named peanuts too)
            codes -= set(q.only) | _excluded_after(q, len(named))
            added = [*q.only, *(c for c in q.excluded if c not in codes)]
        # a restatement speaks of allergies: a diet it names still stands ("only peanuts, and
        # she's vegan")
        diets = set() if plain_restate else _forgotten_diets(q)
        # "forget the gluten thing" names gluten; the diner may have asked for gluten-free.
        for diet, conflict in CONFLICTS.items():
            if diet in ctx.diets and conflict & codes and diet in ("gluten-free", "dairy-free"):
                diets.add(diet)
        unclear = (
            [t for t in _forgotten(q) if t.kind in (TERM, "unk")] if q.kinds & {"forget"} else []
        )
        if (
            not (codes or diets or restated or q.withdrawn or q.denied)
            and unclear
            and "reset" not in q.kinds
        ):
            # "glöm blorpen": a word it does not understand may name what to forget; nothing
            # goes on a guess (the widget's engine refuses the same)
            head = r.tpl(
                self.lang, "unknown_words", w=r.quoted([t.raw for t in unclear], self.lang)
            )
            lines = (
                [head, r.standing_line(ctx.diets, ctx.excluded, self.lang)]
                if ctx.standing()
                else [head]
            )
            return self.done(lines, [], "unknown", suggest=True, answered=False, note=False)
        names = ""
        if restated and not (codes or diets):
            dropped_all = False  # "actually only peanuts" when peanuts alone stood
        elif "reset" in q.kinds or not (codes or diets):
            dropped_all = True
            ctx.diets, ctx.excluded = [], []
            if "reset" in q.kinds:
                ctx.last, ctx.focus, ctx.query = [], [], ""
        else:
            dropped_all = False
            names = r.withdrawn_names(
                [d for d in DIET_TAGS if d in diets],
                [c for c in ALLERGENS if c in codes],
                self.lang,
            )
            ctx.diets = [d for d in ctx.diets if d not in diets]
            ctx.excluded = [c for c in ctx.excluded if c not in codes]
        ctx.add(excluded=added)
        self.earlier = (list(ctx.diets), list(ctx.excluded))
        if dropped_all:
            head = r.tpl(self.lang, "forgot_all")
        elif names:
            head = r.tpl(self.lang, "forgot", x=names)
        else:
            head = r.standing_line(ctx.diets, ctx.excluded, self.lang)
        # "ok forget the eggs, it's fine. how much is the chin chin?": a question of its own
        # after the forget is answered as if asked alone, under what still stands
        question = _last_clause(self.message)
        if question is not None:
            asked = parse(self.index, question)
            # (of something: not "vad blir det då?", which asks for the list again)
            of_something = asked.terms or asked.named or "priceq" in asked.kinds
            if (
                asked.kinds & {"priceq", "detq", "allq"}
                and of_something
                and not asked.kinds & {"forget", "reset"}
                and not (asked.withdrawn or asked.denied or asked.excluded or asked.diets)
            ):
                then = self.respond(question)
                return replace(then, reply=f"{head}\n{then.reply}")
        # "forget the sesame, what wraps do you have?": the rest of the message is the search
        q.terms = [g for g in ([t for t in g if t.kind != ALLERGEN] for g in q.terms) if g]
        q.excluded, q.asked, q.neg_terms, q.unknown = [], [], [], []
        # a standing diet named here was withdrawn ("forget the vegan thing, what starters…");
        # another one is asked for ("actually no allergy, just show me vegan options")
        if not (q.withdrawn or q.denied):
            q.diets = [d for d in q.diets if d not in standing]
        if q.terms or q.diets or q.max_price is not None or q.min_price is not None:
            # (remembered without what it forgot: "forget the sesame, …" is no sesame search)
            said = _forgotten(q) if "forget" in q.kinds else []
            rest = q.toks[len(said) :] or q.toks  # ("forget the dairy thing. desserts?")
            words = " ".join(t.raw for t in rest if t.kind not in (ALLERGEN, ALWAYS, "forget"))
            return self.search(q, head=[head], remembered=words)
        if ctx.query and "reset" not in q.kinds:
            again = parse(self.index, ctx.query)
            # the old search's own words must not bring back what was just withdrawn
            again.excluded = [c for c in again.excluded if c in ctx.excluded]
            again.diets = [d for d in again.diets if d in ctx.diets]
            return self.search(again, head=[head], remember=False)
        return self.done([head], [], "help", suggest=True)

    # --- lists ------------------------------------------------------------------------------

    def search(  # type: ignore[assignment]
        self,
        q: Query,
        *,
        head: list[str] = (),
        remember: bool = True,
        remembered: str | None = None,
    ) -> Answer:
        """List answers: search, cheapest, most_expensive, follow-ups on the last list."""
        index, ctx, lang = self.index, self.ctx, self.lang
        kinds = q.kinds
        # (a word left out narrows as an allergen does: "vilken är alkoholfri?" of the ciders)
        constraint_only = bool(
            q.diets
            or q.excluded
            or (q.neg_terms and "frame" not in kinds)  # (not "something non alcoholic?")
            or q.max_price is not None
            or q.min_price is not None
        ) and not (q.terms or q.unknown_terms or q.sort is not None)
        bare = not (q.terms or q.neg_terms or q.diets or q.excluded or q.unknown_terms)
        bare = bare and q.max_price is None and q.min_price is None
        # Follow-ups re-read the last search (never its stored ids, so a dish added or sold
        # out since is seen): "which of those are gluten free?", "without eggs", "under 70?",
        # "which is the cheapest?".
        narrowing = bool(ctx.query) and (
            "those" in kinds or (constraint_only and ctx.topic in _LIST_INTENTS)
        )
        # ("only desserts" right after "anything under a fiver?": those of the list)
        narrowing = narrowing or (
            bool(ctx.query)
            and ctx.topic in _LIST_INTENTS
            and q.toks[0].word in ONLY_WORDS
            and next((t.kind for t in q.toks[1:] if t.kind != "stop"), None) == TERM
            and not q.asked
            and not kinds & {"shift", "join"}
        )
        # ("which are mains" right after the beef dishes: those of the list; "which are your
        # mains" asks anew)
        raws = [t.raw.lower() for t in q.toks]
        # ("spicy ones?" right after a list: the spicy ones of it)
        narrowing = narrowing or (
            bool(ctx.query)
            and ctx.topic in _LIST_INTENTS
            and "ones" in raws
            and bool(q.terms)
            and not kinds & {"shift", "join"}
        )
        narrowing = narrowing or (
            bool(ctx.query)
            and ctx.topic in _LIST_INTENTS
            and raws[:1] in (["which"], ["vilka"])
            and raws[1:2] in (["are"], ["är"], ["e"])
            and not set(raws) & _YOURS
            and bool(q.terms)
        )
        # (an allergy or diet told right after a list narrows it too: "han är allergisk mot
        # ägg" after the kids' menu; when nothing there fits, the whole menu is searched)
        told = narrowing and "those" not in kinds and _states(q)
        unnarrowed = (list(q.terms), list(q.neg_terms), q.max_price, q.min_price, q.below)
        sort_within = q.sort is not None and bare and bool(ctx.query)
        sort_within = sort_within and not any(t.raw.lower() in WHOLE_MENU for t in q.toks)
        # "vilken är billigast?" right after two dishes were asked about: one of those
        focus_within = (
            q.sort is not None and bare and len(ctx.focus) > 1 and ctx.topic not in _LIST_INTENTS
        )
        sort_within = sort_within and not focus_within
        cheaper_than = None
        if "max" in kinds and q.max_price is None and bare:
            # "any cheaper?": cheaper than the dish in focus, else the cheapest of the last list
            if len(ctx.focus) == 1 and ctx.topic not in _LIST_INTENTS:
                cheaper_than = index.items[ctx.focus[0]].price
            elif ctx.query:
                q.sort, sort_within = "cheap", True
        shift = bool(ctx.query) and (
            "shift" in kinds or (bool(q.toks) and q.toks[0].kind == "join")
        )
        if narrowing or sort_within or shift:
            before = parse(index, ctx.query, names=False)
            if narrowing or sort_within:
                q.terms = [*before.terms, *q.terms]
                q.neg_terms = [*before.neg_terms, *q.neg_terms]
            if q.max_price is None and q.min_price is None:
                q.max_price, q.min_price = before.max_price, before.min_price
                q.below = before.below
        ctx.add(diets=q.diets, excluded=q.excluded)
        diets, excluded = ctx.diets, ctx.excluded
        sel = select(index, q, diets=diets, excluded=excluded)
        if focus_within:
            sel.mask &= sum(1 << i for i in ctx.focus)
        if told and not sel.mask:
            q.terms, q.neg_terms, q.max_price, q.min_price, q.below = unnarrowed
            narrowing = False
            sel = select(index, q, diets=diets, excluded=excluded)
        mask = sel.mask
        # "10 wings price", "are the 5 wings spicy": the dishes whose names say the number
        counted, numbers = 0, _numbers_said(q)
        for i in bits(mask) if numbers else ():
            if numbers & set(index.name_plain[i]):
                counted |= 1 << i
        mask = counted or mask
        if cheaper_than is not None:
            mask = 0
            focus_item = index.items[ctx.focus[0]]
            base = parse(index, ctx.query) if ctx.query else None
            pool = (
                select(index, base, diets=diets, excluded=excluded).mask
                if base is not None
                else index.available
            )
            for i in bits(pool):
                item = index.items[i]
                if item.price < cheaper_than and (
                    base is not None or item.category == focus_item.category
                ):
                    mask |= 1 << i
        # ("vad kostar en öl?" of two beers, "how much are the platters": their prices)
        priced = "priceq" in kinds and q.max_price is None and q.min_price is None
        intent = "price_check" if priced and 0 < mask.bit_count() <= r.MAX_LISTED else "search"
        if q.sort is not None:
            mask = extreme(index, mask, q.sort)
            intent = "cheapest" if q.sort == "cheap" else "most_expensive"
        ids = bits(mask)
        phrase = r.describe(q, diets, excluded, self.earlier, self.cur, lang)
        lines = list(head)
        gone = []
        # (only a section: "beef curry" asks for a dish, though "curry" names the Curries)
        sections = all(any(index.in_section(t) for t in g) for g in q.terms)
        if not ids and q.terms and q.sort is None and not (narrowing or sections):
            # "octopus?", "har ni ostron": the dish the words find is sold out today (a
            # section asked for, "efterrätter?", found nothing that fits)
            gone = bits(select(index, q, diets=diets, excluded=excluded, sold_out=True).mask)
            # "and the ice cream?" under a standing egg allergy: the one dish it names does not
            # fit; say why (it is flagged) rather than that nothing was found
            named = bits(select(index, q, diets=[], excluded=[]).mask)
            # ("kan han äta musslor?", "can i have the duck?": of the dish, not a search)
            asks_eat = "q" in kinds and any(t.word in EAT_WORDS for t in q.toks)
            said_of_one = any(
                (after_determiner(q.toks, n) or asks_eat) and not index.in_section(t)
                for n, t in enumerate(q.toks)
                # (not "the kids menu"; "musslor" is one kind of allergen food, a dish word)
                if (t.kind == TERM and t.payload is None)
                or (t.kind == ALLERGEN and t.word in SPECIFIC)
            )
            if not gone and 0 < len(named) <= 3 and said_of_one and (diets or excluded):
                return self.about(q, named, "allergen_check")
        if gone and len(gone) <= r.MAX_LISTED:
            lines += [r.tpl(lang, "gone", name=index.items[i].name) for i in gone]
            # ("how much r the chicken hearts", "oysters?": a question about the sold-out dish
            # its name says, not a search of a section)
            said = {w for g in q.terms for t in g for w in t.words}
            if "priceq" in kinds:
                intent = "price_check"
            elif all(said & index.name_words[i] for i in gone):
                intent = "dish_details"
        elif not ids:
            lines.append(r.tpl(lang, "none", q=phrase or r.tpl(lang, "everything")))
        elif q.sort is not None:
            lines.append(r.tpl(lang, q.sort, q=" " + phrase if phrase else ""))
        elif cheaper_than is not None:
            lines.append(r.tpl(lang, "which_cheaper", q=""))
        elif phrase and not phrase.startswith("("):
            lines.append(r.tpl(lang, "found", q=phrase))
        elif phrase:  # only standing constraints: "Keeping in mind: without nuts, …"
            lines.append(r.standing_line(diets, excluded, lang))
        else:
            lines.append(r.tpl(lang, "all"))
        lines += r.listing(index, ids, lang)
        lines += r.left_out(sel, lang)
        if q.unknown_terms and q.terms:
            words = r.quoted([t.raw for t in q.unknown_terms], lang)
            lines.append(r.tpl(lang, "unknown_words", w=words))
        if remember:
            if narrowing:
                said = _words_of(q) if remembered is None else remembered
                ctx.query = f"{ctx.query} {said}".strip()[-conversation.MAX_QUERY :]
            elif cheaper_than is not None and ctx.query:
                pass  # "any cheaper?" keeps the list it looked below ("the cheapest of those?")
            elif q.sort is None or not bare:
                ctx.query = _words_of(q) if remembered is None else remembered
        if not sort_within:
            ctx.last = ids  # "which is the cheapest?" keeps the list it chose from
        # (an allergy told, nothing asked, keeps the dish talked about: "vad är txipirones?" …
        # "jag är allergisk mot sulfiter" … "kan jag äta den då?")
        told_only = constraint_only and _states(q) and not narrowing
        # (a search that finds nothing keeps it too: "any sesame-free sauces?" … none …
        # "ok how much is it then?")
        ctx.focus = ids if len(ids) == 1 else (ctx.focus if told_only or not ids else [])
        ctx.topic = intent
        remind = bool(excluded or diets or q.asked)
        answered = bool(ids or gone)
        return self.done(lines, ids, intent, remind=remind, suggest=not ids, answered=answered)

    # --- one dish ---------------------------------------------------------------------------

    def about(self, q: Query, refs: list[int], intent: str, *, properties: bool = False) -> Answer:
        """One-dish answers (allergen_check, price_check, dish_details), for each dish named."""
        index, ctx, lang = self.index, self.ctx, self.lang
        # An allergy stated with the question ("I'm allergic to nuts, can I eat X?") stands;
        # one asked about ("is it ok for someone with a hazelnut allergy?") does not.
        if _states(q):
            ctx.add(excluded=q.excluded)
        asked, asked_diets = list(q.asked), list(q.diets)
        if intent == "allergen_check" and not (asked or asked_diets) and ctx.topic == intent:
            # "what about the gravy?": the same question about another dish; an allergen asked
            # of the last dish is asked again beside what stands, a diet only when nothing does
            asked = [c for c in ctx.asked if c not in DIET_TAGS]
            if not ctx.standing():
                asked_diets = [d for d in ctx.asked if d in DIET_TAGS]
        codes = [c for c in dict.fromkeys([*asked, *ctx.excluded])]
        diets = [d for d in DIET_TAGS if d in {*asked_diets, *ctx.diets}]
        lines: list[str] = []
        fits: list[int] = []
        flagged: list[tuple[int, tuple[str, ...]]] = []
        shown = 0
        for i in refs:
            item = index.items[i]
            if not item.available:
                lines.append(r.tpl(lang, "gone", name=item.name))
                continue
            conflicts = conflicts_of(index, i, diets=diets, codes=codes)
            if conflicts:
                # (flagged with what was asked, when the dish fails it: "does it have nuts?"
                # under a standing vegan diet names the nuts)
                own = conflicts_of(index, i, diets=list(q.diets), codes=list(q.asked))
                flagged.append((i, own if own else conflicts))
            else:
                fits.append(i)
            shown += 1
            if shown > r.MAX_LISTED:
                continue
            if intent == "allergen_check":
                if "priceq" in q.kinds:  # "how much is the flan and is it gluten free?"
                    lines.append(r.item_line(item, self.cur, lang))
                lines += r.allergen_lines(item, codes, diets, index, i, lang)
            elif intent == "price_check":
                lines.append(r.item_line(item, self.cur, lang))
                lines += r.conflict_lines(item, conflicts, lang)
            else:
                if properties:
                    lines += r.property_lines(item, q, index, i, lang)
                else:
                    lines += r.detail_lines(item, self.cur, lang)
                lines += r.conflict_lines(item, conflicts, lang)
        if shown > r.MAX_LISTED:
            lines.append(r.tpl(lang, "more", n=shown - r.MAX_LISTED))
        kept = [i for i in refs if index.items[i].available]
        if kept:
            ctx.focus = kept
        ctx.topic = intent
        ctx.asked = [*asked, *asked_diets] if intent == "allergen_check" else []
        # every answer that speaks of allergens ends with the reminder (details list them)
        remind = (
            intent != "price_check"
            and bool(kept)
            and ((intent in ("allergen_check", "dish_details") and not properties) or bool(codes))
        )
        remind = remind or (intent == "price_check" and bool(flagged))
        return self.done(lines, fits, intent, flagged=flagged, remind=remind)

    # --- opening hours ----------------------------------------------------------------------

    def _meal_time(self, q: Query) -> bool:
        """When a meal is served, or whether one can come now: "lunch nu?", "are you doing
        brunch today", "do you do lunch on thursdays", "when does the buffet end", "kan man
        komma och äta nu?" (the hours and their note answer). Not "whats for lunch today" or
        "vad finns på lunchen idag" (dishes), nor a meal beside other menu words."""
        raws = [t.raw.lower() for t in q.toks]
        timed = q.kinds & {"now", "today", "tomorrow", "late"} or q.days or q.clock is not None
        if not (timed or set(raws) & MEAL_WHEN):
            return False  # (no time and no "when": no meal time asked)
        meals = {n for n, w in enumerate(raws) if any(s in w for s in MEAL_STEMS)}
        if not meals:
            # coming in or eating, now: "kan vi komma och äta nu?", "can we come now"
            return bool(
                "now" in q.kinds
                and set(raws) & (COME_WORDS | EAT_WORDS)
                and not (q.terms or q.unknown_terms or set(raws) & DISH_ASK)
            )
        meal_toks = [q.toks[n] for n in meals]
        if any(t not in meal_toks and t.raw.lower() != "dagens" for g in q.terms for t in g):
            return False  # "vegan lunch today?", "lunch pad thai": dishes
        when = bool(set(raws) & MEAL_WHEN)
        if not (when or q.kinds & {"now", "today", "tomorrow", "late"} or q.days or q.clock):
            return False
        # "har ni lunchbuffé idag?" of the Lunchbuffé asks for the dish
        names = q.named or any(
            len(p) == 1 and p[0] in t.words | {t.word}
            for p in self.index.name_plain
            for t in meal_toks
        )
        if not when and (set(raws) & DISH_ASK or names):
            return False
        # "och lunchen nu?" after a list narrows it; after an hours answer it asks the hours
        return when or raws[0] not in ("och", "and") or self.ctx.topic == "hours"

    def _about_time(self, q: Query) -> bool:
        """A follow-up to an hours answer: "till när?", "and on friday?", "och julafton?"."""
        return bool(
            q.days
            or q.dates
            or q.clock is not None
            or q.kinds & {"today", "tomorrow", "now", "late"}
            or any(t.word in _WHEN_WORDS for t in q.toks)
        )

    def hours(self, q: Query) -> Answer:
        today = q.kinds & {"today", "now"}  # ("and tonight till when": not that day again)
        if self.ctx.topic == "hours" and not (q.days or q.dates or today) and self.ctx.query:
            before = parse(self.index, self.ctx.query, names=False)
            q.days, q.dates = before.days, before.dates  # "till när?" about that day
        self.ctx.topic = "hours"
        self.ctx.query = _words_of(q)
        lines, priced = self._hours_text(q), []
        if "priceq" in q.kinds:
            # "vad kostar en kebabpizza och har ni öppet på söndag?": the price too
            priced = [i for i in dish_refs(self.index, q).items if self.index.items[i].available]
            lines += [r.item_line(self.index.items[i], self.cur, self.lang) for i in priced]
            self.ctx.focus = priced or self.ctx.focus  # "är den halal?" asks of it
        return self.done(lines, priced, "hours", note=False)

    def _hours_text(self, q: Query) -> list[str]:
        info, lang = self.index.restaurant, self.lang
        lines: list[str] = []
        if not hours.parses(info):
            value = info.opening_hours.strip()
            lines.append(r.tpl(lang, "hours", v=value) if value else r.tpl(lang, "nofact"))
        else:
            lines += self._hours_lines(q)
        if info.hours_note.strip():
            lines.append(r.tpl(lang, "hours_note", v=info.hours_note.strip()))
        return lines

    def _hours_lines(self, q: Query) -> list[str]:
        info, lang, kinds = self.index.restaurant, self.lang, q.kinds
        now = hours.local_now(info, self.now)
        today = now.date()
        days = []
        for md in q.dates:
            d = hours.next_date(today, md)
            if d is not None:
                days.append(d)
        days += [hours.next_weekday(today, wd) for wd in q.days]
        if "tomorrow" in kinds:
            days.append(today + timedelta(days=1))
        if q.clock is not None:
            # "at 11 on saturday?": open then or not, and that day's hours
            day = days[0] if days else today
            spans = hours.day_intervals(info, day)
            h, m = q.clock
            # ("at 8" on an evening is 20:00 when only that is open)
            for hour in (h, h + 12) if 1 <= h <= 10 and not q.clock_meridiem else (h,):
                at = datetime.combine(day, time(hour, m))
                if any(a <= at < b for a, b in spans):
                    h, key = hour, "open_at"
                    break
            else:
                key = "closed_at"
            said = r.when(day, today, lang)
            said = r.tpl(lang, "on_day", d=said) if (day - today).days > 1 else said
            return [
                r.tpl(lang, key, t=f"{h:02d}:{m:02d}", d=said),
                self._day_line(day, today),
            ]
        if days:
            lines = [self._day_line(d, today) for d in dict.fromkeys(days)]
            if len(set(days)) == 1 and not hours.day_intervals(info, days[0]):
                # "och imorgon?" on a closed day: and when it opens next
                lines += self._opens_next(datetime.combine(days[0], time(23, 59)), today)
            return lines
        asks_when = any(t.word in _WHEN_WORDS for t in q.toks)
        week = any(w in _WEEK_WORDS for t in q.toks for w in t.word.split())
        if "now" in kinds or (
            "q" in kinds and not (asks_when or week) and not kinds & {"today", "late", "week"}
        ):
            return self._now_lines(now)
        closing = any(t.raw.lower() in CLOSING or t.word in CLOSING for t in q.toks) and not week
        if kinds & {"today", "late"} or closing:
            spans = hours.day_intervals(info, today)
            if not spans:  # and when it opens next ("har ni öppet idag" on a Monday)
                return [r.tpl(lang, "closed_today"), *self._opens_next(now, today)]
            current = hours.open_interval_at(info, now)
            if current is None and spans[-1][1] <= now:
                # ("open tonight?" at 19:30 at a lunch place: closed now, and when it opens)
                return self._now_lines(now)
            end = (current or spans[-1])[1]
            return [r.tpl(lang, "close_today", t=hours.clock(end)), self._day_line(today, today)]
        lines = [r.tpl(lang, "hours_week")]
        for name, spans in hours.week_lines(info, today, lambda n: r.day_name(n, lang)):
            if spans is None:
                lines.append(r.tpl(lang, "day_closed", d=name))
            else:
                lines.append(r.tpl(lang, "day_open", d=name, x=spans))
        return lines

    def _now_lines(self, now: datetime) -> list[str]:
        info, lang = self.index.restaurant, self.lang
        current = hours.open_interval_at(info, now)
        if current is not None:
            end = current[1]
            key = "open_until" if end.date() == now.date() else "open_until_tomorrow"
            return [r.tpl(lang, key, t=hours.clock(end))]
        # ("still open?" at 23:00 on a Sunday: "Today we closed at 22:30.")
        ended = [b for _, b in hours.day_intervals(info, now.date()) if b <= now]
        since = [r.tpl(lang, "closed_since", t=hours.clock(ended[-1]))] if ended else []
        return [r.tpl(lang, "closed_now"), *since, *self._opens_next(now, now.date())]

    def _opens_next(self, after: datetime, today) -> list[str]:  # type: ignore[no-untyped-def]
        """ "We open again Tuesday at 17:00." (nothing when it does not open within two weeks)"""
        nxt = hours.next_opening(self.index.restaurant, after)
        if nxt is None:
            return []
        return [
            r.tpl(
                self.lang, "opens_next", d=r.when(nxt.date(), today, self.lang), t=hours.clock(nxt)
            )
        ]

    def _day_line(self, day, today) -> str:  # type: ignore[no-untyped-def]
        info, lang = self.index.restaurant, self.lang
        spans = hours.day_intervals(info, day)
        name = r.when(day, today, lang, capital=True)
        if not spans:
            return r.tpl(lang, "day_closed", d=name)
        return r.tpl(lang, "day_open", d=name, x=", ".join(hours.span(s) for s in spans))


def _sibling_named(index: MenuIndex, q: Query, i: int) -> list[int]:
    """ "vad kostar en gyros pita med kyckling?": the name said (Gyros pita) and the words after
    it say a sibling's whole name (Gyros pita kyckling): that one."""
    said = {w for g in q.terms for t in g for w in t.words | {t.word}}
    base = index.name_words[i]
    siblings = [
        j
        for j, words in enumerate(index.name_words)
        if j != i and base < words and (words - base) & said and index.items[j].available
    ]
    return siblings if len(siblings) == 1 else [i]


def _what_is(q: Query) -> bool:
    """Does the message open "what is …", "whats …", "vad är …"?"""
    first = q.toks[0].raw.lower()
    second = q.toks[1].kind if len(q.toks) > 1 else None
    return first == "whats" or (first in ("what", "vad") and second == "q")


def _naming_words(q: Query, names: frozenset[str]) -> list[Tok]:
    """The allergen words of the message that belong to how it names the dish: a word of the
    name (or one letter off it: "tofu" of "dōfu"), or a word right after one, before the
    question goes on ("the mochi ice cream have …"). When the message spells the name out,
    its words are marked already: an allergen word beside them is asked."""
    if q.named:
        return []
    out = []
    for n, t in enumerate(q.toks):
        if t.kind != ALLERGEN:
            continue
        said = t.words | {t.word}
        if said & names or any(
            len(w) >= 4 and len(t.word) >= 4 and OSA.distance(w, t.word) <= 1 for w in names
        ):
            out.append(t)
            continue
        j = n - 1
        while j >= 0 and q.toks[j].kind == "unk":  # ("mochi ice cream": "ice" is no word)
            j -= 1
        before = q.toks[j] if j >= 0 else None
        after = q.toks[n + 1] if n + 1 < len(q.toks) else None
        if (
            before is not None
            and before.kind in (TERM, "dish")
            and (before.words | {before.word}) & names
            and after is not None
            and after.kind in ("q", "allq", "frame", "fine")
        ):
            out.append(t)
    return out


def _asked_beside_name(q: Query, naming: Callable[[Tok], bool]) -> list[str]:
    """The allergen codes the message asks by words other than the dish's name."""
    asking = [t for t in q.toks if t.kind in (ALLERGEN, ALWAYS) and not naming(t)]
    return [c for c in q.asked if any(c in t.payload for t in asking)]  # type: ignore[operator]


def _with_what(q: Query) -> bool:
    """Does the message ask for something *with* a food ("anything with chocolate", "nåt med
    kokos"), not of the dish named after "with the" ("what comes with the chicken kyiv")?"""
    return any(
        t.word in WITH
        and n + 1 < len(q.toks)
        and not after_determiner(q.toks, n + 2)
        and q.toks[n + 1].kind in (TERM, ALLERGEN)
        for n, t in enumerate(q.toks)
    )


_SOME = frozenset({"något", "nåt", "några", "anything", "something", "any"})


def _anything_with(q: Query) -> bool:
    """ "anything with chanterelles?", "har ni något med kantareller": some dish with a food."""
    return any(
        t.word in WITH
        and n
        and q.toks[n - 1].raw.lower() in _SOME
        and n + 1 < len(q.toks)
        and q.toks[n + 1].kind in (TERM, "dish")  # ("nåt med mjölk i sig?" asks of milk)
        for n, t in enumerate(q.toks)
    )


def _definite_food(q: Query, n: int) -> bool:
    """Is the n-th word an allergen word said of a food: after "the", or in a Swedish definite
    form ("räkorna", "laxen", "ägget"; not "gluten")?"""
    t = q.toks[n]
    if t.kind != ALLERGEN:
        return False
    raw = t.raw.lower()
    if raw.endswith("na") or after_determiner(q.toks, n):
        return True
    base = lookup(raw[:-2]) if len(raw) >= 5 and raw.endswith(("en", "et")) else None
    return base is not None and base.kind == ALLERGEN


def _by_names(index: MenuIndex, groups: list[list[Tok]], mask: int) -> int:
    """Of the dishes the words find, the one whose name says them all ("kycklingvingarna" is
    the Peppered Chicken Wings, not the platter that lists chicken wings), else all of them."""
    if not mask & (mask - 1):
        return mask
    named = mask
    for g in groups:
        named &= union_of(index.titled.get(w, 0) for t in g for w in t.words | {t.word})
    return named if named and not named & (named - 1) else mask


def _numbers_said(q: Query) -> set[str]:
    """The numbers of a message that are no price it sets ("10 wings", not "under 10")."""
    prices = {q.max_price, q.min_price} - {None}
    return {t.raw for t in q.toks if t.kind == "num" and number(t.word) not in prices}


def _last_clause(message: str) -> str | None:
    """The message's last sentence or comma clause when it has more than one, else None."""
    clauses = [c for c in re.split(r"(?<=[.!?;])\s+|,\s+", message.strip()) if c.strip()]
    return clauses[-1] if len(clauses) > 1 else None


def _shifted(q: Query) -> bool:
    """Does the message turn to something else: "and …", "what about …", "ok and …"?"""
    if "shift" in q.kinds:
        return True
    if len(q.toks) > 1 and q.toks[-1].word == "då" and q.toks[-2].kind in (TERM, ALLERGEN, "dish"):
        return True  # "pistageglassen då?": what about it
    lead = [t for t in q.toks[:3] if t.kind not in ("fine", "stop")]
    return bool(lead) and lead[0].kind == "join"


def _names_after(q: Query, n: int, refs: DishRefs) -> bool:
    """Do the words from `n` on (up to the first that is not food) say a word of the named
    dish's own ("the chicken kyiv": "kyiv")?"""
    for t in q.toks[n:]:
        if t.kind == "dish":
            return True  # a word of the name the message spells out ("the batata frita")
        if t.kind not in (TERM, ALLERGEN):
            return False
        if t.words & refs.key_forms:
            return True
    return False


def _emoji_aside(q: Query, message: str) -> bool:
    """True for thanks or a greeting whose only filters are its emoji ("tack så mycket 🌱"):
    a thank-you, not a search for vegan dishes."""
    if not q.kinds & {"thanks", "greet"} or q.excluded or q.max_price or q.min_price:
        return False
    emoji = set(tokenize(emoji_only(message)))
    return bool(emoji) and all(t.word in emoji for t in q.toks if t.kind in (DIET, TERM))


def _forgotten(q: Query) -> list[Tok]:
    """The tokens a withdrawal names: up to the comma after "forget" ("forget the vegan
    thing, what starters?"), not a new request after it ("forget the sesame, i got mixed up.
    vegan mains then?"); the whole message when no "forget" word is there."""
    at = next((n for n, t in enumerate(q.toks) if t.kind == "forget"), None)
    if at is None:
        return q.toks
    end = next((n for n in range(at + 1, len(q.toks)) if q.toks[n].raw == ","), len(q.toks))
    return q.toks[:end]


def _excluded_after(q: Query, start: int) -> set[str]:
    """The codes the message excludes by allergen words after its first ``start`` tokens."""
    said = {c for t in q.toks[start:] if t.kind == ALLERGEN for c in t.payload}  # type: ignore[attr-defined]
    return said & set(q.excluded)


def _forgotten_diets(q: Query) -> set[str]:
    """The diets a withdrawal names (see _forgotten)."""
    return {str(t.payload) for t in _forgotten(q) if t.kind == DIET}


_THE = frozenset({"the", "that"})
_ONE = frozenset({"one", "ones"})
_CONTENT = frozenset({TERM, ALLERGEN, DIET, "unk"})


def _descriptor(toks: list) -> list[int] | None:  # type: ignore[type-arg]
    """Token positions of the words that describe "the X one", "the one with X", "den med X"."""
    raw = [(t.raw.lower().split() or [""])[-1] for t in toks]  # "and the" ends in "the"
    for i in range(len(toks) - 2):
        if raw[i] in _THE and raw[i + 1] in _ONE and raw[i + 2] == "with":
            start = i + 3
        elif raw[i] in ("den", "det") and raw[i + 1] == "med":
            start = i + 2
        elif raw[i] in _THE:
            end = next((j for j in range(i + 1, len(toks)) if raw[j] in _ONE), None)
            span = list(range(i + 1, end)) if end is not None else []
            if span and all(toks[n].kind in _CONTENT for n in span):
                return span
            continue
        else:
            continue
        span = []
        for n in range(start, len(toks)):
            if toks[n].kind not in _CONTENT:
                break
            span.append(n)
        if span:
            return span
    return None


def _states(q: Query) -> bool:
    """Does the message speak of someone at the table (I, my son, vi …), or tell an allergy
    as a diner tells their own ("allergic to shellfish, is the räksmörgås ok?", "ett av barnen
    är laktosintolerant, kan hen äta nuggetsen?") rather than ask of somebody ("is it ok for
    someone with a nut allergy?")?"""
    if any(w in STATEMENT_WORDS for t in q.toks for w in t.word.split()):
        return True
    if any(t.word in HYPOTHETICAL for t in q.toks):
        return False
    return any(t.kind == "both" for t in q.toks)


def _books_else(q: Query) -> bool:
    """ "book me an uber", "boka en taxi": a booking of something the restaurant does not do."""
    return any(t.word not in BOOKED for t in q.unknown_terms) or any(
        t.kind == "offtopic" for t in q.toks
    )


def _words_of(q: Query) -> str:
    """The message's words again, for re-reading the search later (prices, terms)."""
    return " ".join(t.raw for t in q.toks)
