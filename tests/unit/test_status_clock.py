"""The status bar's times change their words once a minute at most, and say when they next
change: the app's clock sleeps until then."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from inbox_tui.domain import Platform
from inbox_tui.store import View
from inbox_tui.sync_streams import PlatformStatus
from inbox_tui.ui.format import since, until
from inbox_tui.ui.widgets.status_bar import render_status


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "just now"), (59.9, "just now"), (60, "1 m ago"), (3599, "59 m ago"),
     (3600, "1 h ago"), (7300, "2 h 1 m ago")],
)  # fmt: skip
def test_an_age_in_whole_minutes(seconds, words):
    assert since(seconds)[0] == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "<1 m"), (59.5, "<1 m"), (61, "1 m"), (91, "2 m"), (3600, "1 h"), (3631, "1 h 1 m")],
)
def test_a_countdown_in_minutes_then_seconds(seconds, words):
    assert until(seconds)[0] == words


def test_the_words_hold_until_the_change_they_announce():
    """Just before the announced change the words are the same, just after they differ."""
    rng = random.Random(7)
    for _ in range(2000):
        value = rng.choice([rng.uniform(0, 120), rng.uniform(0, 10_000)])
        words, change = since(value)
        assert since(value + change - 0.001)[0] == words
        assert since(value + change + 0.001)[0] != words
        words, change = until(value)
        if value >= 60:  # "<1 m" stays
            assert until(value - change + 0.001)[0] == words
            assert until(value - change - 0.001)[0] != words


def test_a_clock_that_stands_still_never_asks_for_a_tick_at_once():
    """A countdown at exactly 60 s asked for a tick in 0 s, again at every tick: with a frozen
    clock (the tests') the app ticked a hundred times a second and Pilot waited ~1 s a key."""
    for seconds in range(10_000):
        assert since(seconds)[1] >= 1 and until(seconds)[1] >= 1, seconds


def test_the_bar_changes_when_its_soonest_time_does():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    ok = PlatformStatus("P", Platform.FACEBOOK, False, None, now - timedelta(seconds=150), None)
    soon = PlatformStatus(
        "P",
        Platform.INSTAGRAM,
        False,
        None,
        now - timedelta(seconds=30),
        now + timedelta(seconds=200),
    )
    common = dict(profile="P", view=View.ACTIVE, platform_filter="all", rate_limit=None, now=now)
    text, change = render_status(platforms=[ok, soon], paused_until=None, **common)
    # "updated 2 m ago" (the oldest, 150 s) changes in 30 s; "next in 3 m" (200 s) in 50.
    assert "updated 2 m ago, next in 3 m" in text.plain and change == pytest.approx(30)
    text, change = render_status(
        platforms=[ok], paused_until=now + timedelta(seconds=42.5), **common
    )
    assert "paused <1 m (rate limit)" in text.plain and change == pytest.approx(30)
    assert render_status(platforms=[], paused_until=None, **common)[1] == float("inf")
