"""What the widget's loader costs a host page: its parse and execution time in Chromium, beside a
4 KB baseline script doing the least a chat button can do.

Each script is inlined between two performance marks (so the network is not measured, only
parsing and running it), in a fresh page per run; the medians of the marks' distance are
reported. Run: ``python -m bench.widget [--runs N]`` (needs /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import statistics

import django

CHROMIUM = "/usr/bin/chromium"
BASELINE_BYTES = 4 * 1024

# The yardstick: one button in a shadow root, padded with a comment to 4 KB (the loader's budget).
_BASELINE_CORE = (
    "(function(){var h=document.createElement('div'),r=h.attachShadow({mode:'open'}),"
    "b=document.createElement('button');b.textContent='Chat';b.setAttribute('aria-label','Chat');"
    "r.append(b);document.body.append(h)})();"
)
BASELINE = _BASELINE_CORE + "/*" + "x" * (BASELINE_BYTES - len(_BASELINE_CORE) - 4) + "*/"

PAGE = """<!doctype html><html><head><title>bench</title></head><body><h1>Host page</h1>
<script>performance.mark('start')</script>
<script data-restaurant-id="demo">%s</script>
<script>performance.mark('end')</script></body></html>"""


def measure(browser, script: str, runs: int) -> list[float]:
    """Milliseconds between the marks around `script`, one fresh page per run."""
    html = PAGE % script.replace("</script", "<\\/script")
    times = []
    for _ in range(runs):
        page = browser.new_page()
        page.set_content(html)
        times.append(
            page.evaluate("performance.measure('run', 'start', 'end').duration")  # ms
        )
        page.close()
    return times


def compare(browser, runs: int) -> dict[str, float]:
    """The loader's and the baseline's medians (ms) and sizes, in an open Playwright browser."""
    from widget.bundle import current_widget

    loader = current_widget().loader.raw.decode()
    measure(browser, loader, 3)  # warm up the browser, not the scripts (fresh pages)
    result = {
        "loader_bytes": len(loader.encode()),
        "baseline_bytes": len(BASELINE.encode()),
        "loader_ms_median": statistics.median(measure(browser, loader, runs)),
        "baseline_ms_median": statistics.median(measure(browser, BASELINE, runs)),
    }
    result["ratio"] = result["loader_ms_median"] / max(result["baseline_ms_median"], 1e-6)
    return result


def main(runs: int = 30) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return compare(browser, runs)
        finally:
            browser.close()


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stjarna_site.settings")
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    print(json.dumps(main(parser.parse_args().runs), indent=2))
