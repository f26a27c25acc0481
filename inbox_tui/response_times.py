"""Response-time figures, per brand: for today and the last 7 days, how many customer
messages were answered, and the median and 90th-percentile wait for the reply (what Sprout
and Front report, and what a team is judged by). From the store alone (the CLI's `stats`
and the app's `T` both read them here)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from inbox_tui.store import Store

PERIODS = ("today", "7 days")


class Figures(NamedTuple):
    answered: int
    median: float | None  # seconds; None when nothing was answered
    p90: float | None


def figures_of(waits: list[float]) -> Figures:
    if not waits:
        return Figures(0, None, None)
    ordered = sorted(waits)
    p90 = (
        statistics.quantiles(ordered, n=10, method="inclusive")[-1]
        if len(ordered) > 1
        else ordered[0]
    )
    return Figures(len(ordered), statistics.median(ordered), p90)


def response_times(
    store: Store, profiles: Iterable[str], now: datetime
) -> dict[str, dict[str, Figures]]:
    """Per profile, per period ("today": since local midnight; "7 days": the last 7 × 24 h)."""
    names = list(profiles)
    local = now.astimezone()
    starts = {
        "today": local.replace(hour=0, minute=0, second=0, microsecond=0),
        "7 days": now - timedelta(days=7),
    }
    waits = {period: store.reply_waits(names, start, now) for period, start in starts.items()}
    return {name: {period: figures_of(waits[period][name]) for period in PERIODS} for name in names}


def wait_words(seconds: float | None) -> str:
    """'45 s', '12 m', '3 h 5 m', '2 d 4 h'; '-' for no figure."""
    if seconds is None:
        return "-"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} m" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
