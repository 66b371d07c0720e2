"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per test session, a fresh context (storage, routes) per test. Without
/usr/bin/chromium the browser tests skip, unless STJARNA_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from menu.models import MenuItem
from operators.demo import DEMO_PUBLIC_ID, seed_demo_restaurant
from tenants.models import AllowedOrigin, Restaurant

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VENDOR = Path(__file__).with_name("vendor")
AXE_JS = VENDOR / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from the npm registry
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("STJARNA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class HostSite:
    """A third-party website on its own origin: serves one page with the headers a test sets.

    A real HTTP server on loopback (not a Playwright route), because Chromium's private-network
    rules only let a page load the loopback widget server when the page itself is on loopback.
    """

    def __init__(self) -> None:
        self.html = "<!doctype html><title>empty</title>"
        self.headers: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in site.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def host_site():
    site = HostSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def demo(live_server, settings, host_site):
    """The demo restaurant seeded, its site served at / and the live server's origin allowed."""
    settings.WIDGET_DEMO_PAGE = True
    result = seed_demo_restaurant(development=False)
    restaurant = Restaurant.objects.get(public_id=DEMO_PUBLIC_ID)
    for origin in (live_server.url, host_site.origin):
        AllowedOrigin.objects.get_or_create(restaurant=restaurant, origin=origin)
    return result


def item_names(*, tag: str | None = None) -> list[str]:
    """Names of the demo restaurant's available items (with `tag`), in menu order."""
    items = MenuItem.objects.filter(restaurant__public_id=DEMO_PUBLIC_ID, available=True)
    return [i.name for i in items.order_by("position", "id") if tag is None or tag in i.tags]


def unsafe_for(allergens: set[str]) -> set[str]:
    """Names of demo items containing any of `allergens`."""
    items = MenuItem.objects.filter(restaurant__public_id=DEMO_PUBLIC_ID)
    return {i.name for i in items if allergens & set(i.allergens)}
