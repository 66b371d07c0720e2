"""Fixtures for operator tests: a clean per-process block list, command runner."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from operators.blocking import forget_local_blocklist


@pytest.fixture(autouse=True)
def _fresh_blocklist():
    forget_local_blocklist()
    yield
    forget_local_blocklist()


@pytest.fixture
def run():
    """``run("block_ip", "203.0.113.7", reason="x")`` → the command's stdout."""

    def run_command(name: str, *args, **options) -> str:
        out = io.StringIO()
        call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
        return out.getvalue()

    return run_command
