"""Shared fixtures: the conformance menu as engine objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chat.engine import Menu

CASES_PATH = Path(__file__).resolve().parents[1] / "conformance" / "chat_cases.json"


def load_cases() -> dict:
    """The conformance file, parsed."""
    return json.loads(CASES_PATH.read_text("utf-8"))


def menu_from_json(data: dict) -> Menu:
    """Build a Menu from the language-neutral JSON shape used by the conformance file."""
    return Menu.from_dict(data)


@pytest.fixture(scope="session")
def menu() -> Menu:
    """The ~40-item conformance menu."""
    return menu_from_json(load_cases()["menu"])
