"""Opening hours as data: OpenStreetMap ``opening_hours`` syntax (SPEC §3).

The syntax is validated by opening-hours-py (a maintained Rust parser of the OSM specification).
Staff who do not know the syntax use the admin's weekly form, which this module turns into the
syntax (``compose_opening_hours``) and back (``weekly_hours_of``) — for the subset the form can
show: one opening per day plus special dates. Anything richer stays editable as raw syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

import opening_hours
from django.core.exceptions import ValidationError

MAX_LENGTH = 2000  # far above any real restaurant's rules; bounds the parser's work
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
EXAMPLE = "Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; Su 12:00-21:00; Dec 24 off"

Span = tuple[time, time]  # open, close; a close at or before the open runs past midnight


def validate_opening_hours(value: str) -> None:
    """Accept empty (hours unknown) or valid OSM ``opening_hours`` syntax; the error carries
    the parser's own message, whose caret points at the first character it could not read."""
    text = (value or "").strip()
    if not text:
        return
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            f"Opening hours are at most {MAX_LENGTH} characters.", code="opening_hours_too_long"
        )
    try:
        opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, ValueError) as exc:
        raise ValidationError(
            "These opening hours are not in OpenStreetMap syntax (for example "
            f"“{EXAMPLE}”; days are Mo Tu We Th Fr Sa Su, times 24-hour HH:MM). {exc}",
            code="invalid_opening_hours",
        ) from exc


def opening_hours_valid(value: str) -> bool:
    try:
        validate_opening_hours(value)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class SpecialDay:
    """One date with its own hours (``span``) or closed (``span`` None), e.g. Dec 24."""

    month: int  # 1-12
    day: int
    span: Span | None = None
    year: int | None = None  # None: every year

    @property
    def label(self) -> str:
        date = f"{MONTHS[self.month - 1]} {self.day:02d}"
        return f"{self.year} {date}" if self.year else date


@dataclass(frozen=True)
class WeeklyHours:
    """What the admin's weekly form shows: each day's one opening (absent: closed)."""

    days: dict[str, Span]
    special: tuple[SpecialDay, ...] = ()


def compose_opening_hours(hours: WeeklyHours) -> str:
    """The OSM syntax for ``hours``: days with the same hours grouped ("Mo-Th 11:00-22:00;
    Fr,Sa 11:00-23:00"), then the special dates, which OSM lets override the week."""
    groups: dict[Span, list[int]] = {}
    for index, day in enumerate(DAYS):
        if day in hours.days:
            groups.setdefault(hours.days[day], []).append(index)
    rules = [f"{_day_selector(indexes)} {_span(span)}" for span, indexes in groups.items()]
    rules += [f"{s.label} {_span(s.span) if s.span else 'off'}" for s in hours.special]
    return "; ".join(rules)


def weekly_hours_of(text: str) -> WeeklyHours | None:
    """The weekly form's view of ``text``, or None when the form cannot show it (several
    openings a day, holidays, week numbers …): then only the raw syntax edits it."""
    text = (text or "").strip()
    if not text:
        return WeeklyHours(days={})
    if not opening_hours_valid(text):
        return None
    try:
        return _weekly_hours_of(text)
    except ValueError:  # e.g. 24:00 as an opening time: valid OSM, not a time of day
        return None


def _weekly_hours_of(text: str) -> WeeklyHours | None:
    days: dict[str, Span] = {}
    special: dict[tuple[int | None, int, int], SpecialDay] = {}
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        if match := _WEEKDAY_RULE.fullmatch(rule):
            if special:
                return None  # a weekday rule after a date would override the date: not ours
            span = _parse_span(match["hours"])
            for day in _expand_days(match["days"]):
                if span is None:
                    days.pop(day, None)
                else:
                    days[day] = span
        elif match := _DATE_RULE.fullmatch(rule):
            month = MONTHS.index(match["month"].title()) + 1
            year = int(match["year"]) if match["year"] else None
            key = (year, month, int(match["day"]))
            special[key] = SpecialDay(month, int(match["day"]), _parse_span(match["hours"]), year)
        else:
            return None
    return WeeklyHours(days=days, special=tuple(special.values()))


def parse_special_date(text: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) from "Dec 24", "24 Dec", "12-24" or "2026-12-24"."""
    raw = " ".join((text or "").replace(".", " ").split())
    year: int | None = None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})-(\d{1,2})", raw):
        month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"([A-Za-z]{3})[a-z]* (\d{1,2})|(\d{1,2}) ([A-Za-z]{3})[a-z]*", raw):
        name = (match[1] or match[4]).title()
        day = int(match[2] or match[3])
        if name not in MONTHS:
            raise ValidationError(f"“{text}” is not a date such as Dec 24.", code="invalid_date")
        month = MONTHS.index(name) + 1
    else:
        raise ValidationError(
            f"“{text}” is not a date: write it like Dec 24 (every year) or 2026-12-24.",
            code="invalid_date",
        )
    if not 1 <= month <= 12 or not 1 <= day <= MONTH_DAYS[month - 1]:
        raise ValidationError(f"“{text}” is not a date of the calendar.", code="invalid_date")
    if year is not None and not 2000 <= year <= 2200:
        raise ValidationError(f"“{text}”: the year is out of range.", code="invalid_date")
    return year, month, day


# --- syntax pieces ------------------------------------------------------------------------------
_DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_DAY_LIST = rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*"
_HOURS = r"(?:[0-2]\d:[0-5]\d-[0-2]\d:[0-5]\d|off|closed)"
_WEEKDAY_RULE = re.compile(rf"(?P<days>{_DAY_LIST})\s+(?P<hours>{_HOURS})")
_DATE_RULE = re.compile(
    rf"(?:(?P<year>\d{{4}})\s+)?(?P<month>{'|'.join(MONTHS)})\s+(?P<day>\d{{1,2}})\s+"
    rf"(?P<hours>{_HOURS})"
)


def _span(span: Span) -> str:
    start, end = span
    close = "24:00" if end == time(0, 0) else f"{end:%H:%M}"
    return f"{start:%H:%M}-{close}"


def _parse_span(text: str) -> Span | None:
    if text in ("off", "closed"):
        return None
    start, end = text.split("-")
    end = "00:00" if end == "24:00" else end
    return time.fromisoformat(start), time.fromisoformat(end)


def _day_selector(indexes: list[int]) -> str:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[i] for i in run)
    return ",".join(parts)


def _expand_days(selector: str) -> list[str]:
    days: list[str] = []
    for part in selector.split(","):
        first, _, last = part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        count = (end - start) % 7 + 1  # "Fr-Mo" wraps over the weekend
        days.extend(DAYS[(start + i) % 7] for i in range(count))
    return days
