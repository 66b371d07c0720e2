"""Helpers for tests that start a second Django process sharing this test's database and cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connection


def this_test_database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{params['NAME']}"


def other_process_env(**extra: str) -> dict[str, str]:
    """The environment of a second process: the test settings, this test's database and the same
    cache key space (the xdist worker name picks the prefix), quiet logs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stjarna_site.settings_test",
        "DATABASE_URL": this_test_database_url(),
        "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "LOG_LEVEL": "ERROR",
        **extra,
    }


class SecondProcess:
    """A Django process running ``script`` (its stdout read line by line, its stdin written)."""

    def __init__(self, script: str, *args: str) -> None:
        from django.conf import settings

        self.process = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=Path(settings.BASE_DIR),
            env=other_process_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def line(self, prefix: str, timeout: float = 30) -> str:
        """The next output line starting with ``prefix`` (stripped), or "no <prefix> line"."""
        found: list[str] = []

        def read() -> None:
            for line in self.process.stdout:
                if line.startswith(prefix):
                    found.append(line.strip())
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        return found[0] if found else f"no {prefix} line"

    def send(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def __enter__(self) -> SecondProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.kill()
        self.process.wait()


class LocalTcpServer:
    """A TCP server on a free localhost port that serves each connection in its own thread;
    subclasses say what serving is (``_serve``). Daemon threads: it dies with the test run."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError
