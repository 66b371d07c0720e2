"""Smoke run of bench/menu.py: gunicorn on PostgreSQL + Redis under wrk for a second per path.

Production parity only: the benchmark needs a PostgreSQL server to create its own database on, so
it runs on the PostgreSQL pass of CI (``DATABASE_URL=postgres…``) and is skipped, saying so, on the
embedded SQLite default. The budget itself is not asserted here (timings do not belong in tests);
``python bench/menu.py`` checks it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.bench_smoke,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="bench smoke needs PostgreSQL (DATABASE_URL=postgres://…); CI runs it there",
    ),
]


def bench_database_url() -> str:
    """The test run's PostgreSQL server, with a database of the benchmark's own."""
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=parts.path + "_bench_menu"))


def test_menu_benchmark_runs_and_reports_every_path():
    result = subprocess.run(
        [
            sys.executable,
            "bench/menu.py",
            "--duration",
            "1",
            "--rounds",
            "1",
            "--no-budget",
            "--database-url",
            bench_database_url(),
            "--redis-url",
            os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for path in ("baseline", "menu 200", "menu 304", "menu 200 widget"):
        assert re.search(rf"^{path}\s+\d+\s", result.stdout, re.MULTILINE), result.stdout
    assert "budget not checked (--no-budget)" in result.stdout
