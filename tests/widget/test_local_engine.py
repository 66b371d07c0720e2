"""The widget's local engine against the conformance files, in plain `make test`: an embedded V8
(mini-racer), no browser. Safety holds for every case; the cases and turns it passes today
(local_engine_passing.txt, rewritten by `python -m tests.widget.local_engine --write`) must keep
passing."""

from __future__ import annotations

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
