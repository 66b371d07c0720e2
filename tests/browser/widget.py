"""Test helpers that read like the product: open the widget, ask it something, read the answer."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page, expect

FAB = "stjarna-widget >> button.f"


@dataclass
class Reply:
    text: str
    cards: list[str]
    offline: bool


def open_widget(page: Page) -> None:
    page.locator(FAB).click()
    expect(page.get_by_role("dialog")).to_be_visible()


def widget_page(browser, url: str, width: int, height: int, route=None) -> Page:
    """A fresh English browser context at `width`×`height` on `url` with the widget open
    (`route`: a (pattern, handler) pair installed before the page loads). Close its context."""
    page = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-US"
    ).new_page()
    if route:
        page.route(*route)
    page.goto(url)
    open_widget(page)
    return page


ANSWERS = "stjarna-widget >> .m:not(.me):not(.typing)"


def ask(page: Page, question: str, *, field_name: str = "Ask about the menu") -> Reply:
    """Type `question`, send it, and return the assistant's new message (every card, after
    "show all N")."""
    messages = page.locator(ANSWERS)
    before = messages.count()
    field = page.get_by_role("textbox", name=field_name)
    field.fill(question)
    field.press("Enter")
    expect(messages).to_have_count(before + 1)
    last = messages.nth(before)
    show_all = last.locator("button.more")
    if show_all.count():
        show_all.click()
    return Reply(
        text=last.locator(".r").inner_text(),
        cards=last.locator(".k:not(.warn) b").all_inner_texts(),
        offline=last.locator(".n").count() == 1,
    )
