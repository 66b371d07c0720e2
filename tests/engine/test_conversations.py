"""The v2 conformance files: menus of other cuisines, diners in both languages, conversations.

Written from the diner's side by people who had not read the engine (tests/conformance/menus);
each single case and each turn of each conversation is one test, so a failure names it.
"""

from __future__ import annotations

import pytest

from chat.engine import INTENTS, answer
from chat.engine.lexicon import ALLERGENS, DIET_TAGS

from .conversations import known_findings, load_files, mismatches, when

FILES = load_files()
KNOWN_SINGLE, KNOWN_TURNS = known_findings()
SINGLE = [
    pytest.param(
        f,
        c,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_SINGLE[(f["file"], c["message"])])]
        if (f["file"], c["message"]) in KNOWN_SINGLE
        else [],
    )
    for f in FILES
    for c in f["cases"]
]
CONVERSATIONS = [(f, c) for f in FILES for c in f.get("conversations", [])]


def _names(data: dict) -> dict[int, str]:
    return {i.id: i.name for i in data["engine_menu"].items}


def test_files_are_big_and_well_formed() -> None:
    assert len(FILES) >= 3
    assert any(f["menu"]["restaurant"]["locale"] == "sv" for f in FILES)
    assert sum(len(f.get("conversations", [])) for f in FILES) >= 30
    sizes = [len(f["cases"]) + sum(len(c["turns"]) for c in f["conversations"]) for f in FILES]
    assert sum(size >= 100 for size in sizes) >= 3
    for data in FILES:
        ids = {i["id"] for i in data["menu"]["items"]}
        for item in data["menu"]["items"]:
            assert set(item["allergens"]) | set(item.get("may_contain", [])) <= set(ALLERGENS)
        turns = [*data["cases"], *(t for c in data["conversations"] for t in c["turns"])]
        for turn in turns:
            assert turn.get("intent") is None or turn["intent"] in INTENTS
            # left out (unchecked) where one word could be either language ("tortilla?")
            assert turn.get("language", "en") in ("en", "sv")
            assert set(turn.get("items") or []) <= ids
            for flag in turn.get("flagged", []):
                assert flag["id"] in ids and set(flag["conflicts"]) <= {*ALLERGENS, *DIET_TAGS}


@pytest.mark.parametrize(
    ("data", "case"),
    SINGLE,
    ids=[f"{p.values[0]['file']}:{p.values[1]['message']}" for p in SINGLE],
)
def test_single_question(data: dict, case: dict) -> None:
    got = answer(data["engine_menu"], case["message"], case.get("locale"), None, when(data, case))
    assert not mismatches(case, got, _names(data)), got.reply
    again = answer(data["engine_menu"], case["message"], case.get("locale"), None, when(data, case))
    assert again == got  # deterministic


@pytest.mark.parametrize(
    ("data", "conversation"),
    CONVERSATIONS,
    ids=[f"{f['file']}:{c['name']}" for f, c in CONVERSATIONS],
)
def test_conversation(data: dict, conversation: dict) -> None:
    """Every turn right, except exactly the known findings (which must still fail)."""
    context = None
    failing: dict[int, str] = {}
    for n, turn in enumerate(conversation["turns"]):
        got = answer(
            data["engine_menu"], turn["message"], turn.get("locale"), context, when(data, turn)
        )
        problems = mismatches(turn, got, _names(data))
        if problems:
            failing[n] = f"turn {n + 1} {turn['message']!r}: {problems}\n{got.reply}"
        context = got.context
    known = {n for (f, c, n) in KNOWN_TURNS if f == data["file"] and c == conversation["name"]}
    unexpected = [failing[n] for n in sorted(set(failing) - known)]
    assert not unexpected, unexpected
    mended = sorted(known - set(failing))
    assert not mended, f"known findings now pass; remove them from known-findings.json: {mended}"
