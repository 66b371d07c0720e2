"""The shared-cache warm path: no queries when warm, bounded when cold, fresh after any change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings

from menu.cache import menu_body_key, menu_entry, menu_head_key
from menu.services import (
    menu_item_create,
    menu_item_delete,
    menu_item_set_availability,
    menu_item_update,
)
from tenants.cache import generation_key
from tenants.services import restaurant_update
from tests.factories import MenuItemFactory, RestaurantFactory
from tests.helpers import item_names, menu_url


def test_warm_menu_runs_no_database_query(client, bella, django_assert_num_queries):
    MenuItemFactory.create_batch(5, restaurant=bella)
    first = client.get(menu_url())
    with django_assert_num_queries(0):
        warm = client.get(menu_url())
    assert warm.status_code == 200
    assert warm.content == first.content


def test_warm_revalidation_runs_no_database_query(client, bella, django_assert_num_queries):
    etag = client.get(menu_url())["ETag"]
    with django_assert_num_queries(0):
        assert client.get(menu_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_num_queries(0):
        assert client.head(menu_url()).status_code == 200


def test_unknown_restaurant_is_remembered_too(client, db, django_assert_num_queries):
    assert client.get(menu_url("nowhere")).status_code == 404
    with django_assert_num_queries(0):
        assert client.get(menu_url("nowhere")).status_code == 404


@pytest.mark.parametrize("item_count", [5, 50])
def test_cold_menu_costs_two_queries_whatever_its_size(
    client, bella, item_count, django_assert_num_queries
):
    MenuItemFactory.create_batch(item_count, restaurant=bella)
    with django_assert_num_queries(2):
        response = client.get(menu_url())
    assert len(response.json()["items"]) == item_count


def test_editing_an_item_shows_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    item = MenuItemFactory(restaurant=bella, name="Margherita", price=Decimal("10"))
    before = client.get(menu_url())
    with django_capture_on_commit_callbacks(execute=True):
        menu_item_update(item=item, price=Decimal("12.50"))
    after = client.get(menu_url())
    assert after.json()["items"][0]["price"] == "12.50"
    assert after["ETag"] != before["ETag"]
    assert after.json()["version"] != before.json()["version"]
    stale = client.get(menu_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert stale.status_code == 200


def test_deleting_an_item_shows_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    keep = MenuItemFactory(restaurant=bella, name="Keep")
    gone = MenuItemFactory(restaurant=bella, name="Gone")
    assert item_names(client) == ["Keep", "Gone"]
    with django_capture_on_commit_callbacks(execute=True):
        menu_item_delete(item=gone)
    assert item_names(client) == [keep.name]


def test_making_an_item_unavailable_hides_it_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    item = MenuItemFactory(restaurant=bella, name="Soup")
    assert item_names(client) == ["Soup"]
    with django_capture_on_commit_callbacks(execute=True):
        menu_item_set_availability(item=item, available=False)
    assert item_names(client) == []


def test_renaming_the_restaurant_shows_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Napoli"
    with django_capture_on_commit_callbacks(execute=True):
        restaurant_update(restaurant=bella, name="Bella Roma")
    assert client.get(menu_url()).json()["restaurant"]["name"] == "Bella Roma"


def test_deactivating_the_restaurant_is_a_404_on_the_next_request(
    client, bella, django_capture_on_commit_callbacks
):
    assert client.get(menu_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        restaurant_update(restaurant=bella, active=False)
    assert client.get(menu_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        restaurant_update(restaurant=bella, active=True)
    assert client.get(menu_url()).status_code == 200


def test_a_restaurant_created_after_a_404_is_served_at_once(
    client, db, django_capture_on_commit_callbacks
):
    assert client.get(menu_url("newcomer")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        RestaurantFactory(public_id="newcomer")
    assert client.get(menu_url("newcomer")).status_code == 200


def test_bulk_tagging_shows_on_the_next_request(client, bella, django_capture_on_commit_callbacks):
    from menu.models import MenuItem
    from menu.services import menu_items_add_tag

    MenuItemFactory(restaurant=bella, tags=[])
    client.get(menu_url())
    with django_capture_on_commit_callbacks(execute=True):
        menu_items_add_tag(items=MenuItem.objects.filter(restaurant=bella), tag="vegan")
    assert client.get(menu_url()).json()["items"][0]["tags"] == ["vegan"]


def test_a_rolled_back_change_keeps_serving_the_cached_menu(
    client, bella, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.db import transaction

    MenuItemFactory(restaurant=bella, name="Soup")
    client.get(menu_url())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                MenuItemFactory(restaurant=bella, name="Never")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    with django_assert_num_queries(0):
        assert item_names(client) == ["Soup"]


def test_a_stale_body_stored_by_a_slow_worker_is_never_served(
    bella, django_capture_on_commit_callbacks
):
    """A worker that read the old menu before a change commits must not re-cache it for good."""
    MenuItemFactory(restaurant=bella, name="Old")
    first = menu_entry("bella")
    stale_head = cache.get(menu_head_key("bella", True))
    with django_capture_on_commit_callbacks(execute=True):
        MenuItemFactory(restaurant=bella, name="New")
    # The slow worker stores its old menu (under the generation it read) after the invalidation.
    cache.set(menu_head_key("bella", True), stale_head)
    fresh = menu_entry("bella")
    assert fresh.etag != first.etag
    assert b'"New"' in fresh.body


def test_cache_entries_expire_so_a_missed_invalidation_heals(client, bella, settings, monkeypatch):
    settings.MENU_CACHE_TIMEOUT = 120
    timeouts = {}
    real_set, real_add = cache.set, cache.add

    def spy(real):
        def call(key, value, timeout=None, **kwargs):
            timeouts[key] = timeout
            return real(key, value, timeout, **kwargs)

        return call

    monkeypatch.setattr(cache, "set", spy(real_set))
    monkeypatch.setattr(cache, "add", spy(real_add))
    etag = client.get(menu_url())["ETag"]
    assert timeouts == {
        generation_key("bella"): 240,
        menu_head_key("bella", True): 120,
        menu_body_key(etag): 120,
    }


class BrokenCache(Exception):
    pass


def _broken(*args, **kwargs):
    raise BrokenCache("cache is down")


@pytest.fixture
def cache_down(monkeypatch):
    """Every cache call raises, as django-redis does when Redis is unreachable."""
    for name in ("get", "get_many", "set", "add", "delete", "set_many", "delete_many"):
        monkeypatch.setattr(cache, name, _broken)


def test_menu_is_served_from_the_database_when_the_cache_is_down(client, bella, cache_down, caplog):
    MenuItemFactory(restaurant=bella, name="Soup")
    response = client.get(menu_url())
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["Soup"]
    assert response["ETag"]
    warnings = [r for r in caplog.records if r.name == "menu.cache" and r.levelname == "WARNING"]
    assert len(warnings) == 1


def test_304_and_404_still_work_when_the_cache_is_down(client, bella, cache_down):
    etag = client.get(menu_url())["ETag"]
    assert client.get(menu_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(menu_url("nowhere")).status_code == 404


def test_menu_writes_succeed_while_the_cache_is_down(
    client, bella, cache_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the cache renewal runs, and fails
        menu_item_create(restaurant=bella, name="Written anyway", price=Decimal("9"))
    assert item_names(client) == ["Written anyway"]  # stored, and served from the database


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
)
def test_menu_survives_an_unreachable_redis(client, bella):
    response = client.get(menu_url())
    assert response.status_code == 200
    assert response.json()["restaurant"]["id"] == "bella"


def test_warm_hits_do_not_evict_other_menus_from_the_worker_memo(client, bella, monkeypatch):
    from menu import cache as menu_cache

    monkeypatch.setattr(menu_cache, "_local_bodies", {})
    monkeypatch.setattr(menu_cache, "LOCAL_BODIES_MAX", 2)
    MenuItemFactory(restaurant=bella)
    client.get("/api/public/menu?restaurantId=bella")  # cold: cached and remembered
    menu_cache._local_bodies['"other"'] = b"{}"  # the memo is now full
    for _ in range(3):
        assert client.get("/api/public/menu?restaurantId=bella").status_code == 200
    assert '"other"' in menu_cache._local_bodies


def test_warm_menu_is_one_cache_round_trip_and_no_query(
    client, bella, monkeypatch, django_assert_num_queries
):
    MenuItemFactory.create_batch(3, restaurant=bella)
    etag = client.get(menu_url())["ETag"]  # cold: built and stored
    menu_calls = []
    depth = [0]  # LocMemCache's get_many calls its own get: count only the outer call

    def spy(name):
        real = getattr(cache, name)

        def call(keys, *args, **kwargs):
            if "bella" in str(keys) and not depth[0]:
                menu_calls.append(name)
            depth[0] += 1
            try:
                return real(keys, *args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "add", "set_many"):
        monkeypatch.setattr(cache, name, spy(name))
    with django_assert_num_queries(0):
        assert client.get(menu_url()).status_code == 200
        assert client.get(menu_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert menu_calls == ["get_many", "get_many"]  # generation and head together, per request
