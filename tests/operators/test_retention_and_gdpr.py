"""Chat retention, the GDPR export of a tenant and the erasure of one diner's chat."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError
from django.utils import timezone

from chat.models import ChatMessage, ChatSession
from operators.models import OperatorAction
from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MenuItemFactory,
)


def _age(session: ChatSession, days: int) -> None:
    """Pretend every message of ``session`` (and its activity) is ``days`` days old."""
    moment = timezone.now() - timedelta(days=days)
    ChatMessage.objects.filter(session=session).update(created_at=moment)
    ChatSession.objects.filter(pk=session.pk).update(last_seen=moment, first_seen=moment)


@pytest.fixture
def old_and_new_chats(bella):
    old = ChatSessionFactory(restaurant=bella, token="old-diner")
    ChatMessageFactory.create_batch(3, session=old, text="old question")
    new = ChatSessionFactory(restaurant=bella, token="new-diner")
    ChatMessageFactory.create_batch(2, session=new)
    _age(old, 100)
    revived = ChatSessionFactory(restaurant=bella, token="revived-diner")
    ChatMessageFactory(session=revived)
    _age(revived, 100)
    ChatMessageFactory(session=revived, text="back again")  # a recent message keeps it
    return old, new, revived


def test_purge_deletes_sessions_whose_last_message_is_older_than_the_limit(old_and_new_chats, run):
    old, _new, _revived = old_and_new_chats
    output = run("purge_chats", older_than=90)
    assert "Deleted 1 chat sessions and 3 messages" in output
    assert not ChatSession.objects.filter(pk=old.pk).exists()
    assert not ChatMessage.objects.filter(text="old question").exists()
    assert set(ChatSession.objects.values_list("token", flat=True)) == {
        "new-diner",
        "revived-diner",
    }


def test_purge_defaults_to_chat_retention_days(old_and_new_chats, run, settings):
    settings.CHAT_RETENTION_DAYS = 200
    assert "Deleted 0 chat sessions" in run("purge_chats")
    settings.CHAT_RETENTION_DAYS = 30
    assert "Deleted 1 chat sessions" in run("purge_chats")


def test_purge_works_in_batches(bella, run, monkeypatch):
    monkeypatch.setattr("chat.retention.PURGE_BATCH_SIZE", 2)
    for n in range(5):
        session = ChatSessionFactory(restaurant=bella, token=f"t{n}")
        ChatMessageFactory(session=session)
        _age(session, 100)
    assert "Deleted 5 chat sessions and 5 messages" in run("purge_chats", older_than=90)
    assert not ChatSession.objects.exists()


def test_purge_dry_run_counts_and_deletes_nothing(old_and_new_chats, run):
    output = run("purge_chats", older_than=90, dry_run=True)
    assert "Dry run: would delete 1 chat sessions and 3 messages" in output
    assert ChatSession.objects.count() == 3
    assert not OperatorAction.objects.exists()


def test_purge_is_audited(old_and_new_chats, run):
    run("purge_chats", older_than=90, actor="alice")
    action = OperatorAction.objects.get()
    assert action.arguments == {"older_than_days": 90}
    assert action.result.startswith("Deleted 1 chat sessions and 3 messages")


def test_purge_refuses_negative_days(db, run):
    with pytest.raises(CommandError, match="zero or more"):
        run("purge_chats", older_than=-1)


# --- export_restaurant ------------------------------------------------------------------------


def test_export_has_everything_stored_about_the_tenant(bella, roma, staff_of_bella, run, tmp_path):
    AllowedOriginFactory(restaurant=bella, origin="https://bella.example")
    MenuItemFactory(restaurant=bella, name="Margherita", tags=["vegetarian"])
    MenuItemFactory(restaurant=roma, name="Not bella's")
    session = ChatSessionFactory(restaurant=bella, token="diner-1")
    ChatMessageFactory(session=session, text="vegan?")
    target = tmp_path / "bella.json"
    output = run("export_restaurant", "bella", output=str(target), actor="alice")
    assert "Exported bella: 1 items, 1 chat sessions" in output
    data = json.loads(target.read_text())
    assert data["restaurant"]["public_id"] == "bella"
    assert data["allowedOrigins"] == ["https://bella.example"]
    assert data["memberships"] == [
        {
            "username": "staff-bella",
            "email": "",
            "role": "owner",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert [i["name"] for i in data["menuItems"]] == ["Margherita"]
    assert data["chatSessions"][0]["token"] == "diner-1"
    assert data["chatSessions"][0]["messages"][0]["text"] == "vegan?"
    audited = {row["object"].split(":")[0] for row in data["auditTrail"]}
    assert {"tenants.restaurant", "tenants.allowedorigin", "menu.menuitem"} <= audited
    assert "Not bella's" not in target.read_text()
    assert OperatorAction.objects.get(command="export_restaurant").restaurant == "bella"


def test_export_to_stdout_is_json(bella, run):
    assert json.loads(run("export_restaurant", "bella"))["restaurant"]["name"] == "Bella Napoli"


def test_export_of_an_unknown_restaurant_fails(db, run):
    with pytest.raises(CommandError, match="Unknown restaurant id 'nope'"):
        run("export_restaurant", "nope")


def test_export_to_an_unwritable_path_fails_clearly(bella, run, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("export_restaurant", "bella", output=str(tmp_path / "missing" / "x.json"))


# --- forget_session ---------------------------------------------------------------------------


def test_forget_session_leaves_no_trace_of_the_diner(bella, roma, run):
    token = "diner-secret-token"
    for restaurant in (bella, roma):
        session = ChatSessionFactory(restaurant=restaurant, token=token)
        ChatMessageFactory.create_batch(2, session=session, text="I am allergic to nuts")
    other = ChatSessionFactory(restaurant=bella, token="someone-else")
    ChatMessageFactory(session=other)
    output = run("forget_session", token, actor="alice")
    assert "Erased 2 chat sessions and 4 messages" in output
    assert not ChatSession.objects.filter(token=token).exists()
    assert not ChatMessage.objects.filter(text="I am allergic to nuts").exists()
    assert ChatSession.objects.filter(token="someone-else").exists()
    action = OperatorAction.objects.get()
    stored = json.dumps([action.arguments, action.result, action.restaurant])
    assert token not in stored
    assert action.arguments["token_fingerprint"] in action.result
    assert not LogEntry.objects.filter(changes_text__contains=token).exists()
    assert not LogEntry.objects.filter(object_repr__contains=token).exists()


def test_forget_session_can_be_limited_to_one_restaurant(bella, roma, run):
    for restaurant in (bella, roma):
        ChatMessageFactory(session=ChatSessionFactory(restaurant=restaurant, token="shared"))
    run("forget_session", "shared", restaurant="bella")
    assert list(ChatSession.objects.values_list("restaurant__public_id", flat=True)) == ["roma"]


def test_forget_unknown_token_says_nothing_was_erased(db, run):
    with pytest.raises(CommandError, match="No chat session has this token"):
        run("forget_session", "nobody")
    assert not OperatorAction.objects.exists()


def test_forget_session_at_unknown_restaurant_fails(db, run):
    with pytest.raises(CommandError, match="Unknown restaurant id 'nope'"):
        run("forget_session", "x", restaurant="nope")


def test_chat_records_print_without_personal_data(bella):
    session = ChatSessionFactory(restaurant=bella, token="SECRET-TOKEN-123")
    message = ChatMessageFactory(session=session, text="I have a nut allergy")
    assert "SECRET" not in str(session)
    assert "nut" not in str(message)
    assert ChatMessage.objects.filter(pk=message.pk).exists()
