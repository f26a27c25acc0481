"""Snooze times: the presets and a typed time ("2h", "in 2 hours", "18:00", "tonight",
"tomorrow 9", "mon 9:30", "next week", a date).

Everything is in local time (what the user means by "this evening"); results are aware UTC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

EVENING = time(18, 0)
MORNING = time(9, 0)
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_RELATIVE = re.compile(
    r"^(?:in )?(\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|wk|weeks?)$"
)
TONIGHT = time(20, 0)
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
    """A typed snooze time, or None if it cannot be read or is not in the future (see
    `problem` for which)."""
    due = _read(text, now)
    return due if due is not None and due > now else None


def problem(text: str, now: datetime) -> str:
    """Why `text` is not a snooze time, in words ("" when it is one)."""
    due = _read(text, now)
    if due is None:
        return f"Can't read that: try {example(now)}."
    return "" if due > now else "That time has passed."


def example(now: datetime) -> str:
    """The typed forms, with a date that is never in the past."""
    ahead = (now.date() + timedelta(days=30)).isoformat()
    return f"2h, in 2 hours, 18:00, tonight, tomorrow 9, mon 9:30, next week, {ahead}"


def _read(text: str, now: datetime) -> datetime | None:
    """The time `text` means, past or not; None if it cannot be read, or is past the last
    date there is (`99999999d`: typed, not a reason to crash)."""
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
    elif text in ("tonight", "this evening"):
        due = _at(now.date(), TONIGHT if text == "tonight" else EVENING, now)
    elif text == "next week":
        due = _at(now.date() + timedelta(days=7 - now.weekday()), MORNING, now)
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
    return due
