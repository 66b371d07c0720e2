"""Defects found in the final review, each pinned by the behaviour a user would see."""

from __future__ import annotations

import time

import pytest
from django.core.management.base import CommandError

from chat.models import ChatMessage
from menu.importing import parse_menu
from operators.models import BlockedIP
from stjarna_site import health as health_module
from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MenuItemFactory,
)


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


def test_a_cross_origin_chat_reads_the_allowlist_once(client, bella, monkeypatch):
    from tenants import cors

    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    MenuItemFactory(restaurant=bella, name="Marinara", tags=["vegan"], allergens=["gluten"])
    calls = []
    real = cors.allowed_origins
    monkeypatch.setattr(cors, "allowed_origins", lambda pid: calls.append(pid) or real(pid))
    response = client.post(
        "/api/chat",
        {"restaurantId": "bella", "sessionToken": "t1", "message": "vegan?"},
        content_type="application/json",
        HTTP_ORIGIN="https://bella.example",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://bella.example"
    assert calls == ["bella"]


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


@pytest.mark.django_db(transaction=True)
def test_a_malformed_block_row_is_skipped_not_a_500_for_everyone(client):
    from operators.blocking import forget_local_blocklist, publish_blocklist

    block = BlockedIP.objects.create(network="203.0.113.7", reason="x", created_by="test")
    BlockedIP.objects.filter(pk=block.pk).update(network="not-a-network")
    publish_blocklist()
    forget_local_blocklist()
    assert client.get("/api/health").status_code == 200


def test_chat_records_print_without_personal_data(bella):
    session = ChatSessionFactory(restaurant=bella, token="SECRET-TOKEN-123")
    message = ChatMessageFactory(session=session, text="I have a nut allergy")
    assert "SECRET" not in str(session)
    assert "nut" not in str(message)
    assert ChatMessage.objects.filter(pk=message.pk).exists()


def test_import_reports_an_overlong_json_number_instead_of_crashing():
    report = parse_menu('{"items":[{"name":"X","price":' + "9" * 5000 + "}]}", "json")
    assert report.errors and not report.rows


@pytest.mark.parametrize(
    ("command", "args", "options"),
    [
        ("purge_chats", [], {"older_than": 99999999999}),
        ("export_audit", [], {"since": "2026-13-45"}),
        ("export_audit", [], {"since": "99999999999d"}),
        ("block_ip", ["203.0.113.7"], {"reason": "x", "expires_in": float("inf")}),
        ("block_ip", ["203.0.113.7"], {"reason": "x", "expires_in": float("nan")}),
    ],
)
def test_absurd_command_inputs_are_clear_errors(db, command, args, options):
    from django.core.management import call_command

    with pytest.raises(CommandError):
        call_command(command, *args, **options)
