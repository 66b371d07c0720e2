"""Helpers that read like the product: one copy each, imported by the tests that need them."""

from __future__ import annotations

from tenants.models import Restaurant

MENU_URL = "/api/public/menu"


def menu_url(public_id: str = "bella") -> str:
    """The public menu of one restaurant, as the widget asks for it."""
    return f"{MENU_URL}?restaurantId={public_id}"


def item_names(client, public_id: str = "bella") -> list[str]:
    """The dish names a diner sees on the public menu, in menu order."""
    return [item["name"] for item in client.get(menu_url(public_id)).json()["items"]]


def error_of(response) -> dict:
    """The API's one error shape (SPEC §5): ``{"error": {"code", "message"}}``; returns the inner
    object after checking the shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    return body["error"]


def version_of(restaurant: Restaurant) -> int:
    """The restaurant's menu version as stored."""
    return Restaurant.objects.values_list("menu_version", flat=True).get(pk=restaurant.pk)
