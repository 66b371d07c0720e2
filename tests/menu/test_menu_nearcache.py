"""menu.nearcache: each worker's own menu copies — used when warm, never once a change is done."""

from __future__ import annotations

import logging
import textwrap
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from menu import cache as menu_cache
from menu import nearcache
from menu.nearcache import MISSING, near_cache
from tests.factories import MenuItemFactory
from tests.processes import SecondProcess

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="workers' copies exist only with Redis (run with REDIS_URL set; CI's first pass does)",
)

URL = "/api/public/menu?restaurantId=bella"


def key(public_id: str = "bella") -> tuple[str, bool]:
    return (public_id, bool(settings.USE_SERVER_CHAT))


def until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def warm(client, public_id: str = "bella") -> bytes:
    """Request the menu until this worker answers it from its own copy."""
    url = f"/api/public/menu?restaurantId={public_id}"
    body = client.get(url).content
    assert until(lambda: client.get(url) and near_cache.get(key(public_id)) is not MISSING)
    return body


def only_this_worker_is_live() -> None:
    """Let listeners of earlier tests (a reset, a killed second process) stop counting as live,
    then make sure this process's listener does."""
    time.sleep(2 * nearcache.LEASE_SECONDS + 0.05)  # the announcement's "live" window
    near_cache.ticket()
    assert until(lambda: near_cache.ticket() is not None)


def names(client) -> list[str]:
    return [item["name"] for item in client.get(URL).json()["items"]]


def test_a_warm_request_is_answered_from_the_workers_own_copy(
    client, bella, monkeypatch, django_assert_num_queries
):
    MenuItemFactory(restaurant=bella, name="Margherita")
    body = warm(client)

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(menu_cache, "_shared_menu_entry", no_round_trip)
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content == body
    etag = response["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_change_drops_the_copy_before_it_counts_as_done(
    client, bella, django_capture_on_commit_callbacks
):
    item = MenuItemFactory(restaurant=bella, name="Margherita")
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        item.name = "Marinara"
        item.save()
    assert near_cache.get(key()) is MISSING
    assert names(client) == ["Marinara"]


def test_a_copy_is_not_kept_when_a_change_raced_its_read(client, bella):
    warm(client)
    ticket = near_cache.ticket()
    assert ticket is not None
    near_cache.forget(["bella"])  # an announcement processed while the shared cache was read
    near_cache.store(ticket, key(), "the menu as read before the change")
    assert near_cache.get(key()) is MISSING


def test_without_a_lease_the_copy_is_not_used(client, bella, monkeypatch):
    warm(client)
    monkeypatch.setattr(near_cache, "_extend_lease", lambda *args: None)  # check-ins stop working
    assert until(lambda: near_cache.get(key()) is MISSING, nearcache.LEASE_SECONDS + 1)
    assert client.get(URL).status_code == 200  # from the shared cache meanwhile


def test_a_cut_subscription_clears_the_copies_at_once_and_comes_back(client, bella):
    warm(client)
    host, port = near_cache.pubsub.connection._sock.getsockname()[:2]
    cache.client.get_client().execute_command("CLIENT", "KILL", "ADDR", f"{host}:{port}")
    # Well before the lease would run out by itself.
    assert until(lambda: near_cache.get(key()) is MISSING, nearcache.LEASE_SECONDS / 2)
    warm(client)  # re-subscribed: copies are used again


def test_a_lost_announcement_is_caught_by_the_next_check_in(client, bella):
    warm(client)
    sequence = nearcache._keys()[2]
    cache.client.get_client().incr(sequence)  # announced, but the message never arrives
    assert until(lambda: near_cache.get(key()) is MISSING, nearcache.CHECK_IN_SECONDS * 3)


def test_a_live_worker_that_does_not_acknowledge_is_waited_out_for_one_lease(bella, caplog):
    _channel, listeners, sequence = nearcache._keys()
    client = cache.client.get_client()
    client.register_script(nearcache._CHECK_IN)(keys=[listeners, sequence], args=["stuck-worker"])
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="menu.nearcache"):
        nearcache.announce(["bella"])
    waited = time.monotonic() - started
    assert nearcache.LEASE_SECONDS <= waited < nearcache.LEASE_SECONDS + 1
    assert "not every worker acknowledged" in caplog.text


def test_a_subscriber_that_is_not_a_worker_is_not_waited_for(bella):
    only_this_worker_is_live()
    outsider = cache.client.get_client().pubsub()  # e.g. redis-cli SUBSCRIBE, a monitoring tool
    outsider.subscribe(nearcache._keys()[0])
    outsider.get_message(timeout=1)
    try:
        started = time.monotonic()
        nearcache.announce(["bella"])
        assert time.monotonic() - started < nearcache.LEASE_SECONDS
    finally:
        outsider.close()


def test_a_failed_publication_is_waited_out_then_reported(bella, monkeypatch):
    client = cache.client.get_client(write=True)

    def fail(*args, **kwargs):
        raise TimeoutError("Redis did not answer")

    monkeypatch.setattr(type(client), "publish", fail)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        nearcache.announce(["bella"])
    assert time.monotonic() - started >= nearcache.LEASE_SECONDS


def test_acknowledging_workers_are_not_waited_out(bella):
    only_this_worker_is_live()  # it is subscribed and acknowledges
    started = time.monotonic()
    nearcache.announce(["bella"])
    assert time.monotonic() - started < nearcache.LEASE_SECONDS


def test_local_memory_settings_turn_the_copies_off(client, bella):
    warm(client)
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        assert not nearcache.enabled()
        assert near_cache.get(key()) is MISSING
        assert near_cache.ticket() is None
        assert client.get(URL).status_code == 200
    warm(client)


_READER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from menu.nearcache import MISSING, near_cache

    if sys.argv[1] == "slow-ack":  # this worker takes a while to drop its copies
        real_forget = type(near_cache).forget

        def slow_forget(self, public_ids):
            time.sleep(0.2)
            real_forget(self, public_ids)

        type(near_cache).forget = slow_forget

    client = Client()
    key = ("bella", bool(settings.USE_SERVER_CHAT))
    url = "/api/public/menu?restaurantId=bella"

    def names():
        return ",".join(item["name"] for item in client.get(url).json()["items"])

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        first = names()
        if near_cache.get(key) is not MISSING:
            break
        time.sleep(0.02)
    print("READY", near_cache.get(key) is not MISSING, first, flush=True)
    sys.stdin.readline()
    print("NAMES", names(), flush=True)
    """
)


@pytest.mark.parametrize("trouble", ["none", "slow-ack", "publication-lost"])
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_elsewhere_is_seen_on_the_next_request_of_another_process(
    bella, trouble, monkeypatch
):
    item = MenuItemFactory(restaurant=bella, name="Margherita")
    with SecondProcess(_READER, trouble) as reader:
        assert reader.line("READY") == "READY True Margherita"  # served from its own copy
        if trouble == "publication-lost":
            client = cache.client.get_client(write=True)
            monkeypatch.setattr(type(client), "publish", lambda *args, **kwargs: 0)
        item.name = "Marinara"
        item.save()  # commits: the announcement waits for the reader's acknowledgement
        reader.send("go")
        assert reader.line("NAMES") == "NAMES Marinara"


def test_a_worker_keeps_a_bounded_number_of_copies(client, bella, monkeypatch):
    monkeypatch.setattr(nearcache, "MAX_COPIES", 3)
    warm(client)
    for number in range(5):
        ticket = near_cache.ticket()
        near_cache.store(ticket, (f"probe-{number}", True), None)  # e.g. ids that do not exist
    assert len(near_cache._entries) == 3
    assert near_cache.get(key()) is MISSING  # the oldest went first
    assert near_cache.get(("probe-4", True)) is None


SITE = "https://bella.example"


def test_a_warm_cross_origin_request_asks_neither_redis_nor_the_database(
    client, bella, monkeypatch, django_assert_num_queries
):
    from tenants import cors
    from tests.factories import AllowedOriginFactory

    AllowedOriginFactory(restaurant=bella, origin=SITE)
    assert until(
        lambda: client.get(URL, HTTP_ORIGIN=SITE) is not None
        and near_cache.get(key()) is not MISSING
        and near_cache.get(("bella", "allowlist")) is not MISSING
    )

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(menu_cache, "_shared_menu_entry", no_round_trip)
    monkeypatch.setattr(cors, "_shared_allowed_origins", no_round_trip)
    with django_assert_num_queries(0):
        response = client.get(URL, HTTP_ORIGIN=SITE)
    assert response["Access-Control-Allow-Origin"] == SITE


def test_an_allowlist_change_is_seen_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    from tests.factories import AllowedOriginFactory

    with django_capture_on_commit_callbacks(execute=True):
        allowed = AllowedOriginFactory(restaurant=bella, origin=SITE)
    assert until(
        lambda: client.get(URL, HTTP_ORIGIN=SITE) is not None
        and near_cache.get(("bella", "allowlist")) is not MISSING
    )
    with django_capture_on_commit_callbacks(execute=True):
        allowed.delete()
    assert "Access-Control-Allow-Origin" not in client.get(URL, HTTP_ORIGIN=SITE)
    with django_capture_on_commit_callbacks(execute=True):
        AllowedOriginFactory(restaurant=bella, origin=SITE)
    assert client.get(URL, HTTP_ORIGIN=SITE)["Access-Control-Allow-Origin"] == SITE


def test_one_transaction_makes_one_announcement_per_restaurant(
    bella, roma, monkeypatch, django_capture_on_commit_callbacks
):
    announced = []
    real = nearcache.announce

    def spy(ids, renew=()):
        announced.append(ids)
        real(ids, renew)

    monkeypatch.setattr(nearcache, "announce", spy)
    items = MenuItemFactory.create_batch(20, restaurant=bella)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for item in items:
            item.delete()  # as an admin bulk delete does, one by one
        MenuItemFactory(restaurant=roma)
    assert sorted(announced) == [["bella"], ["roma"]]


def test_a_redis_that_refuses_scripts_still_gets_the_generation_renewed(bella, monkeypatch):
    from redis.commands.core import Script
    from redis.exceptions import ResponseError

    from menu.cache import menu_pointer_key, purge_menu

    def refuse(*args, **kwargs):
        raise ResponseError("NOPERM this user has no permissions to run the 'evalsha' command")

    before = cache.get(menu_pointer_key("bella"))
    monkeypatch.setattr(Script, "__call__", refuse)
    purge_menu("bella")
    assert cache.get(menu_pointer_key("bella")) not in (None, before)


def test_a_subscription_that_stops_delivering_is_replaced(client, bella, monkeypatch):
    warm(client)
    deaf = near_cache.pubsub

    def nothing(timeout=0.0):
        time.sleep(timeout)
        return None

    monkeypatch.setattr(deaf, "get_message", nothing)  # a connection dropped without a close
    redis_client, sequence = cache.client.get_client(), nearcache._keys()[2]
    for _ in range(3):  # announcements keep coming; none arrives
        redis_client.incr(sequence)
        time.sleep(nearcache.CHECK_IN_SECONDS * 1.5)
    assert until(lambda: near_cache.pubsub is not deaf, 2)
    warm(client)


def test_the_wait_counts_from_when_redis_ran_the_announcement(bella, monkeypatch):
    from redis.commands.core import Script

    only_this_worker_is_live()
    _channel, listeners, sequence = nearcache._keys()
    client = cache.client.get_client()
    client.register_script(nearcache._CHECK_IN)(keys=[listeners, sequence], args=["stuck-worker"])
    real_call = Script.__call__

    def slow_redis(self, *args, **kwargs):
        if self.script == nearcache._ANNOUNCE:
            time.sleep(0.4)  # a latency spike before the script runs
        return real_call(self, *args, **kwargs)

    monkeypatch.setattr(Script, "__call__", slow_redis)
    started = time.monotonic()
    nearcache.announce(["bella"])
    assert time.monotonic() - started >= 0.4 + nearcache.LEASE_SECONDS
