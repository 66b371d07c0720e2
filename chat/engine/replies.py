"""Reply text: templates from lexicon.json filled with item names, prices and labels, in the
reply's language throughout (SPEC §7 "Language")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .index import MenuIndex
from .lexicon import ALCOHOL_SAID, ALLERGEN_LABELS, DIET_LABELS, DIET_TAGS, MONEY, TEMPLATES
from .match import DIET_TRACES, Selection, term_mask
from .model import MenuItem
from .parse import Query

MAX_LISTED = 6
# Every reply that carries the diner's standing constraints says so with these words.
STANDING_MARK = {"en": "as you mentioned", "sv": "du nämnde"}


def tpl(loc: str, key: str, **values: object) -> str:
    """Template `key` in locale `loc`, with {placeholders} filled."""
    text = TEMPLATES[loc][key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def suggestions(loc: str) -> tuple[str, ...]:
    """Example questions offered with greetings, help, and failures."""
    return tuple(TEMPLATES[loc]["sug"].split("|"))


def money(amount: Decimal, currency: str, loc: str) -> str:
    """'€12.50', '$3.00', '120 kr', '12,50 kr': kronor drop the decimals of whole amounts
    and take a decimal comma in Swedish; other currencies always show cents."""
    kronor = currency.upper() in ("SEK", "NOK", "DKK")
    try:
        whole = amount == amount.to_integral_value()
        text = f"{amount:.0f}" if whole and kronor else f"{amount:.2f}"
    except (ArithmeticError, ValueError):  # NaN/Infinity from bad data: show as given
        text = str(amount)
    if loc == "sv" and kronor:
        text = text.replace(".", ",")  # kronor in Swedish: "89,50 kr"; "£4.75" stays as it is
    pattern = MONEY.get(currency.upper(), "# " + currency.upper())
    return pattern.replace("#", text)


def join_words(words: list[str], loc: str, conj: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or with "or")."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " " + tpl(loc, conj) + " " + words[-1]


def quoted(words: list[str], loc: str) -> str:
    return join_words([f"“{w}”" for w in words], loc)


def allergen_names(codes: list[str], loc: str) -> list[str]:
    """Lower-case allergen labels, for use inside a sentence."""
    return [ALLERGEN_LABELS[loc][c].lower() for c in codes]


def diet_label(diet: str, loc: str) -> str:
    return DIET_LABELS[loc][diet].lower()


def code_names(codes: list[str] | tuple[str, ...], loc: str) -> list[str]:
    """Labels for a mix of allergen codes and diet tags."""
    return [
        diet_label(c, loc) if c in DIET_TAGS else ALLERGEN_LABELS[loc][c].lower() for c in codes
    ]


def diet_names(item: MenuItem, loc: str) -> list[str]:
    """Diet labels the item may be called by: its explicit tags, plus vegetarian if vegan."""
    tags = set(item.tags)
    if "vegan" in tags:
        tags.add("vegetarian")
    return [diet_label(d, loc) for d in DIET_TAGS if d in tags]


def constraint_names(diets: list[str], excluded: list[str], loc: str) -> str:
    """'vegan, without nuts and peanuts'."""
    parts = [diet_label(d, loc) for d in diets]
    if excluded:
        parts.append(tpl(loc, "without", x=join_words(allergen_names(excluded, loc), loc)))
    return ", ".join(parts)


def withdrawn_names(diets: list[str], codes: list[str], loc: str) -> str:
    """'vegan and sesame': what "forget …" stops taking into account."""
    return join_words([diet_label(d, loc) for d in diets] + allergen_names(codes, loc), loc)


def standing_line(diets: list[str], excluded: list[str], loc: str) -> str:
    return tpl(loc, "standing", s=constraint_names(diets, excluded, loc))


def describe(
    q: Query,
    diets: list[str],
    excluded: list[str],
    earlier: tuple[list[str], list[str]],
    currency: str,
    loc: str,
) -> str:
    """What a list answer searched for: 'vegan pasta under €120 without nuts', plus the
    standing constraints from earlier turns: '(without nuts, as you mentioned)'."""
    parts = [diet_label(d, loc) for d in q.diets]
    for group in q.terms:
        words = join_words(list(dict.fromkeys(t.raw for t in group)), loc, "or")
        if words not in parts:
            parts.append(words)
    parts += [t.raw for t in q.unknown_terms]
    if q.min_price is not None:
        parts.append(tpl(loc, "min", p=money(q.min_price, currency, loc)))
    if q.max_price is not None:
        parts.append(tpl(loc, "max", p=money(q.max_price, currency, loc)))
    labels = allergen_names(q.excluded, loc)
    own = [w for w in dict.fromkeys(q.excluded_words) if w.lower() not in labels]
    if own and labels:  # the diner's own word first: "without shellfish (crustaceans and molluscs)"
        labels = [f"{join_words(own, loc)} ({join_words(labels, loc)})"]
    # ("non-alcoholic drinks": "drinks without alcohol")
    without = labels + [ALCOHOL_SAID[loc] if t.payload == "alcohol" else t.raw for t in q.neg_terms]
    if without:
        parts.append(tpl(loc, "without", x=join_words(without, loc)))
    old_diets = [d for d in diets if d in earlier[0] and d not in q.diets]
    old_codes = [c for c in excluded if c in earlier[1] and c not in q.excluded]
    if old_diets or old_codes:
        standing = constraint_names(old_diets, old_codes, loc)
        parts.append(f"({standing}, {_mention(loc)})")
    return " ".join(parts)


def _mention(loc: str) -> str:
    return "as you mentioned" if loc == "en" else "som du nämnde"


def item_line(item: MenuItem, currency: str, loc: str) -> str:
    """'- Name (€12.50)'."""
    return f"- {item.name} ({money(item.price, currency, loc)})"


def listing(index: MenuIndex, ids: list[int], loc: str) -> list[str]:
    """At most MAX_LISTED item lines, then '…and N more'."""
    cur = index.restaurant.currency
    lines = [item_line(index.items[i], cur, loc) for i in ids[:MAX_LISTED]]
    if len(ids) > MAX_LISTED:
        lines.append(tpl(loc, "more", n=len(ids) - MAX_LISTED))
    return lines


def left_out(sel: Selection, loc: str) -> list[str]:
    """How many dishes were left out only for traces or undeclared information."""
    lines = []
    if sel.traces:
        x = join_words(allergen_names(list(sel.trace_codes), loc), loc, "or")
        key = "traces_1" if sel.traces == 1 else "traces_n"
        lines.append(tpl(loc, key, n=sel.traces, x=x))
    if sel.undeclared:
        key = "undeclared_1" if sel.undeclared == 1 else "undeclared_n"
        lines.append(tpl(loc, key, n=sel.undeclared))
    return lines


def _sorted_codes(codes: object) -> list[str]:
    return [c for c in ALLERGEN_LABELS["en"] if c in codes]  # type: ignore[operator]


def allergen_lines(
    item: MenuItem, codes: list[str], diets: list[str], index: MenuIndex, i: int, loc: str
) -> list[str]:
    """Answer an allergen/diet question about one available item, from its data only."""
    name = item.name
    lines: list[str] = []
    for diet in diets:
        ok = bool(index.by_diet.get(diet, 0) >> i & 1)
        trace = DIET_TRACES.get(diet)
        lines.append(tpl(loc, "is" if ok else "isnot", name=name, d=diet_label(diet, loc)))
        if ok and trace and trace in item.may_contain:
            lines.append(tpl(loc, "maycontain", name=name, x=allergen_names([trace], loc)[0]))
    if codes:
        has = [c for c in codes if c in item.allergens]
        traces = [c for c in codes if c not in item.allergens and c in item.may_contain]
        rest = [c for c in codes if c not in has and c not in traces]
        if has:
            lines.append(
                tpl(loc, "contains", name=name, x=join_words(allergen_names(has, loc), loc))
            )
        if traces:
            x = join_words(allergen_names(traces, loc), loc, "or")
            lines.append(tpl(loc, "maycontain", name=name, x=x))
        if rest:
            x = join_words(allergen_names(rest, loc), loc, "or")
            key = "hasnot" if item.allergens_declared else "undeclared"
            lines.append(tpl(loc, key, name=name, x=x))
    elif not diets:
        lines += _allergen_facts(item, loc)
    return lines


def _allergen_facts(item: MenuItem, loc: str) -> list[str]:
    lines = []
    name = item.name
    codes = _sorted_codes(item.allergens)
    if codes:
        lines.append(
            tpl(loc, "allergens", name=name, x=join_words(allergen_names(codes, loc), loc))
        )
    if not item.allergens_declared:
        lines.append(tpl(loc, "undeclared_all", name=name))
    elif not codes:
        lines.append(tpl(loc, "allfree", name=name))
    traces = _sorted_codes(item.may_contain)
    if traces:
        x = join_words(allergen_names(traces, loc), loc, "or")
        lines.append(tpl(loc, "maycontain", name=name, x=x))
    return lines


def conflict_lines(item: MenuItem, conflicts: tuple[str, ...], loc: str) -> list[str]:
    if not conflicts:
        return []
    x = join_words(code_names(conflicts, loc), loc)
    return [tpl(loc, "conflict", name=item.name, x=x)]


_HOT = frozenset({"hot", "het", "heta", "hett"})


def property_lines(item: MenuItem, q: Query, index: MenuIndex, i: int, loc: str) -> list[str]:
    """ "Is it spicy?": yes or no for each word, from the dish's own text and tags."""
    lines = []
    for group in q.terms:
        hit = any(term_mask(index, t) >> i & 1 for t in group)
        # ("is the curry hot?" asks whether it is spicy, as much as whether it is warm)
        if any(t.raw.lower() in _HOT for t in group):
            hit = hit or bool(index.by_group.get("spicy", 0) >> i & 1)
        words = join_words([t.raw for t in group], loc, "or")
        lines.append(tpl(loc, "prop_yes" if hit else "prop_no", name=item.name, x=words))
    return lines


def detail_lines(item: MenuItem, currency: str, loc: str) -> list[str]:
    """Name, price, description, allergens and marks of one available item."""
    head = f"{item.name} ({money(item.price, currency, loc)})"
    if item.description.strip():
        head += f": {item.description.strip()}"
    lines = [head, *_allergen_facts(item, loc)]
    marks = [diet_label(d, loc) for d in DIET_TAGS if _diet_ok(item, d)]
    marks += sorted(t for t in item.tags if t not in DIET_TAGS)
    if marks:
        lines.append(tpl(loc, "marked", x=", ".join(marks)))
    return lines


def _diet_ok(item: MenuItem, diet: str) -> bool:
    from .lexicon import CONFLICTS

    tags = set(item.tags)
    if "vegan" in tags and not item.allergens & CONFLICTS["vegan"]:
        tags.add("vegetarian")
    return diet in tags and not (item.allergens & CONFLICTS.get(diet, frozenset()))


def day_name(n: int, loc: str) -> str:
    return tpl(loc, "days").split("|")[n]


def when(day: date, today: date, loc: str, *, capital: bool = False) -> str:
    """'today', 'tomorrow', 'Sunday', or 'Thursday 24 December' further ahead."""
    delta = (day - today).days
    if delta == 0:
        text = tpl(loc, "today")
    elif delta == 1:
        text = tpl(loc, "tomorrow")
    else:
        text = day_name(day.weekday(), loc)
        if delta >= 7 or delta < 0:
            month = tpl(loc, "months").split("|")[day.month - 1]
            text += " " + tpl(loc, "date", m=month, n=day.day)
    return text[:1].upper() + text[1:] if capital else text
