"""Opening hours as data (SPEC §3): OpenStreetMap syntax validated, a weekly form that writes it,
and what the syntax it writes means at fixed instants of the restaurant's clock."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import opening_hours
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenants.hours import (
    SpecialDay,
    WeeklyHours,
    compose_opening_hours,
    parse_special_date,
    validate_opening_hours,
    weekly_hours_of,
)
from tenants.models import Restaurant
from tests.admin_forms import change_form_data

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SPEC_EXAMPLE = "Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; Su 12:00-21:00; Dec 24 off"


def is_open(text: str, *when: int) -> bool:
    hours = opening_hours.OpeningHours(text, timezone=STOCKHOLM)
    return hours.is_open(datetime(*when, tzinfo=STOCKHOLM))


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [SPEC_EXAMPLE, "24/7", "Mo-Fr 11:30-14:00,17:00-22:00; PH off", ""]
)
def test_osm_syntax_is_accepted(text):
    validate_opening_hours(text)


def test_free_text_is_refused_with_the_parsers_caret_and_an_example():
    with pytest.raises(ValidationError) as error:
        validate_opening_hours("Mon-Fri 11-22")

    message = error.value.messages[0]
    assert "not in OpenStreetMap syntax" in message
    assert "Mo-Th 11:00-22:00" in message  # an example to copy
    assert "1 | Mon-Fri 11-22\n  |   ^---" in message


def test_restaurant_validation_refuses_unreadable_hours_and_unknown_zones(bella):
    bella.opening_hours, bella.timezone = "open every day", "Europe/Stockholmm"
    with pytest.raises(ValidationError) as error:
        bella.full_clean()

    assert set(error.value.message_dict) == {"opening_hours", "timezone"}


def test_new_restaurants_keep_the_clock_of_stockholm(db):
    restaurant = Restaurant.objects.create(public_id="new", name="New")
    assert restaurant.timezone == "Europe/Stockholm"


# --- the weekly form's syntax ------------------------------------------------------------------

WEEK = WeeklyHours(
    days={
        **{d: (time(11), time(22)) for d in ("Mo", "Tu", "We", "Th")},
        "Fr": (time(11), time(23)),
        "Sa": (time(11), time(23)),
        "Su": (time(12), time(21)),
    },
    special=(SpecialDay(12, 24), SpecialDay(12, 31, (time(11), time(16)))),
)


def test_the_week_is_written_grouped_with_special_dates_last():
    assert compose_opening_hours(WEEK) == (
        "Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; Su 12:00-21:00; Dec 24 off; Dec 31 11:00-16:00"
    )


def test_what_the_form_writes_it_reads_back():
    assert weekly_hours_of(compose_opening_hours(WEEK)) == WEEK


def test_rules_the_form_cannot_show_are_left_to_the_syntax():
    assert weekly_hours_of("Mo-Fr 11:30-14:00,17:00-22:00") is None
    assert weekly_hours_of("Mo-Fr 11:00-22:00; PH off") is None


def test_a_later_rule_overrides_an_earlier_one_as_in_osm():
    week = weekly_hours_of("Mo-Su 11:00-22:00; Su off")
    assert "Su" not in week.days and week.days["Sa"] == (time(11), time(22))


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [("Dec 24", (None, 12, 24)), ("24 dec", (None, 12, 24)), ("december 31", (None, 12, 31)),
     ("12-24", (None, 12, 24)), ("2026-12-24", (2026, 12, 24))],
)  # fmt: skip
def test_special_dates_are_read_in_the_usual_spellings(typed, parsed):
    assert parse_special_date(typed) == parsed


@pytest.mark.parametrize("typed", ["Dec 32", "Foo 3", "christmas", "2026-02-30"])
def test_impossible_special_dates_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_special_date(typed)


# --- what the written hours mean on the restaurant's clock -------------------------------------


def test_sunday_2130_is_after_closing_and_monday_0200_is_closed():
    assert is_open(SPEC_EXAMPLE, 2026, 12, 6, 20, 59)
    assert not is_open(SPEC_EXAMPLE, 2026, 12, 6, 21, 30)  # a Sunday
    assert not is_open(SPEC_EXAMPLE, 2026, 12, 7, 2, 0)  # a Monday


def test_an_overnight_friday_is_still_open_early_saturday():
    text = compose_opening_hours(WeeklyHours(days={"Fr": (time(18), time(2))}))

    assert text == "Fr 18:00-02:00"
    assert is_open(text, 2026, 12, 5, 1, 0)  # Saturday 01:00
    assert not is_open(text, 2026, 12, 5, 2, 30)


def test_a_closed_special_date_overrides_the_week():
    assert not is_open(SPEC_EXAMPLE, 2026, 12, 24, 12, 0)  # a Thursday
    assert is_open(SPEC_EXAMPLE, 2026, 12, 17, 12, 0)


def test_hours_follow_the_clock_on_the_day_it_changes():
    # 29 March 2026, a Sunday: Stockholm's clocks jump from 02:00 to 03:00 during this night.
    text = "Sa 22:00-04:00"
    assert is_open(text, 2026, 3, 29, 1, 30)
    assert is_open(text, 2026, 3, 29, 3, 30)
    assert not is_open(text, 2026, 3, 29, 4, 30)


# --- the admin ---------------------------------------------------------------------------------


def change_url(restaurant) -> str:
    return reverse("admin:tenants_restaurant_change", args=[restaurant.pk])


@pytest.fixture
def owner_client(bella, staff_of_bella, login_as):
    return login_as(staff_of_bella)


def test_staff_set_the_week_and_a_special_date_without_knowing_the_syntax(bella, owner_client):
    bella.opening_hours = ""
    bella.save()
    data = change_form_data(owner_client.get(change_url(bella)))
    for day in ("mo", "tu", "we", "th", "fr"):
        data.update({f"hours_{day}_0": "11:00", f"hours_{day}_1": "22:00"})
    data.update({"hours_sa_0": "18:00", "hours_sa_1": "02:00", "hours_su_2": "on"})
    data.update({"special_0_0": "Dec 24", "special_0_3": "on"})

    response = owner_client.post(change_url(bella), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    bella.refresh_from_db()
    assert bella.opening_hours == "Mo-Fr 11:00-22:00; Sa 18:00-02:00; Dec 24 off"


def test_the_weekly_form_shows_the_stored_hours(bella, owner_client):
    bella.opening_hours = SPEC_EXAMPLE
    bella.save()

    html = owner_client.get(change_url(bella)).content.decode()

    assert 'name="hours_fr_1" value="23:00"' in html
    assert 'name="special_0_0" value="Dec 24"' in html


def test_saving_the_page_unchanged_keeps_the_hours_as_typed(bella, owner_client):
    bella.opening_hours = "Mo-Su 11:00-22:00; Dec 24 off"
    bella.save()

    owner_client.post(change_url(bella), change_form_data(owner_client.get(change_url(bella))))

    bella.refresh_from_db()
    assert bella.opening_hours == "Mo-Su 11:00-22:00; Dec 24 off"


def test_the_raw_syntax_is_editable_and_validated_with_a_clear_message(bella, owner_client):
    data = change_form_data(owner_client.get(change_url(bella)))

    data["opening_hours"] = "Mon-Fri 11-22"
    refused = owner_client.post(change_url(bella), data)
    data["opening_hours"] = "Mo-Fr 11:30-14:00,17:00-22:00; PH off"
    saved = owner_client.post(change_url(bella), data)

    assert refused.status_code == 200
    assert "not in OpenStreetMap syntax" in refused.content.decode()
    assert saved.status_code == 302
    bella.refresh_from_db()
    assert bella.opening_hours == "Mo-Fr 11:30-14:00,17:00-22:00; PH off"


def test_changing_both_the_week_and_the_syntax_is_refused(bella, owner_client):
    data = change_form_data(owner_client.get(change_url(bella)))
    data.update({"opening_hours": "24/7", "hours_mo_0": "09:00"})

    response = owner_client.post(change_url(bella), data)

    assert response.status_code == 200
    assert "changed both the weekly hours and the opening-hours syntax" in response.content.decode()


def test_a_day_with_one_time_only_is_refused(bella, owner_client):
    data = change_form_data(owner_client.get(change_url(bella)))
    data.update({"hours_mo_0": "09:00", "hours_mo_1": ""})

    response = owner_client.post(change_url(bella), data)

    assert "Give both the opening and the closing time" in response.content.decode()


def test_hours_kept_only_as_a_note_are_pointed_out_to_the_owner(bella, owner_client):
    bella.opening_hours, bella.hours_note = "", "Mon–Fri 11–22, weekends 12–23"
    bella.save()

    html = owner_client.get(change_url(bella)).content.decode()

    assert "could not be read as weekly hours" in html
    assert "Mon–Fri 11–22, weekends 12–23" in html


def test_the_public_menu_carries_the_hours_note_and_clock(client, bella):
    bella.opening_hours, bella.hours_note = SPEC_EXAMPLE, "Kitchen closes 30 min earlier"
    bella.save()

    restaurant = client.get("/api/public/menu", {"restaurantId": "bella"}).json()["restaurant"]

    assert (restaurant["openingHours"], restaurant["hoursNote"], restaurant["timezone"]) == (
        SPEC_EXAMPLE,
        "Kitchen closes 30 min earlier",
        "Europe/Stockholm",
    )


def test_a_staff_member_sees_the_hours_read_only(bella, login_as):
    from tenants.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    waiter = UserFactory(username="waiter")
    MembershipFactory(user=waiter, restaurant=bella, role=Membership.Role.STAFF)
    bella.opening_hours, bella.hours_note = SPEC_EXAMPLE, "Kitchen closes at 21:30"
    bella.save()

    response = login_as(waiter).get(change_url(bella))

    html = response.content.decode()
    assert response.status_code == 200
    assert SPEC_EXAMPLE in html and "Kitchen closes at 21:30" in html
    assert 'name="hours_mo_0"' not in html
