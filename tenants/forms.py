"""The restaurant's admin form: opening hours edited as a week, written as OSM syntax.

Each day has an opening and a closing time or "closed"; extra rows hold special dates (Dec 24).
The form writes ``opening_hours`` in OpenStreetMap syntax (``tenants.hours``); the syntax itself
stays editable for rules the week cannot show. Changing both at once is refused: one of them
would silently lose.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tenants.hours import (
    DAY_NAMES,
    DAYS,
    SpecialDay,
    WeeklyHours,
    compose_opening_hours,
    parse_special_date,
    weekly_hours_of,
)
from tenants.models import Restaurant

MAX_SPECIAL_ROWS = 8
SPARE_SPECIAL_ROWS = 2  # empty rows offered beyond the special dates already set
WEEK_FIELDS = tuple(f"hours_{day.lower()}" for day in DAYS)
SPECIAL_FIELDS = tuple(f"special_{i}" for i in range(MAX_SPECIAL_ROWS))
BOTH_CHANGED = (
    "You changed both the weekly hours and the opening-hours syntax: change one of them and save "
    "(the weekly form writes the syntax)."
)


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DayHoursWidget(forms.MultiWidget):
    template_name = "tenants/widgets/day_hours.html"

    def __init__(self) -> None:
        super().__init__([_time_input(), _time_input(), forms.CheckboxInput()])

    def decompress(self, value: Any) -> list:
        return list(value) if value else [None, None, False]


class DayHoursField(forms.MultiValueField):
    """One day: (opening, closing) or None for closed. A closing at or before the opening
    runs past midnight (18:00–02:00)."""

    widget = DayHoursWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.TimeField(required=False),
            forms.TimeField(required=False),
            forms.BooleanField(required=False),
        )
        super().__init__(fields, required=False, require_all_fields=False, **kwargs)

    def compress(self, data_list: list) -> Any:
        if not data_list:
            return None
        opens, closes, closed = data_list
        if closed and (opens or closes):
            raise ValidationError("Either give times or tick closed, not both.")
        if bool(opens) != bool(closes):
            raise ValidationError("Give both the opening and the closing time (or tick closed).")
        if opens and opens == closes:
            raise ValidationError("The opening and closing times are the same.")
        return (opens, closes) if opens else None


class SpecialDayWidget(forms.MultiWidget):
    template_name = "tenants/widgets/special_day.html"

    def __init__(self) -> None:
        date = forms.TextInput(attrs={"placeholder": "Dec 24", "size": 10})
        super().__init__([date, _time_input(), _time_input(), forms.CheckboxInput()])

    def decompress(self, value: Any) -> list:
        if not value:
            return [None, None, None, False]
        opens, closes = value.span or (None, None)
        return [value.label, opens, closes, value.span is None]


class SpecialDayField(forms.MultiValueField):
    """A date with its own hours or closed: a SpecialDay, or None for an empty row."""

    widget = SpecialDayWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(required=False),
            forms.TimeField(required=False),
            forms.TimeField(required=False),
            forms.BooleanField(required=False),
        )
        super().__init__(fields, required=False, require_all_fields=False, **kwargs)

    def compress(self, data_list: list) -> Any:
        if not data_list or not any(data_list):
            return None
        date, opens, closes, closed = data_list
        if not date:
            raise ValidationError("Give the date, e.g. Dec 24.")
        year, month, day = parse_special_date(date)
        if closed and (opens or closes):
            raise ValidationError("Either give times or tick closed, not both.")
        if not closed and not (opens and closes):
            raise ValidationError("Give the opening and closing times, or tick closed.")
        return SpecialDay(month, day, None if closed else (opens, closes), year)


class RestaurantFormBase(forms.ModelForm):
    class Meta:
        model = Restaurant
        # The admin narrows these to its fieldsets (operators also see the rate limits).
        fields = [
            "public_id",
            "name",
            "active",
            "greeting",
            "locale",
            "currency",
            "brand_color",
            "address",
            "phone",
            "opening_hours",
            "hours_note",
            "timezone",
            "contact_email",
            "chat_rate_limit",
            "chat_burst_limit",
            "chat_ip_rate_limit",
        ]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "hours_note": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weekly = weekly_hours_of(self.instance.opening_hours)
        if weekly is None or len(weekly.special) > MAX_SPECIAL_ROWS:
            for name in (*WEEK_FIELDS, *SPECIAL_FIELDS):
                if name in self.fields:
                    self.fields[name].disabled = True
            return
        hours_set = bool(self.instance.opening_hours.strip())
        for day, name in zip(DAYS, WEEK_FIELDS, strict=True):
            span = weekly.days.get(day)
            self.initial[name] = [*span, False] if span else [None, None, hours_set]
        for special, name in zip(weekly.special, SPECIAL_FIELDS, strict=False):
            self.initial[name] = special

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        changed = set(self.changed_data)
        week_changed = bool(changed & {*WEEK_FIELDS, *SPECIAL_FIELDS})
        if not week_changed:
            return cleaned
        if "opening_hours" in changed:
            raise ValidationError(BOTH_CHANGED, code="hours_changed_twice")
        if any(name in self.errors for name in (*WEEK_FIELDS, *SPECIAL_FIELDS)):
            return cleaned
        days = {day: cleaned[n] for day, n in zip(DAYS, WEEK_FIELDS, strict=True) if cleaned.get(n)}
        special = tuple(cleaned[n] for n in SPECIAL_FIELDS if cleaned.get(n))
        cleaned["opening_hours"] = compose_opening_hours(WeeklyHours(days=days, special=special))
        return cleaned


def special_rows_for(restaurant: Restaurant | None) -> list[str]:
    """The special-date fields to show: those in use plus a few empty ones."""
    weekly = weekly_hours_of(restaurant.opening_hours) if restaurant else WeeklyHours(days={})
    used = len(weekly.special) if weekly else 0
    return list(SPECIAL_FIELDS[: min(MAX_SPECIAL_ROWS, used + SPARE_SPECIAL_ROWS)])


# The day and special-date fields are declared from DAYS and MAX_SPECIAL_ROWS (the admin's
# fieldsets name them, so they must be declared fields of the class, not added per instance).
RestaurantForm = type(RestaurantFormBase)(
    "RestaurantForm",
    (RestaurantFormBase,),
    {
        "__module__": __name__,
        **{
            name: DayHoursField(label=DAY_NAMES[day])
            for day, name in zip(DAYS, WEEK_FIELDS, strict=True)
        },
        **{name: SpecialDayField(label="Special date") for name in SPECIAL_FIELDS},
    },
)
