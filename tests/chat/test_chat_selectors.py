"""chat.selectors.diner_at_restaurant: the one read of a chat, scoped to restaurant and token."""

from __future__ import annotations

from chat.models import ChatSession
from chat.selectors import diner_at_restaurant
from tenants.models import Restaurant
from tests.factories import RestaurantFactory


def test_a_diners_session_is_found_only_at_its_own_restaurant(bella, roma):
    ChatSession.objects.create(
        restaurant=bella, token="t-1", context={"v": 2, "excluded": ["nuts"]}
    )

    at_bella = diner_at_restaurant(public_id="bella", token="t-1")
    at_roma = diner_at_restaurant(public_id="roma", token="t-1")

    assert at_bella.session.context == {"v": 2, "excluded": ["nuts"]}
    assert at_bella.session.restaurant == bella
    assert at_roma.restaurant == roma
    assert at_roma.session is None  # the same token at another tenant is another diner


def test_an_unknown_token_is_a_first_message_at_the_restaurant(bella):
    ChatSession.objects.create(restaurant=bella, token="t-1")

    found = diner_at_restaurant(public_id="bella", token="t-2")

    assert found.restaurant == bella
    assert found.session is None


def test_an_unknown_or_inactive_restaurant_is_none_even_with_a_session(bella, db):
    closed = RestaurantFactory(public_id="closed", active=False)
    ChatSession.objects.create(restaurant=closed, token="t-1")

    assert diner_at_restaurant(public_id="closed", token="t-1") is None
    assert diner_at_restaurant(public_id="nowhere", token="t-1") is None


def test_the_restaurant_is_read_whole_with_the_orms_types(bella):
    found = diner_at_restaurant(public_id="bella", token="t-1").restaurant
    stored = Restaurant.objects.get(pk=bella.pk)

    for field in Restaurant._meta.concrete_fields:
        value, expected = getattr(found, field.attname), getattr(stored, field.attname)
        assert (value, type(value)) == (expected, type(expected)), field.name
    assert not hasattr(found, "chat_session_pk")  # the query's extra columns are not left on it
