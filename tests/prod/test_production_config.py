"""gunicorn.conf.py, the Procfile and check --deploy: production sizing, overrides, clean logs."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.config import KNOWN_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = (
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_ACCESS_LOG",
    "PORT",
    "BIND",
    "FORWARDED_ALLOW_IPS",
)


@pytest.fixture
def load_config(monkeypatch):
    """``load_config(cpus=2, **env)`` → the settings gunicorn would read from gunicorn.conf.py."""

    def load(cpus: int = 2, **env: str) -> dict:
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr("multiprocessing.cpu_count", lambda: cpus)
        namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        return {k: v for k, v in namespace.items() if not k.startswith("_") and k.islower()}

    return load


def test_every_name_in_the_config_is_a_gunicorn_setting(load_config):
    known = {setting.name for setting in KNOWN_SETTINGS}
    config = load_config()
    modules_and_helpers = {"multiprocessing", "os", "annotations"}
    assert set(config) - modules_and_helpers <= known


def test_workers_and_threads_are_sized_from_the_cpu_count(load_config):
    config = load_config(cpus=4)
    assert config["workers"] == 9
    assert config["threads"] == 2
    assert config["worker_class"] == "gthread"
    assert config["bind"] == "127.0.0.1:8000"  # behind nginx: never reachable from outside


def test_environment_overrides_sizing_timeout_and_bind(load_config):
    config = load_config(
        WEB_CONCURRENCY="3", GUNICORN_THREADS="1", GUNICORN_TIMEOUT="12", PORT="5000"
    )
    assert (config["workers"], config["threads"], config["timeout"]) == (3, 1, 12)
    assert config["worker_class"] == "sync"
    assert config["bind"] == "127.0.0.1:5000"
    assert load_config(BIND="unix:/run/stjarna.sock")["bind"] == "unix:/run/stjarna.sock"


def test_access_log_is_left_to_the_application_unless_asked_for(load_config):
    # RequestLogMiddleware writes the one JSON line per request; gunicorn's would double it.
    assert load_config()["accesslog"] is None
    assert load_config(GUNICORN_ACCESS_LOG="-")["accesslog"] == "-"
    assert load_config()["errorlog"] == "-"


def test_workers_are_recycled_rarely_and_not_all_at_once(load_config):
    # bench/faults.py found 2000 requests recycled a worker every few seconds under load.
    config = load_config()
    assert config["max_requests"] >= 10_000
    assert config["max_requests_jitter"] >= config["max_requests"] // 20
    assert config["graceful_timeout"] > 0
    assert 0 < config["keepalive"] <= config["timeout"]


def test_procfile_runs_gunicorn_and_a_release_step():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert lines["web"].strip() == "gunicorn stjarna_site.wsgi"
    assert "migrate --noinput" in lines["release"]
    assert "collectstatic --noinput" in lines["release"]


def test_check_deploy_is_clean_with_a_production_environment():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "stjarna.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # production uses Redis; check never connects
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
