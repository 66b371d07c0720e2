"""nginx in front (SPEC §11): the project's own config, run as a private nginx before a recording
upstream that stands in for gunicorn, so each test sees exactly what reaches the app."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from pathlib import Path

import pytest

from bench.harness import NGINX_BIN, Nginx, free_port
from tests.processes import LocalTcpServer

pytestmark = pytest.mark.skipif(
    not Path(NGINX_BIN).exists() and not os.environ.get("STJARNA_REQUIRE_NGINX"),
    reason="nginx is not installed (apt-get install nginx; .ci/run installs it)",
)


class RecordingUpstream(LocalTcpServer):
    """A minimal HTTP/1.1 server: records each request (head, body, time it arrived whole) and
    answers a small JSON body."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        super().__init__()

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as stream:
            while head := self._read_head(stream):
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in head.split("\r\n")[1:])
                }
                body = stream.read(int(headers.get("content-length", "0")))
                self.requests.append(
                    {"line": head.split("\r\n")[0], "headers": headers, "body": body,
                     "at": time.monotonic()}
                )  # fmt: skip
                payload = b'{"ok": true}'
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )

    @staticmethod
    def _read_head(stream) -> str:
        lines = []
        while (line := stream.readline()) not in (b"\r\n", b""):
            lines.append(line.decode("latin-1").rstrip("\r\n"))
        return "\r\n".join(lines)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def static_root(tmp_path):
    root = tmp_path / "static"
    (root / "widget").mkdir(parents=True)
    (root / "widget" / "widget.0123456789ab.js").write_text("/* hashed */")
    (root / "admin.css").write_text("/* plain */")
    return root


@pytest.fixture
def upstream():
    server = RecordingUpstream()
    yield server
    server.close()


@pytest.fixture
def nginx(tmp_path, upstream, static_root):
    proxy = Nginx(
        tmp_path / "nginx", upstream=f"127.0.0.1:{upstream.port}", static_root=static_root
    )
    proxy.start()
    yield proxy
    proxy.stop()


def request(nginx, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_the_rendered_config_passes_nginx_own_check(tmp_path, static_root):
    done = Nginx(tmp_path / "n", upstream="127.0.0.1:9", static_root=static_root).test_config()
    assert done.returncode == 0, done.stderr


def test_a_slow_body_reaches_the_app_only_once_it_is_complete(nginx, upstream):
    body = b'{"message": "vegan?"}'
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=5) as client:
        client.sendall(
            b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:5]
        )
        time.sleep(0.5)
        assert upstream.requests == []  # gunicorn would have been holding a worker by now
        client.sendall(body[5:])
        assert client.recv(1024).startswith(b"HTTP/1.1 200")
    assert [r["body"] for r in upstream.requests] == [body]


def test_a_client_that_sends_half_a_head_never_reaches_the_app(nginx, upstream):
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=5) as client:
        client.sendall(b"GET /api/health HTTP/1.1\r\nHost: local")
        time.sleep(0.5)
    assert upstream.requests == []


def test_a_body_over_the_limit_is_a_json_413_from_nginx(nginx, upstream):
    status, headers, body = request(
        nginx, "POST", "/api/v1/menu", body=b"", headers={"Content-Length": str(4 * 1024 * 1024)}
    )
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    assert upstream.requests == []


def test_the_app_sees_the_client_the_balancer_named_and_nginx_request_id(nginx, upstream):
    request(
        nginx,
        "GET",
        "/api/health",
        headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9", "X-Request-ID": "chosen-by-client"},
    )
    seen = upstream.requests[0]["headers"]
    assert seen["x-forwarded-for"] == "203.0.113.9"  # the hop the trusted balancer appended
    assert seen["x-request-id"] != "chosen-by-client" and len(seen["x-request-id"]) == 32


def test_hashed_static_files_are_cached_for_a_year_and_others_for_an_hour(nginx):
    status, headers, body = request(nginx, "GET", "/static/widget/widget.0123456789ab.js")
    assert status == 200 and body == b"/* hashed */"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, headers, _ = request(nginx, "GET", "/static/admin.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"


def test_an_app_that_is_down_is_a_json_503_with_retry_after(tmp_path, static_root):
    proxy = Nginx(tmp_path / "n", upstream=f"127.0.0.1:{free_port()}", static_root=static_root)
    proxy.start()
    try:
        status, headers, body = request(proxy, "GET", "/api/health")
    finally:
        proxy.stop()
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert json.loads(body)["error"]["code"] == "temporarily_unavailable"


def test_the_app_and_nginx_agree_on_the_body_limit(settings):
    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "stjarna.conf.template").read_text()
    assert "client_max_body_size 3m;" in conf
    assert settings.MAX_REQUEST_BODY_BYTES == 3 * 1024 * 1024


def test_a_transfer_encoding_nginx_cannot_read_is_a_json_400(nginx, upstream):
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=5) as client:
        client.sendall(
            b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n"
        )
        answer = client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400")
    assert b'"code": "bad_request"' in answer
    assert upstream.requests == []
