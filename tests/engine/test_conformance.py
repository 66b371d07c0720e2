"""Every case of tests/conformance/chat_cases.json (the contract shared with the JS port)."""

from __future__ import annotations

import pytest

from chat.engine import ALLERGENS, DIET_TAGS, INTENTS, Menu, answer

from .conftest import load_cases

DATA = load_cases()
CASES = DATA["cases"]
NAMES = {i["id"]: i["name"] for i in DATA["menu"]["items"]}


def test_file_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 130
    for case in CASES:
        assert case["intent"] in INTENTS
        assert case["locale"] in ("en", "sv")
        assert set(case["items"]) <= set(NAMES)
    items = DATA["menu"]["items"]
    assert any(not i["available"] for i in items)
    assert any(not i["allergens"] for i in items)
    for i in items:
        assert set(i["allergens"]) <= set(ALLERGENS)
        assert all(t == t.lower() for t in i["tags"])
    assert set(DIET_TAGS) & {t for i in items for t in i["tags"]}


@pytest.mark.parametrize("case", CASES, ids=[c["message"] or "<empty>" for c in CASES])
def test_case(menu: Menu, case: dict) -> None:
    got = answer(menu, case["message"], case["locale"])
    assert got.intent == case["intent"], got.reply
    assert list(got.item_ids) == case["items"], got.reply  # exact set, in menu order
    flagged = {f.item_id: set(f.conflicts) for f in got.flagged}
    assert flagged == {f["id"]: set(f["conflicts"]) for f in case.get("flagged", [])}, got.reply
    assert got.answered is case["answered"]
    for never in case.get("never", []):
        assert never not in got.item_ids
        assert NAMES[never] not in got.reply
    for text in case.get("reply_contains", []):
        assert text in got.reply
    assert answer(menu, case["message"], case["locale"]) == got  # deterministic
