"""Fixtures for menu sync: menu files, API keys and a management-API client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from menu.apikeys import api_key_issue


@pytest.fixture
def menu_file(tmp_path: Path):
    """``menu_file(content, suffix)`` writes a file and returns its path (dicts become JSON)."""

    def write(content: str | dict, suffix: str = ".json") -> Path:
        if isinstance(content, dict):
            content = json.dumps(content, indent=2)
        path = tmp_path / f"menu{suffix}"
        path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def import_menu(capsys):
    """Run ``manage.py import_menu``; returns (stdout, stderr)."""

    def run(*args: str) -> tuple[str, str]:
        call_command("import_menu", *map(str, args))
        captured = capsys.readouterr()
        return captured.out, captured.err

    return run


@pytest.fixture
def bella_key(bella):
    return api_key_issue(restaurant=bella, name="Till sync").token


@pytest.fixture
def roma_key(roma):
    return api_key_issue(restaurant=roma, name="Till sync").token


class ApiClient:
    """The management API as a till would call it: JSON bodies and a Bearer key."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def call(self, method: str, path: str, body=None, **kwargs):
        data = json.dumps(body) if body is not None else None
        return getattr(self.client, method)(
            path,
            data=data,
            content_type=kwargs.pop("content_type", "application/json"),
            headers={**self._headers(), **kwargs.pop("headers", {})},
            **kwargs,
        )

    def get(self, path, **kw):
        return self.client.get(path, headers={**self._headers(), **kw.pop("headers", {})}, **kw)

    def put(self, path, body=None, **kw):
        return self.call("put", path, body, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers={**self._headers(), **kw.pop("headers", {})}, **kw)


@pytest.fixture
def api():
    """``api(token)`` returns a management-API client using that key (None: no header)."""
    return ApiClient
