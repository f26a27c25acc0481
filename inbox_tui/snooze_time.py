"""Snooze times: the presets and a typed time ("2h", "18:00", "tomorrow 9", "mon 9:30", a date).

Everything is in local time (what the user means by "this evening"); results are aware UTC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

EVENING = time(18, 0)
MORNING = time(9, 0)
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_RELATIVE = re.compile(r"^(\d+)\s*(m|min|mins|h|hr|hrs|d|day|days|w|wk|week|weeks)$")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def _at(day: date, clock: time, now: datetime) -> datetime:
    return datetime.combine(day, clock, now.tzinfo)


def presets(now: datetime) -> list[tuple[str, datetime]]:
    """(label, due time) for the picker. `now` must be aware and in local time."""
    today = now.date()
    evening = _at(today, EVENING, now)
    if evening <= now + timedelta(minutes=30):
        evening_label, evening = "Tomorrow evening", _at(today + timedelta(days=1), EVENING, now)
    else:
        evening_label = "This evening"
    monday = today + timedelta(days=7 - today.weekday())
    return [
        ("In 1 hour", now + timedelta(hours=1)),
        (evening_label, evening),
        ("Tomorrow morning", _at(today + timedelta(days=1), MORNING, now)),
        ("Next week", _at(monday, MORNING, now)),
    ]


def _clock(text: str) -> time | None:
    match = _CLOCK.match(text)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse(text: str, now: datetime) -> datetime | None:
    """A typed snooze time, or None if it cannot be read, is not in the future, or is past
    the last date there is (`99999999d`: typed, not a reason to crash)."""
    try:
        return _parse(text, now)
    except (OverflowError, ValueError):
        return None


def _parse(text: str, now: datetime) -> datetime | None:
    text = " ".join(text.lower().split())
    if not text:
        return None
    due: datetime | None = None
    if match := _RELATIVE.match(text):
        amount, unit = int(match[1]), match[2][0]
        due = (
            now
            + {
                "m": timedelta(minutes=amount),
                "h": timedelta(hours=amount),
                "d": timedelta(days=amount),
                "w": timedelta(weeks=amount),
            }[unit]
        )
    elif clock := _clock(text):
        due = _at(now.date(), clock, now)
        if due <= now:
            due += timedelta(days=1)
    else:
        head, _, rest = text.partition(" ")
        clock = _clock(rest) if rest else MORNING
        day: date | None = None
        if head == "today":
            day = now.date()
        elif head == "tomorrow":
            day = now.date() + timedelta(days=1)
        elif head[:3] in _DAYS:
            ahead = (_DAYS.index(head[:3]) - now.weekday()) % 7 or 7
            day = now.date() + timedelta(days=ahead)
        else:
            try:
                day = date.fromisoformat(head)
            except ValueError:
                return None
        if clock is None:
            return None
        due = _at(day, clock, now)
    return due if due > now else None
