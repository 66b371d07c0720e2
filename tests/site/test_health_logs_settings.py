"""Health endpoint, request ids and logs, and the production settings' refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from stjarna_site import health as health_module

PRODUCTION_KEY = "k8Jd9!x0-QmZr2vLw7Yp4Ts1Nb6Hc3Ue5Fa8Gi0Ko2Mq4Sw6-Zx7Vb"


@pytest.mark.django_db(transaction=True)
def test_health_is_ok_when_database_and_cache_answer(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok"}
    assert body["serverChat"] is True
    assert body["version"]


@pytest.mark.django_db(transaction=True)
def test_health_is_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"].startswith("error")
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_health_is_degraded_when_the_cache_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    # Caches are per thread and the check runs in its own thread: break the backend class.
    monkeypatch.setattr(type(caches["default"]), "set", broken)
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.django_db(transaction=True)
def test_health_answers_within_the_deadline_when_a_check_hangs(client, monkeypatch, settings):
    import time

    settings.HEALTH_CHECK_TIMEOUT = 0.3
    monkeypatch.setattr(health_module, "check_database", lambda: time.sleep(20))
    started = time.perf_counter()
    response = client.get("/api/health")
    # A loose bound (the hang is 20 s): proves the deadline, not a speed budget.
    assert time.perf_counter() - started < 10
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "timeout"


@pytest.mark.django_db(transaction=True)
def test_every_response_carries_a_request_id_and_a_json_log_line(client, capsys):
    response = client.get("/api/health")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    request_lines = [line for line in lines if line.get("event") == "request"]
    assert request_lines, lines
    line = request_lines[-1]
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/api/health"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["rate_limited"] is False


@pytest.mark.django_db(transaction=True)
def test_incoming_request_id_is_propagated_and_unsafe_ones_replaced(client):
    assert client.get("/api/health", HTTP_X_REQUEST_ID="lb-abc-123")["X-Request-ID"] == "lb-abc-123"
    unsafe = client.get("/api/health", HTTP_X_REQUEST_ID="bad\nheader value")["X-Request-ID"]
    assert unsafe != "bad\nheader value" and len(unsafe) == 32


def test_unknown_urls_answer_in_the_error_shape(client):
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _settings_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="stjarna_site.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_process({"ALLOWED_HOSTS": "stjarna.example"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _settings_process({"SECRET_KEY": "short", "ALLOWED_HOSTS": "x.example"}, "check")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _settings_process({"SECRET_KEY": PRODUCTION_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _settings_process(
        {"SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": "stjarna.example"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_log_extras_such_as_restaurant_id_reach_the_json_line(capsys):
    import logging

    logging.getLogger("stjarna.test").warning("probe", extra={"restaurant_id": "bella"})
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert any(x.get("event") == "probe" and x.get("restaurant_id") == "bella" for x in lines)


def test_model_validation_errors_in_drf_views_become_400_invalid_field():
    from django.core.exceptions import ValidationError

    from stjarna_site.errors import api_exception_handler

    response = api_exception_handler(ValidationError({"name": ["Text is bad."]}), {})
    assert response.status_code == 400
    assert response.data == {
        "error": {"code": "invalid_field", "message": "name: Text is bad.", "field": "name"}
    }


@pytest.mark.django_db(transaction=True)
def test_a_request_id_with_a_trailing_newline_is_replaced_not_a_500(client):
    response = client.get("/api/health", HTTP_X_REQUEST_ID="abc\n")
    assert response.status_code == 200
    assert response["X-Request-ID"] != "abc\n" and len(response["X-Request-ID"]) == 32


def test_hung_checks_share_one_deadline_instead_of_adding_up(monkeypatch, settings):
    settings.HEALTH_CHECK_TIMEOUT = 1.0
    monkeypatch.setattr(health_module, "check_database", lambda: time.sleep(20))
    monkeypatch.setattr(health_module, "check_cache", lambda: time.sleep(20))
    started = time.perf_counter()
    code, body = health_module.health_report()
    # Two sequential joins would take ≥ 2 s; one shared deadline ≈ 1 s (loose bound, not a budget).
    assert time.perf_counter() - started < 1.8
    assert code == 503 and body["checks"] == {"database": "timeout", "cache": "timeout"}
