"""The widget in a real browser (Debian's Chromium) against the live server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    AXE_JS,
    SCREENSHOTS,
    item_names,
    unsafe_for,
)
from tests.browser.widget import ANSWERS, FAB, ask, open_widget, widget_page
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


def test_widget_works_on_the_demo_page_under_its_own_content_security_policy(
    page, demo, live_server
):
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)
    with page.expect_response(live_server.url + "/") as loaded:
        page.goto(live_server.url + "/")
    assert "script-src 'self'" in loaded.value.headers["content-security-policy"]
    open_widget(page)
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
    page.add_init_script(path=str(AXE_JS))  # an init script, as the demo page's CSP forbids inline
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "anything without nuts")
    result = page.evaluate(
        "axe.run({include: [['stjarna-widget']]}, {resultTypes: ['violations']})"
    )
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_local_engine_in_chromium_passes_what_it_passes_in_v8_and_is_always_safe(page):
    """The conformance files in Chromium (CI), checked as tests/widget does in mini-racer."""
    from tests.widget.local_engine import PASSING, RUN_FILE, conformance_files, score, widget_menu

    page.set_content("<!doctype html><title>engine</title>")
    page.add_script_tag(content=current_widget().panel.raw.decode())
    results = {}
    for name, data in conformance_files():
        payload = {
            "menu": widget_menu(data["menu"]),
            "cases": data["cases"],
            "conversations": data.get("conversations", []),
        }
        results[name] = json.loads(page.evaluate(RUN_FILE, payload))
    passing, every, unsafe = score(results)
    print(f"local engine in Chromium: {len(passing)}/{len(every)} cases and turns")
    assert unsafe == []
    assert sorted(set(PASSING.read_text("utf-8").split()) - passing) == []


def test_screenshot_of_the_open_widget_on_the_demo_page(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "vegan desserts")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "widget-demo-open.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def test_nothing_is_stored_and_no_api_request_is_made_before_the_diner_opens_the_widget(
    page, demo, live_server
):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server.url + "/")
    # The browser is idle: the panel script arrives, and still nothing else happens.
    page.wait_for_function("() => window.Stjarna && window.Stjarna.openPanel")
    page.wait_for_timeout(300)
    assert [u for u in requests if "/api/" in u] == []
    assert any(current_widget().panel_name in u for u in requests)
    assert page.evaluate("localStorage.length") == 0
    open_widget(page)
    page.wait_for_function("() => document.querySelector('stjarna-widget')")
    expect(page.get_by_role("dialog")).to_contain_text("Ciao!")
    assert any("/api/public/menu" in u for u in requests)
    assert page.evaluate("localStorage.length") == 0  # opening is not yet interacting
    ask(page, "vegan")
    assert page.evaluate("localStorage.getItem('stjarna:demo:token')")


LAYOUT_FACTS = """() => {
  const root = document.querySelector('stjarna-widget').shadowRoot;
  const log = root.querySelector('.l'), panel = root.querySelector('.p');
  const answers = root.querySelectorAll('.m:not(.me):not(.typing)');
  const last = answers[answers.length - 1];
  const lr = log.getBoundingClientRect(), first = last.querySelector('.r').getClientRects()[0];
  const broken = [...root.querySelectorAll('.b, .g')].filter((b) => b.getClientRects().length != 1)
    .map((b) => b.textContent);
  return {
    firstLineVisible: first.top >= lr.top - 1 && first.bottom <= lr.bottom + 1,
    overflow: log.scrollWidth - log.clientWidth,
    pageOverflow: document.documentElement.scrollWidth - innerWidth,
    brokenBadges: broken,
    cards: last.querySelectorAll('.k').length,
    showAll: last.querySelector('button.more')?.textContent || null,
    panel: panel.getBoundingClientRect().toJSON(),
    viewport: [innerWidth, innerHeight],
    labels: [...root.querySelectorAll('.b')].map((b) => b.textContent),
  };
}"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_long_answer_reads_from_its_first_line_at_phone_and_desktop_sizes(
    browser, demo, live_server, width, height
):
    page = widget_page(browser, live_server.url + "/", width, height)
    context = page.context
    ask(page, "what are your opening hours?")  # something above, and no standing constraint
    field = page.get_by_role("textbox", name="Ask about the menu")
    field.fill("vegetarian dishes")
    field.press("Enter")
    expect(page.locator(ANSWERS)).to_have_count(3)
    facts = page.evaluate(LAYOUT_FACTS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-long-answer.png"))
    assert facts["firstLineVisible"], facts
    assert facts["overflow"] <= 0 and facts["pageOverflow"] <= 0
    assert facts["brokenBadges"] == []
    assert facts["cards"] == 3 and facts["showAll"].startswith("Show all ")
    assert not any(label.islower() for label in facts["labels"])  # labels, never raw slugs
    if width < 480:  # a phone: the panel is the whole screen
        assert facts["panel"]["width"] == width and facts["panel"]["height"] == height
    page.locator("stjarna-widget >> button.more").last.click()
    # "Show all N" adds the rest below; the reply's first line stays in view (it used to scroll
    # away on a desktop, to the fourth card).
    shown = page.evaluate(LAYOUT_FACTS)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-show-all.png"))
    assert shown["firstLineVisible"], shown
    assert shown["cards"] == len(item_names(tag="vegetarian")) and shown["showAll"] is None
    assert shown["overflow"] <= 0
    context.close()


CHIP_FACTS = """() => {
  const root = document.querySelector('stjarna-widget').shadowRoot;
  const panel = root.querySelector('.p').getBoundingClientRect(), box = root.querySelector('.c');
  const inside = (r, o) => r.left >= o.left - 0.5 && r.right <= o.right + 0.5 &&
    r.top >= o.top - 0.5 && r.bottom <= o.bottom + 0.5;
  return {
    chips: [...box.children].map((c) => ({
      text: c.textContent,
      inPanel: inside(c.getBoundingClientRect(), panel),
      inRow: inside(c.getBoundingClientRect(), box.getBoundingClientRect()),
      clipped: c.scrollWidth > c.clientWidth,
    })),
    sideways: box.scrollWidth - box.clientWidth,
  };
}"""

UNKNOWN_ANSWER = {
    "reply": "Sorry, I couldn't find that on the menu.",
    "items": [],
    "flagged": [],
    "intent": "unknown",
    "answered": False,
    "suggestions": ["Vegan dishes", "Without nuts", "Desserts", "Opening hours"],
    "language": "en",
    "context": {"v": 2},
    "sessionToken": "x",
}


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_every_suggestion_chip_is_fully_visible_at_phone_and_desktop_sizes(
    browser, demo, live_server, width, height
):
    page = widget_page(browser, live_server.url + "/", width, height)
    context = page.context
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opening = page.evaluate(CHIP_FACTS)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-chips.png"))
    # Not understood: the four suggestions and the tap-to-call chip, the longest row there is.
    page.route("**/api/chat?*", lambda r: r.fulfill(status=200, json=UNKNOWN_ANSWER))
    ask(page, "qwxz?")
    expect(page.locator("stjarna-widget >> .c a")).to_have_count(1)
    handoff = page.evaluate(CHIP_FACTS)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-chips-call.png"))
    context.close()
    assert [c["text"] for c in opening["chips"]] == UNKNOWN_ANSWER["suggestions"]
    assert len(handoff["chips"]) == 5
    for facts in (opening, handoff):
        assert facts["sideways"] <= 0, facts  # chips wrap: no row that scrolls sideways
        assert all(c["inPanel"] and c["inRow"] and not c["clipped"] for c in facts["chips"]), facts


V2_ANSWER = {
    "reply": "Pad Thai contains peanuts.\nPlease confirm any allergies with our staff.",
    "items": [],
    "flagged": [
        {
            "id": 1,
            "name": "Pad Thai",
            "description": "",
            "price": "145.00",
            "category": "Thai",
            "allergens": ["peanuts", "eggs"],
            "tags": ["spicy"],
            "mayContain": ["sesame"],
            "allergensDeclared": True,
            "conflicts": ["peanuts"],
        }
    ],
    "intent": "allergen_check",
    "suggestions": ["Without peanuts", "Desserts"],
    "language": "en",
    "context": {"v": 2, "excluded": ["peanuts"]},
    "sessionToken": "x",
}


WARNING_HEADING = "stjarna-widget >> .k.warn strong"


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_warning_card_says_not_suitable_only_for_the_diners_own_constraint(
    browser, demo, live_server, width, height
):
    """Asked about a dish with no allergy stated, the card says what is known ("Contains:
    Peanuts"); "Not suitable for you" only once the diner's own allergy makes it so."""
    answers = [
        {**V2_ANSWER, "context": {"v": 2, "lang": "en"}},
        {**V2_ANSWER, "language": "sv", "context": {"v": 2, "lang": "sv"}},
        {**V2_ANSWER, "context": {"v": 2, "lang": "en", "excluded": ["peanuts"]}},
    ]
    route = ("**/api/chat?*", lambda r: r.fulfill(status=200, json=answers.pop(0)))
    page = widget_page(browser, live_server.url + "/", width, height, route)
    context = page.context
    ask(page, "does the pad thai have peanuts?")
    heading = page.locator(WARNING_HEADING)
    expect(heading).to_have_text("⚠ Contains: Peanuts")
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-flagged-asked.png"))
    ask(page, "har pad thai jordnötter?")
    expect(heading.last).to_have_text("⚠ Innehåller: Jordnötter")
    ask(page, "I'm allergic to peanuts, can I have the pad thai?", field_name="Fråga om menyn")
    expect(heading.last).to_have_text("⚠ Not suitable for you: Contains: Peanuts")
    page.screenshot(path=str(SCREENSHOTS / f"widget-{width}x{height}-flagged-allergy.png"))
    # After a reload each card still knows whose constraint it was.
    page.reload()
    open_widget(page)
    expect(heading).to_have_count(3)
    expect(heading.first).to_have_text("⚠ Contains: Peanuts")
    expect(heading.last).to_have_text("⚠ Not suitable for you: Contains: Peanuts")
    context.close()


def test_flagged_dishes_render_as_warnings_and_chips_follow_the_answer(page, demo, live_server):
    page.route("**/api/chat?*", lambda r: r.fulfill(status=200, json=V2_ANSWER))
    page.goto(live_server.url + "/")
    open_widget(page)
    reply = ask(page, "does the pad thai have peanuts?")
    assert reply.cards == []
    warning = page.locator("stjarna-widget >> .k.warn")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("Not suitable for you: Contains: Peanuts")
    expect(page.locator("stjarna-widget >> .c")).to_have_text("Without peanutsDesserts")
    page.screenshot(path=str(SCREENSHOTS / "widget-flagged.png"))


def test_rate_limited_diner_is_answered_locally_and_told_how_long(page, demo, live_server):
    body = {"error": {"code": "rate_limited", "message": "slow down"}, "retryAfter": 20}
    page.route("**/api/chat?*", lambda r: r.fulfill(status=429, json=body))
    page.goto(live_server.url + "/")
    open_widget(page)
    reply = ask(page, "any vegan dishes?")
    assert reply.offline and reply.cards == item_names(tag="vegan")
    expect(page.locator("stjarna-widget >> .n").last).to_contain_text("Lots of questions at once")
    expect(page.locator("stjarna-widget >> .n").last).to_contain_text("20 s")
    swedish = ask(page, "har ni vegansk mat?")
    assert swedish.offline and swedish.text.startswith("Det här hittade jag")
    # The UI follows the answer's language.
    expect(page.get_by_role("textbox", name="Fråga om menyn")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "widget-429-swedish.png"))


def test_an_allergy_told_to_the_server_still_holds_when_it_goes_down(page, demo, live_server):
    told = {
        **V2_ANSWER,
        "reply": "Noted: without nuts.",
        "flagged": [],
        "intent": "search",
        "context": {"v": 2, "lang": "en", "excluded": ["nuts"]},
    }
    page.route("**/api/chat?*", lambda r: r.fulfill(status=200, json=told))
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "I'm allergic to nuts")
    page.unroute("**/api/chat?*")
    page.route("**/api/chat?*", lambda r: r.fulfill(status=503, body="down"))
    offline = ask(page, "desserts")
    assert offline.offline and "as you mentioned" in offline.text
    assert not set(offline.cards) & unsafe_for({"nuts"})


def test_enter_while_waiting_keeps_the_text_and_shows_typing(page, demo, live_server):
    def slow(route):
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/api/chat?*", slow)
    page.goto(live_server.url + "/")
    open_widget(page)
    field = page.get_by_role("textbox", name="Ask about the menu")
    field.fill("vegan")
    field.press("Enter")
    expect(page.locator("stjarna-widget >> .typing")).to_be_visible()
    field.fill("desserts")
    field.press("Enter")
    expect(page.locator("stjarna-widget >> .hint")).to_contain_text("Still answering")
    assert field.input_value() == "desserts"
    expect(page.locator(ANSWERS)).to_have_count(2)
    expect(page.locator("stjarna-widget >> .typing")).to_have_count(0)


def test_new_conversation_starts_over(page, demo, live_server):
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "vegan")
    token = page.evaluate("localStorage.getItem('stjarna:demo:token')")
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("stjarna-widget >> .m.me")).to_have_count(0)
    ask(page, "desserts")
    assert page.evaluate("localStorage.getItem('stjarna:demo:token')") != token


def test_a_site_not_on_the_allowlist_gets_a_clear_message(page, demo, live_server, host_site):
    from tenants.models import AllowedOrigin

    AllowedOrigin.objects.filter(origin=host_site.origin).delete()
    host_site.html = (
        f'<!doctype html><title>not allowed</title><script src="{live_server.url}/widget.js" '
        'data-restaurant-id="demo" async></script>'
    )
    host_site.headers = {}
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else 0)
    page.goto(host_site.origin + "/")
    open_widget(page)
    expect(page.get_by_role("dialog")).to_contain_text("isn't available on this website yet")
    from tenants.admin import AllowedOriginInline

    setting = str(AllowedOriginInline.verbose_name_plural)  # the admin's own words
    assert any(setting in w and host_site.origin in w for w in warnings)


def test_on_a_phone_the_input_stays_above_the_on_screen_keyboard(browser, demo, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.goto(live_server.url + "/")
    open_widget(page)
    ask(page, "vegetarian dishes")
    # The keyboard opens: the visual viewport shrinks to 500 px.
    page.set_viewport_size({"width": 390, "height": 500})
    page.wait_for_function(
        "() => document.querySelector('stjarna-widget').shadowRoot"
        ".querySelector('.p').getBoundingClientRect().height <= 500"
    )
    field = page.get_by_role("textbox", name="Ask about the menu").bounding_box()
    log = page.get_by_role("log").bounding_box()
    assert field["y"] + field["height"] <= 500
    assert log["height"] >= 200  # most of the screen is still conversation
    page.screenshot(path=str(SCREENSHOTS / "widget-390x500-keyboard.png"))
    context.close()


@pytest.mark.bench_smoke
def test_bench_reports_the_loader_time_beside_a_4_kb_baseline(browser):
    from bench.widget import BASELINE_BYTES, compare

    result = compare(browser, runs=3)
    assert result["baseline_bytes"] == BASELINE_BYTES
    assert result["loader_bytes"] == len(current_widget().loader.raw)
    assert 0 < result["loader_ms_median"] < 100  # a few ms on a 2-core machine
