"""The owner's home in Chromium: the whole invitation flow, the widget preview, the copy button.

Screenshots land in var/screenshots/ (owner-home.png at 1366×900, owner-home-preview.png,
owner-home-copied.png).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from menu.models import MenuItem
from operators.demo import DEMO_PUBLIC_ID
from tenants.models import Restaurant
from tests.browser.conftest import SCREENSHOTS
from tests.browser.widget import ask, open_widget

pytestmark = pytest.mark.browser
PASSWORD = "an-owner-passphrase-for-the-browser"


@pytest.fixture
def owner_page(browser, demo, live_server, settings):
    """The demo restaurant's new owner, invited by mail, signed in through the real login form."""
    settings.PUBLIC_BASE_URL = live_server.url
    call_command(
        "create_restaurant",
        "luna",
        name="Luna",
        owner_email="owner@luna.example",
        stdout=io.StringIO(),
    )  # another tenant the owner must never see
    from accounts.services import member_invite

    mail.outbox.clear()
    member_invite(
        restaurant=Restaurant.objects.get(public_id=DEMO_PUBLIC_ID),
        email="owner@trattoria.example",
        role="owner",
        actor="ops-anna",
    )
    link = re.search(r"http\S+/admin/reset/\S+/", mail.outbox[0].body).group(0)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="en-US",
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(link)
    page.get_by_label("New password:").fill(PASSWORD)
    page.get_by_label("Confirm password:").fill(PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_text("Your password has been set")).to_be_visible()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username:").fill("owner@trattoria.example")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#restaurant-home")).to_be_visible()
    yield page
    context.close()


def test_the_owners_home_shows_their_restaurant_at_a_glance(owner_page, live_server):
    page = owner_page
    home = page.locator("#restaurant-home")
    expect(home.get_by_role("heading", name="Trattoria Stjärna")).to_be_visible()
    expect(home.locator("code[id^=snippet]")).to_contain_text(
        f'<script src="{live_server.url}/widget.js"'
    )
    origins = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID).allowed_origins.count()
    websites = home.locator(".websites li")
    expect(websites).to_have_count(origins)
    expect(websites.first).to_contain_text("can show the chat")
    expect(page.get_by_text("Luna")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "owner-home.png"), full_page=True)


def test_the_preview_on_the_home_answers_for_real(owner_page):
    page = owner_page
    open_widget(page)
    reply = ask(page, "vegan?")
    vegan = MenuItem.objects.filter(
        restaurant__public_id=DEMO_PUBLIC_ID, available=True
    ).values_list("name", "tags")
    assert set(reply.cards) == {name for name, tags in vegan if "vegan" in tags}
    assert not reply.offline
    page.screenshot(path=str(SCREENSHOTS / "owner-home-preview.png"))


def test_the_copy_button_copies_the_embed_snippet(owner_page, live_server):
    page = owner_page
    page.get_by_role("button", name="Copy").first.click()
    expect(page.locator(".copy-status").first).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        f'<script src="{live_server.url}/widget.js" data-restaurant-id="{DEMO_PUBLIC_ID}" '
        "async></script>"
    )
    page.locator(".snippet").first.screenshot(path=str(SCREENSHOTS / "owner-home-copied.png"))


def test_the_menu_list_shows_badges_and_prices_with_currency(owner_page, live_server):
    page = owner_page
    page.goto(f"{live_server.url}/admin/menu/menuitem/")
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".field-price_with_currency")).to_contain_text("SEK")
    expect(page.locator("#result_list .badge.diet").first).to_be_visible()
    expect(page.locator("#result_list th.column-restaurant")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "owner-menu-list.png"))


def test_the_restaurant_page_offers_the_invitation_and_names_the_websites(owner_page, live_server):
    page = owner_page
    page.get_by_role("link", name="Edit the restaurant").click()
    expect(page.get_by_role("link", name="Invite a colleague")).to_be_visible()
    expect(page.get_by_text("can show the chat").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "owner-restaurant-page.png"), full_page=True)
    page.get_by_role("link", name="Invite a colleague").click()
    page.get_by_label("E-mail address:").fill("cook@trattoria.example")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to cook@trattoria.example")).to_be_visible()
