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


def ask(page: Page, question: str) -> Reply:
    """Type `question`, send it, and return the assistant's new message."""
    messages = page.locator("stjarna-widget >> .m:not(.me)")
    before = messages.count()
    field = page.get_by_role("textbox", name="Ask about the menu")
    field.fill(question)
    field.press("Enter")
    expect(messages).to_have_count(before + 1)
    last = messages.nth(before)
    return Reply(
        text=last.locator("span").first.inner_text(),
        cards=last.locator(".k b").all_inner_texts(),
        offline=last.locator(".n").count() == 1,
    )
