from datetime import UTC, datetime, timedelta, timezone

import pytest

from inbox_tui.snooze_time import example, parse, presets, problem

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
        ("in 2 hours", FRIDAY_10 + timedelta(hours=2)),
        ("in 10 minutes", FRIDAY_10 + timedelta(minutes=10)),
        ("3 days", FRIDAY_10 + timedelta(days=3)),
        ("tonight", datetime(2026, 11, 20, 20, 0, tzinfo=TZ)),
        ("this evening", datetime(2026, 11, 20, 18, 0, tzinfo=TZ)),
        ("next week", datetime(2026, 11, 23, 9, 0, tzinfo=TZ)),  # Monday morning
    ],
)
def test_typed_times(text, expected):
    assert parse(text, FRIDAY_10) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "2026-11-19", "today 8:00", "tomorrow 99"])
def test_unreadable_or_past_times_are_refused(text):
    assert parse(text, FRIDAY_10) is None


def test_amounts_past_the_calendar_are_unreadable_not_a_crash():
    """22 D6: typed while the dialog checks each keystroke."""
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    for text in ("99999999d", "9999999999w", "999999999999999999999m"):
        assert parse(text, now) is None


def test_a_search_day_past_the_calendar_matches_everything():
    from inbox_tui.search import parse as parse_query

    query = parse_query("after:99999999d refund", datetime(2026, 11, 20).date())
    assert not query.problems and query.after.year == 1


def test_a_year_one_time_formats_west_of_utc(monkeypatch):
    """22 D9: every start crashed in America/New_York with one such message stored."""
    import time as clock_time

    from inbox_tui.ui.format import ago, stamp

    monkeypatch.setenv("TZ", "America/New_York")
    clock_time.tzset()
    try:
        year_one = datetime(1, 1, 1, tzinfo=UTC)
        now = datetime(2026, 11, 20, 12, tzinfo=UTC)
        assert ago(year_one, now) and stamp(year_one, now)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        clock_time.tzset()


def test_what_cannot_be_read_is_told_apart_from_what_has_passed():
    assert problem("soon", FRIDAY_10).startswith("Can't read that: try 2h, in 2 hours")
    assert problem("2026-11-19", FRIDAY_10) == "That time has passed."
    assert problem("tonight", FRIDAY_10.replace(hour=21)) == "That time has passed."
    assert problem("2h", FRIDAY_10) == ""
    # The example's date is always ahead (it was a fixed date that fell into the past).
    assert "2026-12-20" in example(FRIDAY_10)
    assert parse(example(FRIDAY_10).rsplit(", ", 1)[1], FRIDAY_10) is not None
