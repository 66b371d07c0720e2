"""Chat rate limits (SPEC §6) on the configured cache: Redis in the PG+Redis pass, else LocMem.

django-ratelimit counts in fixed windows read from ``time.time()`` inside
``django_ratelimit.core``; the ``clock`` fixture replaces that clock so every test is exact and
none sleeps. Windows are offset per key, so tests first move the clock to a moment where no
window of the keys involved ends during the test (``quiet_period``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import django_ratelimit.core
import pytest
from redis.client import Redis

import stjarna_site.counters
from chat.ratelimits import limit_key
from chat.selectors import forget_chat_menus
from tests.chat.test_chat_api import ask, error_of
from tests.factories import AllowedOriginFactory, RestaurantFactory
from tests.processes import other_process_env

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_IP = "127.0.0.1"


class FakeClock:
    """Stands in for the ``time`` module inside django_ratelimit.core."""

    def __init__(self, now: float) -> None:
        self.now = now
        self._ticking_since: float | None = None

    def time(self) -> float:
        if self._ticking_since is None:
            return self.now
        return self.now + (time.monotonic() - self._ticking_since)

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def tick_in_real_time(self) -> None:
        """From now on, advance with the wall clock (for tests against a live server)."""
        self._ticking_since = time.monotonic()


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock(1_900_000_000.0)
    monkeypatch.setattr(django_ratelimit.core, "time", fake)
    monkeypatch.setattr(stjarna_site.counters, "time", fake)  # each worker's fallback counters
    return fake


@pytest.fixture(autouse=True)
def _fresh_engine_menus():
    forget_chat_menus()
    yield
    forget_chat_menus()


def window_end(key: str, period: int) -> int:
    """The last second of the window ``key``'s counter is in now (django-ratelimit's rule)."""
    return django_ratelimit.core._get_window(key, period)


def quiet_period(clock: FakeClock, keys: list[str], *, period: int = 30, span: int = 12) -> None:
    """Move the clock to a whole second from which no window of ``keys`` ends for ``span`` s."""
    clock.now = float(int(clock.now))
    for _ in range(period + 1):
        ends = [window_end(k, period) for k in keys]
        clock.advance(span)
        later = [window_end(k, period) for k in keys]
        clock.advance(-span)
        if ends == later:
            return
        clock.advance(1)
    raise AssertionError("no quiet period found")  # cannot happen while span < period


def diner_key(restaurant, token="diner-1", ip=LOCAL_IP) -> str:
    return limit_key(ip=ip, restaurant_pk=restaurant.pk, session_token=token)


def statuses(responses) -> list[int]:
    return [r.status_code for r in responses]


def paced(client, clock, count, *, gap=0.4, **kwargs):
    """``count`` messages 0.4 s apart: never more than 3 in one second, so under the burst."""
    responses = []
    for _ in range(count):
        responses.append(ask(client, "hello", **kwargs))
        clock.advance(gap)
    return responses


# --- Sustained and burst ------------------------------------------------------------------


def test_ten_paced_messages_pass_and_the_eleventh_is_429_with_retry_after(client, bella, clock):
    quiet_period(clock, [diner_key(bella)])
    responses = paced(client, clock, 10)
    assert statuses(responses) == [200] * 10

    refused = ask(client, "hello")

    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "rate_limited"
    expected_wait = window_end(diner_key(bella), 30) - int(clock.time()) + 1
    assert refused["Retry-After"] == str(expected_wait)
    assert error["retryAfter"] == expected_wait
    assert 1 <= expected_wait <= 30


def test_after_retry_after_seconds_the_diner_is_served_again(client, bella, clock):
    quiet_period(clock, [diner_key(bella)])
    paced(client, clock, 10)
    refused = ask(client, "hello")
    assert refused.status_code == 429

    clock.advance(int(refused["Retry-After"]))

    assert ask(client, "hello").status_code == 200


def test_burst_of_five_in_one_second_lets_three_through(client, bella, clock):
    quiet_period(clock, [diner_key(bella)])

    responses = [ask(client, "hello") for _ in range(5)]

    assert statuses(responses) == [200, 200, 200, 429, 429]
    assert responses[3]["Retry-After"] == "1"
    clock.advance(1)
    assert ask(client, "hello").status_code == 200


def test_refused_burst_does_not_use_up_the_sustained_quota(client, bella, clock):
    quiet_period(clock, [diner_key(bella)], span=8)
    burst = [ask(client, "hello") for _ in range(8)]  # 3 served, 5 refused by the burst limit
    clock.advance(1)

    later = paced(client, clock, 8)

    assert statuses(burst).count(200) == 3
    assert statuses(later) == [200] * 7 + [429]  # 3 + 7 = the sustained 10


def test_two_diners_on_one_ip_both_get_their_quota(client, bella, clock):
    quiet_period(clock, [diner_key(bella, "alice"), diner_key(bella, "bob")])
    alice, bob = [], []
    for _ in range(11):
        alice.append(ask(client, "hello", token="alice"))
        bob.append(ask(client, "hello", token="bob"))
        clock.advance(0.4)

    assert statuses(alice) == [200] * 10 + [429]
    assert statuses(bob) == [200] * 10 + [429]


def test_ip_ceiling_catches_many_tokens_from_one_ip(client, bella, clock):
    ip_key = limit_key(ip=LOCAL_IP, restaurant_pk=bella.pk, session_token=None)
    quiet_period(clock, [ip_key], span=2)

    responses = [ask(client, "hello", token=f"bot-{n}") for n in range(61)]

    assert statuses(responses) == [200] * 60 + [429]
    assert error_of(responses[60])["code"] == "rate_limited"
    assert ask(client, "hello", token="neighbour", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_limits_are_per_restaurant(client, bella, roma, clock):
    quiet_period(clock, [diner_key(bella), diner_key(roma)])
    [ask(client, "hello") for _ in range(4)]

    assert ask(client, "hello").status_code == 429
    assert ask(client, "hello", restaurant="roma").status_code == 200


# --- Settings and overrides ---------------------------------------------------------------


def test_changing_the_setting_changes_the_limit(client, bella, clock, settings):
    settings.CHAT_RATE_LIMIT = "15/30s"
    quiet_period(clock, [diner_key(bella)])

    responses = paced(client, clock, 16)

    assert statuses(responses) == [200] * 15 + [429]


def test_restaurant_override_replaces_the_setting(client, bella, roma, clock):
    bella.chat_rate_limit = "4/30s"
    bella.chat_burst_limit = "5/s"
    bella.save()
    quiet_period(clock, [diner_key(bella), diner_key(roma)], span=4)

    burst = [ask(client, "hello", token="burst") for _ in range(6)]
    sustained = paced(client, clock, 5)

    assert statuses(burst) == [200] * 4 + [429, 429]  # the 4/30s override stops it first
    assert statuses(sustained) == [200] * 4 + [429]
    assert statuses([ask(client, "hello", restaurant="roma") for _ in range(4)]) == [
        200,
        200,
        200,
        429,
    ]


def test_ip_override_replaces_the_setting(client, bella, clock):
    bella.chat_ip_rate_limit = "2/30s"
    bella.save()
    ip_key = limit_key(ip=LOCAL_IP, restaurant_pk=bella.pk, session_token=None)
    quiet_period(clock, [ip_key], span=2)

    responses = [ask(client, "hello", token=f"t{n}") for n in range(3)]

    assert statuses(responses) == [200, 200, 429]


# --- Client IP --------------------------------------------------------------------------


def test_trusted_proxy_count_makes_the_forwarded_client_the_key(client, bella, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    quiet_period(clock, [diner_key(bella, ip="198.51.100.1")], span=2)

    first = [ask(client, "hello", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy) for _ in range(4)]
    other_client = ask(client, "hello", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)

    assert statuses(first) == [200, 200, 200, 429]
    assert other_client.status_code == 200


def test_without_trusted_proxies_x_forwarded_for_cannot_dodge_the_limit(
    client, bella, clock, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    quiet_period(clock, [diner_key(bella)], span=2)

    responses = [ask(client, "hello", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(1, 5)]

    assert statuses(responses) == [200, 200, 200, 429]


# --- What is not counted, and failure ---------------------------------------------------


def test_cors_preflights_are_never_counted(client, bella, clock):
    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    quiet_period(clock, [diner_key(bella)], span=2)
    preflight = {
        "HTTP_ORIGIN": "https://bella.example",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type",
    }

    preflights = [client.options("/api/chat", **preflight) for _ in range(10)]
    posts = [ask(client, "hello", HTTP_ORIGIN="https://bella.example") for _ in range(3)]

    assert statuses(preflights) == [200] * 10
    assert statuses(posts) == [200, 200, 200]


def test_refused_origin_and_unknown_restaurant_are_not_counted(client, bella, roma, clock):
    AllowedOriginFactory(restaurant=roma, origin="https://roma.example")
    quiet_period(clock, [diner_key(bella)], span=2)

    for _ in range(5):
        assert ask(client, "hello", HTTP_ORIGIN="https://roma.example").status_code == 403

    assert statuses([ask(client, "hello") for _ in range(3)]) == [200, 200, 200]


@pytest.fixture(
    params=[
        "stjarna_site.breaker.CircuitBreakerClient",  # production's: all limits in one script
        "django_redis.client.DefaultClient",  # django-ratelimit's calls, one limit at a time
    ]
)
def unreachable_cache(settings, request):
    """Rate limits counted in a cache nobody answers for (Redis down)."""
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {
                "CLIENT_CLASS": request.param,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        },
    }
    settings.RATELIMIT_USE_CACHE = "unreachable"


def test_with_the_cache_unreachable_the_worker_limits_with_its_own_counters(
    client, bella, clock, unreachable_cache, capsys
):
    clock.now = float(int(clock.now))  # the start of a second: the burst window is whole

    responses = [ask(client, "hello") for _ in range(5)]

    assert statuses(responses) == [200, 200, 200, 429, 429]  # the burst limit, 3/s, holds
    assert 1 <= int(responses[3]["Retry-After"]) <= 2
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    errors = [e for e in logged if e.get("event", "").startswith("rate limit cache unavailable")]
    assert errors and errors[0]["level"] == "error"


def test_each_diner_keeps_their_own_fallback_counter(client, bella, clock, unreachable_cache):
    clock.now = float(int(clock.now))
    [ask(client, "hello") for _ in range(4)]
    assert ask(client, "hello", token="diner-2").status_code == 200


def test_429_writes_a_log_line_naming_the_restaurant(client, bella, clock, capsys):
    quiet_period(clock, [diner_key(bella)], span=2)
    [ask(client, "hello") for _ in range(4)]

    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    limited = [e for e in logged if e.get("event") == "chat rate limited"]
    assert len(limited) == 1
    assert limited[0]["restaurant_id"] == "bella"
    assert limited[0]["limit"] == "chat:burst"
    requests = [e for e in logged if e.get("event") == "request" and e["status"] == 429]
    assert requests[0]["rate_limited"] is True and requests[0]["restaurant_id"] == "bella"


# --- Across processes (needs the shared Redis) ------------------------------------------

_OTHER_PROCESS = """
import json, sys
import django
django.setup()
import django_ratelimit.core
from django.test import Client

class Clock:
    now = float(sys.argv[1])
    def time(self):
        return self.now

clock = Clock()
django_ratelimit.core.time = clock
client = Client()
codes = []
for _ in range(int(sys.argv[2])):
    body = {"restaurantId": "bella", "sessionToken": "diner-1", "message": "hello"}
    codes.append(client.post("/api/chat", json.dumps(body), content_type="application/json")
                 .status_code)
    clock.now += 1
print(json.dumps(codes))
"""


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="limits are shared through Redis; the embedded LocMem default is one process by "
    "design. Runs in CI's PostgreSQL + Redis pass.",
)
@pytest.mark.django_db(transaction=True)
def test_limits_are_shared_across_processes_on_one_redis(client, clock):
    bella = RestaurantFactory(public_id="bella")
    quiet_period(clock, [diner_key(bella)], span=12)
    env = other_process_env()

    other = subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, str(clock.now), "6"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    clock.advance(6)
    here = []
    for _ in range(5):
        here.append(ask(client, "hello"))
        clock.advance(1)

    assert json.loads(other.stdout.strip().splitlines()[-1]) == [200] * 6
    assert statuses(here) == [200] * 4 + [429]  # 6 there + 4 here = the sustained 10


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="counts Redis commands")
def test_a_returning_diners_three_limits_cost_one_redis_round_trip(client, bella, clock):
    quiet_period(clock, [diner_key(bella)], span=2)
    ask(client, "hello")  # the counters exist now: django-ratelimit would need SET NX + INCR each
    with mock.patch.object(
        Redis, "execute_command", autospec=True, side_effect=Redis.execute_command
    ) as sent:
        assert ask(client, "hello").status_code == 200

    assert [call.args[1] for call in sent.call_args_list] == ["EVALSHA"]


# --- The runbook's verification, against a live server with curl -------------------------

RUNBOOK_LOOP = """
for i in $(seq 1 20); do
  curl -s -o /dev/null -w "%{http_code}\\n" "$BASE/api/chat" \\
    -H 'Content-Type: application/json' \\
    -d '{"restaurantId":"test","sessionToken":"test","message":"test"}'
  sleep 0.4
done
"""


@pytest.mark.django_db(transaction=True)
def test_runbook_loop_with_15_per_30s_shows_200s_then_429s_after_15(live_server, clock, settings):
    settings.CHAT_RATE_LIMIT = "15/30s"  # what CHAT_RATE_LIMIT=15/30s in the environment sets
    restaurant = RestaurantFactory(public_id="test")
    quiet_period(clock, [diner_key(restaurant, token="test")], span=15)
    clock.tick_in_real_time()

    loop = subprocess.run(
        ["bash", "-c", RUNBOOK_LOOP],
        env={**os.environ, "BASE": live_server.url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert loop.stdout.split() == ["200"] * 15 + ["429"] * 5


# --- IPv6 ------------------------------------------------------------------------------------


def test_ipv6_addresses_of_one_slash_64_share_the_per_ip_limit(client, bella, clock, settings):
    settings.CHAT_IP_RATE_LIMIT = "20/30s"
    quiet_period(
        clock, [limit_key(ip="2001:db8:1:2::/64", restaurant_pk=bella.pk, session_token=None)]
    )

    responses = [
        ask(client, "hello", token=f"diner-{n}", REMOTE_ADDR=f"2001:db8:1:2:{n:x}::1")
        for n in range(1, 41)
    ]

    assert statuses(responses) == [200] * 20 + [429] * 20
    neighbour = ask(client, "hello", token="diner-x", REMOTE_ADDR="2001:db8:1:3::1")
    assert neighbour.status_code == 200  # the next /64 is someone else


def test_an_ipv4_mapped_ipv6_address_counts_as_its_ipv4_address(client, bella, clock, settings):
    settings.CHAT_IP_RATE_LIMIT = "2/30s"
    quiet_period(clock, [limit_key(ip="192.0.2.7", restaurant_pk=bella.pk, session_token=None)])
    assert ask(client, "hello", token="a", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert ask(client, "hello", token="b", REMOTE_ADDR="::ffff:192.0.2.7").status_code == 200
    assert ask(client, "hello", token="c", REMOTE_ADDR="192.0.2.7").status_code == 429
