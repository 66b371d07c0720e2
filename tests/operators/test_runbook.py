"""docs/runbook.md is executable: every command in it runs against a live server here.

The runbook's ``bash`` blocks are split into commands (``\\``-continued lines joined); the comment
lines under a command are directives:

- ``# expect: TEXT``     the output (stdout + stderr) contains TEXT;
- ``# expect-exit: N``   the exit status is N (default 0);
- ``# when: NAME=value`` the command runs with that setting in effect;
- ``# not-checked: why`` (anywhere in a block) the block needs a real deployment and is not run.

Commands run in order, in one temporary directory, with ``STJARNA_URL`` pointing at a live test
server holding the demo restaurant, ``RESTAURANT_ID=demo`` and ``STJARNA_LOG`` a file receiving the
server's JSON log lines. ``python manage.py …`` runs in this process (it must see the test
database) with its output piped to the rest of the command line, if any; everything else runs in
``bash -o pipefail``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from operators.demo import DEMO_PUBLIC_ID

RUNBOOK = Path(settings.BASE_DIR) / "docs" / "runbook.md"
_FENCE = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
_DIRECTIVE = re.compile(r"^#\s*(expect|expect-exit|when|not-checked):\s?(.*)$")
_MANAGE = "python manage.py "


@dataclass
class Step:
    command: str
    line: int
    expects: list[str] = field(default_factory=list)
    exit_code: int = 0
    when: dict[str, object] = field(default_factory=dict)


@dataclass
class Block:
    line: int
    steps: list[Step]
    not_checked: str = ""


def _setting_value(text: str) -> object:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return int(text) if text.isdigit() else text


def parse_runbook(text: str) -> list[Block]:
    """Every ``bash`` block of the runbook as commands with their directives."""
    blocks = []
    for match in _FENCE.finditer(text):
        first_line = text.count("\n", 0, match.start(1)) + 1
        block = Block(line=first_line, steps=[])
        pending = ""
        for offset, raw in enumerate(match.group(1).splitlines()):
            line = raw.strip()
            directive = _DIRECTIVE.match(line)
            if pending:
                pending += "\n" + raw
                if not raw.endswith("\\"):
                    block.steps[-1].command = pending
                    pending = ""
                continue
            if directive:
                kind, value = directive.groups()
                if kind == "not-checked":
                    block.not_checked = value or "unspecified"
                    continue
                step = block.steps[-1]
                if kind == "expect":
                    step.expects.append(value)
                elif kind == "expect-exit":
                    step.exit_code = int(value)
                else:
                    name, _, setting = value.partition("=")
                    step.when[name.strip()] = _setting_value(setting.strip())
            elif line and not line.startswith("#"):
                block.steps.append(Step(command=raw, line=first_line + offset))
                if raw.endswith("\\"):
                    pending = raw
        blocks.append(block)
    return blocks


BLOCKS = parse_runbook(RUNBOOK.read_text(encoding="utf-8"))


def test_the_runbook_has_checked_commands_for_every_kind_of_procedure():
    commands = "\n".join(s.command for b in BLOCKS if not b.not_checked for s in b.steps)
    for needed in (
        "/api/chat",
        "/api/public/menu",
        "/api/health",
        "/widget.js",
        "purge_menu_cache",
        "diagnose_restaurant",
        "block_ip",
        "unblock_ip",
        "export_audit",
        "notify_tenants --template outage",
        "notify_tenants --template maintenance",
        "purge_chats",
        "export_restaurant",
        "forget_session",
        "check_health",
        "seed_demo",
        "create_restaurant",
        "unlock_account",
        "/admin/password_reset/",
        '"status": 429',
        "RESTAURANT_ID",
    ):
        assert needed in commands, f"no checked runbook command uses {needed!r}"


def test_every_command_aimed_at_the_server_is_checked():
    for block in BLOCKS:
        if block.not_checked:
            continue
        for step in block.steps:
            targets_server = "$STJARNA_URL" in step.command or _MANAGE in step.command
            if targets_server and not step.expects and step.exit_code == 0:
                # A command without expectations must at least say what success looks like.
                assert "jq" in step.command, (
                    f"docs/runbook.md line {step.line}: add '# expect: …' under {step.command!r}"
                )


@pytest.fixture
def server_log(tmp_path):
    """A file receiving the server's JSON log lines, as ``journalctl -o cat`` would show them."""
    root = logging.getLogger()
    handler = logging.FileHandler(tmp_path / "stjarna.log", encoding="utf-8")
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    yield tmp_path / "stjarna.log"
    root.removeHandler(handler)
    handler.close()


def _run_manage(command: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """``python manage.py NAME ARGS [| shell …]`` in this process, piping into bash if needed."""
    manage_part, pipe, rest = command.partition(" | ")
    words = shlex.split(manage_part.replace("\\\n", " "), comments=True)
    argv = [os.path.expandvars(word) for word in words][2:]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*argv, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        code = exc.returncode
    except SystemExit as exc:  # argparse refused the arguments
        code = int(exc.code or 0)
    output = out.getvalue()
    if pipe and code == 0:
        piped = subprocess.run(
            ["bash", "-o", "pipefail", "-c", rest],
            input=output,
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=60,
        )
        return piped.returncode, piped.stdout + piped.stderr
    return code, output + err.getvalue()


def _run_shell(command: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.django_db(transaction=True)
def test_every_runbook_command_does_what_the_runbook_says(
    live_server, server_log, tmp_path, monkeypatch, settings
):
    call_command("seed_demo", stdout=io.StringIO())
    settings.STATIC_ROOT = tmp_path / "staticfiles"  # collectstatic writes here, not the repo
    monkeypatch.chdir(tmp_path)
    env = {
        **os.environ,
        "STJARNA_URL": live_server.url,
        "RESTAURANT_ID": DEMO_PUBLIC_ID,
        "STJARNA_LOG": str(server_log),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    monkeypatch.setenv("RESTAURANT_ID", DEMO_PUBLIC_ID)
    monkeypatch.setenv("STJARNA_URL", live_server.url)
    monkeypatch.setenv("STJARNA_LOG", str(server_log))
    failures = []
    ran = 0
    for block in BLOCKS:
        if block.not_checked:
            continue
        for step in block.steps:
            overrides = override_settings(**step.when) if step.when else contextlib.nullcontext()
            with overrides:
                runner = _run_manage if step.command.startswith(_MANAGE) else _run_shell
                code, output = runner(step.command, env, tmp_path)
            ran += 1
            problems = [f"exit {code}, expected {step.exit_code}"] if code != step.exit_code else []
            problems += [f"missing {e!r}" for e in step.expects if e not in output]
            if problems:
                failures.append(
                    f"docs/runbook.md line {step.line}: {step.command.strip()}\n  "
                    + "; ".join(problems)
                    + f"\n  output: {output[-1500:]!r}"
                )
    assert ran >= 40
    assert not failures, "\n\n".join(failures)
