"""The runbook's own check, run against a real server: ``curl -sI .../api/public/menu?...``."""

from __future__ import annotations

import subprocess

from tests.factories import MenuItemFactory, RestaurantFactory


def curl_head(url: str, *extra: str) -> list[str]:
    result = subprocess.run(
        ["curl", "-sI", *extra, url], capture_output=True, text=True, check=True, timeout=30
    )
    return result.stdout.splitlines()


def test_runbook_curl_shows_the_cache_control_line(live_server, transactional_db):
    restaurant = RestaurantFactory(public_id="curl-check")
    MenuItemFactory(restaurant=restaurant)
    lines = curl_head(f"{live_server.url}/api/public/menu?restaurantId=curl-check")
    assert lines[0].split()[1] == "200"
    assert "Cache-Control: public, s-maxage=60, stale-while-revalidate=300" in lines
    assert any(line.startswith('ETag: "') for line in lines)
    assert "Content-Type: application/json" in lines


def test_curl_revalidation_gets_a_304(live_server, transactional_db):
    RestaurantFactory(public_id="curl-check")
    url = f"{live_server.url}/api/public/menu?restaurantId=curl-check"
    etag = next(line for line in curl_head(url) if line.startswith("ETag: ")).removeprefix("ETag: ")
    lines = curl_head(url, "-H", f"If-None-Match: {etag}")
    assert lines[0].split()[1] == "304"
    assert "Cache-Control: public, s-maxage=60, stale-while-revalidate=300" in lines
