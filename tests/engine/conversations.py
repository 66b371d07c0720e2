"""The v2 conformance files (tests/conformance/menus/*.json): menus, single questions and
conversations written from the diner's side, and how one turn is checked against them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from chat.engine import Answer, Menu

MENUS_DIR = Path(__file__).resolve().parents[1] / "conformance" / "menus"
KNOWN_PATH = MENUS_DIR.parent / "known-findings.json"


def known_findings() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, int], str]]:
    """Turns the engine is known to get wrong: (file, message) of single cases and (file,
    conversation, turn index) of conversation turns, each with why."""
    singles: dict[tuple[str, str], str] = {}
    turns: dict[tuple[str, str, int], str] = {}
    for f in json.loads(KNOWN_PATH.read_text("utf-8"))["findings"]:
        if "conversation" in f:
            turns[(f["file"], f["conversation"], f["turn"])] = f["why"]
        else:
            singles[(f["file"], f["message"])] = f["why"]
    return singles, turns


def load_files() -> list[dict[str, Any]]:
    """Every conformance file, parsed, each with its Menu under "engine_menu"."""
    out = []
    for path in sorted(MENUS_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        data["file"] = path.stem
        data["engine_menu"] = Menu.from_dict(data["menu"])
        out.append(data)
    return out


def when(data: dict[str, Any], turn: dict[str, Any]) -> datetime | None:
    raw = turn.get("now") or data.get("now")
    return datetime.fromisoformat(raw) if raw else None


def mismatches(turn: dict[str, Any], got: Answer, names: dict[int, str]) -> list[str]:
    """What differs between the expected turn and the engine's answer (empty: it passes)."""
    out = []
    if turn.get("intent") is not None and got.intent != turn["intent"]:
        out.append(f"intent {got.intent!r} != {turn['intent']!r}")
    if turn.get("items") is not None and list(got.item_ids) != turn["items"]:
        out.append(f"items {list(got.item_ids)} != {turn['items']}")
    want_flags = {f["id"]: set(f["conflicts"]) for f in turn.get("flagged") or []}
    got_flags = {f.item_id: set(f.conflicts) for f in got.flagged}
    if (turn.get("items") is not None or want_flags) and got_flags != want_flags:
        out.append(f"flagged {got_flags} != {want_flags}")
    if "answered" in turn and got.answered is not turn["answered"]:
        out.append(f"answered {got.answered} != {turn['answered']}")
    if turn.get("language") and got.language != turn["language"]:
        out.append(f"language {got.language} != {turn['language']}")
    for never in turn.get("never", []):
        if never in got.item_ids:
            out.append(f"UNSAFE: {never} ({names.get(never)}) in items")
    reply = got.reply.lower()
    for text in turn.get("reply_contains", []):
        if not any(alt.lower() in reply for alt in text.split("|")):
            out.append(f"reply lacks {text!r}")
    return out
