"""Reply text: templates from lexicon.json filled with item names, prices and labels."""

from __future__ import annotations

from decimal import Decimal

from .index import MenuIndex
from .lexicon import ALLERGEN_LABELS, CONFLICTS, DIET_LABELS, DIET_TAGS, MONEY, TEMPLATES
from .model import MenuItem
from .parse import Query

MAX_LISTED = 6


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
    """'€12.50', '120 kr', '12,50 kr' (sv uses a decimal comma); whole amounts drop decimals."""
    try:
        whole = amount == amount.to_integral_value()
        text = f"{amount:.0f}" if whole else f"{amount:.2f}"
    except (ArithmeticError, ValueError):  # NaN/Infinity from bad data: show as given
        text = str(amount)
    if loc == "sv":
        text = text.replace(".", ",")
    pattern = MONEY.get(currency.upper(), "# " + currency.upper())
    return pattern.replace("#", text)


def join_words(words: list[str], loc: str, conj: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or with "or")."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " " + tpl(loc, conj) + " " + words[-1]


def allergen_names(codes: list[str], loc: str) -> list[str]:
    """Lower-case allergen labels, for use inside a sentence."""
    return [ALLERGEN_LABELS[loc][c].lower() for c in codes]


def diet_names(item: MenuItem, loc: str) -> list[str]:
    """Diet labels the item may be called by: its explicit tags, plus vegetarian if vegan."""
    tags = set(item.tags)
    if "vegan" in tags:
        tags.add("vegetarian")
    return [DIET_LABELS[loc][d].lower() for d in DIET_TAGS if d in tags]


def describe(q: Query, currency: str, loc: str) -> str:
    """The understood constraints as a phrase: 'vegan pasta under €120 without nuts'."""
    parts = [DIET_LABELS[loc][d].lower() for d in q.diets]
    parts += [join_words([t.raw for t in group], loc, "or") for group in q.terms]
    if q.min_price is not None:
        parts.append(tpl(loc, "min", p=money(q.min_price, currency, loc)))
    if q.max_price is not None:
        parts.append(tpl(loc, "max", p=money(q.max_price, currency, loc)))
    excluded = allergen_names(q.excluded, loc) + [t.raw for t in q.neg_terms]
    if excluded:
        parts.append(tpl(loc, "without", x=join_words(excluded, loc)))
    return " ".join(parts)


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


def allergen_lines(item: MenuItem, q: Query, loc: str) -> list[str]:
    """Answer an allergen/diet question about one available item, from its data only."""
    name = item.name
    lines: list[str] = []
    for diet in q.diets:
        label = DIET_LABELS[loc][diet].lower()
        ok = label in diet_names(item, loc) and _no_conflict(item, diet)
        lines.append(tpl(loc, "is" if ok else "isnot", name=name, d=label))
    if q.asked or not q.diets:
        if not item.allergens:
            lines.append(tpl(loc, "noinfo", name=name))
        elif q.asked:
            has = [c for c in q.asked if c in item.allergens]
            lacks = [c for c in q.asked if c not in item.allergens]
            if has:
                lines.append(
                    tpl(loc, "contains", name=name, x=join_words(allergen_names(has, loc), loc))
                )
            if lacks:
                lines.append(
                    tpl(loc, "lacks", name=name, x=join_words(allergen_names(lacks, loc), loc))
                )
        else:
            codes = [c for c in ALLERGEN_LABELS[loc] if c in item.allergens]
            lines.append(
                tpl(loc, "allergens", name=name, x=join_words(allergen_names(codes, loc), loc))
            )
    return lines


def _no_conflict(item: MenuItem, diet: str) -> bool:
    """False when the item's allergens contradict the diet tag (bad data -> not trusted)."""
    return not (item.allergens & CONFLICTS.get(diet, frozenset()))


def detail_lines(item: MenuItem, currency: str, loc: str) -> list[str]:
    """Name, price, description, allergens and marks of one available item."""
    head = f"{item.name} ({money(item.price, currency, loc)})"
    if item.description.strip():
        head += f": {item.description.strip()}"
    lines = [head]
    if item.allergens:
        codes = [c for c in ALLERGEN_LABELS[loc] if c in item.allergens]
        x = join_words(allergen_names(codes, loc), loc)
        lines.append(tpl(loc, "allergens", name=item.name, x=x))
    else:
        lines.append(tpl(loc, "noinfo", name=item.name))
    marks = [d for d in diet_names(item, loc) if _diet_ok(item, d, loc)]
    marks += sorted(t for t in item.tags if t not in DIET_TAGS)
    if marks:
        lines.append(tpl(loc, "marked", x=", ".join(marks)))
    return lines


def _diet_ok(item: MenuItem, label: str, loc: str) -> bool:
    for diet in DIET_TAGS:
        if DIET_LABELS[loc][diet].lower() == label:
            return _no_conflict(item, diet)
    return False
