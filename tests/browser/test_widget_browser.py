"""The widget in a real browser (Debian's Chromium) against the live server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chat.engine.lexicon import ALLERGEN_LABELS, DIET_LABELS, TEMPLATES
from tests.browser.conftest import (
    AXE_JS,
    SCREENSHOTS,
    item_names,
    unsafe_for,
)
from tests.browser.widget import ANSWERS, FAB, ask, open_widget
from widget.bundle import current_widget

pytestmark = pytest.mark.browser

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance" / "chat_cases.json"
HOSTILE_PAGE = """<!doctype html><html><head><title>Hostile host</title><style>
* { all: unset; display: block; font-size: 50px !important; color: red !important }
button { display: none !important }
div { position: static !important; width: 10px !important; height: 10px !important }
</style></head><body><h1>A page that styles everything</h1>
<script src="%(base)s/widget.js" data-restaurant-id="demo" async></script></body></html>"""


def test_button_appears_on_the_demo_page_and_opens_the_panel(page, demo, live_server):
    page.goto(live_server.url + "/")
    fab = page.get_by_role("button", name="Chat about the menu")
    expect(fab).to_be_visible()
    box = fab.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    fab.click()
    dialog = page.get_by_role("dialog", name="Trattoria Stjärna")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Ciao! Ask me about our dishes")
    expect(page.get_by_role("log")).to_be_visible()
    expect(page.locator("stjarna-widget >> .c button").first).to_be_visible()


def test_widget_works_on_a_hostile_page_with_global_css_and_a_strict_csp(
    page, demo, live_server, host_site
):
    host_site.html = HOSTILE_PAGE % {"base": live_server.url}
    # Only the widget's origin may run scripts and be fetched; no styles beyond the host's own.
    host_site.headers = {
        "Content-Security-Policy": f"default-src 'none'; script-src {live_server.url}; "
        f"connect-src {live_server.url}; style-src 'unsafe-inline'"
    }
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)
    page.goto(host_site.origin + "/")
    fab = page.get_by_role("button", name="Chat about the menu")
    expect(fab).to_be_visible()
    box = fab.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    fab.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    reply = ask(page, "any vegan dishes?")
    assert reply.cards == item_names(tag="vegan")
    assert not reply.offline
    assert csp_errors == []


def test_vegan_question_lists_exactly_the_vegan_items_via_the_server(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    with page.expect_response("**/api/chat?restaurantId=demo") as chat:
        reply = ask(page, "any vegan dishes?")
    assert chat.value.status == 200
    assert reply.cards == item_names(tag="vegan")
    assert len(reply.cards) > 6  # every match is a card, not only the six the reply names
    assert not reply.offline


@pytest.mark.parametrize("outage", ["chat_503", "server_chat_off", "chat_unreachable"])
def test_vegan_question_is_answered_locally_when_the_chat_api_is_unavailable(
    page, demo, live_server, settings, outage
):
    if outage == "chat_503":
        page.route(
            "**/api/chat?*",
            lambda r: r.fulfill(status=503, json={"error": {"code": "x", "message": "down"}}),
        )
    elif outage == "chat_unreachable":
        page.route("**/api/chat?*", lambda r: r.abort("connectionrefused"))
    else:
        settings.USE_SERVER_CHAT = False
    chat_calls: list[str] = []
    page.on("request", lambda r: chat_calls.append(r.url) if "/api/chat" in r.url else 0)
    page.goto(live_server.url + "/")
    open_widget(page)
    reply = ask(page, "any vegan dishes?")
    assert reply.cards == item_names(tag="vegan")
    assert reply.offline
    if outage == "server_chat_off":
        assert chat_calls == []  # features.serverChat=false: the server is not even asked
    safe = ask(page, "anything without nuts")
    assert safe.cards and safe.offline
    assert not set(safe.cards) & unsafe_for({"nuts", "peanuts"})
    assert "confirm any allergies" in safe.text


def test_widget_uses_the_server_again_once_it_recovers(page, demo, live_server):
    page.route("**/api/chat?*", lambda r: r.fulfill(status=503, body="down"))
    page.goto(live_server.url + "/")
    open_widget(page)
    assert ask(page, "vegan").offline
    page.unroute("**/api/chat?*")
    recovered = ask(page, "vegan")
    assert not recovered.offline
    assert recovered.cards == item_names(tag="vegan")


def test_allergen_question_never_lists_an_unsafe_item_via_the_server(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    reply = ask(page, "anything without nuts")
    assert reply.cards and not reply.offline
    assert not set(reply.cards) & unsafe_for({"nuts", "peanuts"})
    assert "confirm any allergies" in reply.text


def test_conversation_survives_a_page_reload(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "vegan desserts")
    page.reload()
    open_widget(page)
    expect(page.locator("stjarna-widget >> .m.me")).to_have_text(["vegan desserts"])
    token = page.evaluate("localStorage.getItem('stjarna:demo:token')")
    assert token and all(c.isalnum() or c in "_-" for c in json.loads(token))


def test_widget_is_usable_by_keyboard_alone(page, demo, live_server):
    page.goto(live_server.url + "/")
    page.locator(FAB).wait_for()
    focused_fab = "document.activeElement?.shadowRoot?.activeElement?.classList.contains('f')"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(focused_fab):
            break
    assert page.evaluate(focused_fab), "Tab never reached the chat button"
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "INPUT"
    page.keyboard.type("vegan desserts")
    page.keyboard.press("Enter")
    expect(page.locator(ANSWERS)).to_have_count(2)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.evaluate(focused_fab)
    expect(page.locator(FAB)).to_have_attribute("aria-expanded", "false")


def test_open_widget_has_no_serious_accessibility_violations(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "anything without nuts")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "axe.run({include: [['stjarna-widget']]}, {resultTypes: ['violations']})"
    )
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# The local engine answers a subset of intents offline (window.Stjarna.intents, docs/widget.md);
# every conformance case whose expected intent is in it must match exactly. This floor keeps the
# subset from shrinking silently.
MIN_LOCAL_CASES = 150


def _swedish_reply_text() -> list[str]:
    """The server engine's Swedish reply wording (templates and labels, lower case). The local
    engine understands Swedish words but replies in English (docs/widget.md), so an sv case's
    `reply_contains` phrase taken from this wording is not expected in the offline reply."""
    labels = [*ALLERGEN_LABELS["sv"].values(), *DIET_LABELS["sv"].values()]
    return [t.lower() for t in [*TEMPLATES["sv"].values(), *labels]]


def _expected_phrases(case: dict, swedish: list[str]) -> list[str]:
    """The reply phrases the offline answer must contain: all of them for English cases; for
    Swedish cases all but those that are Swedish reply wording (menu data such as an address
    stays required)."""
    phrases = case.get("reply_contains", [])
    if case.get("locale") != "sv":
        return phrases
    return [p for p in phrases if not any(p.lower() in text for text in swedish)]


def test_local_engine_in_chromium_passes_the_conformance_file(page):
    data = json.loads(CONFORMANCE.read_text("utf-8"))
    page.set_content("<!doctype html><title>engine</title>")
    page.add_script_tag(content=current_widget().panel.raw.decode())
    supported = set(page.evaluate("window.Stjarna.intents"))
    results = page.evaluate(
        """data => {
          const r = data.menu.restaurant;
          const menu = {restaurant: {name: r.name, currency: r.currency,
            openingHours: r.opening_hours, address: r.address, phone: r.phone},
            items: data.menu.items};
          return data.cases.map(c => {
            const a = window.Stjarna.answer(menu, c.message, c.locale);
            return {intent: a.intent, items: a.items.map(i => i.id), answered: a.answered,
                    reply: a.reply};
          });
        }""",
        data,
    )
    passed, failures, unsafe, refused_wrongly = 0, [], [], []
    swedish = _swedish_reply_text()
    for case, got in zip(data["cases"], results, strict=True):
        # Safety holds for EVERY case, supported or not.
        if set(case.get("never", [])) & set(got["items"]):
            unsafe.append(case["message"])
        if case["intent"] not in supported:
            # Not answered offline: an honest "unknown" with no items, never a guess.
            if got != {**got, "intent": "unknown", "items": [], "answered": False}:
                refused_wrongly.append((case["message"], got["intent"], got["items"]))
            continue
        ok = (
            got["intent"] == case["intent"]
            and got["items"] == case["items"]
            and got["answered"] == case["answered"]
            and all(s in got["reply"] for s in _expected_phrases(case, swedish))
        )
        if ok:
            passed += 1
        else:
            failures.append((case["message"], case["intent"], got["intent"], got["items"]))
    print(f"local engine conformance: {passed}/{len(results)} cases ({sorted(supported)})")
    assert unsafe == []
    assert failures == []
    assert refused_wrongly == []
    assert {"search", "greeting", "hours", "unknown"} <= supported
    assert passed >= MIN_LOCAL_CASES


def test_screenshot_of_the_open_widget_on_the_demo_page(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "vegan desserts")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "widget-demo-open.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
