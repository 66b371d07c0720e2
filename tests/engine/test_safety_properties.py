"""Property tests of the safety rules, on random menus and random phrasings."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.engine import ALLERGENS, DIET_TAGS, Menu, MenuItem, RestaurantInfo, answer
from chat.engine.conversation import Context
from chat.engine.index import prepare
from chat.engine.intents import Turn
from chat.engine.language import reply_language
from chat.engine.lexicon import TEMPLATES

# Name words that mean nothing to the engine, so names never smuggle in diet words.
NAME_POOL = [
    "margherita",
    "funghi",
    "bolognese",
    "satay",
    "risotto",
    "gnocchi",
    "ravioli",
    "tagine",
    "moussaka",
    "paella",
    "goulash",
    "borscht",
    "pierogi",
    "falafel",
    "shawarma",
    "katsu",
    "ramen",
    "bibimbap",
    "tacos",
    "churros",
    "baklava",
    "strudel",
    "crumble",
    "fondue",
    "raclette",
]
FREE_TAGS = ["italian", "thai", "spicy", "kids", "pasta", "pizza", "dessert"]

# What a diner's word must exclude (written independently of lexicon.json).
EXCLUDES: dict[str, set[str]] = {
    "nuts": {"nuts", "peanuts"},
    "nut": {"nuts", "peanuts"},
    "peanuts": {"peanuts"},
    "almonds": {"nuts"},
    "walnuts": {"nuts"},
    "shellfish": {"crustaceans", "molluscs"},
    "seafood": {"fish", "crustaceans", "molluscs"},
    "shrimp": {"crustaceans"},
    "mussels": {"molluscs"},
    "squid": {"molluscs"},
    "fish": {"fish"},
    "dairy": {"milk"},
    "lactose": {"milk"},
    "cheese": {"milk"},
    "milk": {"milk"},
    "eggs": {"eggs"},
    "egg": {"eggs"},
    "gluten": {"gluten"},
    "wheat": {"gluten"},
    "soy": {"soybeans"},
    "sesame": {"sesame"},
    "mustard": {"mustard"},
    "celery": {"celery"},
    "sulphites": {"sulphites"},
    "lupin": {"lupin"},
    "nötter": {"nuts", "peanuts"},
    "mjölk": {"milk"},
    "ägg": {"eggs"},
    "skaldjur": {"crustaceans", "molluscs"},
    "fisk": {"fish"},
    "vete": {"gluten"},
    "soja": {"soybeans"},
    "sesam": {"sesame"},
    "senap": {"mustard"},
    "selleri": {"celery"},
}
# "X free" asks for a diet tag for these words, so they are not exclusions in that phrasing.
FREE_MEANS_DIET = {"gluten", "dairy", "lactose", "milk", "mjölk"}
PHRASINGS = [
    "without {x}",
    "no {x}",
    "allergic to {x}",
    "i'm allergic to {x}",
    "{x} allergy",
    "i can't eat {x}",
    "cannot have {x}",
    "anything for someone who can't eat {x}",
    "{x}-free",
    "{x} free",
    "utan {x}",
    "jag är allergisk mot {x}",
    "inga {x}",
]
PREFIXES = ["", "vegan ", "something ", "pizza ", "desserts ", "cheap ", "hi "]
DIET_WORDS = {
    "vegan": "vegan",
    "vegetarian": "vegetarian",
    "vegitarian": "vegetarian",
    "gluten free": "gluten-free",
    "glutenfree": "gluten-free",
    "dairy free": "dairy-free",
    "halal": "halal",
    "kosher": "kosher",
    "veganska rätter": "vegan",
    "glutenfri": "gluten-free",
    "laktosfri": "dairy-free",
}
OTHER_MESSAGES = [
    "what's on the menu",
    "desserts",
    "cheapest",
    "most expensive",
    "under 100",
    "pizza",
    "something spicy",
    "tell me about the risotto",
    "how much is the ramen",
    "vegan",
]


@st.composite
def menus(draw: st.DrawFn) -> Menu:
    """Random menus with unique names, random allergens/tags/availability."""
    n = draw(st.integers(min_value=0, max_value=15))
    names = draw(
        st.lists(
            st.lists(st.sampled_from(NAME_POOL), min_size=1, max_size=3, unique=True).map(
                lambda ws: " ".join(ws).title()
            ),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    items = []
    for i, name in enumerate(names):
        items.append(
            MenuItem(
                id=i + 1,
                name=name,
                description=" ".join(draw(st.lists(st.sampled_from(NAME_POOL), max_size=4))),
                price=Decimal(draw(st.integers(min_value=1, max_value=300))),
                category=draw(st.sampled_from(["Starters", "Mains", "Desserts", "Drinks"])),
                allergens=frozenset(draw(st.sets(st.sampled_from(ALLERGENS), max_size=5))),
                tags=frozenset(draw(st.sets(st.sampled_from(DIET_TAGS + tuple(FREE_TAGS))))),
                available=draw(st.booleans()),
                may_contain=frozenset(draw(st.sets(st.sampled_from(ALLERGENS), max_size=2))),
                allergens_declared=draw(st.booleans()),
            )
        )
    currency = draw(st.sampled_from(["EUR", "SEK", "USD"]))
    return Menu(RestaurantInfo("Test", currency), tuple(items))


def by_id(menu: Menu) -> dict[int, MenuItem]:
    return {i.id: i for i in menu.items}


def reminder(locale: str) -> str:
    return TEMPLATES["sv" if locale == "sv" else "en"]["remind"]


def has_diet(item: MenuItem, diet: str) -> bool:
    return diet in item.tags or (diet == "vegetarian" and "vegan" in item.tags)


@st.composite
def exclusions(draw: st.DrawFn) -> tuple[str, set[str]]:
    """A random exclusion message and the allergen codes it must exclude."""
    phrasing = draw(st.sampled_from(PHRASINGS))
    pool = sorted(EXCLUDES)
    if "free" in phrasing:
        pool = [w for w in pool if w not in FREE_MEANS_DIET]
    words = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    joiner = draw(st.sampled_from([" and ", " or ", " och ", ", "]))
    if "free" in phrasing or "allergy" in phrasing:
        # Postfix triggers take a list joined by and/or: "nut and egg free".
        joiner = draw(st.sampled_from([" and ", " or "]))
    message = draw(st.sampled_from(PREFIXES)) + phrasing.format(x=joiner.join(words))
    codes = set().union(*(EXCLUDES[w] for w in words))
    return message, codes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), exclusions(), st.sampled_from(["en", "sv"]))
def test_excluded_allergens_are_never_listed(menu: Menu, excl: tuple, locale: str) -> None:
    message, codes = excl
    got = answer(menu, message, locale)
    items = by_id(menu)
    for item_id in got.item_ids:
        item = items[item_id]
        assert not (item.allergens & codes), (message, item)
        assert not (item.may_contain & codes), "traces of an excluded allergen"
        assert item.allergens_declared, "undeclared information cannot vouch for an exclusion"
        assert item.available
    for item in menu.items:
        if item.allergens & codes:
            assert f"- {item.name} (" not in got.reply
    assert got.reply.endswith(reminder(got.language)), got.reply


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.sampled_from(sorted(DIET_WORDS)), st.sampled_from(["", " desserts", " pls"]))
def test_diet_queries_list_only_tagged_items(menu: Menu, word: str, suffix: str) -> None:
    diet = DIET_WORDS[word]
    got = answer(menu, word + suffix, "en")
    items = by_id(menu)
    assert got.intent == "search"
    for item_id in got.item_ids:
        assert has_diet(items[item_id], diet)
        assert items[item_id].available
    assert got.reply.endswith(reminder(got.language))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.data())
def test_items_are_never_called_a_diet_they_are_not_tagged(menu: Menu, data: st.DataObject) -> None:
    if not menu.items:
        return
    item = data.draw(st.sampled_from(menu.items))
    diet_word = data.draw(st.sampled_from(["vegan", "vegetarian", "gluten free", "dairy free"]))
    template = data.draw(st.sampled_from(["is the {n} {d}", "tell me about the {n}", "{n}"]))
    got = answer(menu, template.format(n=item.name.lower(), d=diet_word), "en")
    labels = {"vegan", "vegetarian", "gluten-free", "dairy-free", "halal", "kosher"}
    names = {i.name: i for i in menu.items}
    current: MenuItem | None = None
    for line in got.reply.splitlines():
        for name, other in names.items():
            if line.startswith(f"{name} ("):
                current = other  # a details block starts
            for label in labels:
                if line == f"{name} is marked {label}.":
                    assert has_diet(other, label), line
        if line.startswith("Marked ") and current is not None:
            marks = line.removeprefix("Marked ").rstrip(".").split(", ")
            for label in labels & set(marks):
                assert has_diet(current, label), (current, line)
    if got.intent in ("allergen_check", "dish_details") and got.item_ids:
        assert got.reply.endswith(reminder(got.language))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.sampled_from(OTHER_MESSAGES), st.sampled_from(["en", "sv"]))
def test_unavailable_items_are_never_listed(menu: Menu, message: str, locale: str) -> None:
    got = answer(menu, message, locale)
    items = by_id(menu)
    assert all(items[i].available for i in got.item_ids)
    ids = list(got.item_ids)
    order = [i.id for i in menu.items if i.id in set(ids)]
    assert ids == order  # menu order, no duplicates


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.text(), st.sampled_from(["en", "sv", "de", "", "sv-SE"]))
def test_never_raises_and_is_deterministic(menu: Menu, message: str, locale: str) -> None:
    # respond() is the unguarded engine: a bug here would otherwise be masked by answer().
    loc = reply_language(message, locale, None, menu.restaurant.locale)
    first = Turn(prepare(menu), Context(), loc, None).respond(message)
    assert first == Turn(prepare(menu), Context(), loc, None).respond(message)
    got = answer(menu, message, locale)
    assert (got.reply, got.item_ids, got.intent) == (first.reply, first.item_ids, first.intent)
    assert isinstance(first.reply, str) and first.reply
