"""POST /api/chat: answers, every error path, storage, transactionality, query count, fuzz."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from unittest import mock

import pytest
from django.db import DatabaseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.models import ChatMessage, ChatSession
from chat.selectors import _build_chat_menu, diner_at_restaurant, forget_chat_menus
from chat.services import ip_hash_for
from tests.factories import AllowedOriginFactory, MenuItemFactory, RestaurantFactory
from tests.helpers import error_of

CHAT_URL = "/api/chat"


def ask(client, message="any vegan dishes?", *, restaurant="bella", token="diner-1", **extra):
    """Send a diner's message the way the widget does; returns the response."""
    body = {"restaurantId": restaurant, "sessionToken": token, "message": message}
    return client.post(CHAT_URL, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture(autouse=True)
def _fresh_engine_menus():
    forget_chat_menus()
    yield
    forget_chat_menus()


@pytest.fixture
def bella_menu(bella):
    """Three dishes at Bella (menu order = position), one of them unavailable."""
    return {
        "pizza": MenuItemFactory(
            restaurant=bella,
            name="Vegan Pizza",
            price=Decimal("120"),
            category="Pizza",
            tags=["vegan"],
            allergens=["gluten"],
            position=1,
        ),
        "salad": MenuItemFactory(
            restaurant=bella,
            name="Garden Salad",
            price=Decimal("95.50"),
            category="Salads",
            tags=["vegan", "gluten-free"],
            position=2,
        ),
        "steak": MenuItemFactory(
            restaurant=bella, name="Steak", price=Decimal("250"), category="Mains", position=0
        ),
        "gone": MenuItemFactory(
            restaurant=bella, name="Vegan Lasagne", tags=["vegan"], available=False, position=3
        ),
    }


# --- 200 ----------------------------------------------------------------------------------


def test_vegan_question_answers_with_full_items_in_menu_order(client, bella_menu):
    response = ask(client, "any vegan dishes?")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "reply",
        "items",
        "flagged",
        "intent",
        "suggestions",
        "language",
        "context",
        "sessionToken",
    }
    assert body["sessionToken"] == "diner-1"
    assert body["intent"] == "search"
    assert "Vegan Pizza" in body["reply"] and "Garden Salad" in body["reply"]
    assert body["items"] == [
        {
            "id": bella_menu["pizza"].pk,
            "name": "Vegan Pizza",
            "description": "A dish",
            "price": "120.00",
            "category": "Pizza",
            "allergens": ["gluten"],
            "mayContain": [],
            "allergensDeclared": False,
            "tags": ["vegan"],
        },
        {
            "id": bella_menu["salad"].pk,
            "name": "Garden Salad",
            "description": "A dish",
            "price": "95.50",
            "category": "Salads",
            "allergens": [],
            "mayContain": [],
            "allergensDeclared": False,
            "tags": ["vegan", "gluten-free"],
        },
    ]


def test_unavailable_items_are_never_in_the_answer(client, bella_menu):
    body = ask(client, "vegan lasagne").json()

    assert bella_menu["gone"].pk not in [item["id"] for item in body["items"]]


def test_greeting_gets_suggestions_and_no_items(client, bella_menu):
    body = ask(client, "hello").json()

    assert body["intent"] == "greeting"
    assert body["items"] == []
    assert body["suggestions"] and all(isinstance(s, str) for s in body["suggestions"])


def test_restaurant_facts_come_from_that_restaurant(client, bella):
    bella.opening_hours = "Tue–Sun 17–23"
    bella.save()

    body = ask(client, "when are you open?").json()

    assert body["intent"] == "hours"
    assert "Tue–Sun 17–23" in body["reply"]


def test_message_is_trimmed_before_answering_and_storing(client, bella_menu):
    assert ask(client, "   vegan?   ").status_code == 200

    assert ChatMessage.objects.get(role="diner").text == "vegan?"


def test_menu_change_is_seen_by_the_next_chat_request(client, bella_menu):
    assert "Tofu Bowl" not in ask(client, "any vegan dishes?").json()["reply"]

    MenuItemFactory(restaurant=bella_menu["pizza"].restaurant, name="Tofu Bowl", tags=["vegan"])

    assert "Tofu Bowl" in ask(client, "any vegan dishes?").json()["reply"]


def test_a_process_without_the_menu_takes_the_one_another_prepared(
    client, bella_menu, django_assert_max_num_queries
):
    first = ask(client, "any vegan dishes?", token="diner-a").json()
    forget_chat_menus()  # another worker: nothing prepared in this process

    with (
        mock.patch("chat.engine.index.build_index", side_effect=AssertionError("rebuilt")),
        django_assert_max_num_queries(5) as captured,
    ):
        again = ask(client, "any vegan dishes?", token="diner-b").json()

    assert again["items"] == first["items"] and again["reply"] == first["reply"]
    assert not any("menu_menuitem" in q["sql"] for q in captured)


def test_a_changed_menu_is_never_taken_from_the_shared_copy(client, bella_menu):
    ask(client, "any vegan dishes?")
    MenuItemFactory(restaurant=bella_menu["pizza"].restaurant, name="Tofu Bowl", tags=["vegan"])
    forget_chat_menus()

    assert "Tofu Bowl" in ask(client, "any vegan dishes?").json()["reply"]


def test_a_shared_copy_from_other_code_is_never_taken(client, bella_menu, monkeypatch):
    ask(client, "any vegan dishes?")
    forget_chat_menus()
    monkeypatch.setattr("chat.selectors._code_fingerprint", lambda: "another-release")

    with mock.patch("chat.selectors._build_chat_menu", wraps=_build_chat_menu) as built:
        assert ask(client, "any vegan dishes?").status_code == 200

    assert built.call_count == 1


def test_an_unreachable_shared_cache_only_costs_a_build(client, bella_menu):
    with (
        mock.patch("chat.selectors.cache.get", side_effect=ConnectionError("down")),
        mock.patch("chat.selectors.cache.set", side_effect=ConnectionError("down")),
    ):
        response = ask(client, "any vegan dishes?")

    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["Vegan Pizza", "Garden Salad"]


def test_answer_uses_the_restaurants_locale(client, bella):
    RestaurantFactory(public_id="sol", locale="sv")

    # "pizza?" shows no language of its own: the restaurant's locale decides
    swedish = ask(client, "pizza?", restaurant="sol").json()
    english = ask(client, "pizza?", restaurant="bella").json()

    assert (swedish["language"], english["language"]) == ("sv", "en")
    assert swedish["reply"] != english["reply"]


# --- Storage ------------------------------------------------------------------------------


def test_exchange_is_stored_as_diner_message_and_reply(client, bella_menu):
    ask(client, "any vegan dishes?", token="abc.DEF_1-2")

    session = ChatSession.objects.get()
    assert session.restaurant == bella_menu["pizza"].restaurant
    assert session.token == "abc.DEF_1-2"
    diner, reply = session.messages.all()
    assert (diner.role, diner.text, diner.answered) == ("diner", "any vegan dishes?", True)
    assert reply.role == "assistant"
    assert reply.intent == "search"
    assert reply.item_ids == [bella_menu["pizza"].pk, bella_menu["salad"].pk]
    assert reply.answered is True


def test_unanswerable_question_is_stored_as_not_answered(client, bella_menu):
    body = ask(client, "do you deliver to the moon").json()

    assert body["intent"] == "unknown"
    assert list(ChatMessage.objects.values_list("role", "answered")) == [
        ("diner", False),
        ("assistant", False),
    ]


def test_one_session_per_token_and_restaurant_with_last_seen_updated(client, bella, roma):
    ask(client, "hello", token="same")
    first_seen = ChatSession.objects.get(restaurant=bella).last_seen
    ask(client, "thanks", token="same")
    ask(client, "hello", token="same", restaurant="roma")

    bella_session = ChatSession.objects.get(restaurant=bella)
    assert bella_session.messages.count() == 4
    assert bella_session.last_seen > first_seen
    assert ChatSession.objects.get(restaurant=roma).messages.count() == 2


def test_session_stores_a_keyed_hash_of_the_ip_never_the_ip(client, bella):
    ask(client, "hello", REMOTE_ADDR="203.0.113.9")

    session = ChatSession.objects.get()
    assert session.ip_hash == ip_hash_for("203.0.113.9")
    assert len(session.ip_hash) == 64
    assert "203.0.113.9" not in session.ip_hash
    assert ip_hash_for("203.0.113.9") != ip_hash_for("203.0.113.10")


@pytest.mark.django_db(transaction=True)
def test_failure_while_storing_the_reply_stores_nothing_and_answers_503(client):
    RestaurantFactory(public_id="bella")

    # The session row is written by then; the messages' INSERT fails.
    with mock.patch("chat.services._messages_insert", side_effect=DatabaseError("disk full")):
        response = ask(client, "hello")

    assert response.status_code == 503
    assert error_of(response)["code"] == "temporarily_unavailable"
    assert ChatSession.objects.count() == 0
    assert ChatMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_failure_after_a_returning_diners_update_keeps_the_old_context(client):
    RestaurantFactory(public_id="bella")
    ask(client, "hello")
    before = ChatSession.objects.get().context

    with mock.patch("chat.services._messages_insert", side_effect=DatabaseError("disk full")):
        assert ask(client, "no nuts please").status_code == 503  # would exclude nuts

    assert ChatSession.objects.get().context == before
    assert "nuts" not in before.get("excluded", [])
    assert ChatMessage.objects.count() == 2
    assert ask(client, "no nuts please").json()["context"]["excluded"] == ["peanuts", "nuts"]


def test_database_down_answers_503_not_500(client, bella):
    with mock.patch("chat.views.diner_at_restaurant", side_effect=DatabaseError("gone")):
        response = ask(client, "hello")

    assert response.status_code == 503
    assert error_of(response)["code"] == "temporarily_unavailable"


# --- Queries per request ------------------------------------------------------------------


_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_statements(captured) -> list[str]:
    """The SQL that reads or writes data (SQLite's backend also logs BEGIN/COMMIT; PG does not)."""
    return [q["sql"] for q in captured if not q["sql"].startswith(_TRANSACTION_CONTROL)]


@pytest.mark.django_db(transaction=True)
def test_returning_diner_costs_three_statements_and_no_menu_query(
    client, django_assert_max_num_queries
):
    bella = RestaurantFactory(public_id="bella")
    MenuItemFactory.create_batch(30, restaurant=bella, tags=["vegan"])
    ask(client, "hello")  # builds the engine menu and the session

    with django_assert_max_num_queries(5) as captured:  # 3 + BEGIN/COMMIT on SQLite
        assert ask(client, "any vegan dishes?").status_code == 200

    statements = data_statements(captured)
    # the session with its restaurant and context; its new context; both messages
    assert [sql.split()[0] for sql in statements] == ["SELECT", "UPDATE", "INSERT"]
    assert "chat_chatsession" in statements[0] and "tenants_restaurant" in statements[0]
    assert "context" in statements[1]
    assert "chat_chatmessage" in statements[2]
    assert not any("menu_menuitem" in sql for sql in statements)


@pytest.mark.django_db(transaction=True)
def test_first_message_on_a_warm_menu_costs_three_statements_and_no_savepoint(
    client, django_assert_max_num_queries
):
    bella = RestaurantFactory(public_id="bella")
    MenuItemFactory.create_batch(30, restaurant=bella)
    ask(client, "hello", token="earlier-diner")  # builds the engine menu

    with django_assert_max_num_queries(5) as captured:  # 3 + BEGIN/COMMIT on SQLite
        assert ask(client, "hello", token="new-diner").status_code == 200

    assert not any(q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in captured)
    statements = data_statements(captured)
    assert [sql.split()[0] for sql in statements] == [
        "SELECT",  # the restaurant, with no session for this token yet
        "INSERT",  # the session, with the first context
        "INSERT",  # both messages
    ]
    assert "chat_chatsession" in statements[1] and "chat_chatmessage" in statements[2]


@pytest.mark.django_db(transaction=True)
def test_first_message_of_a_new_diner_on_a_cold_menu_adds_the_menu_read(
    client, django_assert_max_num_queries
):
    bella = RestaurantFactory(public_id="bella")
    MenuItemFactory.create_batch(30, restaurant=bella)

    with django_assert_max_num_queries(6) as captured:  # + BEGIN/COMMIT on SQLite
        assert ask(client, "hello", token="new-diner").status_code == 200

    statements = data_statements(captured)
    assert [sql.split()[0] for sql in statements] == [
        "SELECT",  # the restaurant, with no session for this token yet
        "SELECT",  # menu items (once per menu version and process)
        "INSERT",  # session, with the first context
        "INSERT",  # both messages
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_messages_share_one_session(client):
    """Two first messages with one token that both read "no session yet" (the widget retried):
    the second continues the first's session instead of failing on the unique constraint."""
    RestaurantFactory(public_id="bella")
    with mock.patch("chat.views.diner_at_restaurant", wraps=diner_at_restaurant) as read:
        read.side_effect = lambda **kw: replace(diner_at_restaurant(**kw), session=None)
        assert ask(client, "hello").status_code == 200
        second = ask(client, "no nuts please")

    assert second.status_code == 200
    session = ChatSession.objects.get()
    assert session.context == second.json()["context"]
    assert [m.text for m in session.messages.filter(role="diner")] == ["hello", "no nuts please"]


# --- Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "head"])
def test_other_methods_get_405(client, bella, method):
    response = getattr(client, method)(CHAT_URL)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    if method != "head":
        assert error_of(response)["code"] == "method_not_allowed"


def test_plain_options_without_preflight_headers_is_405(client, bella):
    assert client.options(CHAT_URL).status_code == 405


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "application/json; charset=latin-1",
        "",
    ],
)
def test_non_json_content_type_is_415(client, bella, content_type):
    body = json.dumps({"restaurantId": "bella", "sessionToken": "t", "message": "hi"})

    response = client.post(CHAT_URL, body, content_type=content_type)

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON; Charset=UTF-8"]
)
def test_json_with_utf8_charset_parameter_is_accepted(client, bella, content_type):
    body = json.dumps({"restaurantId": "bella", "sessionToken": "t", "message": "hi"})

    assert client.post(CHAT_URL, body, content_type=content_type).status_code == 200


def test_body_over_8_kib_is_413(client, bella):
    body = json.dumps({"restaurantId": "bella", "sessionToken": "t", "message": "x" * 9000})

    response = client.post(CHAT_URL, body, content_type="application/json")

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_body_of_exactly_8_kib_is_read(client, bella):
    prefix = json.dumps({"restaurantId": "bella", "sessionToken": "t", "message": "hi"})
    body = prefix[:-1] + ', "pad": "' + "p" * (8192 - len(prefix) - 11) + '"}'
    assert len(body.encode()) == 8192

    assert client.post(CHAT_URL, body, content_type="application/json").status_code == 200


def test_huge_body_beyond_djangos_upload_limit_is_413_not_400(client, bella):
    body = b'{"message": "' + b"x" * 3_000_000 + b'"}'

    response = client.post(
        CHAT_URL, body, content_type="application/json", HTTP_ORIGIN="https://x.example"
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_declared_length_over_limit_is_413_before_reading(client, bella):
    response = client.post(CHAT_URL, b"{}", content_type="application/json", CONTENT_LENGTH="9000")

    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [b" ", b"{", b"not json", b"\xff\xfe{}", b'{"message": "\xc3\x28"}', b"[" * 5000],
)
def test_malformed_json_is_400_invalid_json(client, bella, body):
    response = client.post(CHAT_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


@pytest.mark.parametrize("body", ["[]", '"hello"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_400_invalid_json(client, bella, body):
    response = client.post(CHAT_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


VALID = {"restaurantId": "bella", "sessionToken": "diner-1", "message": "hello"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("restaurantId", None),
        ("restaurantId", ""),
        ("restaurantId", 42),
        ("restaurantId", "bella napoli"),
        ("restaurantId", "b" * 65),
        ("sessionToken", None),
        ("sessionToken", ""),
        ("sessionToken", "t" * 129),
        ("sessionToken", "has space"),
        ("sessionToken", "slash/es"),
        ("sessionToken", "trailing-newline\n"),
        ("sessionToken", ["t"]),
        ("message", None),
        ("message", ""),
        ("message", "   \n\t "),
        ("message", "x" * 501),
        ("message", 12),
        ("message", {"text": "hi"}),
        ("message", "nul \x00 inside"),
        ("message", "lone \ud800 surrogate"),
    ],
)
def test_invalid_field_is_400_naming_the_field(client, bella, field, value):
    body = {**VALID}
    if value is None:
        del body[field]
    else:
        body[field] = value

    response = client.post(CHAT_URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_field"
    assert error["field"] == field
    assert field in error["message"]


def test_message_of_500_characters_after_trimming_is_accepted(client, bella):
    assert ask(client, "  " + "a" * 500 + "  ").status_code == 200


def test_session_token_of_128_allowed_characters_is_accepted(client, bella):
    assert ask(client, "hello", token="aZ0_.-" * 21 + "ab").status_code == 200


def test_unknown_restaurant_is_404(client, bella):
    response = ask(client, "hello", restaurant="nowhere")

    assert response.status_code == 404
    assert error_of(response)["code"] == "restaurant_not_found"


def test_inactive_restaurant_is_404(client, db):
    RestaurantFactory(public_id="closed", active=False)

    response = ask(client, "hello", restaurant="closed")

    assert response.status_code == 404
    assert error_of(response)["code"] == "restaurant_not_found"
    assert ChatSession.objects.count() == 0


def test_origin_not_on_the_allowlist_is_403(client, bella, roma):
    AllowedOriginFactory(restaurant=roma, origin="https://roma.example")

    response = ask(client, "hello", HTTP_ORIGIN="https://roma.example")

    assert response.status_code == 403
    assert error_of(response)["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response
    assert ChatSession.objects.count() == 0


def test_origin_on_the_allowlist_is_served_with_cors_headers(client, bella):
    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")

    response = ask(client, "hello", HTTP_ORIGIN="https://bella.example")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://bella.example"
    assert "origin" in response["Vary"].lower()


def test_opaque_null_origin_is_403(client, bella):
    assert ask(client, "hello", HTTP_ORIGIN="null").status_code == 403


def test_request_without_origin_is_served(client, bella):
    assert ask(client, "hello").status_code == 200


def test_server_chat_disabled_is_503_and_stores_nothing(client, bella, settings):
    settings.USE_SERVER_CHAT = False

    response = ask(client, "hello")

    assert response.status_code == 503
    assert error_of(response)["code"] == "server_chat_disabled"
    assert ChatSession.objects.count() == 0


def test_validation_comes_before_the_server_chat_flag(client, bella, settings):
    settings.USE_SERVER_CHAT = False

    response = client.post(CHAT_URL, "{", content_type="application/json")

    assert response.status_code == 400


def test_request_log_line_names_the_restaurant(client, bella, capsys):
    ask(client, "hello")

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    request_line = next(line for line in lines if line.get("event") == "request")
    assert request_line["restaurant_id"] == "bella"
    assert request_line["status"] == 200


# --- Fuzz ---------------------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_field_values = st.one_of(
    st.sampled_from(["bella", "roma", "nowhere", "", "diner-1", "hello", "a" * 129]),
    st.text(max_size=600),
    _json_values,
)
_objects = st.fixed_dictionaries(
    {},
    optional={
        "restaurantId": _field_values,
        "sessionToken": _field_values,
        "message": _field_values,
    },
).map(lambda d: json.dumps(d).encode())
_bodies = st.one_of(
    _objects,
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
)
_content_types = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin-1",
            "application/json;charset",
            "text/plain",
            "",
        ]
    ),
    st.text(max_size=40),
)
_header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=40)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "OPTIONS"]),
    body=_bodies,
    content_type=_content_types,
    origin=st.none() | st.sampled_from(["https://bella.example", "null"]) | _header_text,
    forwarded=st.none() | _header_text,
    remote_addr=st.sampled_from(["127.0.0.1", "::1", "", "not-an-ip"]),
)
def test_no_input_ever_gets_a_500(
    client, bella, roma, method, body, content_type, origin, forwarded, remote_addr
):
    extra = {"REMOTE_ADDR": remote_addr}
    if origin is not None:
        extra["HTTP_ORIGIN"] = origin
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded

    response = client.generic(method, CHAT_URL, body, content_type=content_type, **extra)

    assert response.status_code < 500
    if response.status_code == 200:
        assert set(response.json()) == {
            "reply",
            "items",
            "flagged",
            "intent",
            "suggestions",
            "language",
            "context",
            "sessionToken",
        }
    else:
        error_of(response)
