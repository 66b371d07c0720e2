"""CI smoke of the production benchmarks (bench/): each runs for a few seconds so none can rot.

They start their own PostgreSQL, Redis and gunicorn (bench/harness.py), so they run on CI's
PostgreSQL + Redis pass, where those binaries are known to be installed, and are skipped on the
embedded SQLite pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.bench_smoke,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="bench smoke runs on the PostgreSQL + Redis pass only (it starts a private "
        "PostgreSQL, Redis and gunicorn); DATABASE_URL is not PostgreSQL here",
    ),
]


def run_bench(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_load_script_serves_the_mix_without_errors():
    done = run_bench(
        "bench/load.py", "--duration", "3", "--warmup", "1", "--restaurants", "5",
        "--workers", "2", "--no-speed-targets",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"chat"' in done.stdout and '"menu_revalidate"' in done.stdout


def test_fault_script_meets_its_targets_with_short_outages():
    # Six faults on the nginx stack, hung PostgreSQL and Redis and slow clients included; the
    # speed targets belong to a quiet machine (python bench/faults.py), not to a busy test run.
    done = run_bench("bench/faults.py", "--quick", "--no-speed-targets", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"chat_200_missing_from_db": 0' in done.stdout
    for fault in ("slow_clients", "postgres_hang", "redis_hang"):
        assert f'"{fault}"' in done.stdout


def test_bad_input_script_gets_no_5xx():
    done = run_bench("bench/badinput.py", "--timeout", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"server_errors": {}' in done.stdout
