"""Bounded input (SPEC §11): body sizes, JSON nesting, and the JSON error shape on every /api/
error whoever answered it (Django's CSRF check, ``require_safe``, a bad Host, too many fields)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from stjarna_site.json_input import MAX_JSON_DEPTH, JSONTooDeep, json_depth, loads_json


def error_code(response) -> str:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str)
    return body["error"]["code"]


@pytest.mark.parametrize(
    ("raw", "depth"),
    [
        (b"1", 0),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'["[[[[", "]]]}}"]', 1),  # brackets inside strings do not count
        (b'["\\"[[["]', 1),  # nor after an escaped quote
        (b"[" * 5000 + b"]" * 5000, 5000),
    ],
)
def test_json_depth_counts_only_structural_brackets(raw, depth):
    assert json_depth(raw) == depth


def test_json_nested_deeper_than_the_limit_is_refused_before_parsing():
    assert loads_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(JSONTooDeep):
        loads_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))


def test_chat_refuses_deeply_nested_json_with_invalid_json(client, bella):
    nested = json.dumps(
        {"restaurantId": "bella", "sessionToken": "s", "message": "hi", "x": [[[[[[[[[[]]]]]]]]]]}
    )
    nested = nested.replace("[[[[[[[[[[]]]]]]]]]]", "[" * 40 + "]" * 40)
    response = client.post("/api/chat", nested, content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


@pytest.mark.parametrize("path", ["/api/health", "/admin/login/", "/"])
def test_every_endpoint_refuses_a_body_over_the_limit_with_413(client, db, settings, path):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = client.post(path, "x" * 1001, content_type="text/plain")
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_csrf_failure_on_an_api_path_is_a_json_403(db):
    response = Client(enforce_csrf_checks=True).post("/api/health")
    assert response.status_code == 403
    assert error_code(response) == "forbidden"


def test_a_method_refused_by_django_on_an_api_path_is_json(client, db):
    response = client.delete("/api/health")
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_more_than_1000_query_parameters_is_a_json_400(client, bella):
    query = "&".join(f"p{n}=1" for n in range(1001))
    response = client.get(f"/api/public/menu?{query}&restaurantId=bella")
    assert response.status_code == 400
    assert error_code(response) == "bad_request"


def test_a_host_not_in_allowed_hosts_is_a_json_400(client, db):
    response = client.get("/api/health", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert error_code(response) == "bad_request"


def test_the_admin_keeps_its_html_pages(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
