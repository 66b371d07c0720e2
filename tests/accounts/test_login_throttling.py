"""Failed logins are throttled per account and per address (django-axes), SPEC §9."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from operators.models import OperatorAction
from tests.accounts.conftest import log_in
from tests.factories import UserFactory

PASSWORD = "pw-for-tests"
HOME_IP, OTHER_IP = "198.51.100.10", "203.0.113.99"


@pytest.fixture
def owner(db):
    return UserFactory(username="owner@bella.example", email="owner@bella.example")


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def fail(client, login: str, times: int, *, ip: str = HOME_IP) -> list[int]:
    return [log_in(client, login, "wrong-password", ip=ip).status_code for _ in range(times)]


def unlock(*args: str, **options: str) -> str:
    out = io.StringIO()
    call_command("unlock_account", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_an_account_is_locked_after_the_failure_limit_even_with_the_right_password(
    client, owner, limit
):
    assert fail(client, owner.username, limit - 1) == [200] * (limit - 1)  # the form again
    assert fail(client, owner.username, 1) == [429]
    locked = log_in(client, owner.username, PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed logins" in text
    assert "locked for 15 minutes" in text
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_account_lock_holds_from_another_address_and_in_another_case(client, owner, limit):
    fail(client, owner.username, limit)
    assert log_in(client, "OWNER@bella.example ", PASSWORD, ip=OTHER_IP).status_code == 429


def test_one_address_is_locked_after_failures_across_accounts(client, owner, limit):
    for n in range(limit):
        log_in(client, f"guess-{n}@bella.example", "wrong", ip=OTHER_IP)
    assert log_in(client, owner.username, PASSWORD, ip=OTHER_IP).status_code == 429
    assert log_in(client, owner.username, PASSWORD, ip=HOME_IP).status_code == 302


def test_a_successful_login_before_the_limit_starts_the_count_again(client, owner, limit):
    fail(client, owner.username, limit - 1)
    assert log_in(client, owner.username, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, owner.username, limit - 1) == [200] * (limit - 1)


def test_the_unlock_command_lifts_an_account_lock(client, owner, limit):
    fail(client, owner.username, limit)
    out = unlock("Owner@Bella.example", actor="ops-anna")
    assert "Unlocked owner@bella.example" in out
    assert log_in(client, owner.username, PASSWORD, ip=OTHER_IP).status_code == 302
    audit = OperatorAction.objects.get(command="unlock_account")
    assert audit.actor == "ops-anna"


def test_the_unlock_command_lifts_an_address_lock(client, owner, limit):
    for n in range(limit):
        log_in(client, f"guess-{n}", "wrong", ip=OTHER_IP)
    assert "Unlocked address 203.0.113.99" in unlock(ip=OTHER_IP)
    assert log_in(client, owner.username, PASSWORD, ip=OTHER_IP).status_code == 302


def test_unlocking_what_is_not_locked_says_so(db):
    assert "Nothing to unlock for nobody@example.com" in unlock("nobody@example.com")


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        ((), {}, "Name the account"),
        ((), {"ip": "not-an-ip"}, "is not an IP address"),
        ((), {"ip": "10.0.0.0/8"}, "is a network"),
    ],
)
def test_unlock_refuses_bad_input_with_one_line(db, args, options, message):
    with pytest.raises(CommandError, match=message):
        unlock(*args, **options)


def test_the_lock_ends_by_itself_after_the_cool_off(client, owner, limit, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail(client, owner.username, limit)
    assert log_in(client, owner.username, PASSWORD).status_code == 429
    time.sleep(2.1)
    assert log_in(client, owner.username, PASSWORD).status_code == 302


def test_logins_go_on_when_the_cache_fails(client, owner, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "add", "incr", "delete", "touch"):
        monkeypatch.setattr(cache, name, broken)
    assert log_in(client, owner.username, "wrong").status_code == 200
    assert log_in(client, owner.username, PASSWORD).status_code == 302
