"""The audit trail: admin changes name their actor; command runs are recorded; both export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError
from django.urls import reverse

from menu.models import MenuItem
from operators.models import OperatorAction
from tests.factories import MenuItemFactory


def _edit_item_in_admin(client, item: MenuItem, **changes) -> None:
    data = {
        "restaurant": item.restaurant_id,
        "name": item.name,
        "description": item.description,
        "category": item.category,
        "price": str(item.price),
        "available": "on",
        "position": item.position,
        "other_tags": "",
        **changes,
    }
    response = client.post(reverse("admin:menu_menuitem_change", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_staff_change_in_the_admin_is_recorded_with_its_actor(bella, staff_of_bella, login_as):
    item = MenuItemFactory(restaurant=bella, name="Margherita", price="100.00")
    _edit_item_in_admin(login_as(staff_of_bella), item, price="125.00")
    entry = LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == staff_of_bella
    assert entry.changes_dict["price"] == ["100.00", "125.00"]
    assert entry.remote_addr is None  # who and when, never from which address


def test_operator_can_read_the_change_history_in_the_admin(
    bella, staff_of_bella, operator, login_as
):
    item = MenuItemFactory(restaurant=bella, name="Margherita")
    _edit_item_in_admin(login_as(staff_of_bella), item, name="Margherita DOC")
    response = login_as(operator).get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 200
    assert "Margherita DOC" in response.content.decode()


def test_restaurant_staff_cannot_see_the_audit_trail(staff_of_bella, login_as):
    client = login_as(staff_of_bella)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403
    assert client.get(reverse("admin:operators_operatoraction_changelist")).status_code == 403


def test_allowlist_and_membership_changes_are_audited(bella, staff_of_bella):
    origin = bella.allowed_origins.create(origin="https://bella.example")
    membership = staff_of_bella.memberships.get()
    assert LogEntry.objects.get_for_object(origin).get().action == LogEntry.Action.CREATE
    assert LogEntry.objects.get_for_object(membership).get().action == LogEntry.Action.CREATE


def test_export_audit_json_has_admin_changes_and_command_runs(bella, staff_of_bella, login_as, run):
    item = MenuItemFactory(restaurant=bella, name="Margherita", price="100.00")
    _edit_item_in_admin(login_as(staff_of_bella), item, price="110.00")
    run("purge_chats", older_than=30, actor="alice")
    rows = json.loads(run("export_audit", since="1d"))
    change = next(r for r in rows if r["source"] == "change" and r["action"] == "update")
    assert change["actor"] == "staff-bella"
    assert change["details"]["price"] == ["100.00", "110.00"]
    command = next(r for r in rows if r["source"] == "command")
    assert (command["actor"], command["action"]) == ("alice", "purge_chats")


def test_export_audit_csv_has_a_header_and_one_line_per_entry(db, run):
    run("purge_chats", older_than=30, actor="alice")
    rows = list(csv.DictReader(io.StringIO(run("export_audit", format="csv"))))
    assert [(r["source"], r["actor"], r["action"]) for r in rows] == [
        ("command", "alice", "purge_chats")
    ]


def test_export_audit_since_leaves_older_entries_out(db, run):
    run("purge_chats", older_than=30)
    OperatorAction.objects.update(created_at="2020-01-01T00:00:00Z")
    assert json.loads(run("export_audit", since="2021-01-01")) == []


def test_export_audit_refuses_an_unreadable_date(db, run):
    with pytest.raises(CommandError, match="is not a date"):
        run("export_audit", since="last tuesday")


def test_export_audit_writes_a_file(db, run, tmp_path):
    run("purge_chats", older_than=30)
    target = tmp_path / "audit.json"
    assert "Wrote 1 audit entries" in run("export_audit", output=str(target))
    assert json.loads(target.read_text())[0]["action"] == "purge_chats"


def test_operator_exports_selected_command_runs_as_csv_from_the_admin(operator, login_as, run):
    run("purge_chats", older_than=30, actor="alice")
    response = login_as(operator).post(
        reverse("admin:operators_operatoraction_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(OperatorAction.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "alice,purge_chats" in response.content.decode()


def test_operator_exports_log_entries_as_csv_from_the_admin(bella, operator, login_as):
    MenuItemFactory(restaurant=bella, name="Margherita")
    response = login_as(operator).post(
        reverse("admin:auditlog_logentry_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(LogEntry.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Margherita" in response.content.decode()


def test_actor_defaults_to_the_operating_system_user(db, run, monkeypatch):
    monkeypatch.delenv("SUDO_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "deploy")
    run("purge_chats", older_than=30)
    assert OperatorAction.objects.get().actor == "deploy"


def test_api_key_issue_is_audited_without_its_secret(bella, staff_of_bella):
    from menu.apikeys import api_key_issue

    issued = api_key_issue(restaurant=bella, name="Till sync", created_by=staff_of_bella)
    entry = LogEntry.objects.get_for_object(issued.key).get()
    assert entry.changes_dict["name"] == ["None", "Till sync"]
    assert "secret_hash" not in entry.changes_dict
    assert issued.key.secret_hash not in json.dumps(entry.changes_dict)
