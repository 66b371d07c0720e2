"""The widget's local engine run against the conformance files, in an embedded V8 (mini-racer, no
browser, no Node.js): the same cases and conversations the Python engine passes.

`python -m tests.widget.local_engine` prints the score and rewrites PASSING (the cases and turns
the JS engine passes today, which the test holds it to).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"
V1_FILE = CONFORMANCE / "chat_cases.json"
MENUS_DIR = CONFORMANCE / "menus"
PASSING = Path(__file__).with_name("local_engine_passing.txt")

# Runs every case of one file and every conversation (each turn continues the previous turn's
# context) and returns the answers with item ids instead of items.
RUN_FILE = """
(data) => {
  const shape = (a) => ({reply: a.reply, intent: a.intent, answered: a.answered,
    language: a.language, items: a.items.map((i) => i.id),
    flagged: a.flagged.map((f) => ({id: f.id, conflicts: f.conflicts})), context: a.context});
  const cases = data.cases.map((c) => shape(Stjarna.answer(data.menu, c.message, c.locale)));
  const conversations = (data.conversations || []).map((conv) => {
    let context = {};
    return conv.turns.map((t) => {
      const a = Stjarna.answer(data.menu, t.message, t.locale, context);
      context = a.context;
      return shape(a);
    });
  });
  return JSON.stringify({cases, conversations});
}
"""


def widget_menu(menu: dict[str, Any]) -> dict[str, Any]:
    """A conformance file's menu (snake_case) in the public menu API's shape, as the widget gets
    it."""
    r = menu["restaurant"]
    restaurant = {
        "name": r.get("name"),
        "currency": r.get("currency"),
        "locale": r.get("locale"),
        "timezone": r.get("timezone"),
        "openingHours": r.get("opening_hours"),
        "hoursNote": r.get("hours_note"),
        "address": r.get("address"),
        "phone": r.get("phone"),
    }
    items = []
    for item in menu["items"]:
        allergens = item.get("allergens", [])
        items.append(
            {
                "id": item["id"],
                "name": item["name"],
                "description": item.get("description", ""),
                "price": str(item["price"]),
                "category": item.get("category", ""),
                "allergens": allergens,
                "tags": item.get("tags", []),
                "mayContain": item.get("may_contain", []),
                "allergensDeclared": item.get("allergens_declared", bool(allergens)),
                "available": item.get("available", True),
            }
        )
    return {"restaurant": restaurant, "items": items}


def conformance_files() -> list[tuple[str, dict[str, Any]]]:
    """(name, data) for the v1 file and every v2 menu file."""
    files = [("chat_cases", json.loads(V1_FILE.read_text("utf-8")))]
    files += [(p.stem, json.loads(p.read_text("utf-8"))) for p in sorted(MENUS_DIR.glob("*.json"))]
    return files


def run(panel_js: str) -> dict[str, Any]:
    """Every file's answers from the panel's engine in one V8 context."""
    from py_mini_racer import MiniRacer

    ctx = MiniRacer()
    ctx.eval("var window = globalThis;")  # the panel expects a browser's global object
    ctx.eval(panel_js)
    out = {}
    for name, data in conformance_files():
        payload = {
            "menu": widget_menu(data["menu"]),
            "cases": data["cases"],
            "conversations": data.get("conversations", []),
        }
        out[name] = json.loads(ctx.call("(" + RUN_FILE + ")", payload))
    return out


def mismatches(turn: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """As tests/engine/conversations.py's mismatches, for the JS answer's JSON."""
    out = []
    if turn.get("intent") is not None and got["intent"] != turn["intent"]:
        out.append(f"intent {got['intent']!r} != {turn['intent']!r}")
    if turn.get("items") is not None and got["items"] != turn["items"]:
        out.append(f"items {got['items']} != {turn['items']}")
    want_flags = {f["id"]: set(f["conflicts"]) for f in turn.get("flagged") or []}
    got_flags = {f["id"]: set(f["conflicts"]) for f in got["flagged"]}
    if (turn.get("items") is not None or want_flags) and got_flags != want_flags:
        out.append(f"flagged {got_flags} != {want_flags}")
    if "answered" in turn and got["answered"] is not turn["answered"]:
        out.append(f"answered {got['answered']} != {turn['answered']}")
    if turn.get("language") and got["language"] != turn["language"]:
        out.append(f"language {got['language']} != {turn['language']}")
    reply = got["reply"].lower()
    for text in turn.get("reply_contains", []):
        if not any(alt.lower() in reply for alt in text.split("|")):
            out.append(f"reply lacks {text!r}")
    return out


def safety_violations(
    turn: dict[str, Any], got: dict[str, Any], items: dict[int, dict], remind: dict[str, str]
) -> list[str]:
    """The rules no answer may break, supported or not (SPEC §7 "Safety rules")."""
    out = []
    for never in turn.get("never", []):
        if never in got["items"]:
            out.append(f"UNSAFE: never-listed {never} in items")
    excluded = set(got["context"].get("excluded", []))
    diets = set(got["context"].get("diets", []))
    for i in got["items"]:
        item = items[i]
        if excluded & set(item["allergens"]) or excluded & set(item["mayContain"]):
            out.append(f"UNSAFE: {i} contains or may contain an excluded allergen")
        if excluded and not item["allergensDeclared"]:
            out.append(f"UNSAFE: {i} has undeclared allergens under an exclusion")
        tags = set(item["tags"]) | ({"vegetarian"} if "vegan" in item["tags"] else set())
        if diets - tags:
            out.append(f"UNSAFE: {i} is not tagged {sorted(diets - tags)}")
        if not item["available"]:
            out.append(f"UNSAFE: {i} is unavailable")
    # Every answer that lists dishes under an allergen exclusion reminds (a price is not an
    # allergen answer: intents.py reminds there only when a dish is flagged).
    speaks_allergens = got["intent"] != "price_check" or got["flagged"]
    if (
        excluded
        and got["items"]
        and speaks_allergens
        and remind[got["language"]] not in got["reply"]
    ):
        out.append("no staff reminder under an allergen exclusion")
    return out


def score(results: dict[str, Any]) -> tuple[set[str], set[str], list[str]]:
    """(keys of passing cases/turns, keys of all, safety violations), keys like
    'spice-route:case:12' and 'spice-route:conv:3:1'."""
    from chat.engine.lexicon import TEMPLATES

    remind = {loc: TEMPLATES[loc]["remind"] for loc in ("en", "sv")}
    passing, every, unsafe = set(), set(), []
    for name, data in conformance_files():
        got = results[name]
        items = {i["id"]: i for i in widget_menu(data["menu"])["items"]}
        pairs = [
            (f"{name}:case:{n}", c, g)
            for n, (c, g) in enumerate(zip(data["cases"], got["cases"], strict=True))
        ]
        for n, conv in enumerate(data.get("conversations", [])):
            for t, (turn, answer) in enumerate(
                zip(conv["turns"], got["conversations"][n], strict=True)
            ):
                pairs.append((f"{name}:conv:{n}:{t}", turn, answer))
        for key, turn, answer in pairs:
            every.add(key)
            unsafe += [
                f"{key} {turn['message']!r}: {v}"
                for v in safety_violations(turn, answer, items, remind)
            ]
            if not mismatches(turn, answer):
                passing.add(key)
    return passing, every, unsafe


def main() -> None:
    import django

    django.setup()
    from widget.bundle import current_widget

    passing, every, unsafe = score(run(current_widget().panel.raw.decode()))
    print(f"local engine: {len(passing)}/{len(every)} cases and turns pass; {len(unsafe)} unsafe")
    for line in unsafe:
        print(" ", line)
    if "--write" in sys.argv:
        PASSING.write_text("".join(f"{k}\n" for k in sorted(passing)), "utf-8")
        print(f"wrote {PASSING}")


if __name__ == "__main__":
    main()
