"""Content-Security-Policy (django-csp) on the admin and the demo page (SPEC §11)."""

from __future__ import annotations

import re

import pytest

from operators.demo import DEMO_PUBLIC_ID
from tests.factories import RestaurantFactory


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_the_admin_allows_only_its_own_scripts_and_styles(client, db):
    directives = policy(client.get("/admin/login/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.fixture
def demo_page(db, settings):
    settings.WIDGET_DEMO_PAGE = True
    RestaurantFactory(public_id=DEMO_PUBLIC_ID)


def test_the_demo_page_styles_itself_with_the_responses_nonce(client, demo_page):
    response = client.get("/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy(response)["style-src"])).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_json_api_answers_carry_no_page_policy(client, db):
    assert "Content-Security-Policy" not in client.get("/api/health")


def test_json_api_requests_never_build_a_policy(client, db, monkeypatch):
    """The excluded prefix skips django-csp's work entirely, not only its header."""
    built = []
    monkeypatch.setattr("csp.middleware.build_policy", lambda **kw: built.append(kw) or "")

    client.get("/api/health")
    assert built == []
    client.get("/admin/login/")
    assert built  # the admin still gets its policy built
