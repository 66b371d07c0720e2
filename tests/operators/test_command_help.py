"""Every operator command explains itself with --help."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility
from django.core.management.base import CommandError

OPERATOR_COMMANDS = {
    "diagnose_restaurant": "allowlist",
    "notify_tenants": "--dry-run",
    "block_ip": "--expires-in",
    "unblock_ip": "Lift the block",
    "list_blocked_ips": "--all",
    "purge_chats": "--older-than",
    "export_restaurant": "--output",
    "forget_session": "--restaurant",
    "check_health": "--strict",
    "export_audit": "--since",
}


@pytest.mark.parametrize(("command", "mentions"), sorted(OPERATOR_COMMANDS.items()))
def test_command_help_describes_its_options(command, mentions, capsys):
    ManagementUtility(["manage.py", "help", command]).execute()
    text = capsys.readouterr().out
    assert f"usage: manage.py {command}" in text
    assert mentions in text


@pytest.mark.parametrize("command", ["block_ip", "purge_chats", "notify_tenants"])
def test_mutating_commands_take_an_actor_for_the_audit_trail(command, capsys):
    ManagementUtility(["manage.py", "help", command]).execute()
    assert "--actor" in capsys.readouterr().out


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
