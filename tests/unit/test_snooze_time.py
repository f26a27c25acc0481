from datetime import datetime, timedelta, timezone

import pytest

from inbox_tui.snooze_time import parse, presets

TZ = timezone(timedelta(hours=1))
FRIDAY_10 = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)  # a Friday


def test_presets():
    labels = dict(presets(FRIDAY_10))
    assert labels["In 1 hour"] == FRIDAY_10 + timedelta(hours=1)
    assert labels["This evening"] == datetime(2026, 11, 20, 18, 0, tzinfo=TZ)
    assert labels["Tomorrow morning"] == datetime(2026, 11, 21, 9, 0, tzinfo=TZ)
    assert labels["Next week"] == datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # Monday


def test_late_in_the_day_this_evening_becomes_tomorrow_evening():
    labels = dict(presets(FRIDAY_10.replace(hour=18, minute=5)))
    assert labels["Tomorrow evening"] == datetime(2026, 11, 21, 18, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2h", FRIDAY_10 + timedelta(hours=2)),
        ("30 m", FRIDAY_10 + timedelta(minutes=30)),
        ("3d", FRIDAY_10 + timedelta(days=3)),
        ("1w", FRIDAY_10 + timedelta(weeks=1)),
        ("18:00", datetime(2026, 11, 20, 18, 0, tzinfo=TZ)),
        ("9:30", datetime(2026, 11, 21, 9, 30, tzinfo=TZ)),  # already past today: tomorrow
        ("6pm", datetime(2026, 11, 20, 18, 0, tzinfo=TZ)),
        ("tomorrow", datetime(2026, 11, 21, 9, 0, tzinfo=TZ)),
        ("tomorrow 14:15", datetime(2026, 11, 21, 14, 15, tzinfo=TZ)),
        ("mon 9:30", datetime(2026, 11, 23, 9, 30, tzinfo=TZ)),
        ("friday", datetime(2026, 11, 27, 9, 0, tzinfo=TZ)),  # the next Friday, not today
        ("2026-12-01 08:00", datetime(2026, 12, 1, 8, 0, tzinfo=TZ)),
    ],
)
def test_typed_times(text, expected):
    assert parse(text, FRIDAY_10) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "2026-11-19", "today 8:00", "tomorrow 99"])
def test_unreadable_or_past_times_are_refused(text):
    assert parse(text, FRIDAY_10) is None
