"""Opening hours answered against the restaurant's own clock (SPEC §7.8).

The hours are OpenStreetMap `opening_hours` text, read by opening-hours-py. The engine is
given the current instant (deterministic, testable); it is converted to the restaurant's time
zone and every answer is in local wall-clock times, so the day the clocks change needs nothing
special. Text that does not parse (hours typed before they were data) is quoted as it is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import opening_hours

from .model import RestaurantInfo

# Public holidays ("PH off") need a country; the restaurant's time zone names it well enough.
_COUNTRY_OF_ZONE = {
    "Europe/Stockholm": "SE",
    "Europe/Oslo": "NO",
    "Europe/Copenhagen": "DK",
    "Europe/Helsinki": "FI",
    "Europe/London": "GB",
    "Europe/Dublin": "IE",
    "Europe/Berlin": "DE",
    "Europe/Paris": "FR",
    "Europe/Madrid": "ES",
    "Europe/Rome": "IT",
    "Europe/Amsterdam": "NL",
}


_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_WEEKDAY_RULE = re.compile(
    r"^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:\s*[-,]\s*(?:Mo|Tu|We|Th|Fr|Sa|Su))*)\s+\S"
)


def _weekdays(selector: str) -> set[int]:
    out: set[int] = set()
    for part in selector.replace(" ", "").split(","):
        if "-" in part:
            a, b = (_DAYS.index(x) for x in part.split("-"))
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            out.add(_DAYS.index(part))
    return out


def owner_intent(expr: str) -> str:
    """Join consecutive rules for disjoint weekdays with "," (OSM's additional rule) instead
    of ";", so "Fr,Sa 17:00-01:00; Su 12:00-21:30" stays open until 01:00 on Saturday night,
    as the owner means it; under ";" the Sunday rule would cut Saturday's night at midnight.
    Date, holiday and other rules keep overriding with ";"."""
    rules = [r.strip() for r in expr.split(";") if r.strip()]
    out: list[str] = []
    days_so_far: set[int] | None = None
    for rule in rules:
        m = _WEEKDAY_RULE.match(rule)
        days = _weekdays(m.group(1)) if m else None
        if days is not None and days_so_far is not None and not days & days_so_far:
            # ("Sa 15:00-01:00; Su off": Sunday is closed anyway; the rule would only cut
            # Saturday's night at midnight)
            if rule.split()[-1].lower() not in ("off", "closed"):
                out[-1] += ", " + rule
            days_so_far |= days
        else:
            out.append(rule)
            days_so_far = set(days) if days is not None else None
    return "; ".join(out)


_DATE_LIST = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})((?:\s*,\s*\d{1,2}\b(?!:))+)"
)


def _date_lists(expr: str) -> str:
    """ "Dec 25,26 off" as owners type it is "Dec 25,Dec 26 off" in OSM's grammar."""
    return _DATE_LIST.sub(
        lambda m: ",".join(
            f"{m.group(1)} {d.strip()}" for d in [m.group(2), *m.group(3).split(",")[1:]]
        ),
        expr,
    )


@lru_cache(maxsize=512)
def _parsed(expr: str, zone: str) -> opening_hours.OpeningHours | None:
    if not expr.strip():
        return None
    expr = _date_lists(expr)
    with contextlib.suppress(ValueError):
        expr = owner_intent(expr)
    country = _COUNTRY_OF_ZONE.get(zone) or ("US" if zone.startswith("America/") else None)
    try:
        if country:
            try:
                return opening_hours.OpeningHours(expr, country=country)
            except Exception:
                pass
        return opening_hours.OpeningHours(expr)
    except Exception:
        return None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(info: RestaurantInfo, now: datetime | None) -> datetime:
    """`now` (aware; naive counts as UTC; None = the real clock) as naive local wall time."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(_zone(info.timezone)).replace(tzinfo=None)


def parses(info: RestaurantInfo) -> bool:
    """True when the restaurant's hours are OSM text the engine can reason with."""
    return _parsed(info.opening_hours, info.timezone) is not None


Interval = tuple[datetime, datetime]


def day_intervals(info: RestaurantInfo, day: date) -> list[Interval]:
    """Open intervals that start on `day` (an overnight one runs past midnight)."""
    oh = _parsed(info.opening_hours, info.timezone)
    if oh is None:
        return []
    start = datetime.combine(day, time())
    out: list[Interval] = []
    for a, b in _open_spans(oh, start, start + timedelta(days=2)):
        if start <= a < start + timedelta(days=1):
            if a == start and out == [] and _open_at(oh, start - timedelta(minutes=1)):
                continue  # yesterday's night running on past midnight
            out.append((a, b))
    return out


def _open_spans(oh: opening_hours.OpeningHours, start: datetime, end: datetime) -> list[Interval]:
    """The open intervals between `start` and `end`, a night that runs past midnight as one
    ("Sa 15:00-01:00" is 15:00 to 01:00, not 15:00 to 24:00 and 00:00 to 01:00)."""
    out: list[Interval] = []
    for a, b, state, _ in oh.intervals(start, end):
        if not str(state).lower().endswith("open"):
            continue
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _open_at(oh: opening_hours.OpeningHours, at: datetime) -> bool:
    return bool(oh.is_open(at))


def is_open(info: RestaurantInfo, at: datetime) -> bool | None:
    oh = _parsed(info.opening_hours, info.timezone)
    return None if oh is None else _open_at(oh, at)


def open_interval_at(info: RestaurantInfo, at: datetime) -> Interval | None:
    """The open interval containing `at`, if the restaurant is open then."""
    oh = _parsed(info.opening_hours, info.timezone)
    if oh is None or not _open_at(oh, at):
        return None
    for a, b in _open_spans(oh, at - timedelta(days=1), at + timedelta(days=2)):
        if a <= at < b:
            return a, b
    return None


def next_opening(info: RestaurantInfo, at: datetime) -> datetime | None:
    """When the restaurant next opens after `at` (within two weeks)."""
    oh = _parsed(info.opening_hours, info.timezone)
    if oh is None:
        return None
    for a, _, state, _ in oh.intervals(at, at + timedelta(days=14)):
        if str(state).lower().endswith("open") and a >= at:
            return a
    return None


def clock(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def span(interval: Interval) -> str:
    a, b = interval
    end = "24:00" if b.time() == time() and b.date() > a.date() else clock(b)
    return f"{clock(a)}–{end}"


def next_weekday(today: date, weekday: int) -> date:
    """The next date with `weekday` (0 = Monday), today included."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def next_date(today: date, month_day: str) -> date | None:
    """The next date (today included) with "MM-DD"; month "00" is this month or the next one
    that has the day ("and on the 26th?")."""
    month, day = (int(p) for p in month_day.split("-"))
    if month:
        tried = [(today.year, month), (today.year + 1, month)]
    else:
        tried = [divmod(today.year * 12 + today.month - 1 + k, 12) for k in range(12)]
        tried = [(y, m + 1) for y, m in tried]
    for year, m in tried:
        try:
            d = date(year, m, day)
        except ValueError:
            if month:
                return None
            continue  # (no 31st in November: December's)
        if d >= today:
            return d
    return None


def week_lines(
    info: RestaurantInfo, today: date, day_name: Callable[[int], str]
) -> list[tuple[str, str | None]]:
    """The coming seven days as (days, hours) pairs, Monday first, equal neighbours merged:
    [("Monday–Thursday", "11:00–22:00"), ("Sunday", None)] (None = closed)."""
    monday = today - timedelta(days=today.weekday())
    rows: list[tuple[int, str | None]] = []
    for n in range(7):
        day = monday + timedelta(days=n)
        if day < today:
            day += timedelta(days=7)
        spans = ", ".join(span(i) for i in day_intervals(info, day)) or None
        rows.append((n, spans))
    merged: list[tuple[int, int, str | None]] = []
    for n, spans in rows:
        if merged and merged[-1][2] == spans and merged[-1][1] == n - 1:
            merged[-1] = (merged[-1][0], n, spans)
        else:
            merged.append((n, n, spans))
    out = []
    for first, last, spans in merged:
        name = day_name(first) if first == last else f"{day_name(first)}–{day_name(last)}"
        name = name[:1].upper() + name[1:]
        out.append((name, spans))
    return out
