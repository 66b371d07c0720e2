"""The widget's local engine against the conformance files, in plain `make test`: an embedded V8
(mini-racer), no browser. Safety holds for every case; the cases and turns it passes today
(local_engine_passing.txt, rewritten by `python -m tests.widget.local_engine --write`) must keep
passing."""

from __future__ import annotations

import json

import pytest

from tests.widget.local_engine import PASSING, run, score
from widget.bundle import current_widget


@pytest.fixture(scope="module")
def scored():
    return score(run(current_widget().panel.raw.decode()))


def test_local_engine_never_breaks_a_safety_rule_in_any_case_or_turn(scored):
    _, every, unsafe = scored
    assert len(every) > 1000
    assert unsafe == []


def test_local_engine_keeps_passing_every_case_it_passed(scored):
    passing, every, _ = scored
    expected = set(PASSING.read_text("utf-8").split())
    assert expected <= every, "local_engine_passing.txt names cases that no longer exist"
    assert sorted(expected - passing) == []
    print(f"local engine: {len(passing)}/{len(every)} cases and turns pass")


def test_a_forget_keeps_what_the_message_says_after_it():
    """ "glöm nötterna, hon tål bara inte jordnötter …": the bare nuts named peanuts too, and the
    standing vegan diet is not what was forgotten (both were lost, an unsafe list)."""
    from py_mini_racer import MiniRacer

    dish = {"description": "", "category": "Desserts", "mayContain": [], "available": True}
    menu = {
        "restaurant": {"name": "T", "currency": "SEK", "locale": "sv"},
        "items": [
            {
                **dish,
                "id": 1,
                "name": "Sesamhalva",
                "price": "59",
                "allergens": ["sesame", "nuts"],
                "allergensDeclared": True,
                "tags": ["vegan"],
            },
            {
                **dish,
                "id": 2,
                "name": "Jordnötskaka",
                "price": "49",
                "allergens": ["peanuts"],
                "allergensDeclared": True,
                "tags": ["vegan"],
            },
            {
                **dish,
                "id": 3,
                "name": "Medovik",
                "price": "79",
                "allergens": ["milk"],
                "allergensDeclared": True,
                "tags": ["vegetarian"],
            },
        ],
    }
    ctx = MiniRacer()
    ctx.eval("var window = globalThis;")
    ctx.eval(current_widget().panel.raw.decode())
    got = json.loads(
        ctx.call(
            """((menu) => {
              const first = Stjarna.answer(menu,
                'jag är vegan och min fru är nötallergiker', 'sv', {});
              const a = Stjarna.answer(menu,
                'glöm nötterna, hon tål bara inte jordnötter. vilka efterrätter är veganska?',
                'sv', first.context);
              return JSON.stringify({items: a.items.map((i) => i.id), context: a.context});
            })""",
            menu,
        )
    )
    assert got["context"]["excluded"] == ["peanuts"] and got["context"]["diets"] == ["vegan"]
    assert got["items"] == [1]
