"""A hung Redis costs a worker one timeout per breaker window, not one per cache call."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import redis
from django_redis.cache import RedisCache

from stjarna_site import breaker
from tests.processes import LocalTcpServer


class SilentServer(LocalTcpServer):
    """A TCP server that accepts connections and reads every byte but never answers: a Redis
    that stopped (SIGSTOP) looks exactly like this from the client's side."""

    def __init__(self) -> None:
        self.received = 0
        self.answering = False
        super().__init__()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            while chunk := conn.recv(65536):
                self.received += len(chunk)
                if self.answering:
                    conn.sendall(self._replies(chunk))

    @staticmethod
    def _replies(chunk: bytes) -> bytes:
        """Once answering: the RESP3 handshake, "no such key" to every GET, OK to the rest."""
        lines = chunk.split(b"\r\n")
        names = [lines[i + 2].upper() for i, line in enumerate(lines[:-2]) if line[:1] == b"*"]
        replies = {b"HELLO": b"%1\r\n$5\r\nproto\r\n:3\r\n", b"GET": b"_\r\n"}
        return b"".join(replies.get(name, b"+OK\r\n") for name in names)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def silent_redis():
    server = SilentServer()
    yield server
    server.close()


def cache_on(port: int, breaker_seconds: float) -> RedisCache:
    return RedisCache(
        f"redis://127.0.0.1:{port}/0",
        {
            "OPTIONS": {
                "CLIENT_CLASS": "stjarna_site.breaker.CircuitBreakerClient",
                "BREAKER_SECONDS": breaker_seconds,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            }
        },
    )


def wait_for(condition, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def trip(silent_redis, breaker_seconds: float):
    """A cache on the hung Redis whose first call timed out (the breaker opens): (cache, how many
    commands the server had received by then)."""
    cache = cache_on(silent_redis.port, breaker_seconds=breaker_seconds)
    with pytest.raises(redis.TimeoutError):
        cache.get("menu")
    assert wait_for(lambda: silent_redis.received > 0)
    return cache, silent_redis.received


def test_after_one_timeout_the_worker_stops_sending_to_a_hung_redis(silent_redis):
    cache, sent = trip(silent_redis, 60)

    for _ in range(20):
        with pytest.raises(redis.ConnectionError):
            cache.get("menu")
        with pytest.raises(redis.ConnectionError):
            cache.set("menu", "body")
    time.sleep(0.1)
    assert silent_redis.received == sent  # nothing more reached the hung server


def test_every_thread_of_the_worker_shares_the_breaker(silent_redis):
    _, sent = trip(silent_redis, 60)
    errors: list[BaseException] = []

    def other_thread() -> None:  # Django builds a cache client per thread
        try:
            cache_on(silent_redis.port, breaker_seconds=60).get("menu")
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert isinstance(errors[0], breaker.CacheSkipped)
    assert silent_redis.received == sent


def test_when_the_window_ends_one_probe_tries_again_and_success_closes_the_breaker(silent_redis):
    cache, sent = trip(silent_redis, 0.3)
    silent_redis.answering = True  # Redis was SIGCONTed

    with pytest.raises(redis.ConnectionError):
        cache.get("menu")  # still inside the window: skipped
    time.sleep(0.35)
    assert cache.get("menu", "default") == "default"  # the probe reached Redis
    assert silent_redis.received > sent
    assert cache.get("menu", "default") == "default"  # and the breaker is closed again
