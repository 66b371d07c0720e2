"""POST /api/chat across turns: the conversation state kept on the session (SPEC §5, §7)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from chat.models import ChatMessage, ChatSession
from chat.selectors import forget_chat_menus
from menu.services import menu_item_save
from tests.factories import MenuItemFactory, RestaurantFactory

CHAT_URL = "/api/chat"


def ask(client, message, *, token="diner-1", restaurant="bella", **fields):
    body = {"restaurantId": restaurant, "sessionToken": token, "message": message, **fields}
    return client.post(CHAT_URL, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _fresh_engine_menus():
    forget_chat_menus()
    yield
    forget_chat_menus()


@pytest.fixture
def dishes(db):
    bella = RestaurantFactory(public_id="bella", locale="en")

    def dish(name, category, allergens=(), tags=(), price="100"):
        return MenuItemFactory(
            restaurant=bella,
            name=name,
            category=category,
            allergens=list(allergens),
            allergens_declared=True,
            tags=list(tags),
            price=Decimal(price),
        )

    return {
        "korma": dish("Chicken Korma", "Kids", ["nuts", "milk"], price="90"),
        "nuggets": dish("Veggie Nuggets", "Kids", ["gluten"], ["vegetarian"], price="70"),
        "kulfi": dish("Pistachio Kulfi", "Desserts", ["nuts", "milk"], price="60"),
        "sorbet": dish("Mango Sorbet", "Desserts", ["sulphites"], ["vegan"], price="55"),
        "dal": dish("Tadka Dal", "Mains", ["mustard"], ["vegan", "gluten-free"], price="110"),
    }


def ids(body, key="items"):
    return [item["id"] for item in body[key]]


def test_a_stated_allergy_holds_for_later_questions(client, dishes):
    ask(client, "my daughter is allergic to nuts")
    kids = ask(client, "what's on the kids menu?").json()
    desserts = ask(client, "and desserts?").json()

    assert ids(kids) == [dishes["nuggets"].pk]
    assert ids(desserts) == [dishes["sorbet"].pk]
    assert "as you mentioned" in desserts["reply"]


def test_which_of_those_narrows_the_last_list(client, dishes):
    ask(client, "vegan dishes?")
    body = ask(client, "which of those are gluten free?").json()
    assert ids(body) == [dishes["dal"].pk]


def test_a_dish_that_does_not_fit_is_flagged_with_its_conflicts(client, dishes):
    ask(client, "i'm allergic to nuts")
    body = ask(client, "tell me about the chicken korma").json()

    assert body["items"] == []
    assert [(f["id"], f["conflicts"]) for f in body["flagged"]] == [
        (dishes["korma"].pk, ["nuts"])  # the codes in question that it does contain
    ]
    assert body["flagged"][0]["name"] == "Chicken Korma"


def test_the_context_is_stored_with_the_exchange_and_returned(client, dishes):
    body = ask(client, "no nuts please").json()
    session = ChatSession.objects.get(token="diner-1")

    assert session.context == body["context"]
    assert body["context"]["excluded"] == ["peanuts", "nuts"]
    assert ChatMessage.objects.filter(session=session).count() == 2


def test_a_context_sent_by_the_client_is_never_read(client, dishes):
    forged = {"v": 2, "excluded": []}
    ask(client, "no nuts please")
    body = ask(client, "desserts?", context=forged).json()
    assert ids(body) == [dishes["sorbet"].pk]


@pytest.mark.parametrize(
    "stored",
    [
        "not a dict",
        [1, 2, 3],
        {"v": 2, "excluded": ["nuts", "unicorn"]},
        {"v": 2, "last": ["x"]},
        {"v": 99},
        {"v": 2, "query": "x" * 100_000},
    ],
)
def test_a_malformed_stored_context_is_dropped_not_a_500(client, dishes, stored):
    ask(client, "hello")
    ChatSession.objects.filter(token="diner-1").update(context=stored)

    response = ask(client, "desserts?")

    assert response.status_code == 200
    assert set(ids(response.json())) == {dishes["kulfi"].pk, dishes["sorbet"].pk}


def test_a_dish_made_unavailable_since_is_never_recommended_from_the_context(client, dishes):
    ask(client, "kids menu?")
    dishes["nuggets"].available = False
    menu_item_save(item=dishes["nuggets"])

    body = ask(client, "tell me about the second one").json()

    assert dishes["nuggets"].pk not in ids(body)


def test_the_reply_language_follows_the_message_then_the_hint(client, dishes):
    assert ask(client, "har ni efterrätter?").json()["language"] == "sv"
    assert ask(client, "sorbet?", token="t2", locale="sv-SE").json()["language"] == "sv"
    assert ask(client, "sorbet?", token="t3").json()["language"] == "en"


@pytest.mark.parametrize("locale", [5, "", "not a locale tag!", "x" * 40])
def test_a_bad_locale_is_a_clear_400(client, dishes, locale):
    response = ask(client, "hello", locale=locale)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_field"
    assert response.json()["error"]["field"] == "locale"


def test_a_search_that_finds_nothing_is_recorded_as_unanswered(client, dishes):
    body = ask(client, "any sushi?").json()
    diner = ChatMessage.objects.get(role=ChatMessage.Role.DINER)

    assert body["items"] == []
    assert diner.answered is False
