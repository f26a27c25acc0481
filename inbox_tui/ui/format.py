"""Small pure formatting helpers for the UI (relative times, durations, short names)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime


def _local(moment: datetime) -> datetime:
    """In local time; a time at the edge of the calendar (year 1 west of UTC) stays in UTC
    rather than crash the list."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError):
        return moment.astimezone(UTC)


# The list's age units: below `below` seconds an age counts in `unit`s, with `suffix`.
_AGE_UNITS = ((60, 1, "s"), (3600, 60, "m"), (86400, 3600, "h"), (7 * 86400, 86400, "d"))
_NOW_FOR = 10  # seconds that read "now"


def ago(moment: datetime | None, now: datetime) -> str:
    """Compact age for list rows: now, 45s, 12m, 3h, 2d, then a date."""
    if moment is None:
        return ""
    seconds = int((now - moment).total_seconds())
    if seconds < _NOW_FOR:
        return "now"
    for below, unit, suffix in _AGE_UNITS:
        if seconds < below:
            return f"{seconds // unit}{suffix}"
    local = _local(moment)
    return (
        local.strftime("%b %-d") if local.year == _local(now).year else local.strftime("%Y-%m-%d")
    )


def ago_changes_in(moment: datetime, now: datetime) -> float:
    """Seconds until `ago(moment, now)` (or `waited`) reads differently (a date: a day at
    most)."""
    seconds = (now - moment).total_seconds()
    if seconds < _NOW_FOR:
        return _NOW_FOR - seconds
    unit = next((unit for below, unit, _ in _AGE_UNITS if seconds < below), 86400)
    return unit - seconds % unit


def waited(moment: datetime | None, now: datetime) -> str:
    """How long someone has waited, compact and never a date: 45s, 12m, 3h, 2d, 21d."""
    if moment is None:
        return ""
    days = int((now - moment).total_seconds()) // 86400
    return f"{days}d" if days >= 7 else ago(moment, now)


def since(seconds: float) -> tuple[str, float]:
    """An age for the status bar, and the seconds until its words change: 'just now' for the
    first minute, then whole minutes ('4 m ago', '2 h 5 m ago'). It never counts seconds: the
    bar (and the app) sleep a minute at a time."""
    seconds = max(0.0, seconds)
    minutes = int(seconds // 60)
    words = f"{_minutes(minutes)} ago" if minutes else "just now"
    return words, (minutes + 1) * 60 - seconds


def until(seconds: float) -> tuple[str, float]:
    """A countdown for the status bar, and the seconds until its words change: the nearest
    whole minute ('4 m', '2 h 5 m'; a half minute goes down), then '<1 m'. No seconds ticking
    by in the corner of the eye all day, and no wake-up a second to draw them. A time on a
    boundary takes the words below it, so a clock that stands still (a test's) never asks
    for a tick at once, again and again."""
    seconds = max(0.0, seconds)
    if seconds <= 60:
        return "<1 m", math.inf
    minutes = math.ceil(seconds / 60 - 0.5)
    return _minutes(minutes), seconds - max((minutes - 0.5) * 60, 60)


def _minutes(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} m"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} m" if rest else f"{hours} h"


def duration(seconds: float) -> str:
    """'48 s', '4 m 10 s', '2 h 5 m': a reply window's time left, a refresh's wait."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        m, s = divmod(seconds, 60)
        return f"{m} m {s} s" if s else f"{m} m"
    h, rem = divmod(seconds, 3600)
    return f"{h} h {rem // 60} m"


def stamp(moment: datetime, now: datetime) -> str:
    """A message time in the thread: today '14:02', this year 'Nov 3 14:02', else with year."""
    local, today = _local(moment), _local(now)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%a %b %-d %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def local_date(moment: datetime) -> date:
    """The day `moment` falls on here (the thread's day headings)."""
    return _local(moment).date()


def short_date(moment: datetime, now: datetime) -> str:
    """'Nov 18' (with the year when it is not this year's)."""
    local = _local(moment)
    return (
        local.strftime("%b %-d") if local.year == _local(now).year else local.strftime("%b %-d, %Y")
    )


def clock_time(moment: datetime) -> str:
    """A message's time under its day's heading in the thread: '14:02'."""
    return _local(moment).strftime("%H:%M")


def day_label(moment: datetime, now: datetime) -> str:
    """A thread's day heading: 'Today', 'Yesterday', 'Tuesday, December 1', 'March 3, 2025'
    (the month before the day, as everywhere in the app)."""
    day, today = local_date(moment), local_date(now)
    if day == today:
        return "Today"
    if (today - day).days == 1:
        return "Yesterday"
    return day.strftime("%A, %B %-d") if day.year == today.year else day.strftime("%B %-d, %Y")


def short_names(names: Iterable[str]) -> dict[str, str]:
    """Each brand's short name, for where five must fit in a line: its first word ("Lumen"
    for "Lumen Skincare"), or the whole name where two share a first word."""
    names = list(names)
    firsts = [name.split(" ", 1)[0] for name in names]
    return {
        name: first if firsts.count(first) == 1 else name
        for name, first in zip(names, firsts, strict=True)
    }
