"""Property tests over random conversations (SPEC §7 "Standing constraints" and safety rules):
whatever the diner says next, a stated allergy or diet holds until withdrawn, `items` never
holds a dish that conflicts with it, every flagged dish names its conflicts, and nothing raises.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.engine import CONFLICTS, Menu, answer
from chat.engine.conversation import load
from chat.engine.index import prepare
from chat.engine.intents import Turn
from chat.engine.language import reply_language

from .test_safety_properties import EXCLUDES, by_id, menus

# What the diner may say between the statements; written without reading the engine.
FOLLOW_UPS = [
    "and desserts?",
    "what about starters?",
    "which of those are vegan?",
    "which of those are gluten free?",
    "the first one",
    "tell me about the second one",
    "is it spicy?",
    "how much is it?",
    "does it have sesame?",
    "which is the cheapest?",
    "any cheaper?",
    "what's on the menu?",
    "pizza",
    "och efterrätter?",
    "vilka av dem är veganska?",
    "den första",
    "vad kostar den?",
    "tell me about the risotto",
    "is the ramen vegan?",
    "are you open now?",
    "thanks",
    "asdf qwer",
]
STATEMENTS = {  # the diner states an allergy: these codes must stay out of `items`
    "i'm allergic to {x}": None,
    "my daughter can't eat {x}": None,
    "jag är allergisk mot {x}": None,
    "no {x} please": None,
}
DIETS = {"i'm vegan": "vegan", "we are vegetarian": "vegetarian", "jag är vegan": "vegan"}
WITHDRAW = ["forget the allergy", "start over", "glöm det"]
ENGLISH_ONLY = ["which of those are vegan?", "tell me about the second one", "thanks"]
SWEDISH_ONLY = ["vilka av dem är veganska?", "vad kostar den?", "och efterrätter?"]

turns = st.one_of(
    st.sampled_from(FOLLOW_UPS).map(lambda m: ("say", m)),
    st.tuples(st.sampled_from(sorted(STATEMENTS)), st.sampled_from(sorted(EXCLUDES))).map(
        lambda p: ("allergy", p)
    ),
    st.sampled_from(sorted(DIETS)).map(lambda m: ("diet", m)),
    st.sampled_from(WITHDRAW).map(lambda m: ("withdraw", m)),
    st.text(max_size=40).map(lambda m: ("say", m)),
)


def fits_diet(item, diet: str) -> bool:
    tags = set(item.tags)
    if diet == "vegetarian" and "vegan" in tags and not item.allergens & CONFLICTS["vegan"]:
        return True
    return diet in tags and not item.allergens & CONFLICTS.get(diet, frozenset())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.lists(turns, min_size=1, max_size=7))
def test_standing_constraints_hold_in_every_later_turn(menu: Menu, script: list) -> None:
    items = by_id(menu)
    excluded: set[str] = set()
    diets: set[str] = set()
    context = None
    for kind, payload in script:
        if kind == "allergy":
            template, word = payload
            message = template.format(x=word)
        else:
            message = payload
        got = answer(menu, message, None, context)
        if kind == "allergy":
            excluded |= EXCLUDES[word]
        elif kind == "diet":
            diets.add(DIETS[message])
        elif kind == "withdraw":
            excluded, diets = set(), set()
        for item_id in got.item_ids:
            item = items[item_id]
            assert item.available, message
            if excluded:
                assert not item.allergens & excluded, (message, item)
                assert not item.may_contain & excluded, (message, item)
                assert item.allergens_declared, (message, item)
            for diet in diets:
                assert fits_diet(item, diet), (message, diet, item)
        flagged = {f.item_id for f in got.flagged}
        assert not flagged & set(got.item_ids), message
        assert all(f.conflicts for f in got.flagged), message
        context = got.context


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.lists(st.sampled_from(FOLLOW_UPS), min_size=1, max_size=5), st.data())
def test_no_turn_raises_and_unambiguous_messages_get_their_own_language(
    menu: Menu, script: list[str], data: st.DataObject
) -> None:
    context = None
    for message in script:
        # the unguarded engine, from the same context answer() would use: a bug must show here
        index = prepare(menu)
        lang = reply_language(message, None, None, menu.restaurant.locale)
        Turn(index, load(context, index), lang, None).respond(message)
        got = answer(menu, message, None, context)
        context = got.context
    probe = data.draw(st.sampled_from(ENGLISH_ONLY + SWEDISH_ONLY))
    hint = data.draw(st.sampled_from([None, "en", "sv"]))
    got = answer(menu, probe, hint, context)
    assert got.language == ("en" if probe in ENGLISH_ONLY else "sv"), probe


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    menus(),
    st.recursive(
        st.none() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    ),
)
def test_any_stored_context_is_safe(menu: Menu, context: object) -> None:
    got = answer(menu, "desserts?", None, context)
    assert isinstance(got.reply, str) and got.reply
    assert got.context.get("v") == 2
