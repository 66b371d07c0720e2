"""diagnose_restaurant, notify_tenants and check_health."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core import mail
from django.core.management.base import CommandError

from operators.middleware import count_rate_limited
from operators.models import OperatorAction
from stjarna_site import health
from tests.factories import (
    AllowedOriginFactory,
    ChatMessageFactory,
    ChatSessionFactory,
    MenuItemFactory,
    RestaurantFactory,
)


@pytest.fixture
def bella_with_data(bella):
    MenuItemFactory(
        restaurant=bella,
        name="Marinara",
        tags=["vegan"],
        allergens=["gluten"],
        allergens_declared=True,
    )
    MenuItemFactory(
        restaurant=bella, name="Carbonara", allergens=["gluten", "eggs"], allergens_declared=True
    )
    MenuItemFactory(restaurant=bella, name="Sorbet", allergens=[], available=False)
    session = ChatSessionFactory(restaurant=bella, token="diner-1")
    ChatMessageFactory(session=session, text="do you have halal?", answered=False)
    ChatMessageFactory(session=session, text="do you have halal?", answered=False)
    ChatMessageFactory(session=session, text="vegan pizza?", answered=True)
    return bella


# --- diagnose_restaurant ----------------------------------------------------------------------


def test_diagnose_shows_counts_allowlist_warning_and_snippet(bella_with_data, run):
    report = run("diagnose_restaurant", "bella")
    assert "Active: yes" in report
    assert (
        "Items: 3 total, 2 available, 1 vegan-tagged, 1 without allergen data, "
        "0 with “may contain”, 0 to fix" in report
    )
    assert "Vegan-tagged: Marinara" in report
    assert "WARNING: allowlist is empty" in report
    assert "2× do you have halal?" in report
    assert 'data-restaurant-id="bella"' in report


def test_diagnose_names_dishes_to_fix_traces_and_the_hours(bella, run):
    MenuItemFactory(
        restaurant=bella, name="Pad thai", tags=["vegan"], allergens=["crustaceans", "peanuts"]
    )
    MenuItemFactory(restaurant=bella, name="Panna cotta", allergens=["milk"], may_contain=["nuts"])
    bella.opening_hours, bella.hours_note = "", "Mon–Fri 11–22"
    bella.save()

    report = run("diagnose_restaurant", "bella")

    assert "2 without allergen data, 1 with “may contain”, 1 to fix" in report
    assert "to fix: Pad thai: vegan, but contains crustaceans" in report
    assert "Opening hours (Europe/Stockholm): (not set)" in report
    assert "Hours note: Mon–Fri 11–22" in report
    assert "WARNING: 2 item(s) without declared allergen information" in report
    assert "WARNING: no opening hours in OSM syntax" in report


def test_diagnose_json_is_machine_readable(bella_with_data, run):
    AllowedOriginFactory(restaurant=bella_with_data, origin="https://bella.example")
    count_rate_limited("bella")
    count_rate_limited("bella")
    report = json.loads(run("diagnose_restaurant", "bella", json=True))
    assert report["allowlist"] == ["https://bella.example"]
    assert report["items"]["veganTagged"] == 1
    assert report["chats"]["messagesLast24h"] == 3
    assert report["chats"]["unansweredQuestions"] == [{"text": "do you have halal?", "times": 2}]
    assert report["rateLimits"]["rateLimitedByDay"][date.today().isoformat()] == 2
    assert report["rateLimits"]["rateLimitedLast7d"] == 2
    assert not any("allowlist" in w for w in report["warnings"])


def test_diagnose_counts_429_answers_named_by_the_chat_view(bella, client, run, settings):
    """Any view that names its restaurant and answers 429 is counted (see the runbook)."""
    from django.http import JsonResponse
    from django.urls import path

    from stjarna_site.logging import set_log_restaurant

    def limited(request):
        set_log_restaurant(request, "bella")
        return JsonResponse({"error": {"code": "rate_limited"}}, status=429)

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("limited", limited)]})
    client.get("/limited")
    report = json.loads(run("diagnose_restaurant", "bella", json=True))
    assert report["rateLimits"]["rateLimitedLast7d"] == 1


def test_diagnose_flags_an_inactive_restaurant(db, run):
    RestaurantFactory(public_id="closed", active=False)
    assert "Active: NO" in run("diagnose_restaurant", "closed")


def test_diagnose_unknown_restaurant_is_one_clear_error(db, run):
    with pytest.raises(CommandError, match="Unknown restaurant id 'nope'"):
        run("diagnose_restaurant", "nope")


def test_diagnose_without_an_id_asks_for_one(db, run):
    with pytest.raises(CommandError, match="Give a restaurant id"):
        run("diagnose_restaurant")


def test_diagnose_list_names_every_restaurant(bella, roma, run):
    listing = run("diagnose_restaurant", list=True)
    assert "bella\tBella Napoli\tactive" in listing
    assert "roma\tRoma Antica\tactive" in listing


# --- notify_tenants ---------------------------------------------------------------------------

OUTAGE = {
    "template": "outage",
    "issue": "slow chat answers",
    "impact": "the chat may answer offline",
    "eta": "14:30 UTC",
}


@pytest.fixture
def tenants_with_contacts(db):
    RestaurantFactory(public_id="bella", name="Bella Napoli", contact_email="bella@example.com")
    RestaurantFactory(public_id="roma", name="Roma Antica", contact_email="roma@example.com")
    RestaurantFactory(public_id="quiet", name="No Contact", contact_email="")
    RestaurantFactory(public_id="closed", active=False, contact_email="closed@example.com")


def test_outage_notice_goes_to_every_active_restaurant_with_a_contact(tenants_with_contacts, run):
    output = run("notify_tenants", **OUTAGE, actor="alice")
    assert sorted(m.to[0] for m in mail.outbox) == ["bella@example.com", "roma@example.com"]
    message = next(m for m in mail.outbox if m.to == ["bella@example.com"])
    assert message.subject == "Stjarna Service Update"
    assert "Hi Bella Napoli," in message.body
    assert "experiencing slow chat answers that may affect" in message.body
    assert "Impact: the chat may answer offline" in message.body
    assert "ETA: 14:30 UTC" in message.body
    assert "Skipped quiet: no contact e-mail" in output
    action = OperatorAction.objects.get()
    assert (action.command, action.actor) == ("notify_tenants", "alice")
    assert action.arguments["recipients"] == ["bella", "roma"]


def test_maintenance_notice_names_the_window_in_utc(tenants_with_contacts, run):
    run(
        "notify_tenants",
        template="maintenance",
        date="2026-12-01",
        start="02:00",
        end="03:00",
        restaurant=["roma"],
    )
    [message] = mail.outbox
    assert message.to == ["roma@example.com"]
    assert message.subject == "Scheduled Maintenance - Stjarna"
    assert "on 2026-12-01 from 02:00 to 03:00 UTC" in message.body


def test_notice_text_is_not_html_escaped(tenants_with_contacts, run):
    run("notify_tenants", **{**OUTAGE, "workaround": 'use the menu\'s "offline" answers & wait'})
    assert 'Workaround: use the menu\'s "offline" answers & wait' in mail.outbox[0].body


def test_dry_run_prints_and_sends_nothing(tenants_with_contacts, run):
    output = run("notify_tenants", **OUTAGE, dry_run=True)
    assert mail.outbox == []
    assert "--- would send to bella@example.com (bella)" in output
    assert "Subject: Stjarna Service Update" in output
    assert "Dry run: 2 notices would be sent, 1 skipped." in output
    assert not OperatorAction.objects.exists()


def test_outage_notice_needs_its_fields(tenants_with_contacts, run):
    with pytest.raises(CommandError, match="needs --impact, --eta"):
        run("notify_tenants", template="outage", issue="x")


def test_maintenance_times_must_be_hh_mm(tenants_with_contacts, run):
    with pytest.raises(CommandError, match="must be HH:MM"):
        run("notify_tenants", template="maintenance", date="2026-12-01", start="2am", end="03:00")


def test_fields_of_the_other_template_are_refused(tenants_with_contacts, run):
    with pytest.raises(CommandError, match="--date do\\(es\\) not belong to the outage"):
        run("notify_tenants", **OUTAGE, date="2026-12-01")


def test_notice_to_an_unknown_restaurant_fails(tenants_with_contacts, run):
    with pytest.raises(CommandError, match="Unknown restaurant id 'nope'"):
        run("notify_tenants", **OUTAGE, restaurant=["nope"])
    assert mail.outbox == []


# --- check_health -----------------------------------------------------------------------------


def test_check_health_prints_the_health_json(db, run):
    body = json.loads(run("check_health"))
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok"}


def _break(monkeypatch, check: str) -> None:
    def broken():
        raise ConnectionError(f"{check} is down")

    monkeypatch.setattr(health, f"check_{check}", broken)


def test_check_health_fails_when_the_database_is_down(db, run, monkeypatch):
    _break(monkeypatch, "database")
    with pytest.raises(CommandError, match="unhealthy: database failed"):
        run("check_health")


def test_check_health_passes_degraded_unless_strict(db, run, monkeypatch):
    _break(monkeypatch, "cache")
    assert json.loads(run("check_health"))["status"] == "degraded"
    with pytest.raises(CommandError, match="degraded: cache failed"):
        run("check_health", strict=True)
