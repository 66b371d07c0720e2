"""The admin's price field in Chromium: typing "79,50" (the Swedish way) stores 79.50.

With the number input Django renders for a DecimalField, an English-locale Chromium turned the
typed "79,50" into 7950 before the server saw it; the text input and server-side parsing do not.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, MenuItemFactory, RestaurantFactory, UserFactory

pytestmark = pytest.mark.browser


def log_in(page, live_server, user) -> None:
    """Give the browser the session cookie of a logged-in ``user``."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_typing_a_comma_price_in_chromium_stores_79_50(page, live_server, transactional_db):
    restaurant = RestaurantFactory(public_id="bella", name="Bella Napoli", currency="SEK")
    staff = MembershipFactory(user=UserFactory(username="staff-bella"), restaurant=restaurant).user
    item = MenuItemFactory(restaurant=restaurant, name="Tiramisu", price=Decimal("75.00"))
    log_in(page, live_server, staff)

    page.goto(live_server.url + reverse("admin:menu_menuitem_change", args=[item.pk]))
    price = page.locator("#id_price")
    assert price.get_attribute("type") == "text"
    price.fill("")
    price.press_sequentially("79,50")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/menu/menuitem/")

    item.refresh_from_db()
    assert item.price == Decimal("79.50")
